/// Working days: Monday to Friday except public holidays.
///
/// Holidays are data, set yearly by the Cabinet: the loaded years (files, imports) are the
/// truth. A year without data is computed (`ComputedHolidays`) rather than left to weekends,
/// and says so through `status(ofYear:)`, so that no count silently rests on nothing.
public struct WorkingCalendar: Sendable, Equatable {
    /// What a year without loaded data falls back to.
    public enum MissingYears: Sendable, Equatable {
        /// `ComputedHolidays` (the default).
        case computed
        /// Weekends only: for tests and tools that must see exactly the loaded data.
        case weekendsOnly
    }

    /// The loaded years, by Buddhist Era year.
    public private(set) var years: [Int: HolidayYear] = [:]
    public let missingYears: MissingYears
    private var byDate: [LocalDate: [Holiday]] = [:]
    /// Day numbers of the weekdays offices are closed, sorted: counting working days between
    /// two dates is then arithmetic and two binary searches, not a walk over every day.
    private var closedWeekdays: [Int] = []

    public init(years: [HolidayYear] = [], missingYears: MissingYears = .computed) {
        self.missingYears = missingYears
        for y in years { place(y) }
        reindex()
    }

    public static func == (a: WorkingCalendar, b: WorkingCalendar) -> Bool {
        a.years == b.years && a.missingYears == b.missingYears
    }

    /// Adds a year, or replaces the year already loaded with the same number.
    public mutating func replace(_ year: HolidayYear) {
        place(year)
        reindex()
    }

    private mutating func place(_ year: HolidayYear) {
        if let old = years[year.year] {
            for h in old.holidays { byDate[h.date] = nil }
        }
        years[year.year] = year
        for h in year.holidays { byDate[h.date, default: []].append(h) }
    }

    private mutating func reindex() {
        let loaded = byDate.keys.filter { !$0.isWeekend }.map(\.dayNumber)
        let computed = missingYears == .computed
            ? ComputedHolidays.closedWeekdays.filter { years[$0.buddhistYear] == nil }.map(\.dayNumber) : []
        // The computed days come sorted: a calendar with nothing loaded (tests, tools) needs no sort.
        closedWeekdays = loaded.isEmpty ? computed : (computed + loaded).sorted()
    }

    /// The year's data: loaded, else computed (nil when neither).
    public func year(_ buddhistYear: Int) -> HolidayYear? {
        if let loaded = years[buddhistYear] { return loaded }
        return missingYears == .computed ? ComputedHolidays.table[buddhistYear] : nil
    }

    /// How the year's holidays are known; nil: not at all (weekends only).
    public func status(ofYear buddhistYear: Int) -> HolidayStatus? { year(buddhistYear)?.status }

    public func holidays(on day: LocalDate) -> [Holiday] {
        if years[day.buddhistYear] != nil { return byDate[day] ?? [] }
        return year(day.buddhistYear)?.holidays.filter { $0.date == day } ?? []
    }

    public func isWorkingDay(_ day: LocalDate) -> Bool { !day.isWeekend && !isClosedWeekday(day.dayNumber) }

    private func isClosedWeekday(_ dayNumber: Int) -> Bool {
        let i = firstIndex(notBelow: dayNumber)
        return i < closedWeekdays.count && closedWeekdays[i] == dayNumber
    }

    /// Whether loaded data covers this day's year (a computed year does not count).
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
    /// "3 working days left" on Friday for a Wednesday due date. Constant time but for two
    /// binary searches over the closed weekdays.
    public func workingDays(from: LocalDate, to: LocalDate) -> Int {
        if from == to { return 0 }
        let (a, b, sign) = from < to ? (from.dayNumber, to.dayNumber, 1) : (to.dayNumber, from.dayNumber, -1)
        let closed = firstIndex(notBelow: b + 1) - firstIndex(notBelow: a + 1)
        return sign * (Self.weekdays(through: b) - Self.weekdays(through: a) - closed)
    }

    /// Monday–Friday days from a fixed Monday up to and including `dayNumber` (may be negative).
    private static func weekdays(through dayNumber: Int) -> Int {
        // Day number 4 is a Monday (LocalDate.weekday: (dayNumber + 4) % 7 + 1 == 2).
        let offset = dayNumber - 4
        let weeks = offset >= 0 ? offset / 7 : -((-offset + 6) / 7)
        let rest = offset - weeks * 7     // 0 = Monday … 6 = Sunday
        return weeks * 5 + min(rest + 1, 5)
    }

    private func firstIndex(notBelow dayNumber: Int) -> Int {
        var lo = 0, hi = closedWeekdays.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if closedWeekdays[mid] < dayNumber { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }

    /// `day` if it is a working day, else the nearest working day before (or after) it.
    public func nearestWorkingDay(_ day: LocalDate, forward: Bool) -> LocalDate {
        var d = day
        while !isWorkingDay(d) { d = d.adding(days: forward ? 1 : -1) }
        return d
    }
}
