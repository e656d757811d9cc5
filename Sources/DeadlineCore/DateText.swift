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
    public static func iso8601(_ date: Date, timeZone: TimeZone) -> String {
        // Round to the millisecond first: the formatter truncates, and a Double that stands
        // for .313 s may be .31299999, which it would print as .312.
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let fraction = ms - seconds * 1000
        let style = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: timeZone)
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(style)
        guard fraction != 0 else { return whole }
        // "2017-05-16T14:00:00" is 19 characters for every four-digit year.
        let cut = whole.index(whole.startIndex, offsetBy: 19)
        return whole[..<cut] + "." + String(format: "%03d", Int(fraction)) + whole[cut...]
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
