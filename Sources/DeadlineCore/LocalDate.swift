import Foundation

/// A day of the (proleptic Gregorian) calendar, with no time and no zone: what a letter means
/// by "24 พฤษภาคม 2560". The Buddhist Era year is `year + 543`.
public struct LocalDate: Hashable, Comparable, TextCodable, Sendable {
    public let year: Int
    public let month: Int
    public let day: Int

    /// nil unless the day exists (no 30 February, no 31 April).
    public init?(year: Int, month: Int, day: Int) {
        guard (1...12).contains(month), day >= 1, day <= LocalDate.daysIn(month: month, year: year) else { return nil }
        self.year = year
        self.month = month
        self.day = day
    }

    /// As a calendar gave it: a Julian 29 February of 1500 is a day although Gregorian has none.
    private init(calendarYear year: Int, month: Int, day: Int) {
        self.year = year
        self.month = month
        self.day = day
    }

    public static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && year % 100 != 0) || year % 400 == 0 ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    public var buddhistYear: Int { year + 543 }

    /// Days since 1970-01-01 (negative before), for arithmetic without a Calendar.
    public var dayNumber: Int {
        // Howard Hinnant's days_from_civil.
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }

    public init(dayNumber z0: Int) {
        let z = z0 + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        self.year = yoe + era * 400 + (m <= 2 ? 1 : 0)
        self.month = m
        self.day = d
    }

    public func adding(days: Int) -> LocalDate { LocalDate(dayNumber: dayNumber + days) }

    /// 1 = Sunday … 7 = Saturday, as Foundation's Calendar counts.
    public var weekday: Int { ((dayNumber + 4) % 7 + 7) % 7 + 1 }

    public var isWeekend: Bool { weekday == 1 || weekday == 7 }

    /// The day and the second within it of a count of seconds since 1970-01-01 00:00 on the same
    /// clock (UTC plus a zone's offset), by arithmetic on the proleptic Gregorian calendar.
    static func split(localSeconds local: Int64) -> (day: LocalDate, secondOfDay: Int) {
        let days = Int(local >= 0 ? local / 86400 : (local - 86399) / 86400)
        return (LocalDate(dayNumber: days), Int(local - Int64(days) * 86400))
    }

    /// The day `date` falls on in `zone`, and the second of that day (whole seconds, rounded
    /// down, as calendar components are). By arithmetic on the zone's offset: a Foundation
    /// calendar per call cost Status most of its time at 10,000 items. Before the Gregorian
    /// reform Foundation's calendar (which dates are read with) is Julian, so it is asked there,
    /// and what was read is written back the same.
    public static func clock(of date: Date, in zone: TimeZone) -> (day: LocalDate, secondOfDay: Int) {
        if date.timeIntervalSince1970 < gregorianReform {
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            return (LocalDate(calendarYear: c.year!, month: c.month!, day: c.day!), c.hour! * 3600 + c.minute! * 60 + c.second!)
        }
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        return split(localSeconds: seconds + Int64(zone.secondsFromGMT(for: date)))
    }

    /// 15 October 1582, from which Foundation's Gregorian calendar is Gregorian (with a day to
    /// spare for zones).
    static let gregorianReform: TimeInterval = -12_219_292_800 + 86_400

    /// The day `date` falls on in `zone`.
    public init(_ date: Date, in zone: TimeZone) {
        self = Self.clock(of: date, in: zone).day
    }

    /// The instant of `hour:minute` on this day in `zone`. In a daylight-saving gap the
    /// clock time that does not exist moves forward (02:30 on a spring-forward day is 03:30).
    public func at(hour: Int, minute: Int, in zone: TimeZone) -> Date {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute)
        return cal.date(from: c)!
    }

    public static func < (a: LocalDate, b: LocalDate) -> Bool { a.dayNumber < b.dayNumber }

    /// ISO 8601, `2017-05-24`.
    public var description: String {
        var t = DigitText(capacity: 10)
        t.append(year, width: 4); t.append("-"); t.append(month, width: 2); t.append("-"); t.append(day, width: 2)
        return t.text
    }

    public init?(iso text: String) {
        let parts = text.split(separator: "-")
        guard parts.count == 3, parts[0].count == 4, let y = Int(parts[0]), let m = Int(parts[1]), let d = Int(parts[2]) else { return nil }
        self.init(year: y, month: m, day: d)
    }

    public init?(text: String) { self.init(iso: text) }
    public static let kindOfText = "a date (2017-05-24)"
}

/// A time of day, minutes from midnight.
public struct TimeOfDay: Hashable, Comparable, TextCodable, Sendable {
    public let hour: Int
    public let minute: Int

    public init?(hour: Int, minute: Int) {
        guard (0...23).contains(hour), (0...59).contains(minute) else { return nil }
        self.hour = hour
        self.minute = minute
    }

    /// `09:00` or `9.00`.
    public init?(_ text: String) {
        let parts = text.split(whereSeparator: { $0 == ":" || $0 == "." })
        guard parts.count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]) else { return nil }
        self.init(hour: h, minute: m)
    }

    public static func < (a: TimeOfDay, b: TimeOfDay) -> Bool { (a.hour, a.minute) < (b.hour, b.minute) }
    public var description: String {
        var t = DigitText(capacity: 5)
        t.append(hour, width: 2); t.append(":"); t.append(minute, width: 2)
        return t.text
    }

    public init?(text: String) { self.init(text) }
    public static let kindOfText = "a time of day (09:00)"
}

/// When an item happens: an exact instant, or a whole day (a due date "24 พ.ค. 60").
public enum When: Hashable, Sendable {
    case instant(Date)
    case day(LocalDate)

    /// The instant it stands for: a day counts at `dayTime` in `zone`.
    public func instant(zone: TimeZone, dayTime: TimeOfDay) -> Date {
        switch self {
        case .instant(let d): d
        case .day(let day): day.at(hour: dayTime.hour, minute: dayTime.minute, in: zone)
        }
    }

    /// Whether it has a time of day (an instant), not a whole day.
    public var hasTime: Bool {
        if case .instant = self { return true }
        return false
    }

    public func localDate(in zone: TimeZone) -> LocalDate {
        switch self {
        case .instant(let d): LocalDate(d, in: zone)
        case .day(let day): day
        }
    }
}
