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
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        return String(format: "%04d%02d%02dT%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!)
    }

    /// `YYYYMMDD`.
    public static func date(_ day: LocalDate) -> String { String(format: "%04d%02d%02d", day.year, day.month, day.day) }

    /// `YYYYMMDD` → a date.
    public static func parseDate(_ text: String) -> LocalDate? {
        guard text.count == 8, text.allSatisfy({ $0.isASCII && $0.isNumber }) else { return nil }
        return LocalDate(year: Int(text.prefix(4))!, month: Int(text.dropFirst(4).prefix(2))!, day: Int(text.suffix(2))!)
    }
}
