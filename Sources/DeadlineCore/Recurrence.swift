import Foundation

/// How a meeting repeats: the part of RFC 5545's RRULE that offices use (a weekly working-group
/// meeting, a monthly progress meeting on the first Tuesday, a yearly one on 24 May or on the
/// last Friday of September), plus the dates left out (EXDATE) and the dates added (RDATE).
///
/// A series is never materialised: `instances(of:zone:)` is a lazy sequence, and the daemon
/// plans reminders only for the instances inside a window ahead of now.
public struct Recurrence: Hashable, Sendable {
    public enum Frequency: String, Hashable, Sendable, CaseIterable {
        case daily = "DAILY", weekly = "WEEKLY", monthly = "MONTHLY", yearly = "YEARLY"
    }

    /// `TU`, `2TU` (the second Tuesday of the month), `-1FR` (the last Friday).
    public struct WeekdayNumber: Hashable, Sendable {
        /// 1 = Sunday … 7 = Saturday, as `LocalDate.weekday`.
        public var weekday: Int
        /// Nth in the month, from the end when negative; nil for every such weekday.
        public var ordinal: Int?

        public init(weekday: Int, ordinal: Int? = nil) {
            self.weekday = weekday
            self.ordinal = ordinal
        }
    }

    /// The end of a series: the last instant it may start at (inclusive), or a local date.
    public enum Until: Hashable, Sendable {
        case instant(Date)
        case day(LocalDate)
    }

    public var frequency: Frequency
    public var interval: Int
    public var count: Int?
    public var until: Until?
    public var byDay: [WeekdayNumber]
    public var byMonthDay: [Int]
    /// The months of a yearly rule (1 = January); empty for DTSTART's month (or every month,
    /// when BYDAY or BYMONTHDAY is given), as RFC 5545 expands FREQ=YEARLY.
    public var byMonth: [Int]
    /// The day a week starts on for weekly rules with an interval (RFC 5545's WKST, default Monday).
    public var weekStart: Int
    /// Instances left out (EXDATE): their start instants. They still count towards `count`.
    public var exceptions: Set<Date>
    /// Instances added to the rule's (RDATE): their start instants, after the series' start.
    /// Neither `count` nor `until` bounds them (RFC 5545 §3.8.5.2); `exceptions` do.
    public var additions: Set<Date>

    public init(frequency: Frequency, interval: Int = 1, count: Int? = nil, until: Until? = nil, byDay: [WeekdayNumber] = [],
                byMonthDay: [Int] = [], weekStart: Int = 2, exceptions: Set<Date> = [], byMonth: [Int] = [], additions: Set<Date> = []) {
        self.frequency = frequency
        self.interval = interval
        self.count = count
        self.until = until
        self.byDay = byDay
        self.byMonthDay = byMonthDay
        self.byMonth = byMonth
        self.weekStart = weekStart
        self.exceptions = exceptions
        self.additions = additions
    }

    /// A meeting on its start and the added dates only (an event with RDATE and no RRULE):
    /// a rule that gives just the start.
    public static func dates(_ additions: Set<Date>) -> Recurrence {
        Recurrence(frequency: .daily, count: 1, additions: additions)
    }

    /// The rule gives just the start: what is more comes from `additions`.
    public var isDatesOnly: Bool {
        frequency == .daily && interval == 1 && count == 1 && until == nil && byDay.isEmpty && byMonthDay.isEmpty && byMonth.isEmpty
    }

    static let weekdayCodes = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"]

