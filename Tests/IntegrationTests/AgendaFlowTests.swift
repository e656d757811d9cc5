import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// Issue 3's flows through the real daemon and deadlinectl: agenda import, simulate, submit,
/// holidays, Thai output.
@Suite("Agenda through the daemon", .serialized)
struct AgendaFlowTests {
    static let seed = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/agenda/khon-kaen-2560.yaml").path
    static let holidays = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Config/holidays").path

    /// A daemon on the shipped holidays, in its own sandbox.
    func withDaemon(_ body: (Sandbox) throws -> Void) throws {
        try Binaries.require()
        let box = try Sandbox()
        let env = box.environment(notifySocket: nil, extra: ["DEADLINED_HOLIDAYS_PATH": Self.holidays])
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: env)
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"), "\(daemon.stderrLines.map(\.1))")
        try body(box)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    func ctl(_ box: Sandbox, _ args: [String]) throws -> (status: Int32?, out: String, err: String) {
        try deadlinectl(args + ["--socket", box.socket])
    }

    @Test("import the seed twice: no duplicates; simulate 10–25 May 2560 is the hand-computed timeline")
    func seedImportAndSimulate() throws {
        try withDaemon { box in
            let first = try ctl(box, ["import", Self.seed])
            #expect(first.status == 0, "\(first.err)")
            #expect(first.out.contains("3 added, 0 updated, 0 unchanged, 3 plan(s)"))
            let second = try ctl(box, ["import", Self.seed])
            #expect(second.out.contains("0 added, 0 updated, 3 unchanged"))
            let list = try ctl(box, ["list", "--all", "--json"])
            let items = try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(list.out.utf8)).items
            #expect(items.map(\.key) == ["wg-2560-1", "wg-2560-2", "submit-nacc-2560"])

            let sim = try ctl(box, ["simulate", "--from", "10 พ.ค. 60", "--to", "25 พ.ค. 60", "--json"])
            #expect(sim.status == 0, "\(sim.err)")
            let reminders = try JSONDecoder().decode(ControlAPI.SimulateReply.self, from: Data(sim.out.utf8)).reminders
            #expect(reminders.map { "\($0.fireAt) \($0.key) \($0.label)" } == [
                "2017-05-15T09:00:00+07:00 submit-nacc-2560 7wd@09:00",
                "2017-05-15T09:00:00+07:00 wg-2560-1 1wd@09:00",
                "2017-05-16T12:00:00+07:00 wg-2560-1 2h",
                "2017-05-17T09:00:00+07:00 wg-2560-2 1wd@09:00",
                "2017-05-18T07:00:00+07:00 wg-2560-2 2h",
                "2017-05-19T09:00:00+07:00 submit-nacc-2560 3wd@09:00",
                "2017-05-19T09:00:00+07:00 submit-nacc-2560 escalate@3wd@09:00",
                "2017-05-23T09:00:00+07:00 submit-nacc-2560 1wd@09:00",
                "2017-05-24T09:00:00+07:00 submit-nacc-2560 0@09:00",
                "2017-05-25T09:00:00+07:00 submit-nacc-2560 overdue-1",
            ])
            // The same timeline, as a person reads it in Thai.
            let thai = try ctl(box, ["simulate", "--from", "10 พ.ค. 60", "--to", "25 พ.ค. 60", "--lang", "th"])
            #expect(thai.out.contains("วันจันทร์ที่ 15 พฤษภาคม 2560 เวลา 09.00 น."))
            #expect(thai.out.contains("วันพฤหัสบดีที่ 25 พฤษภาคม 2560 เวลา 09.00 น."))

            // The month grid marks the holidays, the meetings and the due date.
            let grid = try ctl(box, ["calendar", "--month", "5", "--year", "2560", "--lang", "th"])
            #expect(grid.out.contains("พฤษภาคม 2560"))
            for mark in ["10h", "12h", "16m", "18m", "24d"] { #expect(grid.out.contains(mark), "\(mark) in\n\(grid.out)") }
            #expect(grid.out.contains("อา    จ    อ    พ   พฤ    ศ    ส"))
        }
    }

    @Test("a malformed agenda names file:line and imports nothing, not even its valid entries")
    func malformedAgenda() throws {
        try withDaemon { box in
            let bad = box.path + "/bad.yaml"
            try """
                plans:
                  - { key: p1, name: แผน }
                meetings:
                  - key: ok-1
                    title: ถูกต้อง
                    at: 16 พฤษภาคม 2560 เวลา 14.00 น.
                  - key: bad-1
                    title: วันที่ผิด
                    at: วันพุธที่ 16 พฤษภาคม 2560
                """.write(toFile: bad, atomically: true, encoding: .utf8)
            let r = try ctl(box, ["import", bad])
            #expect(r.status != 0)
            #expect(r.err.contains("\(bad):9:9: 'at': cannot read 'วันพุธที่ 16 พฤษภาคม 2560' as a date"), "\(r.err)")
            #expect(r.err.contains("is a Tuesday"))

            let dangling = box.path + "/dangling.yaml"
            try "meetings:\n  - key: m2\n    title: t\n    at: 18 พ.ค. 60\n    follow_up_of: nowhere\n".write(toFile: dangling, atomically: true, encoding: .utf8)
            let d = try ctl(box, ["import", dangling])
            #expect(d.err.contains("\(dangling):5:19: no meeting has key 'nowhere'"), "\(d.err)")

            let list = try ctl(box, ["list", "--all"])
            #expect(list.out.contains("no items"))
        }
    }

    @Test("submitting drops the future reminders; adding with --remind and Thai dates; holidays list")
    func submitAndHolidays() throws {
        try withDaemon { box in
            // Due in 30 days from now, with the default rule: reminders ahead, overdue ones after.
            let due = DateText.day(LocalDate(Date().addingTimeInterval(30 * 86400), in: TimeZone(identifier: "Asia/Bangkok")!), language: .thai)
            let add = try ctl(box, ["add", "deadline", "ส่งแผนประจำปี", "--due", due, "--key", "annual", "--to", "ป.ป.ช."])
            #expect(add.status == 0, "\(add.err)")
            let before = try JSONDecoder().decode(ControlAPI.StatusReply.self, from: Data(try ctl(box, ["status", "--json"]).out.utf8))
            #expect(before.pending >= 20, "leads and overdue reminders: \(before.pending)")
            let submit = try ctl(box, ["submit", "annual", "--by", "สมชาย"])
            #expect(submit.out.contains("annual is submitted; \(before.pending) reminder(s) dropped"), "\(submit.out)")
            let after = try JSONDecoder().decode(ControlAPI.StatusReply.self, from: Data(try ctl(box, ["status", "--json"]).out.utf8))
            #expect(after.pending == 0)
            #expect(after.cancelled == before.pending)
            #expect(after.nextReminder == nil)
            let again = try ctl(box, ["submit", "annual"])
            #expect(again.err.contains("item 'annual' is submitted already"))

            let meeting = try ctl(box, ["add", "meeting", "ประชุม", "--at", "พรุ่งนี้ เวลา 14.00 น.", "--remind", "1d@09:00,2h,0"])
            #expect(meeting.status == 0, "\(meeting.err)")
            #expect(meeting.out.contains("2h") && meeting.out.contains("  0\n"))
            let badLead = try ctl(box, ["add", "meeting", "x", "--at", "พรุ่งนี้ 10.00", "--remind", "soon"])
            #expect(badLead.err.contains("'soon' is not a lead time"))

            let holidays = try ctl(box, ["holidays", "list", "--year", "2560", "--lang", "th"])
            #expect(holidays.out.contains("วันพุธที่ 10 พฤษภาคม 2560"))
            #expect(holidays.out.contains("วันวิสาขบูชา"))
            // A year without a file is computed, and says so; past the computed span nothing is known.
            let computed = try ctl(box, ["holidays", "list", "--year", "2590", "--lang", "en"])
            #expect(computed.out.hasPrefix("2590 (2047): computed") && computed.out.contains("Visakha Bucha Day"), "\(computed.out)")
            #expect(computed.err.contains("warning: 2590's holidays are computed"), "\(computed.err)")
            let none = try ctl(box, ["holidays", "list", "--year", "2800"])
            #expect(none.err.contains("no holiday data for 2800"), "\(none.err)")
            // Working-day reminders that rest on a computed year say so, at add and in status.
            let far = try ctl(box, ["add", "deadline", "แผนปี 2590", "--due", "2047-06-03", "--key", "far-2590"])
            #expect(far.status == 0 && far.err.contains("warning: working-day reminders of far-2590 count through 2590, whose holidays are computed"),
                    "\(far.err)")
            let status = try ctl(box, ["status"])
            #expect(status.out.contains("holidays:  2560–2570 ") || status.out.contains("holidays:  2560"), "\(status.out)")
            #expect(status.err.contains("far-2590 count through 2590"), "\(status.err)")
            _ = try ctl(box, ["remove", "far-2590"])

            // Replacing a year at run time: 2560 with one extra day off.
            let file = box.path + "/th-2560.yaml"
            try "year: 2560\nstatus: announced\nsource: test\nholidays:\n  - { date: 2017-05-15, name: วันหยุดพิเศษ }\n"
                .write(toFile: file, atomically: true, encoding: .utf8)
            let imported = try ctl(box, ["holidays", "import", file])
            #expect(imported.out.contains("1 holiday(s) for 2560 loaded"), "\(imported.err)")
            #expect(try ctl(box, ["holidays", "list", "--year", "2017"]).out.contains("วันหยุดพิเศษ"))

            // A new holiday moves an open item's working-day reminders: a deadline on the Monday
            // after a Friday that becomes a holiday is reminded on Thursday instead.
            let monday = LocalDate(Date(), in: TimeZone(identifier: "Asia/Bangkok")!).adding(days: 60)
            let dueDay = monday.adding(days: (9 - monday.weekday) % 7)   // the next Monday on or after
            let friday = dueDay.adding(days: -3)
            _ = try ctl(box, ["add", "deadline", "ทดสอบวันหยุด", "--due", dueDay.description, "--key", "hd", "--remind", "1wd@09:00"])
            let year = friday.buddhistYear
            let extra = box.path + "/extra.yaml"
            try "year: \(year)\nstatus: announced\nsource: test\nholidays:\n  - { date: \(friday), name: วันหยุดพิเศษ }\n"
                .write(toFile: extra, atomically: true, encoding: .utf8)
            _ = try ctl(box, ["holidays", "import", extra])
            let items = try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(try ctl(box, ["list", "--json"]).out.utf8)).items
            let hd = try #require(items.first { $0.key == "hd" })
            let pendingLead = hd.reminders.filter { $0.state == .pending && $0.label == "1wd@09:00" }.map(\.fireAt)
            #expect(pendingLead == [DateOutput.iso8601(friday.adding(days: -1).at(hour: 9, minute: 0, in: TimeZone(identifier: "Asia/Bangkok")!),
                                                       timeZone: TimeZone(identifier: "Asia/Bangkok")!)])
            #expect(hd.reminders.contains { $0.state == .cancelled && $0.label == "1wd@09:00" })
        }
    }
}
