import Foundation

/// The language reminders and listings are written in.
public enum Language: String, Codable, Sendable, CaseIterable {
    case thai = "th"
    case english = "en"
}

/// Dates as people read them: Thai as official letters write them (Buddhist Era, `เวลา 14.00 น.`,
/// optionally Thai digits), or Gregorian English.
public enum DateText {
    /// `วันพฤหัสบดีที่ 18 พฤษภาคม 2560` / `Thursday 18 May 2017`.
    public static func day(_ d: LocalDate, language: Language, thaiDigits: Bool = false) -> String {
        switch language {
        case .thai:
            let text = "วัน\(ThaiCalendar.weekdays[d.weekday - 1])ที่ \(d.day) \(ThaiCalendar.months[d.month - 1].full) \(buddhistYear(d))"
            return thaiDigits ? ThaiCalendar.thaiDigits(text) : text
        case .english:
            return "\(ThaiCalendar.englishWeekdays[d.weekday - 1]) \(d.day) \(ThaiCalendar.englishMonths[d.month - 1]) \(d.year)"
        }
    }

    /// `18 พ.ค. 60` / `18 May 2017`: for tables.
    public static func shortDay(_ d: LocalDate, language: Language, thaiDigits: Bool = false) -> String {
        switch language {
        case .thai:
            let text = "\(d.day) \(ThaiCalendar.months[d.month - 1].abbreviation) \(String(format: "%02d", buddhistYear(d) % 100))"
            return thaiDigits ? ThaiCalendar.thaiDigits(text) : text
        case .english:
            return "\(d.day) \(ThaiCalendar.englishMonths[d.month - 1].prefix(3)) \(d.year)"
        }
    }

    /// `เวลา 14.00 น.` / `14:00`.
    public static func time(_ t: TimeOfDay, language: Language, thaiDigits: Bool = false) -> String {
        switch language {
        case .thai:
            let text = String(format: "เวลา %02d.%02d น.", t.hour, t.minute)
            return thaiDigits ? ThaiCalendar.thaiDigits(text) : text
        case .english:
            return t.description
        }
    }

    /// The day and, for an instant, the time: `วันอังคารที่ 16 พฤษภาคม 2560 เวลา 14.00 น.`.
    public static func when(_ w: When, zone: TimeZone, language: Language, thaiDigits: Bool = false) -> String {
        switch w {
        case .day(let d):
            return day(d, language: language, thaiDigits: thaiDigits)
        case .instant(let date):
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            let c = cal.dateComponents([.hour, .minute], from: date)
            let t = TimeOfDay(hour: c.hour!, minute: c.minute!)!
            let sep = language == .thai ? " " : ", "
            return day(LocalDate(date, in: zone), language: language, thaiDigits: thaiDigits) + sep
                + time(t, language: language, thaiDigits: thaiDigits)
        }
    }

    /// The Buddhist Era year, as Foundation's Buddhist calendar counts it.
    static func buddhistYear(_ d: LocalDate) -> Int {
        var cal = Calendar(identifier: .buddhist)
        cal.timeZone = TimeZone(secondsFromGMT: 0)!
        let noon = d.at(hour: 12, minute: 0, in: cal.timeZone)
        return cal.component(.year, from: noon)
    }
}

/// How instants are written on the wire and in `--json` output: ISO 8601 with the offset of
/// the item's zone, so a person reads local time and a program gets an exact instant.
/// Milliseconds appear only when there are any; instants are kept to the millisecond.
public enum DateOutput {
    /// An item's date on the wire: an instant as `iso8601` in `timeZone`, a whole day as
    /// `2017-05-24`.
    public static func text(_ when: When, timeZone: TimeZone) -> String {
        switch when {
        case .instant(let d): iso8601(d, timeZone: timeZone)
        case .day(let d): d.description
        }
    }

