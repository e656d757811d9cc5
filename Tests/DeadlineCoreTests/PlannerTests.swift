import DeadlineCore
import Foundation
import Testing

@Suite("Reminder planner")
struct PlannerTests {
    static let bangkok = TimeZone(identifier: "Asia/Bangkok")!

    static func d(_ y: Int, _ m: Int, _ day: Int) -> LocalDate { LocalDate(year: y, month: m, day: day)! }
    static func at(_ y: Int, _ m: Int, _ day: Int, _ h: Int, _ mi: Int, _ zone: TimeZone = bangkok) -> Date {
        d(y, m, day).at(hour: h, minute: mi, in: zone)
    }

    /// New Year and Songkran around 2560/2561, as the shipped data has them.
    static let calendar = WorkingCalendar(years: [
        HolidayYear(year: 2560, status: .provisional, source: "test", holidays: [
            Holiday(date: d(2017, 4, 13), name: "วันสงกรานต์"), Holiday(date: d(2017, 4, 14), name: "วันสงกรานต์"),
            Holiday(date: d(2017, 4, 15), name: "วันสงกรานต์"), Holiday(date: d(2017, 4, 17), name: "ชดเชยวันสงกรานต์"),
            Holiday(date: d(2017, 12, 31), name: "วันสิ้นปี"),
        ]),
        HolidayYear(year: 2561, status: .provisional, source: "test", holidays: [
            Holiday(date: d(2018, 1, 1), name: "วันขึ้นปีใหม่"),
            Holiday(date: d(2018, 1, 2), name: "ชดเชยวันสิ้นปี"),
        ]),
    ], missingYears: .weekendsOnly)

    let planner = ReminderPlanner(calendar: calendar)

    func times(_ p: [PlannedReminder]) -> [Date] { p.map(\.fireAt) }

    @Test("lead texts read and write back", arguments: ["0", "0@09:00", "2h", "30m", "90m", "1d", "2d@17:00", "3wd", "1wd@09:00"])
    func leadText(text: String) throws {
        let lead = try #require(Lead(text))
        #expect(Lead(lead.description) == lead)
    }

    @Test("bad lead texts are refused", arguments: ["", "x", "-1d", "1y", "2h@09:00", "1wd@25:00", "0d", "1000d", "1wd@", "@09:00", "0@",
                                                    "d", "wd", "๓d", "1 d", "1dd", "1wdx", "+1d"])
    func badLead(text: String) {
        #expect(Lead(text) == nil)
    }

    @Test("working days skip weekends and holidays, across Songkran")
    func songkran() {
        let c = Self.calendar
        // Wed 19 Apr 2017: the working days before are Tue 18, then Wed 12 (13–17 closed).
        #expect(c.workingDay(1, before: Self.d(2017, 4, 19)) == Self.d(2017, 4, 18))
        #expect(c.workingDay(2, before: Self.d(2017, 4, 19)) == Self.d(2017, 4, 12))
        #expect(c.workingDay(1, after: Self.d(2017, 4, 12)) == Self.d(2017, 4, 18))
        #expect(c.workingDays(from: Self.d(2017, 4, 12), to: Self.d(2017, 4, 19)) == 2)
        #expect(c.workingDays(from: Self.d(2017, 4, 19), to: Self.d(2017, 4, 12)) == -2)
    }

    @Test("a meeting on Monday is reminded on Friday; after a long weekend, on the last working day")
    func meetingAfterWeekend() {
        // Mon 3 Jan 2018 is after New Year: Sun 31 Dec, Mon 1, Tue 2 closed.
        let plan = planner.plan(when: .instant(Self.at(2018, 1, 3, 14, 0)), zone: Self.bangkok, rule: .meetingDefault, now: nil)
        #expect(times(plan) == [Self.at(2017, 12, 29, 9, 0), Self.at(2018, 1, 3, 12, 0)])
        #expect(plan.map(\.label) == ["1wd@09:00", "2h"])
    }

