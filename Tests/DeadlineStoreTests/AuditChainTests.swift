import DeadlineStore
import Foundation
import PostgresTestKit
import SQLiteStore
import Testing

/// The hash chain itself: each kind of tampering is found where it happened, and the hash is
/// what an independent program computes from the documented encoding.
@Suite("Audit chain: links, breaks and the canonical encoding")
struct AuditChainTests {
    static func entry(_ id: Int64, target: String = "plan-2560", after: String? = "{\"due\":\"2017-05-16\"}") -> AuditEntry {
        AuditEntry(id: id, at: Date(timeIntervalSince1970: 1_494_918_000 + Double(id)), uid: 1000, pid: 4242, command: "deadlinectl",
                   method: "io.deadlined.AddItem", target: target, before: nil, after: after)
    }

    /// A program from PATH, run to its end: its exit status and standard output.
    static func run(_ command: [String]) throws -> (status: Int32, out: String) {
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = command
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        let text = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        p.waitUntilExit()
        return (p.terminationStatus, text)
    }

    static func chain(_ count: Int) -> [AuditChain.Link] {
        var links: [AuditChain.Link] = []
        var prev = AuditChain.genesis
        for i in 1...count {
            let e = entry(Int64(i * 10), target: "ส่งแผน \(i)")
            let hash = AuditChain.hash(e, seq: Int64(i), prev: prev)
            links.append(.init(entry: e, seq: Int64(i), prev: prev, hash: hash))
            prev = hash
        }
        return links
    }

    @Test("an intact chain has no break; an edit, a deletion, an insertion, a move and a re-hashed edit are each found where they are")
    func breaks() {
        let links = Self.chain(5)
        #expect(AuditChain.firstBreak(links) == nil)

        var edited = links
        edited[2].entry.target = "ส่งแผน 99"
        #expect(AuditChain.firstBreak(edited) == .init(kind: .edited, id: 30, seq: 3))

        var deleted = links
        deleted.remove(at: 1)
        #expect(AuditChain.firstBreak(deleted) == .init(kind: .missing, id: 30, seq: 2))

        var inserted = links
        inserted.insert(links[1], at: 3)
        #expect(AuditChain.firstBreak(inserted) == .init(kind: .inserted, id: 20, seq: 4))

        var moved = links
        moved.swapAt(1, 2)
        #expect(AuditChain.firstBreak(moved) == .init(kind: .missing, id: 30, seq: 2))

        // Whoever edits and recomputes the entry's own hash still breaks the next link.
        var rehashed = links
        rehashed[2].entry.after = "{\"due\":\"2017-06-30\"}"
        rehashed[2].hash = AuditChain.hash(rehashed[2].entry, seq: 3, prev: rehashed[2].prev)
        #expect(AuditChain.firstBreak(rehashed) == .init(kind: .brokenLink, id: 40, seq: 4))

        // A truncated tail is a shorter chain that holds: only a signed checkpoint can tell.
        #expect(AuditChain.firstBreak(links.dropLast(2)) == nil)
    }

    @Test("the hash is what Python's hashlib computes from the documented encoding")
    func independentHash() throws {
        let e = Self.entry(7, target: "แผน ป.ป.ช.")
        let prev = String(repeating: "ab", count: 32)
        let script = """
            import hashlib, sys
            def f(s): return b'~,' if s is None else str(len(s.encode())).encode() + b':' + s.encode() + b','
            fields = ['3', '1494918007000', '1000', '4242', 'deadlinectl', 'io.deadlined.AddItem', 'แผน ป.ป.ช.', None, '{"due":"2017-05-16"}', '\(prev)']
            sys.stdout.write(hashlib.sha256(b'deadlined-audit/1\\n' + b''.join(f(x) for x in fields)).hexdigest())
            """
        let (status, python) = try Self.run(["python3", "-c", script])
        #expect(status == 0)
        #expect(python == AuditChain.hash(e, seq: 3, prev: prev))
    }
}

/// The chain in a real SQLite file, tampered with by the `sqlite3` tool on copies of it, as
/// someone with write access to the file would.
@Suite("Audit chain in the SQLite store: tampering with sqlite3")
struct SQLiteAuditChainTests {
    func sqlite3(_ path: String, _ sql: String) throws {
        #expect(try AuditChainTests.run(["sqlite3", path, sql]).status == 0, "sqlite3 \(sql)")
    }