    public static func iso8601(_ date: Date, timeZone: TimeZone) -> String {
        // Whole milliseconds, rounded: the store keeps milliseconds, and a Double standing for
        // .313 s may be .31299999. Written by arithmetic, not a formatter: a reply lists every
        // reminder of an item, and a format style per instant cost more than the rest of the call.
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let fraction = Int(ms - seconds * 1000)
        let offset = timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double(seconds)))
        let (d, secondOfDay) = LocalDate.split(localSeconds: seconds + Int64(offset))
        var out = DigitText(capacity: 29)
        out.append(d.year, width: 4); out.append("-"); out.append(d.month, width: 2); out.append("-"); out.append(d.day, width: 2)
        out.append("T"); out.append(secondOfDay / 3600, width: 2); out.append(":"); out.append(secondOfDay / 60 % 60, width: 2)
        out.append(":"); out.append(secondOfDay % 60, width: 2)
        if fraction != 0 { out.append("."); out.append(fraction, width: 3) }
        if offset == 0 {
            out.append("Z")
        } else {
            let a = abs(offset)
            out.append(offset < 0 ? "-" : "+"); out.append(a / 3600, width: 2); out.append(":"); out.append(a / 60 % 60, width: 2)
        }
        return out.text
    }

    /// What `text` wrote, read back: `2017-05-24` as a day, `2017-05-16T14:00:00.250+07:00` (or
    /// `Z`) as an instant; nil for anything else. Strict, unlike `DateInput`, which reads what
    /// people type: a reply's dates are never Thai words or `tomorrow`.
    public static func when(_ text: String) -> When? {
        let b = Array(text.utf8)
        func number(_ range: Range<Int>) -> Int? {
            guard range.upperBound <= b.count else { return nil }
            var n = 0
            for i in range {
                guard (48...57).contains(b[i]) else { return nil }
                n = n * 10 + Int(b[i] - 48)
            }
            return n
        }
        guard b.count >= 10, b[4] == 45, b[7] == 45, let y = number(0..<4), let m = number(5..<7), let d = number(8..<10),
              let day = LocalDate(year: y, month: m, day: d) else { return nil }
        if b.count == 10 { return .day(day) }
        guard b.count >= 20, b[10] == 84, b[13] == 58, b[16] == 58, let hh = number(11..<13), let mm = number(14..<16),
              let ss = number(17..<19), hh < 24, mm < 60, ss < 60 else { return nil }
        var i = 19
        var ms = 0
        if b[i] == 46 {
            guard let f = number(20..<23) else { return nil }
            ms = f
            i = 23
        }
        var offset = 0
        if i == b.count - 1, b[i] == 90 {
            offset = 0
        } else if i == b.count - 6, b[i] == 43 || b[i] == 45, b[i + 3] == 58, let oh = number(i + 1..<i + 3), let om = number(i + 4..<i + 6) {
            offset = (oh * 3600 + om * 60) * (b[i] == 45 ? -1 : 1)
        } else {
            return nil
        }
        let local = Int64(day.dayNumber) * 86400 + Int64(hh * 3600 + mm * 60 + ss)
        return .instant(Date(timeIntervalSince1970: Double(local - Int64(offset)) + Double(ms) / 1000))
    }
}

/// The Thai government fiscal year, named by the Buddhist Era year it ends in:
/// FY 2561 runs from 1 October 2560 to 30 September 2561.
public struct FiscalYear: Hashable, Sendable {
    public let buddhistYear: Int

    public init(buddhistYear: Int) { self.buddhistYear = buddhistYear }

    /// The fiscal year a day belongs to.
    public init(containing d: LocalDate) {
        buddhistYear = d.buddhistYear + (d.month >= 10 ? 1 : 0)
    }

    public var start: LocalDate { LocalDate(year: buddhistYear - 543 - 1, month: 10, day: 1)! }
    public var end: LocalDate { LocalDate(year: buddhistYear - 543, month: 9, day: 30)! }
    public func contains(_ d: LocalDate) -> Bool { d >= start && d <= end }
}
