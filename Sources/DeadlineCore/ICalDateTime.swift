import Foundation

/// iCalendar's date-time text (`20170516T070000Z`, or floating `20170516T140000` in a zone).
public enum ICalDateTime {
    /// `YYYYMMDDTHHMMSS[Z]`; a floating one is read in `zone`.
    public static func parse(_ text: String, zone: TimeZone) -> Date? {
        let utc = text.hasSuffix("Z")
        let body = utc ? String(text.dropLast()) : text
        let chars = Array(body)
        guard chars.count == 15, chars[8] == "T", chars.enumerated().allSatisfy({ $0.offset == 8 || $0.element.isASCII && $0.element.isNumber }) else { return nil }
        func n(_ from: Int, _ length: Int) -> Int { Int(String(chars[from..<from + length]))! }
        guard let day = LocalDate(year: n(0, 4), month: n(4, 2), day: n(6, 2)), n(9, 2) < 24, n(11, 2) < 60, n(13, 2) < 61 else { return nil }
        let z = utc ? TimeZone(identifier: "UTC")! : zone
        return day.at(hour: n(9, 2), minute: n(11, 2), in: z).addingTimeInterval(Double(n(13, 2)))
    }

    /// `YYYYMMDDTHHMMSSZ`.
    public static func utc(_ date: Date) -> String { local(date, zone: TimeZone(identifier: "UTC")!) + "Z" }

    /// `YYYYMMDDTHHMMSS` in `zone`.
    public static func local(_ date: Date, zone: TimeZone) -> String {
        let (d, s) = LocalDate.clock(of: date, in: zone)
        let (year, month, day, hour, minute, second) = (d.year, d.month, d.day, s / 3600, s / 60 % 60, s % 60)
        var t = DigitText(capacity: 15)
        t.append(year, width: 4); t.append(month, width: 2); t.append(day, width: 2)
        t.append("T"); t.append(hour, width: 2); t.append(minute, width: 2); t.append(second, width: 2)
        return t.text
    }

    /// `YYYYMMDD`.
    public static func date(_ day: LocalDate) -> String {
        var t = DigitText(capacity: 8)
        t.append(day.year, width: 4); t.append(day.month, width: 2); t.append(day.day, width: 2)
        return t.text
    }

    /// `YYYYMMDD` → a date.
    public static func parseDate(_ text: String) -> LocalDate? {
        guard text.count == 8, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return LocalDate(year: Int(text.prefix(4))!, month: Int(text.dropFirst(4).prefix(2))!, day: Int(text.suffix(2))!)
    }
}