    @Test("each entry is linked as it is written; an edit, a deletion, an insertion and a move made with sqlite3 are found where they are")
    func tampering() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/store.sqlite"
        do {
            let store = try SQLiteStore(path: path)
            for i in 1...5 { try store.transaction { try $0.recordAudit(AuditChainTests.entry(Int64(i), target: "แผน \(i)")) } }
            #expect(try store.auditChainBreak() == nil)
        }
        try sqlite3(path, "PRAGMA wal_checkpoint(TRUNCATE)")
        let cases: [(String, AuditChain.Break)] = [
            ("UPDATE audit SET after = '{\"due\":\"2017-06-30\"}' WHERE seq = 3", .init(kind: .edited, id: 3, seq: 3)),
            ("DELETE FROM audit WHERE seq = 2", .init(kind: .missing, id: 3, seq: 2)),
            ("INSERT INTO audit (at_ms, uid, pid, command, method, target, before, after, seq, prev_hash, hash) SELECT at_ms, uid, pid, command, method, target, before, after, seq, prev_hash, hash FROM audit WHERE seq = 2",
             .init(kind: .inserted, id: 6, seq: 6)),
            ("UPDATE audit SET id = -id WHERE seq IN (2, 3); UPDATE audit SET id = 5 + id WHERE id IN (-2, -3)", .init(kind: .missing, id: 2, seq: 2)),
        ]
        for (n, (sql, expected)) in cases.enumerated() {
            let copy = dir.path + "/copy\(n).sqlite"
            try FileManager.default.copyItem(atPath: path, toPath: copy)
            try sqlite3(copy, sql)
            #expect(try SQLiteStore(path: copy).auditChainBreak() == expected, "\(sql)")
        }
    }
}

/// The chain through the store protocol, on each backend.
@Suite("Audit chain on each backend")
struct StoreAuditChainTests {
    @Test("entries written through the store are linked; an edit with the backend's own SQL is found", arguments: StoreBackend.allCases)
    func linked(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        for i in 1...4 { try store.transaction { try $0.recordAudit(AuditChainTests.entry(Int64(i), target: "แผน \(i)")) } }
        #expect(try store.auditChainBreak() == nil)
        let edit = "UPDATE audit SET target = 'แผน 9' WHERE seq = 2"
        switch backend {
        case .sqlite: try SQLiteAuditChainTests().sqlite3(dir.path + "/store.sqlite", edit)
        case .postgresql: _ = try PostgresTestCluster.shared.get().psql(edit, database: dir.databaseName)
        }
        let found = try #require(try store.auditChainBreak())
        #expect(found.kind == .edited && found.seq == 2)
    }

    @Test("two nodes writing at once on PostgreSQL keep one chain")
    func oneChainAcrossNodes() async throws {
        let dir = try TemporaryDirectory()
        let a = try StoreBackend.postgresql.open(in: dir)
        let b = try StoreBackend.postgresql.open(in: dir)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for store in [a, b] {
                group.addTask {
                    for i in 1...20 { try store.transaction { try $0.recordAudit(AuditChainTests.entry(Int64(i))) } }
                }
            }
            try await group.waitForAll()
        }
        #expect(try a.auditLog(limit: 100).count == 40)
        #expect(try a.auditChainBreak() == nil)
    }
}

extension SQLiteAuditChainTests {
    /// `docs/verify-audit.py` on a store: its exit status and what it printed.
    func independentVerify(_ path: String) throws -> (Int32, String) {
        let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/verify-audit.py").path
        return try AuditChainTests.run(["python3", script, path])
    }

    @Test("the documented Python script agrees with the store: an intact chain holds, an edit is found at the same entry")
    func independentScriptAgrees() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/store.sqlite"
        do {
            let store = try SQLiteStore(path: path)
            for i in 1...5 { try store.transaction { try $0.recordAudit(AuditChainTests.entry(Int64(i), target: "แผน \(i)")) } }
        }
        try sqlite3(path, "PRAGMA wal_checkpoint(TRUNCATE)")
        let intact = try independentVerify(path)
        #expect(intact.0 == 0 && intact.1.hasPrefix("ok: 5 entries"), "\(intact.1)")
        try sqlite3(path, "UPDATE audit SET uid = 0 WHERE seq = 4")
        let edited = try independentVerify(path)
        #expect(edited.0 == 1 && edited.1.contains("expected entry 4") && edited.1.contains("edited"), "\(edited.1)")
        #expect(try SQLiteStore(path: path).auditChainBreak() == .init(kind: .edited, id: 4, seq: 4))
    }
}
