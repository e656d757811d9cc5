import Agenda
import DeadlineCore
import Foundation
import Testing

/// The repository's top folder, from this file's path.
let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

func text(_ relative: String) throws -> String {
    try String(contentsOf: repository.appendingPathComponent(relative), encoding: .utf8)
}

let bangkok = TimeZone(identifier: "Asia/Bangkok")!
let defaults = AgendaDefaults(timeZone: "Asia/Bangkok", organisation: "อปท. ทดสอบ", now: Date(timeIntervalSince1970: 1_490_000_000))

/// Every shipped holiday file, read as the daemon reads them.
func shippedCalendar() throws -> WorkingCalendar {
    let dir = repository.appendingPathComponent("Config/holidays")
    let files = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()
    return WorkingCalendar(years: try files.map { try HolidayFile.read(yaml: String(contentsOf: dir.appendingPathComponent($0), encoding: .utf8), file: $0) },
                           missingYears: .weekendsOnly)
}

@Suite("Holiday files")
struct HolidayFileTests {
    @Test("the shipped data covers 2560 to 2570, each year says its source and status")
    func shipped() throws {
        let cal = try shippedCalendar()
        #expect(Set(cal.years.keys) == Set(2560...2570))
        for (year, data) in cal.years {
            #expect(!data.source.isEmpty)
            #expect([.announced, .provisional].contains(data.status))
            #expect(data.holidays.count >= 15, "\(year) lists \(data.holidays.count) days")
            #expect(data.holidays.allSatisfy { $0.date.buddhistYear == year })
        }
        #expect(cal.years[2570]?.status == .provisional)
        // The fixed days of the law are there every year, e.g. Chakri Day and Songkran (but in
        // 2563, when the Cabinet postponed Songkran for COVID-19 and said so in the data).
        for year in 2560...2570 {
            #expect(!cal.holidays(on: LocalDate(year: year - 543, month: 4, day: 6)!).isEmpty)
            let songkran = LocalDate(year: year - 543, month: 4, day: 13)!
            if year == 2563 {
                #expect(cal.holidays(on: songkran).isEmpty)
                #expect(cal.years[year]!.notHolidays.contains { $0.date == songkran })
            } else {
                #expect(!cal.holidays(on: songkran).isEmpty)
            }
        }
    }

    @Test("2566 matches the Cabinet's list, substitution and special days included")
    func year2566() throws {
        let cal = try shippedCalendar()
        let closedWeekdays = cal.years[2566]!.holidays.map(\.date).filter { !$0.isWeekend }.map(\.description)
        #expect(Set(closedWeekdays) == [
            "2023-01-02", "2023-03-06", "2023-04-06", "2023-04-13", "2023-04-14", "2023-04-17", "2023-05-04", "2023-05-05",
            "2023-05-17", "2023-06-05", "2023-07-28", "2023-07-31", "2023-08-01", "2023-08-02", "2023-08-14", "2023-10-13",
            "2023-10-23", "2023-12-05", "2023-12-11", "2023-12-29",
        ])
    }

    @Test("bad holiday files name file:line", arguments: [
        ("year: 2560\nstatus: announced\nsource: x\nholidays:\n  - { date: 2018-05-10, name: x }\n", "h.yaml:5:13: 2018-05-10 is in 2561"),
        ("year: 2017\nstatus: announced\nsource: x\nholidays: []\n", "h.yaml:1:7: 'year' is a Buddhist Era year"),
        ("year: 2560\nstatus: maybe\nsource: x\nholidays: []\n", "h.yaml:2:9: 'status' is announced or provisional"),
        ("year: 2560\nstatus: announced\nsource: x\nholidays:\n  - { date: 10 May, name: x }\n", "h.yaml:5:13: 'date' is a day as"),
        ("year: 2560\nstatus: announced\nsource: x\nholidays:\n  - { date: 2017-05-10, nmae: x }\n", "h.yaml:5:25: unknown key 'nmae' in a holiday; known: date, english, name, source"),
        ("year: 2560\nstatus: announced\nholidays: []\n", "needs 'source'"),
    ])
    func bad(yaml: String, expected: String) {
        #expect {
            try HolidayFile.read(yaml: yaml, file: "h.yaml")
        } throws: { error in
            "\(error)".contains(expected)
        }
    }
}

