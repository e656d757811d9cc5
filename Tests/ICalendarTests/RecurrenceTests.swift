import DeadlineCore
import Foundation
import Testing

@Suite("Recurrence rules (RRULE) and their lazy expansion")
struct RecurrenceTests {
    let bangkok = TimeZone(identifier: "Asia/Bangkok")!
    let newYork = TimeZone(identifier: "America/New_York")!

    func at(_ text: String, _ zone: TimeZone) -> Date {
        ICalDateTime.parse(text, zone: zone)!
    }

    func expand(_ rule: String, from start: String, zone: TimeZone, take: Int = 50) throws -> [String] {
        let r = try Recurrence(rrule: rule, zone: zone)
        return r.instances(from: at(start, zone), zone: zone).prefix(take).map { ICalDateTime.local($0, zone: zone) }
    }

    @Test("monthly on the first Tuesday, 6 times")
    func firstTuesday() throws {
        #expect(try expand("FREQ=MONTHLY;BYDAY=1TU;COUNT=6", from: "20261201T140000", zone: bangkok) == [
            "20261201T140000", "20270105T140000", "20270202T140000", "20270302T140000", "20270406T140000", "20270504T140000",
        ])
    }

    @Test("monthly on the last Friday; on the 31st (months without one are skipped)")
    func lastAndThirtyFirst() throws {
        #expect(try expand("FREQ=MONTHLY;BYDAY=-1FR;COUNT=3", from: "20270129T100000", zone: bangkok) == [
            "20270129T100000", "20270226T100000", "20270326T100000",
        ])
        #expect(try expand("FREQ=MONTHLY;BYMONTHDAY=31;COUNT=4", from: "20270131T090000", zone: bangkok) == [
            "20270131T090000", "20270331T090000", "20270531T090000", "20270731T090000",
        ])
        #expect(try expand("FREQ=MONTHLY;BYMONTHDAY=-1;COUNT=3", from: "20270131T090000", zone: bangkok) == [
            "20270131T090000", "20270228T090000", "20270331T090000",
        ])
    }

    @Test("every other week on Monday and Wednesday, until a date")
    func biweekly() throws {
        #expect(try expand("FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE;UNTIL=20270111", from: "20261202T093000", zone: bangkok) == [
            "20261202T093000", "20261214T093000", "20261216T093000", "20261228T093000", "20261230T093000", "20270111T093000",
        ])
    }

    @Test("daily on working days, with exceptions still counted by COUNT")
    func dailyWeekdays() throws {
        var r = try Recurrence(rrule: "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=5", zone: bangkok)
        r.exceptions = [at("20261202T080000", bangkok)]
        let got = r.instances(from: at("20261201T080000", bangkok), zone: bangkok).map { ICalDateTime.local($0, zone: bangkok) }
        #expect(got == ["20261201T080000", "20261203T080000", "20261204T080000", "20261207T080000"])
    }

    @Test("the wall-clock time holds across a daylight-saving change")
    func daylightSaving() throws {
        let got = try expand("FREQ=WEEKLY;COUNT=3", from: "20270301T090000", zone: newYork)
        #expect(got == ["20270301T090000", "20270308T090000", "20270315T090000"])
        let r = try Recurrence(rrule: "FREQ=WEEKLY;COUNT=3", zone: newYork)
        let gaps = Array(r.instances(from: at("20270301T090000", newYork), zone: newYork))
        #expect(gaps[1].timeIntervalSince(gaps[0]) == 7 * 86_400 && gaps[2].timeIntervalSince(gaps[1]) == 7 * 86_400 - 3600)
    }

    @Test("an endless series is lazy: the ten-thousandth instance comes without building the rest")
    func endless() throws {
        let r = try Recurrence(rrule: "FREQ=DAILY", zone: bangkok)
        var it = r.instances(from: at("20270101T090000", bangkok), zone: bangkok).makeIterator()
        var last: Date?
        for _ in 0..<10_000 { last = it.next() }
        #expect(ICalDateTime.local(last!, zone: bangkok) == "20540518T090000")
    }

    @Test("a rule that can never match ends instead of looping")
    func neverMatches() throws {
        let r = try Recurrence(rrule: "FREQ=MONTHLY;INTERVAL=12;BYMONTHDAY=30", zone: bangkok)
        #expect(Array(r.instances(from: at("20270201T090000", bangkok), zone: bangkok)).count == 1)
    }

    @Test("yearly: on a date, on the last Friday of a month, from DTSTART (29 February in leap years only)")
    func yearly() throws {
        #expect(try expand("FREQ=YEARLY;BYMONTH=5;BYMONTHDAY=24", from: "20270524T090000", zone: bangkok, take: 3) == [
            "20270524T090000", "20280524T090000", "20290524T090000",
        ])
        #expect(try expand("FREQ=YEARLY;BYMONTH=9;BYDAY=-1FR;COUNT=4", from: "20270924T133000", zone: bangkok) == [
            "20270924T133000", "20280929T133000", "20290928T133000", "20300927T133000",
        ])
        #expect(try expand("FREQ=YEARLY;COUNT=3", from: "20270401T100000", zone: bangkok) == [
            "20270401T100000", "20280401T100000", "20290401T100000",
        ])
        #expect(try expand("FREQ=YEARLY;COUNT=3", from: "20280229T100000", zone: bangkok) == [
            "20280229T100000", "20320229T100000", "20360229T100000",
        ])
        // BYMONTH alone: DTSTART's day in each month; the first Monday of January and July.
        #expect(try expand("FREQ=YEARLY;BYMONTH=1,7;COUNT=4", from: "20270115T090000", zone: bangkok) == [
            "20270115T090000", "20270715T090000", "20280115T090000", "20280715T090000",
        ])
        #expect(try expand("FREQ=YEARLY;BYMONTH=7,1;BYDAY=1MO;UNTIL=20280201", from: "20270104T090000", zone: bangkok) == [
            "20270104T090000", "20270705T090000", "20280103T090000",
        ])
        // Every other year; BYMONTHDAY without BYMONTH is that day of every month (RFC 5545).
        #expect(try expand("FREQ=YEARLY;INTERVAL=2;BYMONTH=3;BYMONTHDAY=1;COUNT=3", from: "20270301T090000", zone: bangkok) == [
            "20270301T090000", "20290301T090000", "20310301T090000",
        ])
        #expect(try expand("FREQ=YEARLY;BYMONTHDAY=-1;COUNT=3", from: "20270131T090000", zone: bangkok) == [
            "20270131T090000", "20270228T090000", "20270331T090000",
        ])
        // Never matches (30 February): ends instead of looping.
        let never = try Recurrence(rrule: "FREQ=YEARLY;BYMONTH=2;BYMONTHDAY=30", zone: bangkok)
        #expect(Array(never.instances(from: at("20270201T090000", bangkok), zone: bangkok)).count == 1)
    }

    @Test("the RRULE text round-trips in a fixed order")
    func text() throws {
        let r = try Recurrence(rrule: "byday=mo,-1fr;freq=monthly;interval=2;until=20271231T170000Z;wkst=su", zone: bangkok)
        #expect(r.rrule == "FREQ=MONTHLY;INTERVAL=2;UNTIL=20271231T170000Z;BYDAY=MO,-1FR;WKST=SU")
        #expect(try Recurrence(rrule: r.rrule, zone: bangkok) == r)
        let y = try Recurrence(rrule: "bymonth=9;byday=-1fr;freq=yearly;count=3", zone: bangkok)
        #expect(y.rrule == "FREQ=YEARLY;COUNT=3;BYDAY=-1FR;BYMONTH=9" && y.byMonth == [9])
        #expect(try Recurrence(rrule: y.rrule, zone: bangkok) == y)
    }

    @Test("what is not supported or malformed is named", arguments: [
        ("FREQ=HOURLY", "FREQ=HOURLY"), ("FREQ=MONTHLY;BYSETPOS=-1;BYDAY=MO", "BYSETPOS"),
        ("FREQ=WEEKLY;BYDAY=MO;BYMONTHDAY=1", "BYMONTHDAY with FREQ=WEEKLY"), ("FREQ=YEARLY;BYDAY=20MO", "no BYMONTH"),
        ("FREQ=YEARLY;BYMONTH=13", "BYMONTH value '13'"), ("FREQ=YEARLY;BYMONTH=0", "BYMONTH"), ("FREQ=YEARLY;BYYEARDAY=100", "BYYEARDAY"),
        ("FREQ=YEARLY;BYWEEKNO=20", "BYWEEKNO"), ("FREQ=DAILY;BYMONTH=5", "only with FREQ=YEARLY"), ("FREQ=WEEKLY;BYDAY=2TU", "numbered BYDAY"),
        ("FREQ=DAILY;COUNT=3;UNTIL=20270101", "COUNT and UNTIL"), ("INTERVAL=2", "FREQ is missing"), ("FREQ=DAILY;INTERVAL=0", "INTERVAL"),
        ("FREQ=MONTHLY;BYMONTHDAY=32", "BYMONTHDAY"), ("FREQ=DAILY;FREQ=WEEKLY", "twice"), ("FREQ=WEEKLY;BYDAY=XX", "BYDAY"),
        ("FREQ=DAILY;UNTIL=tomorrow", "UNTIL"), ("FREQ=MONTHLY;BYMONTH=5", "BYMONTH"),
    ])
    func errors(rule: String, mention: String) {
        let error = #expect(throws: RecurrenceError.self) { try Recurrence(rrule: rule, zone: bangkok) }
        #expect(error?.description.contains(mention) == true, "\(error.map { "\($0)" } ?? "no error")")
    }

    @Test("a series plans reminders only for instances within its window; the window moves on without repeats")
    func plannedWindow() throws {
        let planner = ReminderPlanner(calendar: WorkingCalendar())
        let start = at("20270104T090000", bangkok)
        let item = NewItem(kind: .meeting, key: "daily", title: "ประชุมเช้า", when: .instant(start), timeZone: "Asia/Bangkok",
                           leads: [Lead("1h")!], recurrence: try Recurrence(rrule: "FREQ=DAILY", zone: bangkok))
        let rule = ReminderRule(name: "test", leads: [Lead("1h")!])
        let first = planner.plan(item: item, rule: rule, now: start.addingTimeInterval(-86_400))
        let window = ReminderPlanner.seriesWindow
        #expect(first.reminders.count == Int(window / 86_400))
        #expect(first.reminders.allSatisfy { $0.instance != nil && $0.instance! <= first.plannedThrough! })
        let later = start.addingTimeInterval(10 * 86_400)
        let next = planner.plan(item: item, rule: rule, now: later, after: first.plannedThrough)
        // The first window ended 34 days and an hour after the start; the new one ends 45 days
        // and an hour after it: the instances of days 35 to 45.
        #expect(next.reminders.map { Int($0.instance!.timeIntervalSince(start) / 86_400) } == Array(35...45))
        #expect(Set(next.reminders.map(\.instance)).isDisjoint(with: Set(first.reminders.map(\.instance))))
    }

    @Test("a WEEKLY rule with BYMONTHDAY is refused when given, but one already in the store still reads")
    func storedWeeklyByMonthDay() throws {
        let zone = TimeZone(identifier: "Asia/Bangkok")!
        #expect(throws: RecurrenceError.self) { try Recurrence(rrule: "FREQ=WEEKLY;BYDAY=TU;BYMONTHDAY=1,2,3,4,5,6,7", zone: zone) }
        let stored = try Recurrence(rrule: "FREQ=WEEKLY;BYDAY=TU;BYMONTHDAY=1,2,3,4,5,6,7", zone: zone, stored: true)
        // 2 May 2017 is a Tuesday: the first Tuesdays of May, June and July.
        let start = LocalDate(year: 2017, month: 5, day: 2)!.at(hour: 14, minute: 0, in: zone)
        let days = stored.instances(from: start, zone: zone).prefix(3).map { LocalDate($0, in: zone).description }
        #expect(days == ["2017-05-02", "2017-06-06", "2017-07-04"])
    }
}