    /// Parses the value of an RRULE (`FREQ=MONTHLY;BYDAY=1TU;COUNT=12`,
    /// `FREQ=YEARLY;BYMONTH=9;BYDAY=-1FR`). Rule parts this
    /// daemon cannot honour are an error that names them, never silently dropped.
    /// - Parameter zone: the zone of a floating (no `Z`) UNTIL date-time.
    /// - Parameter stored: a rule read back from the store, accepted before a stricter check
    ///   existed (FREQ=WEEKLY with BYMONTHDAY, refused for new rules since): it keeps working.
    public init(rrule text: String, zone: TimeZone, stored: Bool = false) throws(RecurrenceError) {
        var frequency: Frequency?
        var interval = 1, count: Int?, until: Until?, byDay: [WeekdayNumber] = [], byMonthDay: [Int] = [], byMonth: [Int] = [], weekStart = 2
        var seen = Set<String>()
        for part in text.split(separator: ";", omittingEmptySubsequences: true) {
            let pieces = part.split(separator: "=", maxSplits: 1).map(String.init)
            guard pieces.count == 2, !pieces[1].isEmpty else { throw .malformed("'\(part)' is not NAME=VALUE") }
            let (name, value) = (pieces[0].uppercased(), pieces[1].uppercased())
            guard seen.insert(name).inserted else { throw .malformed("\(name) is given twice") }
            switch name {
            case "FREQ":
                guard let f = Frequency(rawValue: value) else {
                    throw .unsupported("FREQ=\(value) (supported: DAILY, WEEKLY, MONTHLY, YEARLY)")
                }
                frequency = f
            case "INTERVAL":
                guard let n = Int(value), (1...1000).contains(n) else { throw .malformed("INTERVAL=\(value) is not a number from 1 to 1000") }
                interval = n
            case "COUNT":
                guard let n = Int(value), (1...100_000).contains(n) else { throw .malformed("COUNT=\(value) is not a number from 1 to 100000") }
                count = n
            case "UNTIL":
                guard let u = Self.parseUntil(value, zone: zone) else { throw .malformed("UNTIL=\(value) is not a date (20170516) or date-time (20170516T070000Z)") }
                until = u
            case "BYDAY":
                byDay = try value.split(separator: ",").map { code throws(RecurrenceError) in
                    guard let d = Self.weekdayNumber(String(code)) else { throw .malformed("BYDAY value '\(code)' is not a weekday (MO, 2TU, -1FR)") }
                    return d
                }
            case "BYMONTHDAY":
                byMonthDay = try value.split(separator: ",").map { v throws(RecurrenceError) in
                    guard let n = Int(v), n != 0, (-31...31).contains(n) else { throw .malformed("BYMONTHDAY value '\(v)' is not a day from -31 to 31") }
                    return n
                }
            case "BYMONTH":
                byMonth = try value.split(separator: ",").map { v throws(RecurrenceError) in
                    guard let n = Int(v), (1...12).contains(n) else { throw .malformed("BYMONTH value '\(v)' is not a month from 1 to 12") }
                    return n
                }
            case "WKST":
                guard let i = Self.weekdayCodes.firstIndex(of: value) else { throw .malformed("WKST=\(value) is not a weekday") }
                weekStart = i + 1
            case "BYSETPOS", "BYWEEKNO", "BYYEARDAY", "BYHOUR", "BYMINUTE", "BYSECOND":
                throw .unsupported("\(name) (supported: FREQ, INTERVAL, COUNT, UNTIL, BYDAY, BYMONTHDAY, BYMONTH with YEARLY, WKST)")
            default:
                throw .unsupported("rule part \(name)")
            }
        }
        guard let frequency else { throw .malformed("FREQ is missing") }
        if count != nil && until != nil { throw .malformed("COUNT and UNTIL together (RFC 5545 allows one)") }
        // RFC 5545 §3.3.10: BYMONTHDAY MUST NOT be given with FREQ=WEEKLY.
        if frequency == .weekly, !byMonthDay.isEmpty, !stored { throw .malformed("BYMONTHDAY with FREQ=WEEKLY (RFC 5545 does not allow it)") }
        if frequency != .yearly, !byMonth.isEmpty {
            throw .unsupported("BYMONTH with FREQ=\(frequency.rawValue) (only with FREQ=YEARLY)")
        }
        if frequency == .yearly, byMonth.isEmpty, byDay.contains(where: { $0.ordinal != nil }) {
            // Without BYMONTH, 20MO would be the 20th Monday of the year.
            throw .unsupported("a numbered BYDAY (like -1FR) with FREQ=YEARLY and no BYMONTH")
        }
        if frequency != .monthly && frequency != .yearly, byDay.contains(where: { $0.ordinal != nil }) {
            throw .unsupported("a numbered BYDAY (like 2TU) with FREQ=\(frequency.rawValue)")
        }
        if byDay.contains(where: { ($0.ordinal ?? 1) == 0 || abs($0.ordinal ?? 1) > 5 }) { throw .malformed("a BYDAY number must be 1 to 5 or -1 to -5") }
        self.init(frequency: frequency, interval: interval, count: count, until: until, byDay: byDay, byMonthDay: byMonthDay, weekStart: weekStart,
                  byMonth: byMonth)
    }

    /// The rule with its UNTIL of the same type as the series' first instance `start`, as
    /// RFC 5545 asks: a date-time for a timed series (a date then means the whole of that day,
    /// in `zone`), a date for an all-day one.
    public func untilMatching(_ start: When, zone: TimeZone) -> Recurrence {
        var r = self
        switch (until, start.hasTime) {
        case (.day(let d)?, true): r.until = .instant(d.adding(days: 1).at(hour: 0, minute: 0, in: zone).addingTimeInterval(-1))
        case (.instant(let u)?, false): r.until = .day(LocalDate(u, in: zone))
        default: break
        }
        return r
    }