@Suite("Agenda files")
struct AgendaFileTests {
    @Test("the seed agenda: three plans, the meeting and its follow-up, the NACC due date")
    func seed() throws {
        let agenda = try AgendaFile.read(yaml: text("Config/agenda/khon-kaen-2560.yaml"), file: "khon-kaen-2560.yaml", defaults: defaults)
        #expect(agenda.plans.map(\.key) == ["pacc-2560-2564", "nacc-2560-2564", "annual-2561"])
        #expect(agenda.items.map(\.key) == ["wg-2560-1", "wg-2560-2", "submit-nacc-2560"])
        let first = agenda.items[0], second = agenda.items[1], due = agenda.items[2]
        #expect(first.when == .instant(LocalDate(year: 2017, month: 5, day: 16)!.at(hour: 14, minute: 0, in: bangkok)))
        #expect(first.location == "ห้องประชุมสีโห เทศบาลนครขอนแก่น")
        #expect(first.chair?.hasPrefix("นายชัชวาล พรอมรธรรม") == true)
        #expect(first.attendees.count == 10)
        #expect(first.organisation == "เทศบาลนครขอนแก่น")
        #expect(second.when == .day(LocalDate(year: 2017, month: 5, day: 18)!))
        #expect(second.followUpOf == "wg-2560-1")
        #expect(due.when == .day(LocalDate(year: 2017, month: 5, day: 24)!))
        #expect(due.recipient == "ป.ป.ช. (NACC)")
        #expect(due.plan == "nacc-2560-2564")
        #expect(due.escalation.count == 2)
        #expect(agenda.externalReferences.isEmpty)
    }

