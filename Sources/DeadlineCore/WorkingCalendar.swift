/// A public holiday: a day government offices are closed.
public struct Holiday: Hashable, Codable, Sendable {
    public var date: LocalDate
    public var name: String
    public var english: String?

    public init(date: LocalDate, name: String, english: String? = nil) {
        self.date = date
        self.name = name
        self.english = english
    }
}

/// One year of holiday data as it was loaded, with where it came from.
public struct HolidayYear: Hashable, Codable, Sendable {
    /// Buddhist Era year.
    public var year: Int
    /// `announced` (the Cabinet's list), or `provisional` (not yet announced, or not checked).
    public var status: String
    public var source: String
    public var holidays: [Holiday]

    public init(year: Int, status: String, source: String, holidays: [Holiday]) {
        self.year = year
        self.status = status
        self.source = source
        self.holidays = holidays
    }
}

/// Working days: Monday to Friday except public holidays. Holidays are data (set yearly by
/// the Cabinet), so they are loaded, never computed.
public struct WorkingCalendar: Sendable, Equatable {
    public private(set) var years: [Int: HolidayYear] = [:]
    private var byDate: [LocalDate: [Holiday]] = [:]

    public init(years: [HolidayYear] = []) {
        for y in years { replace(y) }
    }

    /// Adds a year, or replaces the year already loaded with the same number.
    public mutating func replace(_ year: HolidayYear) {
        if let old = years[year.year] {
            for h in old.holidays { byDate[h.date] = nil }
        }
        years[year.year] = year
        for h in year.holidays { byDate[h.date, default: []].append(h) }
    }

    public func holidays(on day: LocalDate) -> [Holiday] { byDate[day] ?? [] }

    public func isWorkingDay(_ day: LocalDate) -> Bool { !day.isWeekend && byDate[day] == nil }

    /// Whether holiday data covers this day's year (outside it, only weekends are known).
    public func covers(_ day: LocalDate) -> Bool { years[day.buddhistYear] != nil }

    /// The `n`th working day before `day` (n > 0), not counting `day` itself.
    public func workingDay(_ n: Int, before day: LocalDate) -> LocalDate {
        precondition(n > 0)
        var d = day
        var left = n
        while left > 0 {
            d = d.adding(days: -1)
            if isWorkingDay(d) { left -= 1 }
        }
        return d
    }

    /// The `n`th working day after `day` (n > 0), not counting `day` itself.
    public func workingDay(_ n: Int, after day: LocalDate) -> LocalDate {
        precondition(n > 0)
        var d = day
        var left = n
        while left > 0 {
            d = d.adding(days: 1)
            if isWorkingDay(d) { left -= 1 }
        }
        return d
    }

    /// Working days after `from` up to and including `to` (negative if `to` is earlier):
    /// "3 working days left" on Friday for a Wednesday due date.
    public func workingDays(from: LocalDate, to: LocalDate) -> Int {
        if from == to { return 0 }
        let (a, b, sign) = from < to ? (from, to, 1) : (to, from, -1)
        var n = 0
        var d = a
        while d < b {
            d = d.adding(days: 1)
            if isWorkingDay(d) { n += 1 }
        }
        return sign * n
    }

    /// `day` if it is a working day, else the nearest working day before (or after) it.
    public func nearestWorkingDay(_ day: LocalDate, forward: Bool) -> LocalDate {
        var d = day
        while !isWorkingDay(d) { d = d.adding(days: forward ? 1 : -1) }
        return d
    }
}