    @Test("deadline leads across the BE/CE New Year boundary, then overdue on working days")
    func deadlineAcrossNewYear() {
        var rule = ReminderRule.deadlineDefault
        rule.overdue?.maxReminders = 3
        rule.escalate = nil
        // Due Fri 5 Jan 2561 (2018), a date-only due date.
        let plan = planner.plan(when: .day(Self.d(2018, 1, 5)), zone: Self.bangkok, rule: rule, now: nil)
        let byLabel = Dictionary(uniqueKeysWithValues: plan.map { ($0.label, $0.fireAt) })
        #expect(byLabel["1wd@09:00"] == Self.at(2018, 1, 4, 9, 0))
        #expect(byLabel["3wd@09:00"] == Self.at(2017, 12, 29, 9, 0))   // 4, 3 Jan, then 29 Dec (2560)
        #expect(byLabel["7wd@09:00"] == Self.at(2017, 12, 25, 9, 0))
        #expect(byLabel["0@09:00"] == Self.at(2018, 1, 5, 9, 0))
        #expect(plan.filter { if case .overdue = $0.purpose { true } else { false } }.map(\.fireAt)
                == [Self.at(2018, 1, 8, 9, 0), Self.at(2018, 1, 9, 9, 0), Self.at(2018, 1, 10, 9, 0)])
        #expect(DateText.day(LocalDate(byLabel["3wd@09:00"]!, in: Self.bangkok), language: .thai) == "วันศุกร์ที่ 29 ธันวาคม 2560")
    }

    @Test("a fiscal-year-end due date: FY 2561 ends Sun 30 Sep 2561, 1 working day before is Fri 28")
    func fiscalYearEnd() {
        let fy = FiscalYear(buddhistYear: 2561)
        let plan = planner.plan(when: .day(fy.end), zone: Self.bangkok,
                                rule: ReminderRule(name: "t", leads: [Lead("1wd@09:00")!, Lead("0@09:00")!]), now: nil)
        #expect(times(plan) == [Self.at(2018, 9, 28, 9, 0), Self.at(2018, 9, 30, 9, 0)])
    }

    @Test("calendar-day leads that land on a non-working day follow the rule's shift",
          arguments: [(NonWorkingDayShift.before, Optional(at(2017, 4, 12, 10, 0))), (.after, Optional(at(2017, 4, 18, 10, 0))),
                      (.skip, nil), (.keep, Optional(at(2017, 4, 15, 10, 0)))])
    func shift(policy: NonWorkingDayShift, expected: Date?) {
        // Meeting Wed 19 Apr 2017 10:00; "4d" is Sat 15 Apr, inside Songkran.
        let rule = ReminderRule(name: "t", leads: [Lead("4d")!], shift: policy)
        let plan = planner.plan(when: .instant(Self.at(2017, 4, 19, 10, 0)), zone: Self.bangkok, rule: rule, now: nil)
        #expect(plan.first?.fireAt == expected)
        #expect(plan.count == (expected == nil ? 0 : 1))
    }

    @Test("a reminder on the item's own day is never moved, even on a holiday")
    func sameDayStays() {
        let plan = planner.plan(when: .instant(Self.at(2017, 4, 15, 10, 0)), zone: Self.bangkok,
                                rule: ReminderRule(name: "t", leads: [Lead("2h")!]), now: nil)
        #expect(times(plan) == [Self.at(2017, 4, 15, 8, 0)])
    }

    @Test("past leads: skip drops them; fire-latest sends one catch-up now")
    func pastLeads() {
        let meeting = When.instant(Self.at(2017, 5, 16, 14, 0))
        let now = Self.at(2017, 5, 16, 10, 0)   // after the 1wd reminder, before the 2h one
        var rule = ReminderRule.meetingDefault
        rule.past = .skip
        #expect(planner.plan(when: meeting, zone: Self.bangkok, rule: rule, now: now).map(\.label) == ["2h"])
        rule.past = .fireLatest
        let plan = planner.plan(when: meeting, zone: Self.bangkok, rule: rule, now: now)
        #expect(plan.map(\.label) == ["catch-up", "2h"])
        #expect(plan.first?.fireAt == now)
        #expect(plan.first?.purpose == .catchUp("1wd@09:00"))
        // An item already past gets no catch-up.
        #expect(planner.plan(when: meeting, zone: Self.bangkok, rule: rule, now: Self.at(2017, 5, 17, 9, 0)).isEmpty)
    }

    @Test("escalation: the escalation contacts' reminder is its own entry, beside the lead at the same time")
    func escalation() {
        var rule = ReminderRule.deadlineDefault
        rule.overdue = nil
        let plan = planner.plan(when: .day(Self.d(2017, 5, 24)), zone: Self.bangkok, rule: rule, now: nil)
        let atThree = plan.filter { $0.fireAt == Self.at(2017, 5, 19, 9, 0) }
        #expect(Set(atThree.map(\.label)) == ["3wd@09:00", "escalate@3wd@09:00"])
    }

    @Test("daylight saving time: calendar days keep the wall clock, hours are exact (Europe/Berlin, 26 Mar 2017)")
    func berlinSpringForward() {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let meeting = When.instant(Self.at(2017, 3, 27, 9, 0, berlin))
        let rule = ReminderRule(name: "t", leads: [Lead("2d")!, Lead("48h")!, Lead("2h")!], shift: .keep)
        let plan = planner.plan(when: meeting, zone: berlin, rule: rule, now: nil)
        let byLabel = Dictionary(uniqueKeysWithValues: plan.map { ($0.label, $0.fireAt) })
        #expect(byLabel["2d"] == Self.at(2017, 3, 25, 9, 0, berlin))   // Saturday, 09:00 CET
        #expect(byLabel["48h"] == Self.at(2017, 3, 25, 8, 0, berlin))  // one hour was skipped on Sunday
        #expect(byLabel["2h"] == Self.at(2017, 3, 27, 7, 0, berlin))
        #expect(Self.at(2017, 3, 27, 9, 0, berlin).timeIntervalSince(byLabel["2d"]!) == 47 * 3600)
    }

    @Test("the same inputs give the same plan")
    func deterministic() {
        let a = planner.plan(when: .day(Self.d(2017, 5, 24)), zone: Self.bangkok, rule: .deadlineDefault, now: nil)
        let b = planner.plan(when: .day(Self.d(2017, 5, 24)), zone: Self.bangkok, rule: .deadlineDefault, now: nil)
        #expect(a == b)
        #expect(a == a.sorted { ($0.fireAt, $0.label) < ($1.fireAt, $1.label) })
    }
}

@Suite("Values written as text")
struct TextCodableTests {
    struct Box: Codable, Equatable {
        var day: LocalDate
        var time: TimeOfDay
        var lead: Lead
    }

    @Test("dates, times and leads are JSON strings and read back")
    func roundTrip() throws {
        let box = Box(day: LocalDate(year: 2017, month: 5, day: 24)!, time: TimeOfDay(hour: 9, minute: 0)!, lead: Lead("1wd@09:00")!)
        let json = String(decoding: try JSONEncoder().encode(box), as: UTF8.self)
        #expect(json.contains(#""day":"2017-05-24""#) && json.contains(#""time":"09:00""#) && json.contains(#""lead":"1wd@09:00""#))
        #expect(try JSONDecoder().decode(Box.self, from: Data(json.utf8)) == box)
    }

    @Test("a bad text is a decoding error that says what was expected")
    func bad() {
        #expect {
            try JSONDecoder().decode(Box.self, from: Data(#"{"day":"2017-02-30","time":"09:00","lead":"0"}"#.utf8))
        } throws: { "\($0)".contains("'2017-02-30' is not a date (2017-05-24)") }
    }
}
