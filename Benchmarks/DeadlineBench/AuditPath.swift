import ArgumentParser
import DeadlineCore
import DeadlineStore
import Foundation
import Glibc
import SQLiteStore

/// n. The audit chain: what it adds to a change's transaction, and how long checking a million
/// entries takes — in the store, and offline on an export with deadlinectl and with Python.
struct AuditPath: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "audit", abstract: "The audit chain's cost per change, and verifying a million entries.")
    @Option var entries = 1_000_000
    @Option(help: "Bytes of the after-state JSON of each entry (an item as the trail keeps it is 1–3 KB).") var size = 600
    @Option var rounds = 5

    static func entry(_ i: Int, after: String) -> AuditEntry {
        AuditEntry(at: Date(timeIntervalSince1970: 1_494_918_000 + Double(i)), uid: 1000, pid: 4242, command: "deadlinectl", method: "AddItem",
                   target: "plan-\(i)", before: nil, after: after)
    }

    func run() throws {
        let dir = try scratch("audit")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = dir + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        let key = try AuditSigningKey.create(at: state + "/audit-signing-key")
        let after = "{\"title\":\"" + String(repeating: "ส", count: max(0, (size - 12) / 3)) + "\"}"
        func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

        // Per change, side by side in one store: a transaction with one chained entry, and one
        // with a one-row write of the same kind of size (what a transaction costs without it).
        let side = try SQLiteStore(path: dir + "/side.sqlite")
        var chained: [Double] = [], plain: [Double] = [], hashing: [Double] = []
        for _ in 0..<rounds {
            var t0 = Date()
            for i in 0..<2000 { try side.transaction { try $0.recordAudit(Self.entry(i, after: after)) } }
            chained.append(Date().timeIntervalSince(t0) / 2000)
            t0 = Date()
            for i in 0..<2000 { try side.setDaemonState("bench-\(i % 64)", after) }
            plain.append(Date().timeIntervalSince(t0) / 2000)
            let e = Self.entry(1, after: after)
            t0 = Date()
            var h = AuditChain.genesis
            for i in 0..<20_000 { h = AuditChain.hash(e, seq: Int64(i), prev: h) }
            hashing.append(Date().timeIntervalSince(t0) / 20_000)
        }

        // A million entries, a checkpoint every 100,000, then the checks.
        let path = state + "/deadlined.sqlite"
        let store = try SQLiteStore(path: path)
        var t0 = Date()
        var written = 0
        while written < entries {
            let n = min(10_000, entries - written)
            try store.transaction { txn in for i in 0..<n { try txn.recordAudit(Self.entry(written + i, after: after)) } }
            written += n
            if written % 100_000 == 0 || written == entries { _ = try store.checkpointAudit(signingWith: key, at: Date()) }
        }
        let fill = Date().timeIntervalSince(t0)
        t0 = Date()
        let report = try store.verifyAudit(keys: [key.privateKey.publicKey])
        let inStore = Date().timeIntervalSince(t0)
        precondition(report.firstBreak == nil && report.entries == entries, "the bench's own chain must hold: \(report)")

        let daemon = BenchDaemon(in: dir)
        defer { daemon.stop() }
        let file = dir + "/trail.jsonl"
        func timed(_ path: String, _ args: [String]) -> (Double, Int32) {
            let t = Date()
            let status = runCommand(path, args)
            return (Date().timeIntervalSince(t), status)
        }
        let (daemonVerify, dv) = timed(sibling("deadlinectl"), ["audit", "verify", "--socket", daemon.socket])
        let (export, ex) = timed(sibling("deadlinectl"), ["audit", "export", "-o", file, "--socket", daemon.socket])
        let bytes = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
        let (offline, ov) = timed(sibling("deadlinectl"), ["audit", "verify", file, "--key", key.publicKeyText])
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/verify-audit-export.py").path
        let (python, pv) = timed("python3", [script, file, "--key", key.publicKeyText])

        func us(_ s: Double) -> String { String(format: "%.1f µs", s * 1e6) }
        func s(_ t: Double, _ status: Int32) -> String { String(format: "%.1f s", t) + (status == 0 ? "" : " (exit \(status))") }
        table("n. audit chain: \(rounds) rounds side by side, medians; then \(entries) entries of ~\(size) bytes, SQLite", [
            ("transaction with one chained entry", us(median(chained))),
            ("transaction with a one-row write instead", us(median(plain))),
            ("of which SHA-256 of an entry", us(median(hashing))),
            ("fill \(entries) (10,000 a transaction)", String(format: "%.1f s (%.0f entries/s)", fill, Double(entries) / fill)),
            ("verify in the store (chain + \(report.checkpoints) checkpoints)", String(format: "%.1f s", inStore)),
            ("deadlinectl audit verify (daemon side)", s(daemonVerify, dv)),
            ("deadlinectl audit export", s(export, ex) + String(format: ", %.0f MB", Double(bytes) / 1e6)),
            ("deadlinectl audit verify FILE --key (offline)", s(offline, ov)),
            ("python3 docs/verify-audit-export.py", s(python, pv)),
        ])
    }
}
