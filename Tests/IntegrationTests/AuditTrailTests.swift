import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// The audit trail as an auditor meets it: exported from a running daemon, checked offline by
/// `deadlinectl` and by the documented Python script, tampered with in the file and in the
/// store; and a daemon killed in the middle of changes.
@Suite("Audit trail: export, offline verification, tampering, kill -9")
struct AuditTrailTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/verify-audit-export.py").path

    /// deadlinectl's verdict on a file and the Python script's, each as "kind at entry seq" or "ok".
    static func verdicts(_ file: String, keys: [String], in box: Sandbox) throws -> (swift: String, python: String) {
        let options = keys.flatMap { ["--key", $0] }
        let ctl = try box.ctl(["audit", "verify", file, "--json"] + options)
        let reply = try JSONDecoder().decode(ControlAPI.AuditVerifyReply.self, from: Data(ctl.out.utf8))
        #expect(ctl.status == (reply.broken == nil ? 0 : 1), "\(ctl.err)")
        let py = try RunningProcess(try python3(), [script, file] + options, environment: ["PATH": "/usr/bin:/bin"])
        let status = py.waitForExit(timeout: 30)
        let out = py.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(status == (out.hasPrefix("ok") ? 0 : 1), "\(out) \(py.stderrLines.map(\.1))")
        let swift = reply.broken.map { "\($0.kind) at entry \($0.seq)" } ?? "ok"
        return (swift, out.hasPrefix("broken: ") ? String(out.dropFirst("broken: ".count)) : out.hasPrefix("ok") ? "ok" : out)
    }

    @Test("an export verifies offline with deadlinectl and with Python's cryptography; each tampering of the file is found by both at the same entry")
    func exportVerifiedOffline() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        for i in 1...6 { #expect(try box.ctl(["add", "deadline", "ส่งแผน \(i)", "--due", "+\(20 + i)d", "--remind", "1d", "--key", "p\(i)"]).status == 0) }
        #expect(try box.ctl(["update", "p2", "--at", "+40d"]).status == 0)
        #expect(try box.ctl(["audit", "checkpoint"]).out.hasPrefix("signed entry 7"))
        #expect(try box.ctl(["remove", "p3"]).status == 0)
        let file = box.path + "/audit.jsonl"
        let export = try box.ctl(["audit", "export", "-o", file])
        #expect(export.out.contains("wrote 8 entries and 2 checkpoint(s)"), "\(export.out) \(export.err)")
        #expect(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int == 0o600, "the trail is for its reader alone")
        // Days in this machine's zone, as deadlinectl reads them.
        let today = LocalDate(Date(), in: .current)
        let windowed = try box.ctl(["audit", "export", "-o", box.path + "/today.jsonl", "--from", "\(today)", "--to", "\(today)"])
        #expect(windowed.out.contains("wrote 8 entries and 2 checkpoint(s)"), "\(windowed.out) \(windowed.err)")
        let later = try box.ctl(["audit", "export", "-o", box.path + "/later.jsonl", "--from", "\(today.adding(days: 1))"])
        #expect(later.out.contains("wrote 0 entries and 0 checkpoint(s)"), "\(later.out) \(later.err)")
        let bad = try box.ctl(["audit", "export", "-o", box.path + "/bad.jsonl", "--from", "16/05/2560"])
        #expect(bad.status != 0 && bad.err.contains("--from '16/05/2560': expected a day, YYYY-MM-DD"), "\(bad.err)")
        #expect(!FileManager.default.fileExists(atPath: box.path + "/bad.jsonl") && !FileManager.default.fileExists(atPath: box.path + "/bad.jsonl.partial"))
        let key = try box.ctl(["audit", "key"]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        let daemonSide = try box.ctl(["audit", "verify"])
        #expect(daemonSide.status == 0 && daemonSide.out.contains("ok: 8 entries") && daemonSide.out.contains("2 signed checkpoint(s) hold"), "\(daemonSide.out)")

        let lines = try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").map(String.init)
        #expect(lines.count == 10)
        let intact = try Self.verdicts(file, keys: [key], in: box)
        #expect(intact.swift == "ok" && intact.python == "ok", "\(intact)")

        // Lines: entries 1…7, the checkpoint of 7, entry 8, the checkpoint of 8.
        func edited(_ line: Int, _ change: (inout [String: Any]) -> Void) -> String {
            var object = try! JSONSerialization.jsonObject(with: Data(lines[line].utf8)) as! [String: Any]
            change(&object)
            return String(decoding: try! JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
        }
        var cases: [(String, [String], String)] = []
        cases.append(("an entry edited", lines.enumerated().map { $0.offset == 1 ? edited(1) { $0["uid"] = 4242 } : $0.element }, "edited at entry 2"))
        cases.append(("an entry deleted", lines.enumerated().filter { $0.offset != 2 }.map(\.element), "missing at entry 3"))
        cases.append(("an entry inserted", Array(lines[0...3]) + [lines[1]] + Array(lines[4...]), "inserted at entry 5"))
        cases.append(("two entries swapped", [lines[0], lines[2], lines[1]] + Array(lines[3...]), "missing at entry 2"))
        cases.append(("the last entry cut off", Array(lines[0...7]) + [lines[9]], "truncated at entry 8"))
        cases.append(("a signature changed", lines.enumerated().map {
            $0.offset == 7 ? edited(7) { $0["signature"] = String(repeating: "A", count: 86) + "==" } : $0.element
        }, "forged checkpoint at entry 7"))
        for (what, tampered, expected) in cases {
            let path = box.path + "/tampered.jsonl"
            try (tampered.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
            let v = try Self.verdicts(path, keys: [key], in: box)
            #expect(v.swift == expected && v.python == expected, "\(what): deadlinectl \(v.swift), python \(v.python)")
        }
        let otherKey = try box.ctl(["audit", "verify", file, "--key", String(repeating: "B", count: 43) + "="])
        #expect(otherKey.status == 0 && otherKey.out.contains("2 checkpoint(s) signed by a key not trusted"), "\(otherKey.out) \(otherKey.err)")
    }

    @Test("the key from a systemd credential; a stop signs the head; the tail cut with sqlite3 while stopped is found after the restart")
    func storeTamperedWhileStopped() throws {
        let box = try Sandbox()
        let credentials = box.path + "/credentials"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        let made = try box.ctl(["audit", "key", "--new", credentials + "/deadlined_audit-signing-key"])
        #expect(made.status == 0, "\(made.err)")
        let env = ["CREDENTIALS_DIRECTORY": credentials]
        var daemon = try box.startDaemon(extra: env)
        defer { daemon.ensureStopped() }
        let key = try JSONDecoder().decode(ControlAPI.AuditKeyReply.self, from: Data(try box.ctl(["audit", "key", "--json"]).out.utf8))
        #expect(key.key == made.out.trimmingCharacters(in: .whitespacesAndNewlines) && key.source.hasPrefix(credentials))
        #expect(!FileManager.default.fileExists(atPath: box.state + "/audit-signing-key"), "no key beside the store when a credential is passed")
        for i in 1...4 { #expect(try box.ctl(["add", "deadline", "แผน \(i)", "--due", "+\(20 + i)d", "--remind", "1d"]).status == 0) }
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 20) == 0)

        let store = box.state + "/deadlined.sqlite"
        let sqlite = try RunningProcess("/usr/bin/sqlite3", [store, "DELETE FROM audit WHERE seq = 4"], environment: [:])
        #expect(sqlite.waitForExit(timeout: 20) == 0, "\(sqlite.stderrLines.map(\.1))")
        daemon = try box.startDaemon(extra: env)
        let verify = try box.ctl(["audit", "verify"])
        #expect(verify.status == 1 && verify.out.contains("BROKEN: the trail ends before entry 4"), "\(verify.out) \(verify.err)")
    }

    @Test("a key change: the old key's checkpoints count once it is in audit.trusted_keys, daemon side and offline; a bad one is refused at start")
    func keyChange() throws {
        let box = try Sandbox()
        let credentials = box.path + "/credentials", credential = box.path + "/credentials/deadlined_audit-signing-key"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        let old = try box.ctl(["audit", "key", "--new", credential]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        var env = ["CREDENTIALS_DIRECTORY": credentials]
        var daemon = try box.startDaemon(extra: env)
        defer { daemon.ensureStopped() }
        for i in 1...3 { #expect(try box.ctl(["add", "deadline", "แผน \(i)", "--due", "+\(20 + i)d", "--remind", "1d"]).status == 0) }
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 20) == 0)

        // The new key in the old one's place, as docs/audit.md says.
        try FileManager.default.removeItem(atPath: credential)
        let new = try box.ctl(["audit", "key", "--new", credential]).out.trimmingCharacters(in: .whitespacesAndNewlines)
        func verify() throws -> ControlAPI.AuditVerifyReply {
            try JSONDecoder().decode(ControlAPI.AuditVerifyReply.self, from: Data(try box.ctl(["audit", "verify", "--json"]).out.utf8))
        }
        daemon = try box.startDaemon(extra: env)
        #expect(try box.ctl(["add", "deadline", "แผน 4", "--due", "+30d", "--remind", "1d"]).status == 0)
        #expect(try box.ctl(["audit", "checkpoint"]).status == 0)
        let untrusted = try verify()
        #expect(untrusted.broken == nil && untrusted.checkpoints == 1 && untrusted.otherKeys == 1, "\(untrusted)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit(timeout: 20) == 0)

        env["DEADLINED_AUDIT_TRUSTED_KEYS"] = "not-a-key"
        let refused = try RunningProcess(Binaries.deadlined, ["--check-config"], environment: box.environment(notifySocket: nil, extra: env))
        #expect(refused.waitForExit() == 78)
        #expect(refused.waitForLine(containing: "'not-a-key' is not a public key", timeout: 2) != nil, "\(refused.stderrLines.map(\.1))")
        #expect(refused.stderrLines.contains { $0.1.contains("DEADLINED_AUDIT_TRUSTED_KEYS") || $0.1.contains("audit.trusted_keys") })

        env["DEADLINED_AUDIT_TRUSTED_KEYS"] = old
        daemon = try box.startDaemon(extra: env)
        let trusted = try verify()
        #expect(trusted.broken == nil && trusted.checkpoints == 2 && trusted.otherKeys == 0 && trusted.headSeq == 4, "\(trusted)")
        let file = box.path + "/audit.jsonl"
        #expect(try box.ctl(["audit", "export", "-o", file]).status == 0)
        let both = try Self.verdicts(file, keys: [new, old], in: box)
        #expect(both.swift == "ok" && both.python == "ok", "\(both)")
        let offline = try box.ctl(["audit", "verify", file, "--key", new, "--key", old])
        #expect(offline.out.contains("2 signed checkpoint(s) hold"), "\(offline.out)")
    }

    @Test("kill -9 while changes are being made: the chain holds after the restart, and each item added has its entry")
    func killedDuringChanges() throws {
        let box = try Sandbox()
        var daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        // Four clients adding as fast as they can, until the daemon goes.
        let adders = try (1...4).map { n in
            try RunningProcess("/bin/sh", ["-c", """
                i=0; while [ $i -lt 400 ]; do i=$((i+1)); "\(Binaries.deadlinectl)" --socket "\(box.socket)" add deadline "แผน \(n)-$i" --due +30d --remind 1d >/dev/null 2>&1 || exit 0; done
                """], environment: ["PATH": "/usr/bin:/bin"])
        }
        func items() -> Int {
            (try? JSONDecoder().decode(ControlAPI.StatusReply.self, from: Data(try box.ctl(["status", "--json"]).out.utf8)).items) ?? 0
        }
        #expect(waitFor({ items() >= 40 }, timeout: 60), "the adders got going")
        daemon.signal(SIGKILL)
        #expect(daemon.waitForExit(timeout: 10) != nil)
        for a in adders { _ = a.waitForExit(timeout: 60) }
        daemon = try box.startDaemon()
        let verify = try box.ctl(["audit", "verify", "--json"])
        let reply = try JSONDecoder().decode(ControlAPI.AuditVerifyReply.self, from: Data(verify.out.utf8))
        #expect(reply.broken == nil && reply.entries > 0, "\(verify.out)")
        let audit = try JSONDecoder().decode(ControlAPI.AuditReply.self, from: Data(try box.ctl(["audit", "--json", "--limit", "10000"]).out.utf8))
        #expect(items() == audit.entries.filter { $0.method == "AddItem" }.count, "every item added has its audit entry, and no entry is without its item")
        print("audit: kill -9 after \(reply.entries) changes; the chain holds")
    }

    @Test("audit log KEY: every change of one item, its import among them, with the due date before and after, in English and in Thai")
    func itemHistory() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        #expect(try box.ctl(["add", "deadline", "ส่งแผน ป.ป.ช.", "--due", "2027-01-10", "--key", "nacc"]).status == 0)
        #expect(try box.ctl(["add", "deadline", "อื่น", "--due", "2027-02-10", "--key", "nacc2"]).status == 0)
        #expect(try box.ctl(["update", "nacc", "--at", "2027-01-20"]).status == 0)
        let agenda = box.path + "/agenda.yaml"
        try "deadlines:\n  - key: nacc\n    title: ส่งแผน ป.ป.ช.\n    due: 2027-01-25\n".write(toFile: agenda, atomically: true, encoding: .utf8)
        #expect(try box.ctl(["import", agenda]).status == 0)
        #expect(try box.ctl(["submit", "nacc"]).status == 0)

        let json = try box.ctl(["audit", "log", "nacc", "--json"])
        let reply = try JSONDecoder().decode(ControlAPI.AuditHistoryReply.self, from: Data(json.out.utf8))
        #expect(reply.changes.map(\.method) == ["AddItem", "Update", "Import", "Acknowledge"], "nacc2 is another item: \(reply.changes)")
        #expect(reply.changes[1].dueBefore == "2027-01-10" && reply.changes[1].dueAfter == "2027-01-20")
        #expect(reply.changes[2].subject == agenda && reply.changes[2].stateAfter == "updated")
        #expect(reply.changes[3].stateBefore == "open" && reply.changes[3].stateAfter == "submitted")
        #expect(reply.changes.allSatisfy { $0.uid == Int(getuid()) && $0.command == "deadlinectl" && $0.user != nil })

        let english = try box.ctl(["audit", "log", "nacc", "--lang", "en"]).out
        #expect(english.contains("Sunday 10 January 2027 → Wednesday 20 January 2027") && english.contains("imported from \(agenda)")
                && english.contains("open → submitted"), "\(english)")
        let thai = try box.ctl(["audit", "log", "nacc", "--lang", "th"]).out
        #expect(thai.contains("วันอาทิตย์ที่ 10 มกราคม 2570 → วันพุธที่ 20 มกราคม 2570") && thai.contains("นำเข้าจาก \(agenda)")
                && thai.contains("เปิดอยู่ → ส่งแล้ว"), "\(thai)")
        let none = try box.ctl(["audit", "log", "nope", "--lang", "en"])
        #expect(none.status == 0 && none.out.contains("no change of nope on record"))
    }

    @Test("what the daemon does itself is on the chain: a reminder sent, a reload on SIGHUP")
    func daemonsOwnActions() throws {
        let box = try Sandbox()
        let delivered = box.path + "/delivered.jsonl"
        try box.fileChannelConfig(delivered)
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        #expect(try box.ctl(["add", "deadline", "ส่งรายงาน", "--due", "+1m", "--remind", "1m", "--key", "report"]).status == 0)
        func entries() -> [ControlAPI.AuditReply.Entry] {
            (try? JSONDecoder().decode(ControlAPI.AuditReply.self, from: Data(try box.ctl(["audit", "--json"]).out.utf8)).entries) ?? []
        }
        #expect(waitFor({ entries().contains { $0.method == "Reminders" } }, timeout: 30), "\(entries().map(\.method))")
        let sent = try #require(entries().first { $0.method == "Reminders" })
        let reminder = try #require(try JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(try box.ctl(["get", "report", "--json"]).out.utf8))
            .item.reminders.first)
        #expect(sent.command == "deadlined" && sent.after == "{\"sent\":[\(reminder.id)]}", "\(sent)")
        let history = try JSONDecoder().decode(ControlAPI.AuditHistoryReply.self, from: Data(try box.ctl(["audit", "log", "report", "--json"]).out.utf8))
        #expect(history.changes.map(\.method) == ["AddItem", "Reminders"] && history.changes[1].stateAfter == "sent"
                && history.changes[1].subject == reminder.label && history.changes[1].command == "deadlined", "\(history.changes)")
        let thai = try box.ctl(["audit", "log", "report", "--lang", "th"]).out
        #expect(thai.contains("คำเตือน \(reminder.label)") && thai.contains("ส่งเตือนแล้ว"), "\(thai)")
        daemon.signal(SIGHUP)
        #expect(waitFor({ entries().contains { $0.method == "Reload" && $0.command == "SIGHUP" } }, timeout: 30))
        let verify = try box.ctl(["audit", "verify"])
        #expect(verify.status == 0 && verify.out.contains("ok: 3 entries"), "\(verify.out)")
    }
}