    /// The RRULE value, parts in a fixed order (so that equal rules give equal text).
    public var rrule: String {
        var parts = ["FREQ=\(frequency.rawValue)"]
        if interval != 1 { parts.append("INTERVAL=\(interval)") }
        if let count { parts.append("COUNT=\(count)") }
        switch until {
        case .instant(let d)?: parts.append("UNTIL=\(ICalDateTime.utc(d))")
        case .day(let d)?: parts.append("UNTIL=" + String(format: "%04d%02d%02d", d.year, d.month, d.day))
        case nil: break
        }
        if !byDay.isEmpty {
            parts.append("BYDAY=" + byDay.map { ($0.ordinal.map(String.init) ?? "") + Self.weekdayCodes[$0.weekday - 1] }.joined(separator: ","))
        }
        if !byMonthDay.isEmpty { parts.append("BYMONTHDAY=" + byMonthDay.map(String.init).joined(separator: ",")) }
        if !byMonth.isEmpty { parts.append("BYMONTH=" + byMonth.map(String.init).joined(separator: ",")) }
        if weekStart != 2 { parts.append("WKST=" + Self.weekdayCodes[weekStart - 1]) }
        return parts.joined(separator: ";")
    }

    static func weekdayNumber(_ code: String) -> WeekdayNumber? {
        guard code.count >= 2, let i = weekdayCodes.firstIndex(of: String(code.suffix(2))) else { return nil }
        let prefix = code.dropLast(2)
        if prefix.isEmpty { return WeekdayNumber(weekday: i + 1) }
        guard let n = Int(prefix.hasPrefix("+") ? prefix.dropFirst() : prefix) else { return nil }
        return WeekdayNumber(weekday: i + 1, ordinal: n)
    }

    static func parseUntil(_ text: String, zone: TimeZone) -> Until? {
        if let day = ICalDateTime.parseDate(text) { return .day(day) }
        return ICalDateTime.parse(text, zone: zone).map { .instant($0) }
    }

    // MARK: - Expansion

    /// The series' start instants in order, from `start` (always the first, RFC 5545 §3.3.10)
    /// on, the added dates among them, without the exceptions. Lazy: take what you need.
    /// - Parameters:
    ///   - start: the first instance (DTSTART). Later instances keep its wall-clock time in
    ///     `zone`, across daylight-saving changes.
    public func instances(from start: Date, zone: TimeZone) -> Instances {
        Instances(rule: self, start: start, zone: zone)
    }

    /// A series as a lazy sequence; see `Recurrence.instances(from:zone:)`.
    public struct Instances: Sequence, Sendable {
        let rule: Recurrence
        let start: Date
        let zone: TimeZone

        public func makeIterator() -> Iterator { Iterator(rule: rule, start: start, zone: zone) }

        public struct Iterator: IteratorProtocol {
            let rule: Recurrence
            let start: Date
            let zone: TimeZone
            let startDay: LocalDate
            let clock: (hour: Int, minute: Int, second: Int)
            var period = 0
            var pending: [Date] = []
            var produced = 0
            var emptyPeriods = 0
            var finished = false
            /// The added dates still to come, ascending.
            var additions: ArraySlice<Date>
            /// The rule's next instance, read ahead to merge the added dates in.
            var ruleHead: Date?
            var ruleDone = false

            init(rule: Recurrence, start: Date, zone: TimeZone) {
                self.rule = rule
                self.start = start
                self.zone = zone
                startDay = LocalDate(start, in: zone)
                var cal = Calendar(identifier: .gregorian)
                cal.timeZone = zone
                let c = cal.dateComponents([.hour, .minute, .second], from: start)
                clock = (c.hour ?? 0, c.minute ?? 0, c.second ?? 0)
                pending = [start]
                additions = ArraySlice(rule.additions.filter { $0 > start && !rule.exceptions.contains($0) }.sorted())
            }

            public mutating func next() -> Date? {
                if ruleHead == nil && !ruleDone {
                    ruleHead = nextOfRule()
                    ruleDone = ruleHead == nil
                }
                switch (ruleHead, additions.first) {
                case (nil, nil): return nil
                case (let r?, nil):
                    ruleHead = nil
                    return r
                case (nil, let a?):
                    additions.removeFirst()
                    return a
                case (let r?, let a?):
                    if a < r { additions.removeFirst(); return a }
                    // An added date the rule gives too is one instance.
                    if a == r { additions.removeFirst() }
                    ruleHead = nil
                    return r
                }
            }

