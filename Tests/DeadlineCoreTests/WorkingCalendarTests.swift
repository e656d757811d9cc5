import DeadlineCore
import Foundation
import Testing

@Suite("Working calendar")
struct WorkingCalendarTests {
    static func d(_ y: Int, _ m: Int, _ day: Int) -> LocalDate { LocalDate(year: y, month: m, day: day)! }

    /// The count as the definition says it: walk every day after `from` up to `to`.
    static func walked(_ cal: WorkingCalendar, _ from: LocalDate, _ to: LocalDate) -> Int {
        let (a, b, sign) = from <= to ? (from, to, 1) : (to, from, -1)
        var n = 0, day = a
        while day < b {
            day = day.adding(days: 1)
            if cal.isWorkingDay(day) { n += 1 }
        }
        return sign * n
    }

    /// A deterministic generator (SplitMix64), so a failure names a case that can be run again.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    @Test("counting working days by arithmetic equals walking every day", arguments: [WorkingCalendar.MissingYears.computed, .weekendsOnly])
    func countMatchesWalk(missing: WorkingCalendar.MissingYears) {
        let loaded = HolidayYear(year: 2566, status: .announced, source: "test", holidays: [
            Holiday(date: Self.d(2023, 1, 2), name: "a"), Holiday(date: Self.d(2023, 4, 15), name: "on a Saturday"),
            Holiday(date: Self.d(2023, 12, 29), name: "b"),
        ])
        let cal = WorkingCalendar(years: [loaded], missingYears: missing)
        var rng = SplitMix(state: 2566)
        // Day numbers both sides of 1970 (negative ones too) and spans from 0 to ~3 years.
        let low = Self.d(1950, 1, 1).dayNumber, high = Self.d(2045, 12, 31).dayNumber
        for _ in 0..<3_000 {
            let a = LocalDate(dayNumber: Int.random(in: low...high, using: &rng))
            let b = a.adding(days: Int.random(in: -1_100...1_100, using: &rng))
            #expect(cal.workingDays(from: a, to: b) == Self.walked(cal, a, b), "from \(a) to \(b)")
        }
    }

    @Test("a week without holidays has five working days, a weekend none")
    func plainWeeks() {
        let cal = WorkingCalendar(missingYears: .weekendsOnly)
        #expect(cal.workingDays(from: Self.d(2030, 3, 4), to: Self.d(2030, 3, 11)) == 5)   // Monday to Monday
        #expect(cal.workingDays(from: Self.d(2030, 3, 8), to: Self.d(2030, 3, 10)) == 0)   // Friday to Sunday
        #expect(cal.workingDays(from: Self.d(2030, 3, 11), to: Self.d(2030, 3, 4)) == -5)
        #expect(cal.workingDays(from: Self.d(1969, 12, 29), to: Self.d(1970, 1, 5)) == 5)  // across day number 0
    }

    @Test("a year without data is computed and says so; a loaded year replaces it")
    func computedYears() {
        var cal = WorkingCalendar()
        #expect(cal.status(ofYear: 2600) == .computed)
        #expect(cal.holidays(on: Self.d(2057, 4, 6)).map(\.english) == ["Chakri Memorial Day"])
        #expect(cal.holidays(on: Self.d(2057, 4, 13)).map(\.english) == ["Songkran Festival"])
        #expect(!cal.isWorkingDay(Self.d(2057, 4, 13)))
        #expect(!cal.covers(Self.d(2057, 4, 13)))
        // Loaded, even with no day at all, it is the truth: Songkran is then a working day.
        cal.replace(HolidayYear(year: 2600, status: .announced, source: "test", holidays: []))
        #expect(cal.status(ofYear: 2600) == .announced)
        #expect(cal.isWorkingDay(Self.d(2057, 4, 13)))
        #expect(cal.covers(Self.d(2057, 4, 13)))
        // Weekends only knows nothing; neither does any calendar past the computed span.
        #expect(WorkingCalendar(missingYears: .weekendsOnly).status(ofYear: 2600) == nil)
        #expect(cal.status(ofYear: ComputedHolidays.span.upperBound + 544) == nil)
    }

    @Test("substitution: a run of holidays touching a weekend gets one day, the first working day after it")
    func substitution() throws {
        // 2028: Songkran Thursday 13 – Saturday 15 April → Monday 17.
        let y2571 = ComputedHolidays.year(2571)
        let april = y2571.holidays.filter { $0.date.month == 4 && $0.date.day >= 13 }.map(\.date.day)
        #expect(april == [13, 14, 15, 17])
        // 31 December 2028 is a Sunday, 1 January 2029 a holiday anyway: the substitution is Tuesday 2
        // January, in the next year's list.
        let jan = ComputedHolidays.year(2572).holidays.filter { $0.date.month == 1 }
        #expect(jan.map(\.date.day) == [1, 2])
        #expect(jan.last?.name == "ชดเชยวันสิ้นปี")
        #expect(!ComputedHolidays.year(2571).holidays.contains { $0.date.year != 2028 })
        // Every substitution day is a weekday, and no two holidays of a computed year share a
        // substitution.
        for be in 2571...2700 {
            let subs = ComputedHolidays.year(be).holidays.filter { $0.name.hasPrefix("ชดเชย") }
            #expect(subs.allSatisfy { !$0.date.isWeekend }, "\(be)")
            #expect(Set(subs.map(\.date)).count == subs.count, "\(be)")
        }
    }

    @Test("caveats name the years not announced that working-day reminders count through, with their items")
    func caveats() {
        let cal = WorkingCalendar(years: [
            HolidayYear(year: 2569, status: .announced, source: "t", holidays: []),
            HolidayYear(year: 2570, status: .provisional, source: "t", holidays: []),
        ])
        let spans = [
            WorkingDaySpan(itemKey: "a", from: Self.d(2026, 12, 28), to: Self.d(2027, 1, 4)),   // 2569 → 2570
            WorkingDaySpan(itemKey: "b", from: Self.d(2026, 5, 1), to: Self.d(2026, 5, 8)),     // 2569 only
            WorkingDaySpan(itemKey: "c", from: Self.d(2028, 1, 4), to: Self.d(2027, 12, 28)),   // 2570 → 2571, reversed
        ]
        let found = cal.caveats(spans)
        #expect(found.map(\.year) == [2570, 2571])
        #expect(found.map(\.status) == [.provisional, .computed])
        #expect(found.map(\.items) == [["a", "c"], ["c"]])
        #expect(found[0].sentence.contains("a, c") && found[0].sentence.contains("2570"))
        #expect(WorkingCalendar(missingYears: .weekendsOnly).caveats([spans[1]]).map(\.status) == [nil])
    }
}
