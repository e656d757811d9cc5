import Control
import Foundation
import Glibc
import Testing
import Varlink

/// Input meant to break things, through every way in: the control socket, the agenda and
/// iCalendar imports, files given to deadlinectl; and a disk that fills up under the store.
@Suite("Hostile input: NUL, terminal escapes, a full disk, keys that collide", .serialized)
struct HostileInputTests {
    func startDaemon(_ box: Sandbox, extra: [String: String] = [:]) throws -> RunningProcess {
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil, extra: extra))
        _ = try #require(daemon.waitForLine(containing: "ready;"), "daemon did not start: \(daemon.stderrLines.map(\.1))")
        return daemon
    }

    func ctl(_ box: Sandbox, _ arguments: [String]) throws -> (status: Int32?, out: String, err: String) {
        try deadlinectl(arguments + ["--socket", box.socket])
    }

    /// The error a call ends in (nil: it succeeded).
    func refusal(_ box: Sandbox, _ method: String, _ parameters: [String: String]) throws -> VarlinkError? {
        do {
            _ = try VarlinkClient(path: box.socket, timeout: 5).call("io.deadlined." + method, parameters)
            return nil
        } catch let error as VarlinkError {
            return error
        }
    }

    @Test("a NUL is refused, never cut: AddItem, Update, an agenda, an invitation, a file with a NUL byte; nothing is stored")
    func nul() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        for (field, value) in [("title", "before\u{0}after"), ("title", "\u{0}"), ("notes", "x\u{0}y"), ("location", "ห้อง\u{0}")] {
            var p = ["kind": "meeting", "title": "ประชุม", "at": "+3d"]
            p[field] = value
            let error = try refusal(box, "AddItem", p)
            #expect(error?.name == "org.varlink.service.InvalidParameter" && error?.parameters["parameter"]?.stringValue == field,
                    "\(field): \(error.map { "\($0)" } ?? "accepted")")
        }
        #expect(try ctl(box, ["add", "meeting", "ประชุมคณะทำงาน", "--at", "+3d", "--key", "ok"]).status == 0)
        let update = try refusal(box, "Update", ["key": "ok", "title": "a\u{0}b"])
        #expect(update?.parameters["parameter"]?.stringValue == "title", "\(update.map { "\($0)" } ?? "accepted")")

        let agenda = "meetings:\n  - key: nul\n    title: \"before\\0after\"\n    at: 2027-06-01T09:00\n"
        let fromAgenda = try refusal(box, "Import", ["name": "a.yaml", "content": agenda])
        #expect(fromAgenda?.name == "io.deadlined.InvalidFile" && fromAgenda?.parameters["message"]?.stringValue?.contains("control character") == true,
                "\(fromAgenda.map { "\($0)" } ?? "accepted")")
        let invitation = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:n@x\r\nDTSTART:20270601T020000Z\r\n"
            + "SUMMARY:before\u{0}after\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        let fromICS = try refusal(box, "Import", ["name": "n.ics", "content": invitation])
        #expect(fromICS?.parameters["location"]?.stringValue == "n.ics:7" && fromICS?.parameters["message"]?.stringValue?.contains("U+0000") == true, "\(fromICS.map { "\($0)" } ?? "accepted")")

        // deadlinectl reads a file as text or says where it is not.
        let file = box.path + "/agenda.yaml"
        try Data("meetings:\n  - key: k\n    title: ab\u{0}cd\n".utf8).write(to: URL(fileURLWithPath: file))
        let fromFile = try ctl(box, ["import", file])
        #expect(fromFile.status != 0 && fromFile.err.contains("\(file):3:14: a NUL byte"), "\(fromFile.err)")
        try Data([0x6d, 0x3a, 0x0a, 0x20, 0xff, 0x0a]).write(to: URL(fileURLWithPath: file))
        let notUTF8 = try ctl(box, ["import", file])
        #expect(notUTF8.err.contains("\(file):2:2: a byte that is not UTF-8"), "\(notUTF8.err)")
        let directory = try ctl(box, ["import", box.path])
        #expect(directory.err.contains("is a directory"), "\(directory.err)")

        let items = try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(try ctl(box, ["list", "--json"]).out.utf8)).items
        #expect(items.map(\.key) == ["ok"] && items.first?.title == "ประชุมคณะทำงาน", "\(items.map(\.title))")
    }

    @Test("limits are named: a 5,000-character title, a date in year 0000")
    func limits() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let long = try ctl(box, ["add", "meeting", String(repeating: "ก", count: 5000), "--at", "+3d"])
        #expect(long.status != 0 && long.err.contains("invalid value for 'title'") && long.err.contains("1 to 500 characters"), "\(long.err)")
        let zero = try ctl(box, ["add", "deadline", "ส่งแผน", "--due", "0000-05-16"])
        #expect(zero.status != 0 && zero.err.contains("the year 0 is outside 1900–2200 (พ.ศ. 2443–2743)"), "\(zero.err)")
        let agenda = box.path + "/far.yaml"
        try "deadlines:\n  - key: far\n    title: ส่งแผน\n    due: 2999-01-01\n".write(toFile: agenda, atomically: true, encoding: .utf8)
        let far = try ctl(box, ["import", agenda])
        #expect(far.status != 0 && far.err.contains("2999"), "\(far.err)")
    }

    @Test("a config that is not UTF-8, or a directory, is refused with where: --check-config exits 78")
    func badConfigFiles() throws {
        try Binaries.require()
        let box = try Sandbox()
        let config = box.path + "/bad.yaml"
        try Data("control:\n  group: ad\u{e1}min\n".utf8.map { $0 } .replacingLatin1()).write(to: URL(fileURLWithPath: config))
        for (path, message) in [(config, "\(config):2:12: a byte that is not UTF-8"), (box.path, "\(box.path): is a directory, not a file")] {
            let check = try RunningProcess(Binaries.deadlined, ["--check-config", "--config", path], environment: box.environment(notifySocket: nil))
            #expect(check.waitForExit(timeout: 20) == 78)
            #expect(check.stderrLines.contains { $0.1.contains(message) }, "\(check.stderrLines.map(\.1))")
        }
    }

    @Test("a channel's error holding terminal escapes is shown as \\u{1b} by list; --json keeps it exact")
    func escapes() throws {
        try Binaries.require()
        let box = try Sandbox()
        // The hook fails without reading its stdin: the daemon must live through that too.
        let hook = box.path + "/hook.sh"
        try "#!/bin/sh\nprintf 'boom\\033[2J\\033]0;owned\\007\\n' >&2\nexit 3\n".write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        try box.writeConfig("""
            channels:
              hook:
                type: command
                command: \(hook)
            delivery:
              channels: hook
            """)
        let daemon = try startDaemon(box, extra: ["DEADLINED_DELIVERY_RETRY_DELAY": "30"])
        defer { daemon.ensureStopped() }
        #expect(try ctl(box, ["add", "deadline", "ส่งรายงาน", "--due", "+1m", "--remind", "1m", "--key", "report"]).status == 0)
        var shown = ""
        #expect(waitFor({ shown = (try? ctl(box, ["list"]).out) ?? ""; return shown.contains("retrying") }, timeout: 30), "\(shown)")
        #expect(shown.contains("boom\\u{1b}[2J\\u{1b}]0;owned\\u{7}"), "\(shown)")
        #expect(!shown.unicodeScalars.contains("\u{1b}") && !shown.unicodeScalars.contains("\u{7}"), "no raw control character reaches the terminal")
        let json = try ctl(box, ["list", "--json"]).out
        let items = try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(json.utf8)).items
        #expect(items.first?.reminders.contains { $0.lastError?.contains("boom\u{1b}[2J") == true } == true, "\(json)")
        #expect(try ctl(box, ["status"]).status == 0, "the daemon still answers: \(daemon.stderrLines.suffix(5).map(\.1))")
    }

    @Test("keys made automatically never collide with one given by hand")
    func automaticKeys() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        // The second item's automatic key would be d2.
        #expect(try ctl(box, ["add", "deadline", "ส่งแผน", "--due", "+10d", "--key", "d2"]).status == 0)
        for n in 0..<3 {
            let add = try ctl(box, ["add", "deadline", "ส่งรายงาน \(n)", "--due", "+10d"])
            #expect(add.status == 0, "\(add.err)")
            #expect(!add.err.contains("SQLite") && !add.err.contains("UNIQUE"))
        }
        let keys = try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(try ctl(box, ["list", "--json"]).out.utf8)).items.map(\.key)
        #expect(Set(keys) == ["d2", "d2-1", "d3", "d4"], "\(keys)")
    }

    @Test("a full disk under the store: a clear error, nothing changed, status and check say it")
    func fullDisk() throws {
        try Binaries.require()
        try #require(getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/unshare"), "needs root and unshare for a tmpfs")
        let box = try Sandbox()
        try FileManager.default.createDirectory(atPath: box.state, withIntermediateDirectories: true)
        // The state directory is a 2 MiB tmpfs in a mount namespace of the daemon's own.
        let script = "mount -t tmpfs -o size=2m tmpfs \"$STATE_DIRECTORY\" && exec \"$0\""
        let daemon = try RunningProcess("/usr/bin/unshare", ["-m", "/bin/sh", "-c", script, Binaries.deadlined],
                                        environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"), "daemon did not start: \(daemon.stderrLines.map(\.1))")
        let notes = String(repeating: "บันทึกการประชุม ", count: 600)
        var refused: (status: Int32?, out: String, err: String)?
        var added = 0
        for n in 0..<200 {
            let r = try ctl(box, ["add", "meeting", "ประชุม \(n)", "--at", "+\(n % 20 + 1)d", "--notes", notes, "--key", "m-\(n)"])
            if r.status != 0 { refused = r; break }
            added += 1
        }
        let error = try #require(refused, "2 MiB never filled up")
        #expect(error.err.contains("the store's file system is full: nothing was changed"), "\(error.err)")
        #expect(!error.err.contains("SQLite") && !error.err.lowercased().contains("disk is full"), "\(error.err)")
        #expect(added > 3, "the store took \(added) items before it filled up")
        print("full disk: a 2 MiB tmpfs took \(added) items of \(notes.utf8.count / 1024) KiB notes; the next: \(error.err.trimmingCharacters(in: .whitespacesAndNewlines))")
        // The refused item is not there; the daemon still answers, and says what is wrong.
        #expect(try ctl(box, ["get", "m-\(added)"]).status != 0)
        let status = try ctl(box, ["status"])
        #expect(status.status == 0 && status.out.contains("file system is full since"), "\(status.out)")
        let check = try ctl(box, ["check"])
        #expect(check.status == 2 && check.out.contains("file system is full"), "\(check.out)")
    }
}

private extension Array where Element == UInt8 {
    /// UTF-8 `á` (C3 A1) as Latin-1 (E1): a file saved in the wrong encoding.
    func replacingLatin1() -> [UInt8] {
        var out: [UInt8] = []
        var i = 0
        while i < count {
            if self[i] == 0xC3, i + 1 < count, self[i + 1] == 0xA1 { out.append(0xE1); i += 2 } else { out.append(self[i]); i += 1 }
        }
        return out
    }
}