            mutating func nextOfRule() -> Date? {
                while !finished {
                    if pending.isEmpty { fill() ; continue }
                    let candidate = pending.removeFirst()
                    if let count = rule.count, produced >= count { finished = true; return nil }
                    switch rule.until {
                    case .instant(let u)?: if candidate > u { finished = true; return nil }
                    case .day(let u)?: if LocalDate(candidate, in: zone) > u { finished = true; return nil }
                    case nil: break
                    }
                    produced += 1
                    if rule.exceptions.contains(candidate) { continue }
                    return candidate
                }
                return nil
            }

            /// Adds the next period's instances after the start (the start itself came first).
            mutating func fill() {
                // A rule that matches nothing (BYMONTHDAY=31 every 12 months from a short
                // month, say) ends instead of looping for ever.
                if emptyPeriods > 1200 { finished = true; return }
                let days = rule.days(inPeriod: period, startDay: startDay)
                period += 1
                let instants = days.filter { $0 > startDay }.map { instant(on: $0) }.filter { $0 > start }
                emptyPeriods = instants.isEmpty ? emptyPeriods + 1 : 0
                pending = instants
            }

            func instant(on day: LocalDate) -> Date {
                day.at(hour: clock.hour, minute: clock.minute, in: zone).addingTimeInterval(Double(clock.second))
            }
        }
    }

    /// The candidate days of the `period`th period (0 = the one holding `startDay`), sorted.
    func days(inPeriod period: Int, startDay: LocalDate) -> [LocalDate] {
        let weekdays = Set(byDay.filter { $0.ordinal == nil }.map(\.weekday))
        switch frequency {
        case .daily:
            let day = startDay.adding(days: period * interval)
            return matchesFilters(day, weekdays: weekdays) ? [day] : []
        case .weekly:
            let offset = ((startDay.weekday - weekStart) % 7 + 7) % 7
            let weekFirst = startDay.adding(days: -offset + period * interval * 7)
            let week = (0..<7).map { weekFirst.adding(days: $0) }
            let wanted = weekdays.isEmpty ? [startDay.weekday] : weekdays
            // BYMONTHDAY here only in a rule read from the store (`stored:`), as it was expanded then.
            return week.filter { wanted.contains($0.weekday) && (byMonthDay.isEmpty || monthDayMatches($0)) }
        case .monthly:
            let months = startDay.year * 12 + (startDay.month - 1) + period * interval
            return days(inMonth: months % 12 + 1, year: months / 12, startDay: startDay)
        case .yearly:
            let year = startDay.year + period * interval
            // RFC 5545's table: BYMONTH, BYMONTHDAY and BYDAY expand the year; with none of
            // them it is DTSTART's month and day (29 February: leap years only).
            let months = !byMonth.isEmpty ? Set(byMonth).sorted() : byDay.isEmpty && byMonthDay.isEmpty ? [startDay.month] : Array(1...12)
            return months.flatMap { days(inMonth: $0, year: year, startDay: startDay) }
        }
    }

    /// The days of one month a monthly rule (or a yearly one, month by month) gives: BYDAY
    /// (numbered within the month) and BYMONTHDAY, both when both are given; DTSTART's day
    /// of the month when neither is.
    private func days(inMonth month: Int, year: Int, startDay: LocalDate) -> [LocalDate] {
        let length = LocalDate.daysIn(month: month, year: year)
        let all = (1...length).compactMap { LocalDate(year: year, month: month, day: $0) }
        if byDay.isEmpty && byMonthDay.isEmpty { return all.filter { $0.day == startDay.day } }
        return all.filter { day in
            (byMonthDay.isEmpty || monthDayMatches(day)) && (byDay.isEmpty || byDay.contains { matches(day, $0, monthLength: length) })
        }
    }

    private func matchesFilters(_ day: LocalDate, weekdays: Set<Int>) -> Bool {
        (weekdays.isEmpty || weekdays.contains(day.weekday)) && (byMonthDay.isEmpty || monthDayMatches(day))
    }

    private func monthDayMatches(_ day: LocalDate) -> Bool {
        let length = LocalDate.daysIn(month: day.month, year: day.year)
        return byMonthDay.contains { $0 > 0 ? day.day == $0 : day.day == length + 1 + $0 }
    }

    private func matches(_ day: LocalDate, _ w: WeekdayNumber, monthLength: Int) -> Bool {
        guard day.weekday == w.weekday else { return false }
        guard let n = w.ordinal else { return true }
        return n > 0 ? (day.day - 1) / 7 + 1 == n : (monthLength - day.day) / 7 + 1 == -n
    }
}

/// Why a recurrence rule cannot be used.
public enum RecurrenceError: Error, Equatable, CustomStringConvertible {
    case malformed(String)
    case unsupported(String)

    public var description: String {
        switch self {
        case .malformed(let m): "RRULE: \(m)"
        case .unsupported(let m): "RRULE: not supported: \(m)"
        }
    }
}