    /// The hand-computed timeline, 10–25 May 2560, with the shipped holidays: Wed 10 May
    /// (Visakha Bucha) and Fri 12 May (Royal Ploughing) closed, weekends 13–14 and 20–21 May.
    @Test("simulate 10–25 May 2560 gives the hand-computed timeline")
    func seedTimeline() throws {
        let agenda = try AgendaFile.read(yaml: text("Config/agenda/khon-kaen-2560.yaml"), file: "k.yaml", defaults: defaults)
        let planner = ReminderPlanner(calendar: try shippedCalendar())
        let from = LocalDate(year: 2017, month: 5, day: 10)!.at(hour: 0, minute: 0, in: bangkok)
        let to = LocalDate(year: 2017, month: 5, day: 26)!.at(hour: 0, minute: 0, in: bangkok)
        var timeline: [String] = []
        for item in agenda.items {
            let rule = item.kind == .meeting ? ReminderRule.meetingDefault : .deadlineDefault
            for r in planner.plan(when: item.when, zone: bangkok, rule: rule, now: nil) where r.fireAt >= from && r.fireAt < to {
                timeline.append(DateOutput.iso8601(r.fireAt, timeZone: bangkok) + " " + item.key + " " + r.label)
            }
        }
        timeline.sort()
        #expect(timeline == [
            "2017-05-15T09:00:00+07:00 submit-nacc-2560 7wd@09:00",     // 7 working days before Wed 24: Mon 15
            "2017-05-15T09:00:00+07:00 wg-2560-1 1wd@09:00",            // the working day before Tue 16
            "2017-05-16T12:00:00+07:00 wg-2560-1 2h",                   // 2 hours before 14.00
            "2017-05-17T09:00:00+07:00 wg-2560-2 1wd@09:00",            // the day before Thu 18
            "2017-05-18T07:00:00+07:00 wg-2560-2 2h",                   // date-only: counted at 09.00
            "2017-05-19T09:00:00+07:00 submit-nacc-2560 3wd@09:00",     // Fri 19 (Tue 23, Mon 22, Fri 19)
            "2017-05-19T09:00:00+07:00 submit-nacc-2560 escalate@3wd@09:00",
            "2017-05-23T09:00:00+07:00 submit-nacc-2560 1wd@09:00",
            "2017-05-24T09:00:00+07:00 submit-nacc-2560 0@09:00",       // on the day
            "2017-05-25T09:00:00+07:00 submit-nacc-2560 overdue-1",     // still open the next working day
        ])
        // And the 14-working-day reminder falls before the window, on Tue 2 May (10 and 12 May closed).
        let due = agenda.items[2]
        let all = planner.plan(when: due.when, zone: bangkok, rule: .deadlineDefault, now: nil)
        #expect(all.first { $0.label == "14wd@09:00" }?.fireAt == LocalDate(year: 2017, month: 5, day: 2)!.at(hour: 9, minute: 0, in: bangkok))
    }

    @Test("one due date for many organisations: an item each")
    func manyOrganisations() throws {
        let yaml = """
            deadlines:
              - key: nacc-2561
                title: ส่งแผน
                due: 24 พ.ค. 61
                organisations: [เทศบาลนครขอนแก่น, อบต. ท่าพระ]
            """
        let agenda = try AgendaFile.read(yaml: yaml, file: "a.yaml", defaults: defaults)
        #expect(agenda.items.map(\.key) == ["nacc-2561@เทศบาลนครขอนแก่น", "nacc-2561@อบต._ท่าพระ"])
        #expect(agenda.items.map(\.organisation) == ["เทศบาลนครขอนแก่น", "อบต. ท่าพระ"])
    }

    @Test("references to keys not in the file are left for the store to resolve")
    func externalReferences() throws {
        let yaml = "meetings:\n  - key: m2\n    title: t\n    at: 2017-05-18\n    follow_up_of: m1\n    plan: p9\n"
        let agenda = try AgendaFile.read(yaml: yaml, file: "a.yaml", defaults: defaults)
        #expect(agenda.externalReferences.map(\.key).sorted() == ["m1", "p9"])
        #expect(agenda.externalReferences.first { $0.key == "m1" }?.location == "a.yaml:5:19")
    }

    @Test("a repeating meeting: repeat: takes an RRULE, its UNTIL typed like the start")
    func repeating() throws {
        let yaml = "meetings:\n  - key: monthly\n    title: ประชุมประจำเดือน\n    at: 2 พ.ค. 60 14.00\n    repeat: FREQ=MONTHLY;BYDAY=1TU;UNTIL=20170930\n"
        let agenda = try AgendaFile.read(yaml: yaml, file: "a.yaml", defaults: defaults)
        let item = try #require(agenda.items.first)
        let r = try #require(item.recurrence)
        #expect(r.rrule == "FREQ=MONTHLY;UNTIL=20170930T165959Z;BYDAY=1TU")
        let starts = r.instances(from: item.seriesStart, zone: bangkok).map { LocalDate($0, in: bangkok).description }
        #expect(starts == ["2017-05-02", "2017-06-06", "2017-07-04", "2017-08-01", "2017-09-05"])
    }

    @Test("malformed agendas name file:line:column and what is wrong", arguments: [
        ("meetings:\n  - key: m1\n    title: t\n    at: 30 กุมภาพันธ์ 2560\n", "a.yaml:4:9: 'at': cannot read '30 กุมภาพันธ์ 2560' as a date: กุมภาพันธ์ 2560 has no day 30"),
        ("meetings:\n  - key: m1\n    title: t\n    at: วันพุธที่ 16 พฤษภาคม 2560\n", "a.yaml:4:9: 'at': cannot read"),
        ("meetings:\n  - key: m1\n    title: t\n    when: 2017-05-16\n", "a.yaml:4:5: unknown key 'when' in a meeting"),
        ("meetings:\n  - key: m1\n    at: 2017-05-16\n", "a.yaml:2:5: a meeting needs 'title'"),
        ("meetings:\n  - title: t\n    at: 2017-05-16\n", "a.yaml:2:5: a meeting needs 'key'"),
        ("meetings:\n  - key: a b\n    title: t\n    at: 2017-05-16\n", "a.yaml:2:10: 'a b' is not a usable key"),
        ("meetings:\n  - {key: m1, title: t, at: 2017-05-16}\n  - {key: m1, title: u, at: 2017-05-17}\n", "a.yaml:3:11: item key 'm1' is used twice"),
        ("deadlines:\n  - key: d1\n    title: t\n    due: 2017-05-24\n    leads: [1wd, soon]\n", "a.yaml:5:12: 'soon' is not a lead time"),
        ("deadlines:\n  - key: d1\n    title: t\n    due: 2017-05-24\n    chair: x\n", "a.yaml:5:5: unknown key 'chair' in a deadline"),
        ("meetings:\n  - key: m1\n    title: t\n    at: 2017-05-16 14:00\n    end: 2017-05-16 13:00\n", "a.yaml:2:5: meeting 'm1': the end is not after the start"),
        ("time_zone: Asia/Khon_Kaen\n", "a.yaml:1:12: 'Asia/Khon_Kaen' is not an IANA time zone"),
        ("meetings: [unclosed\n", "a.yaml:2:1: not valid YAML"),
        ("meeting:\n  - key: m1\n", "a.yaml:1:1: unknown key 'meeting' in an agenda file"),
        ("plans:\n  - key: p1\n", "a.yaml:2:5: a plan needs 'name'"),
        ("meetings:\n  - key: m1\n    title: t\n    at: 2017-05-16 14:00\n    repeat: FREQ=HOURLY\n", "a.yaml:5:13: RRULE: not supported: FREQ=HOURLY"),
        ("deadlines:\n  - key: d1\n    title: t\n    due: 2017-05-24\n    repeat: FREQ=MONTHLY\n", "a.yaml:5:5: unknown key 'repeat' in a deadline"),
    ])
    func malformed(yaml: String, expected: String) {
        #expect {
            try AgendaFile.read(yaml: yaml, file: "a.yaml", defaults: defaults)
        } throws: { error in
            let ok = "\(error)".contains(expected)
            if !ok { print("got: \(error)") }
            return ok
        }
    }
}
