import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// Get, Remove and Backup through deadlinectl against the real daemon.
@Suite("Control methods: get, remove, backup")
struct ControlMethodTests {
    @Test("get shows an item; backup copies the store while running; remove deletes it and its reminders")
    func getRemoveBackup() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        #expect(try deadlinectl(["add", "deadline", "ส่งแผน ป.ป.ช.", "--due", "+30d", "--key", "nacc", "--socket", box.socket]).status == 0)

        let get = try deadlinectl(["get", "nacc", "--json", "--socket", box.socket])
        let item = try JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(get.out.utf8)).item
        #expect(item.key == "nacc" && item.title == "ส่งแผน ป.ป.ช." && !item.reminders.isEmpty)

        let copy = box.path + "/backup.sqlite"
        let backup = try deadlinectl(["backup", copy, "--socket", box.socket])
        #expect(backup.status == 0, "\(backup.err)")
        #expect(!FileManager.default.fileExists(atPath: copy + ".partial"))
        let relative = try deadlinectl(["backup", "backup.sqlite", "--socket", box.socket])
        #expect(relative.status != 0 && relative.err.contains("path"), "\(relative.err)")

        let removed = try deadlinectl(["remove", "nacc", "--socket", box.socket])
        #expect(removed.status == 0 && removed.out.contains("removed deadline nacc"), "\(removed.out)")
        let gone = try deadlinectl(["get", "nacc", "--socket", box.socket])
        #expect(gone.status != 0 && gone.err.contains("nacc"), "\(gone.err)")
        let status = try JSONDecoder().decode(ControlAPI.StatusReply.self,
                                              from: Data(try deadlinectl(["status", "--json", "--socket", box.socket]).out.utf8))
        #expect(status.items == 0 && status.pending == 0, "its reminders went with it")

        // The backup is a store another daemon opens, with the item in it.
        let other = try Sandbox()
        let restored = try RunningProcess(Binaries.deadlined, [], environment: other.environment(notifySocket: nil, extra: ["DEADLINED_STORE_PATH": copy]))
        defer { restored.ensureStopped() }
        _ = try #require(restored.waitForLine(containing: "ready;"), "\(restored.stderrLines.map(\.1))")
        let list = try deadlinectl(["get", "nacc", "--socket", other.socket])
        #expect(list.status == 0 && list.out.contains("nacc: deadline 'ส่งแผน ป.ป.ช.'"), "\(list.out) \(list.err)")
    }

    @Test("shell completions come from the command definitions, every command included")
    func completions() throws {
        try Binaries.require()
        for shell in ["bash", "zsh", "fish"] {
            let r = try deadlinectl(["--generate-completion-script", shell])
            #expect(r.status == 0)
            for command in ["status", "test-channel", "watch", "check", "backup", "audit"] {
                #expect(r.out.contains(command), "\(shell) completion lacks \(command)")
            }
        }
    }

    @Test("list filters: kind, state, tag, window and overdue, applied by the daemon")
    func listFilters() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let today = LocalDate(Date(), in: TimeZone(identifier: "Asia/Bangkok")!)
        func add(_ args: [String]) throws { #expect(try deadlinectl(["add"] + args + ["--socket", box.socket]).status == 0) }
        try add(["meeting", "ประชุม", "--at", "\(today.adding(days: 10)) 14:00", "--key", "m", "--tag", "nacc"])
        try add(["deadline", "soon", "--due", today.adding(days: 3).description, "--key", "soon"])
        try add(["deadline", "late", "--due", today.adding(days: -3).description, "--key", "late"])
        try add(["deadline", "done", "--due", today.adding(days: 5).description, "--key", "done"])
        _ = try deadlinectl(["submit", "done", "--socket", box.socket])
        func keys(_ args: [String]) throws -> [String] {
            let r = try deadlinectl(["list", "--json"] + args + ["--socket", box.socket])
            return try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(r.out.utf8)).items.map(\.key)
        }
        #expect(try keys([]) == ["late", "soon", "m"])
        #expect(try keys(["--kind", "deadline"]) == ["late", "soon"])
        #expect(try keys(["--state", "submitted"]) == ["done"])
        #expect(try keys(["--tag", "nacc"]) == ["m"])
        #expect(try keys(["--overdue"]) == ["late"])
        #expect(try keys(["--all", "--from", today.adding(days: 2).description, "--to", today.adding(days: 5).description]) == ["soon", "done"])
        let bad = try deadlinectl(["list", "--from", "someday", "--socket", box.socket])
        #expect(bad.status != 0 && bad.err.contains("someday"), "\(bad.err)")
    }

    @Test("update changes only the fields given, replans a moved date, and is audited")
    func update() throws {
        try Binaries.require()
        let box = try Sandbox()
        // Reminders stay where they fall (no weekend shift), so the expected instants are exact.
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil, extra: ["DEADLINED_RULES_SHIFT": "keep"]))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let today = LocalDate(Date(), in: TimeZone(identifier: "Asia/Bangkok")!)
        #expect(try deadlinectl(["add", "meeting", "ประชุม", "--at", "\(today.adding(days: 30)) 14:00", "--remind", "2h",
                                 "--key", "wg", "--tag", "nacc", "--socket", box.socket]).status == 0)
        let moved = try deadlinectl(["update", "wg", "--at", "\(today.adding(days: 40)) 14:00", "--title", "ประชุม (เลื่อน)",
                                     "--json", "--socket", box.socket])
        #expect(moved.status == 0, "\(moved.err)")
        let item = try JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(moved.out.utf8)).item
        #expect(item.title == "ประชุม (เลื่อน)" && item.at == "\(today.adding(days: 40))T14:00:00+07:00" && item.tags == ["nacc"])
        #expect(item.reminders.filter { $0.state == .pending }.map(\.fireAt) == ["\(today.adding(days: 40))T12:00:00+07:00"])
        #expect(item.reminders.filter { $0.state == .cancelled }.map(\.fireAt) == ["\(today.adding(days: 30))T12:00:00+07:00"])
        let bad = try deadlinectl(["update", "wg", "--at", "never", "--socket", box.socket])
        #expect(bad.status != 0 && bad.err.contains("never"))
        let missing = try deadlinectl(["update", "nope", "--title", "x", "--socket", box.socket])
        #expect(missing.status != 0 && missing.err.contains("nope"))
        let audit = try deadlinectl(["audit", "--json", "--socket", box.socket])
        let entries = try JSONDecoder().decode(ControlAPI.AuditReply.self, from: Data(audit.out.utf8)).entries
        #expect(entries.first?.method == "Update" && entries.first?.before?.contains("\"title\":\"ประชุม\"") == true, "\(entries.first.debugDescription)")
    }
}
