import Control
import Foundation
import Glibc
import Testing
import Varlink

/// Access control from SO_PEERCRED, against the real binary, with deadlinectl run as a user
/// made for the test (`useradd`, then `setpriv` to drop to it).
@Suite("Control socket permissions", .serialized)
struct PermissionTests {
    static let user = "dltest"
    static let member = "dltestmember"
    static let group = "dltestgrp"

    /// Creates the users and the group once; a test machine keeps them (they own nothing).
    /// Membership is read from the group database, as an admin grants it (`usermod -aG`).
    static func ensureAccounts() throws -> (outsider: (uid_t, gid_t), member: (uid_t, gid_t)) {
        hostFilesLock.lock()
        defer { hostFilesLock.unlock() }
        if Caller.groupID(named: group) == nil { _ = try run("/usr/sbin/groupadd", [group]) }
        if getpwnam(user) == nil { _ = try run("/usr/sbin/useradd", ["--no-create-home", "--shell", "/usr/sbin/nologin", user]) }
        if getpwnam(member) == nil {
            _ = try run("/usr/sbin/useradd", ["--no-create-home", "--shell", "/usr/sbin/nologin", "--groups", group, member])
        }
        let pw = try #require(getpwnam(user), "could not create user \(user)")
        let outsider = (pw.pointee.pw_uid, pw.pointee.pw_gid)
        let pm = try #require(getpwnam(member), "could not create user \(member)")
        return (outsider, (pm.pointee.pw_uid, pm.pointee.pw_gid))
    }

    static func run(_ program: String, _ args: [String]) throws -> Int32? {
        let p = try RunningProcess(program, args, environment: ["PATH": "/usr/sbin:/usr/bin:/bin"])
        return p.waitForExit()
    }

    /// deadlinectl as a test user.
    func asUser(_ args: [String], _ user: (uid_t, gid_t)) throws -> (status: Int32?, out: String, err: String) {
        let p = try RunningProcess("/usr/bin/setpriv", ["--reuid=\(user.0)", "--regid=\(user.1)", "--init-groups", Binaries.deadlinectl] + args,
                                   environment: ["PATH": "/usr/bin:/bin"])
        let status = p.waitForExit()
        return (status, p.stdout, p.stderrLines.map(\.1).joined(separator: "\n"))
    }

    @Test("reading is open, changing needs root or the group; refusals are logged with uid and pid; changes are audited")
    func permissions() throws {
        try Binaries.require()
        try #require(getuid() == 0, "needs root to create a user")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv is not installed (util-linux)")
        let (outsider, member) = try Self.ensureAccounts()
        let uid = outsider.0
        let box = try Sandbox()
        try box.writeConfig("control:\n  group: \(Self.group)\n")
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"), "\(daemon.stderrLines.map(\.1))")
        #expect(daemon.stderrLines.contains { $0.1.contains("root and group \(Self.group)") })
        // Bound by the daemon itself, the socket is as the socket unit makes it: 0660, the group's.
        var info = stat()
        #expect(stat(box.socket, &info) == 0 && info.st_mode & 0o777 == 0o660, "mode \(String(info.st_mode & 0o777, radix: 8))")
        #expect(info.st_gid == Caller.groupID(named: Self.group), "group \(info.st_gid)")
        #expect(stat(box.runtime, &info) == 0 && info.st_mode & 0o001 != 0, "its directory can be passed")
        // Let the test user reach the socket; the permission check is the daemon's, not the file's.
        for path in [box.path, box.runtime] { chmod(path, 0o755) }
        chmod(box.socket, 0o666)

        let status = try asUser(["status", "--socket", box.socket], outsider)
        #expect(status.status == 0, "\(status.err)")
        let add = try asUser(["add", "deadline", "ส่งแผน", "--due", "+7d", "--key", "plan-1", "--socket", box.socket], outsider)
        #expect(add.status != 0)
        #expect(add.err.contains("PermissionDenied"), "\(add.err)")
        let refusal = try #require(daemon.waitForLine(containing: "refused io.deadlined.AddItem", timeout: 5))
        #expect(refusal.1.contains("uid \(uid)") && refusal.1.contains("(deadlinectl)") && refusal.1.contains("pid "), "\(refusal.1)")
        let list = try asUser(["list", "--json", "--socket", box.socket], outsider)
        #expect(list.status == 0 && !list.out.contains("plan-1"), "nothing was added: \(list.out)")

        let allowed = try asUser(["add", "deadline", "ส่งแผน", "--due", "+7d", "--key", "plan-1", "--socket", box.socket], member)
        #expect(allowed.status == 0, "a member of the group may add: \(allowed.err)")
        let submit = try deadlinectl(["submit", "plan-1", "--socket", box.socket])
        #expect(submit.status == 0, "root may change: \(submit.err)")
        let auditDenied = try asUser(["audit", "--socket", box.socket], outsider)
        #expect(auditDenied.status != 0 && auditDenied.err.contains("PermissionDenied"))

        let audit = try deadlinectl(["audit", "--json", "--socket", box.socket])
        // The daemon's own entries (the reminders already past, missed) aside: the callers' changes.
        let entries = try JSONDecoder().decode(ControlAPI.AuditReply.self, from: Data(audit.out.utf8)).entries.filter { $0.command != "deadlined" }
        #expect(entries.map(\.method) == ["Acknowledge", "AddItem"], "\(entries)")
        #expect(entries.last?.uid == Int(member.0) && entries.last?.command == "deadlinectl")
        #expect(entries.last?.after?.contains("\"key\":\"plan-1\"") == true, "\(entries.last?.after ?? "")")
        #expect(entries.first?.uid == 0)
        #expect(entries.first?.before == #"{"state":"open"}"# && entries.first?.after == #"{"state":"submitted"}"#)
    }

    @Test("a message past max_message_bytes closes an outsider's connection, while a member may send up to max_change_message_bytes")
    func largerMessagesForChangers() throws {
        try #require(getuid() == 0, "needs root to create a user")
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv"), "setpriv is not installed (util-linux)")
        let (outsider, member) = try Self.ensureAccounts()
        let box = try Sandbox()
        try box.writeConfig("control:\n  group: \(Self.group)\n  max_message_bytes: 65536\n  max_change_message_bytes: 1048576\n")
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        for path in [box.path, box.runtime] { chmod(path, 0o755) }
        chmod(box.socket, 0o666)
        // About 150 KB of registry, over 200 KB as sent (base64).
        let rows = (1...1500).map { "\(4_100_000 + $0),องค์การบริหารส่วนตำบลทดสอบที่\($0),อบต.,ขอนแก่น,ชุมแพ,saraban.\($0)@example.org" }
        let csv = box.path + "/big.csv"
        try (["code,name,type,province,district,email"] + rows).joined(separator: "\n").write(toFile: csv, atomically: true, encoding: .utf8)
        chmod(csv, 0o644)

        let refused = try asUser(["org", "import", csv, "--socket", box.socket], outsider)
        #expect(refused.status != 0)
        #expect(!refused.err.contains("PermissionDenied"), "closed for its size before any permission check: \(refused.err)")
        #expect(refused.err.contains("control.max_change_message_bytes"), "the hint names the limit: \(refused.err)")
        let accepted = try asUser(["org", "import", csv, "--socket", box.socket], member)
        #expect(accepted.status == 0, "\(accepted.err)")
        #expect(accepted.out.contains("1500 added"), "\(accepted.out)")
    }
}
