import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// iCalendar in and out against the real daemon, read back by Python's `icalendar` and
/// `recurring-ical-events` (PyPI), which know nothing of deadlined.
@Suite("iCalendar: feed, export, import")
struct CalendarTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let expandScript = root.appendingPathComponent("Tests/IntegrationTests/Receivers/ics_expand.py").path
    static let corpus = root.appendingPathComponent("Tests/Fixtures/ics/malformed").path
    static let invitations = root.appendingPathComponent("Tests/Fixtures/ics/invitations").path
    static let invitationFiles: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: invitations)) ?? [])
        .filter { $0.hasSuffix(".ics") }.sorted()

    func startDaemon(_ box: Sandbox) throws -> RunningProcess {
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        _ = try #require(daemon.waitForLine(containing: "ready;"), "daemon did not start: \(daemon.stderrLines.map(\.1))")
        return daemon
    }

    func ctl(_ box: Sandbox, _ arguments: [String]) throws -> (status: Int32?, out: String, err: String) {
        try deadlinectl(arguments + ["--socket", box.socket])
    }

    func write(_ text: String, _ path: String) throws {
        try text.write(toFile: path, atomically: true, encoding: .utf8)
    }


    /// An invitation from elsewhere: a New York weekly meeting across the March DST change,
    /// one instance left out, an alarm 15 minutes before; and a single all-day event.
    static let invitation = """
        BEGIN:VCALENDAR\r
        VERSION:2.0\r
        PRODID:-//Example Corp//Calendar//EN\r
        METHOD:REQUEST\r
        BEGIN:VEVENT\r
        UID:ny-weekly@example.org\r
        DTSTAMP:20261120T000000Z\r
        DTSTART;TZID=America/New_York:20270201T090000\r
        DTEND;TZID=America/New_York:20270201T100000\r
        RRULE:FREQ=WEEKLY;BYDAY=MO;UNTIL=20270420T000000Z\r
        EXDATE;TZID=America/New_York:20270315T090000\r
        SUMMARY:Partner call (โทรประสานงาน)\r
        ORGANIZER;CN=Jane Doe:mailto:jane@example.org\r
        URL:https://example.org/meeting\r
        BEGIN:VALARM\r
        ACTION:DISPLAY\r
        DESCRIPTION:Reminder\r
        TRIGGER:-PT15M\r
        END:VALARM\r
        END:VEVENT\r
        BEGIN:VEVENT\r
        UID:20270120-allday@example.org\r
        DTSTAMP:20261120T000000Z\r
        DTSTART;VALUE=DATE:20270120\r
        DTEND;VALUE=DATE:20270121\r
        SUMMARY:วันประชุมใหญ่\r
        END:VEVENT\r
        END:VCALENDAR\r

        """

    /// Items of every shape the feed must carry: made through deadlinectl and by import.
    func fillAgenda(_ box: Sandbox) throws {
        let adds: [[String]] = [
            ["add", "meeting", "ประชุมติดตามผลประจำเดือน ครั้งที่ 1/2570, วาระ; ติดตามแผน", "--at", "2026-12-01T14:00", "--end", "2026-12-01T16:00",
             "--repeat", "FREQ=MONTHLY;BYDAY=1TU", "--key", "monthly", "--location", "ห้องประชุม อบต.", "--attendee", "สมชาย ใจดี <somchai@example.go.th>"],
            ["add", "meeting", "ประชุมเช้า", "--at", "2026-12-07T08:30", "--repeat", "FREQ=DAILY;BYDAY=MO,TU,WE,TH,FR;COUNT=10", "--key", "daily",
             "--remind", "1d,30m"],
            ["add", "meeting", "ประชุมสิ้นเดือน", "--at", "2027-01-29T13:30", "--repeat", "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231", "--key", "lastfri"],
            ["add", "meeting", "ประชุมทุกสองสัปดาห์", "--at", "2026-12-02", "--repeat", "FREQ=WEEKLY;INTERVAL=2;BYDAY=WE;COUNT=6", "--key", "allday"],
            ["add", "meeting", "ประชุมครั้งเดียว", "--at", "2027-02-10T10:00", "--key", "once"],
            ["add", "deadline", "ส่งแผนปฏิบัติการป้องกันการทุจริต", "--due", "2027-05-31", "--key", "nacc", "--to", "ป.ป.ช."],
            ["add", "deadline", "ส่งรายงาน", "--due", "2027-03-15T16:30", "--key", "report"],
        ]
        for a in adds {
            let r = try ctl(box, a)
            #expect(r.status == 0, "\(a): \(r.err)")
        }
        let invite = box.path + "/invite.ics"
        try write(Self.invitation, invite)
        let imported = try ctl(box, ["import", invite])
        #expect(imported.status == 0 && imported.out.contains("2 added"), "\(imported.out) \(imported.err)")
        #expect(imported.err.contains("URL (line"), "what has no field is reported: \(imported.err)")
    }

    /// deadlined's own instants for a key, in UTC (or the date of an all-day one).
    func instances(_ box: Sandbox, _ key: String, from: String, to: String) throws -> [String] {
        let r = try ctl(box, ["instances", key, "--from", from, "--to", to, "--json"])
        let reply = try JSONDecoder().decode(ControlAPI.InstancesReply.self, from: Data(r.out.utf8))
        return reply.instances.map { text in
            guard text.count > 10, let d = ISO8601DateFormatter().date(from: text) else { return text }
            let f = ISO8601DateFormatter()
            f.timeZone = TimeZone(identifier: "UTC")
            return f.string(from: d)
        }
    }

    /// An iCalendar UTC date-time, `20270105T063000Z`.
    func stamp(_ d: Date) -> String {
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withYear, .withMonth, .withDay, .withTime]
        f.timeZone = TimeZone(identifier: "UTC")
        return f.string(from: d).replacingOccurrences(of: ":", with: "") + "Z"
    }

    func expand(_ path: String, from: String, to: String, options: [String] = []) throws -> [String: Any] {
        let p = try RunningProcess(try python3(), [Self.expandScript, path, from, to] + options, environment: ProcessInfo.processInfo.environment)
        #expect(p.waitForExit(timeout: 60) == 0, "\(p.stderrLines.map(\.1))")
        return try #require(try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any], "\(p.stdout)")
    }

    @Test("the feed parses with Python's icalendar, and recurring-ical-events expands it to the instants deadlined computes")
    func feedMatchesIndependentExpansion() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        try fillAgenda(box)
        let feed = box.state + "/deadlined.ics"
        let keys = ["monthly", "daily", "lastfri", "allday", "once", "nacc", "report", "ny-weekly@example.org", "20270120-allday@example.org"]
        #expect(waitFor { keys.allSatisfy { key in ((try? String(contentsOfFile: feed, encoding: .utf8)) ?? "").contains("X-DEADLINED-KEY:" + key) } },
                "the feed holds every item after the changes")
        // Rewrites are coalesced: one more may be under way just now; none is left behind.
        #expect(waitFor { !FileManager.default.fileExists(atPath: feed + ".partial") }, "no temporary file is left")

        let python = try expand(feed, from: "2026-11-28", to: "2028-01-01")
        let theirs = try #require(python["instances"] as? [String: [String]])
        #expect(python["max_line_octets"] as? Int ?? 99 <= 75)
        #expect(python["lines_valid_utf8"] as? Bool == true && python["crlf_only"] as? Bool == true)
        for key in keys {
            let ours = try instances(box, key, from: "2026-11-28", to: "2027-12-31")
            #expect(!ours.isEmpty, "\(key) has instances")
            #expect(ours == theirs[key] ?? [], "\(key): deadlined \(ours) vs recurring-ical-events \(theirs[key] ?? [])")
        }
        // The New York series keeps 09:00 local across the DST change: 14:00Z, then 13:00Z.
        let ny = theirs["ny-weekly@example.org"] ?? []
        #expect(ny.first == "2027-02-01T14:00:00Z" && ny.last == "2027-04-19T13:00:00Z" && !ny.contains("2027-03-15T13:00:00Z"))
        // An all-day deadline's alarms count from its midnight: "0@09:00" is nine hours after.
        let feedText = try String(contentsOfFile: feed, encoding: .utf8)
        #expect(feedText.contains("TRIGGER:PT9H\r\nX-DEADLINED-LEAD:0@09:00"), "alarms of an all-day deadline")
        #expect(feedText.contains("TRIGGER:-PT15H\r\nX-DEADLINED-LEAD:1wd@09:00"), "the working day before at 09:00")
        // One alarm per lead: the daily meeting's own two, the invitation's 15 minutes.
        let alarms = try #require(python["alarms"] as? [String: Int])
        #expect(alarms["daily"] == 2 && alarms["ny-weekly@example.org"] == 1)
    }

    @Test("export → import → export gives the same calendar; importing again changes nothing")
    func roundTrip() throws {
        try Binaries.require()
        let a = try Sandbox(), b = try Sandbox()
        let first = try startDaemon(a)
        defer { first.ensureStopped() }
        try fillAgenda(a)
        #expect(try ctl(a, ["cancel", "once"]).status == 0)
        #expect(try ctl(a, ["update", "nacc", "--notes", "ฉบับแก้ไข\nบรรทัดสอง"]).status == 0)
        let exported = a.path + "/a.ics"
        let out = try ctl(a, ["export", "-o", exported])
        #expect(out.status == 0 && out.out.contains("9 item(s)"), "\(out.out) \(out.err)")

        let second = try startDaemon(b)
        defer { second.ensureStopped() }
        let imported = try ctl(b, ["import", exported])
        #expect(imported.status == 0 && imported.out.contains("9 added") && imported.out.contains("1 cancelled"), "\(imported.out) \(imported.err)")
        let again = try ctl(b, ["import", exported])
        #expect(again.out.contains("0 added, 0 updated, 9 unchanged"), "\(again.out)")
        let reexported = b.path + "/b.ics"
        #expect(try ctl(b, ["export", "-o", reexported]).status == 0)
        let (x, y) = (try exportLines(exported), try exportLines(reexported))
        #expect(x == y, "first difference: \(zip(x, y).first { $0 != $1 }.map { "\($0.0) | \($0.1)" } ?? "lengths \(x.count) \(y.count)")")
        #expect(x.contains("SEQUENCE:1") && x.contains("STATUS:CANCELLED"), "a change bumps SEQUENCE; a cancelled item says so")
    }

    @Test("invitations from Outlook, Exchange, Google, Apple and Thunderbird: the instants recurring-ical-events reads in them; export → a second daemon → the same",
          .serialized, arguments: invitationFiles)
    func invitation(file: String) throws {
        try Binaries.require()
        #expect(Self.invitationFiles.count >= 8)
        let a = try Sandbox(), b = try Sandbox()
        let first = try startDaemon(a)
        defer { first.ensureStopped() }
        let (from, to, pythonTo) = ("2026-12-01", "2028-12-31", "2029-01-01")
        let original = try expand(Self.invitations + "/" + file, from: from, to: pythonTo, options: ["--skip-cancelled"])
        // A cancelled meeting of a series (RECURRENCE-ID) is not an item of its own; a moved
        // or changed one is.
        let events = try #require(original["series"] as? Int) + (try #require(original["changed"] as? Int))
        let imported = try ctl(a, ["import", Self.invitations + "/" + file])
        #expect(imported.status == 0 && imported.out.contains("\(events) added"), "\(imported.out) \(imported.err)")
        let again = try ctl(a, ["import", Self.invitations + "/" + file])
        #expect(again.out.contains("0 added, 0 updated, \(events) unchanged"), "importing again changes nothing: \(again.out) \(again.err)")

        let exported = a.path + "/a.ics"
        #expect(try ctl(a, ["export", "-o", exported]).status == 0)
        let feed = try expand(exported, from: from, to: pythonTo)
        let theirs = try #require(feed["instances"] as? [String: [String]])
        let uids = try #require(feed["uids"] as? [String: String])
        let replacements = Set(try #require(feed["replacements"] as? [String]))
        let inOriginal = try #require(original["instances"] as? [String: [String]])
        #expect(theirs.count == events, "every event has instants in \(from)…\(to): \(theirs.keys.sorted())")
        var all: [String] = [], byOriginalUID: [String: [String]] = [:]
        for key in theirs.keys.sorted() {
            let ours = try instances(a, key, from: from, to: to)
            // A series' instances are its moved meetings' too, as the invitation has them.
            let want = replacements.contains(key) ? theirs[key] ?? [] : theirs.filter { uids[$0.key] == uids[key] }.values.flatMap { $0 }.sorted()
            #expect(!ours.isEmpty && ours == want, "\(file) \(key): deadlined \(ours) vs recurring-ical-events on the export \(want)")
            if replacements.contains(key) { continue }
            all += ours
            // The rest of a series changed "this and following" is a series of its own, its
            // UID the series' and `_R` and where it starts.
            if let uid = uids[key] { byOriginalUID[String(uid.split(separator: "_R").first ?? Substring(uid)), default: []] += ours }
        }
        // recurring-ical-events on the invitation itself (its Windows zones, VTIMEZONEs,
        // EXDATEs in other zones) agrees too; an event without a UID is checked below.
        for (uid, ours) in byOriginalUID {
            if let there = inOriginal[uid] {
                #expect(ours.sorted() == there, "\(file) \(uid): deadlined \(ours.sorted()) vs recurring-ical-events on the invitation \(there)")
            }
        }
        #expect(all.sorted() == inOriginal.values.flatMap { $0 }.sorted(), "\(file): every instant of the invitation, and no other")

        let second = try startDaemon(b)
        defer { second.ensureStopped() }
        let intoB = try ctl(b, ["import", exported])
        #expect(intoB.status == 0 && intoB.out.contains("\(events) added"), "\(intoB.out) \(intoB.err)")
        let reexported = b.path + "/b.ics"
        #expect(try ctl(b, ["export", "-o", reexported]).status == 0)
        let (x, y) = (try exportLines(exported), try exportLines(reexported))
        #expect(x == y, "\(file): first difference: \(zip(x, y).first { $0 != $1 }.map { "\($0.0) | \($0.1)" } ?? "lengths \(x.count) \(y.count)")")
        for key in theirs.keys.sorted() {
            #expect(try instances(b, key, from: from, to: to) == instances(a, key, from: from, to: to), "\(file) \(key) in the second daemon")
        }
    }

    @Test("every file of the malformed corpus is refused with file:line, and nothing of it is imported")
    func malformedCorpus() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let expected = try String(contentsOfFile: Self.corpus + "/expected.tsv", encoding: .utf8)
            .split(separator: "\n").filter { !$0.hasPrefix("#") }.map { $0.split(separator: "\t").map(String.init) }
        #expect(expected.count >= 25)
        for row in expected {
            let (file, line, text) = (row[0], row[1], row[2])
            let r = try ctl(box, ["import", Self.corpus + "/" + file])
            #expect(r.status != 0, "\(file) was accepted")
            #expect(r.err.contains("\(file):\(line): ") && r.err.contains(text), "\(file): \(r.err)")
        }
        let list = try ctl(box, ["list", "--json"])
        let items = try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(list.out.utf8)).items
        #expect(items.isEmpty, "the valid event before each error was not imported: \(items.map(\.key))")
    }

    @Test("a cancelled invitation, imported again, cancels the meeting and its reminders")
    func cancellation() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let start = Date().addingTimeInterval(3 * 86_400)
        func invite(status: String, sequence: Int) -> String {
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//x//EN\r\nBEGIN:VEVENT\r\nUID:inv-42@example.org\r\nSEQUENCE:\(sequence)\r\n"
                + "DTSTART:\(stamp(start))\r\nDURATION:PT1H\r\nSUMMARY:ประชุมเชิงปฏิบัติการ\r\nSTATUS:\(status)\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        }
        let path = box.path + "/inv.ics"
        try write(invite(status: "CONFIRMED", sequence: 0), path)
        #expect(try ctl(box, ["import", path]).out.contains("1 added"))
        let before = try JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(try ctl(box, ["get", "inv-42@example.org", "--json"]).out.utf8)).item
        #expect(before.reminders.contains { $0.state == .pending } && before.uid == "inv-42@example.org")
        try write(invite(status: "CANCELLED", sequence: 1), path)
        let r = try ctl(box, ["import", path])
        #expect(r.status == 0 && r.out.contains("1 cancelled"), "\(r.out) \(r.err)")
        let after = try JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(try ctl(box, ["get", "inv-42@example.org", "--json"]).out.utf8)).item
        #expect(after.state == .cancelled && !after.reminders.contains { $0.state == .pending })
    }

    @Test("Exchange's update of one meeting alone moves it out of the series imported before, with its reminders; its cancellation cancels it")
    func changesOfOneMeeting() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let week = 7.0 * 86_400
        let start = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 / 3600).rounded(.down) * 3600 + 3 * 86_400)
        func calendar(_ method: String, _ event: String) -> String {
            "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:Microsoft Exchange Server 2016\r\nMETHOD:\(method)\r\nBEGIN:VEVENT\r\nUID:wg-7@example.go.th\r\n"
                + event + "SUMMARY:ประชุมคณะทำงาน\r\nBEGIN:VALARM\r\nTRIGGER:-PT1H\r\nACTION:DISPLAY\r\nEND:VALARM\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        }
        let path = box.path + "/update.ics"
        try write(calendar("REQUEST", "DTSTART:\(stamp(start))\r\nDURATION:PT1H\r\nRRULE:FREQ=WEEKLY;COUNT=4\r\n"), path)
        #expect(try ctl(box, ["import", path]).out.contains("1 added"))
        // The second meeting moves a day later, sent alone.
        let second = start.addingTimeInterval(week), movedTo = start.addingTimeInterval(week + 86_400)
        try write(calendar("REQUEST", "RECURRENCE-ID:\(stamp(second))\r\nDTSTART:\(stamp(movedTo))\r\nDURATION:PT1H\r\n"), path)
        let moved = try ctl(box, ["import", path])
        #expect(moved.status == 0 && moved.out.contains("1 added, 1 updated"), "\(moved.out) \(moved.err)")
        let utc = { (d: Date) in let f = ISO8601DateFormatter(); f.timeZone = TimeZone(identifier: "UTC"); return f.string(from: d) }
        let all = [start, movedTo, start.addingTimeInterval(2 * week), start.addingTimeInterval(3 * week)].map(utc)
        #expect(try instances(box, "wg-7@example.go.th", from: "today", to: "+60d") == all)
        let again = try ctl(box, ["import", path])
        #expect(again.out.contains("0 added, 0 updated, 2 unchanged"), "importing the change again changes nothing: \(again.out) \(again.err)")

        func item(_ key: String) throws -> ControlAPI.Item {
            try JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(try ctl(box, ["get", key, "--json"]).out.utf8)).item
        }
        let series = try item("wg-7@example.go.th")
        // The first meeting's lead may fall on a holiday and move into the past (a Monday after
        // a weekend holiday): then it has a catch-up, sent at the first import and not again.
        let remindedInstances = { (states: Set<OccurrenceState>) in
            Set(series.reminders.filter { states.contains($0.state) }.compactMap { $0.instance.flatMap(ISO8601DateFormatter().date) })
        }
        let shown = series.reminders.map { "\($0.instance ?? "-") \($0.label) \($0.state) \($0.fireAt)" }
        #expect(!remindedInstances([.pending]).contains(second) && remindedInstances([.pending, .firing, .delivered]).contains(start),
                "the series has no reminder left for the moved meeting, and one for the first: \(shown)")
        #expect(series.reminders.filter { $0.label == "catch-up" }.count <= 1, "one catch-up at most: \(shown)")
        #expect(!series.reminders.contains { $0.state == .cancelled && $0.instance.flatMap(ISO8601DateFormatter().date) != second },
                "only the moved meeting's reminder is cancelled: \(shown)")
        // A series written in UTC with an RRULE keeps UTC as its zone, so the day in the key is UTC's.
        let key = "wg-7@example.go.th-" + LocalDate(second, in: TimeZone(identifier: "UTC")!).description.replacingOccurrences(of: "-", with: "")
        let replacement = try item(key)
        #expect(replacement.replaces.flatMap(ISO8601DateFormatter().date) == second && replacement.uid == "wg-7@example.go.th")
        #expect(replacement.reminders.contains { $0.state == .pending && ISO8601DateFormatter().date(from: $0.fireAt) == movedTo.addingTimeInterval(-3600) })

        // Cancelled later, by the meeting's original start: the moved meeting is cancelled.
        try write(calendar("CANCEL", "RECURRENCE-ID:\(stamp(second))\r\nDTSTART:\(stamp(movedTo))\r\n"), path)
        let cancelled = try ctl(box, ["import", path])
        #expect(cancelled.status == 0 && cancelled.out.contains("1 cancelled"), "\(cancelled.out) \(cancelled.err)")
        #expect(try item(key).state == .cancelled && !item(key).reminders.contains { $0.state == .pending })
        #expect(try instances(box, "wg-7@example.go.th", from: "today", to: "+60d") == [all[0], all[2], all[3]])

        // A change to a series this daemon never saw names what is missing.
        try write(calendar("CANCEL", "RECURRENCE-ID:\(stamp(second))\r\nDTSTART:\(stamp(second))\r\n").replacingOccurrences(of: "wg-7@", with: "wg-8@"), path)
        let unknown = try ctl(box, ["import", path])
        #expect(unknown.status != 0 && unknown.err.contains("update.ics:7") && unknown.err.contains("neither in this file nor imported before"),
                "\(unknown.out) \(unknown.err)")
    }

    @Test("a daily series without end: reminders for its window only, and the one due now fires for its own instance")
    func lazySeriesFires() throws {
        try Binaries.require()
        let box = try Sandbox()
        let record = box.path + "/sent.jsonl"
        try box.fileChannelConfig(record)
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let zone = TimeZone(identifier: "Asia/Bangkok")!
        let first = Date().addingTimeInterval(3)
        let add = try ctl(box, ["add", "meeting", "ประชุมเช้าทุกวัน", "--at", DateOutput.iso8601(first, timeZone: zone), "--repeat", "FREQ=DAILY",
                                "--remind", "0", "--key", "everyday", "--json"])
        let item = try JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(add.out.utf8)).item
        #expect(item.recurrence == "FREQ=DAILY")
        // The window is 35 days: one reminder per day in it, not one per day for ever.
        #expect((35...36).contains(item.reminders.count), "\(item.reminders.count) reminders")
        #expect(waitFor { (try? String(contentsOfFile: record, encoding: .utf8))?.contains("everyday") == true })
        let line = try #require(try String(contentsOfFile: record, encoding: .utf8).split(separator: "\n").first)
        let sent = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        #expect(sent["at"] as? String == DateOutput.iso8601(first, timeZone: zone).replacingOccurrences(of: ".000", with: ""))
        let next = try ctl(box, ["instances", "everyday", "--from", "today", "--to", "+3d"])
        #expect(next.out.split(separator: "\n").count >= 4, "\(next.out)")
    }

    @Test("a series that began weeks ago: list counts to its next meeting, finds it in any week, simulate shows each instance")
    func seriesInList() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let zone = TimeZone(identifier: "Asia/Bangkok")!
        let began = DateOutput.iso8601(Date().addingTimeInterval(-10 * 86_400), timeZone: zone)
        #expect(try ctl(box, ["add", "meeting", "ประชุมประจำสัปดาห์", "--at", began, "--repeat", "FREQ=WEEKLY", "--key", "weekly"]).status == 0)
        #expect(try ctl(box, ["add", "meeting", "ประชุมครั้งเดียว", "--at", "+2d", "--key", "single"]).status == 0)
        let list = try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(try ctl(box, ["list", "--json"]).out.utf8)).items
        let weekly = try #require(list.first { $0.key == "weekly" })
        #expect(weekly.next != nil && (0...7).contains(weekly.daysLeft), "counts to the next meeting: \(weekly.next ?? "-") \(weekly.daysLeft)")
        let overdue = try ctl(box, ["list", "--overdue", "--json"]).out
        #expect(!overdue.contains("\"weekly\""), "a running series is not overdue")
        let later = try JSONDecoder().decode(ControlAPI.ListItemsReply.self,
                                             from: Data(try ctl(box, ["list", "--from", "+60d", "--to", "+67d", "--json"]).out.utf8)).items
        #expect(later.map(\.key) == ["weekly"], "one of its meetings falls in any week; the single one does not")
        let simulated = try ctl(box, ["simulate", "--from", "+20d", "--to", "+41d", "--json"])
        let planned = try JSONDecoder().decode(ControlAPI.SimulateReply.self, from: Data(simulated.out.utf8)).reminders.filter { $0.key == "weekly" }
        #expect((5...7).contains(planned.count), "three weeks of a weekly meeting, two reminders each: \(planned.map(\.fireAt))")
        let table = try ctl(box, ["list", "--lang", "en"]).out
        #expect(table.contains("↻"), "\(table)")
        // Skipping the next meeting: it leaves the series, its reminders are dropped.
        let nextDay = String(try #require(weekly.next).prefix(10))
        let skipped = try ctl(box, ["update", "weekly", "--skip", nextDay, "--json"])
        let after = try JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(skipped.out.utf8)).item
        #expect(after.exceptions?.count == 1 && after.next != weekly.next, "\(skipped.err)")
        #expect(!after.reminders.contains { $0.state == .pending && $0.instance == weekly.next })
        #expect(!(try ctl(box, ["instances", "weekly", "--from", "today", "--to", "+14d"]).out.contains(nextDay)))
        let noMeeting = try ctl(box, ["update", "weekly", "--skip", DateOutput.iso8601(Date().addingTimeInterval(86_400 * 200 + 3600), timeZone: zone)])
        #expect(noMeeting.status != 0 && noMeeting.err.contains("no meeting of this series is then"), "\(noMeeting.err)")
        // "held" would end the series: refused, with what to do instead; cancel ends it.
        let held = try ctl(box, ["held", "weekly"])
        #expect(held.status != 0 && held.err.contains("not held as a whole"), "\(held.err)")
        #expect(try ctl(box, ["cancel", "weekly"]).status == 0)
        let cancelled = try JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(try ctl(box, ["get", "weekly", "--json"]).out.utf8)).item
        #expect(cancelled.state == .cancelled && !cancelled.reminders.contains { $0.state == .pending })
    }
}

/// An export's lines but DTSTAMP (the time of export) and LAST-MODIFIED (the time of the change),
/// which differ between two exports of the same items.
private func exportLines(_ path: String) throws -> [String] {
    try String(contentsOfFile: path, encoding: .utf8).components(separatedBy: "\r\n")
        .filter { !$0.hasPrefix("DTSTAMP:") && !$0.hasPrefix("LAST-MODIFIED:") }
}
