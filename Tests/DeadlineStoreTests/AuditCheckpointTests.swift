import Crypto
import DeadlineStore
import Foundation
import PostgresTestKit
import SQLiteStore
import Testing

/// Signed checkpoints: what the chain alone cannot show (a tail cut off, a chain rebuilt
/// whole) shows against a signature; a forged one is found; another key's is not trusted.
@Suite("Audit checkpoints: Ed25519 signatures over the chain's head")
struct AuditCheckpointTests {
    static let key = AuditSigningKey(privateKey: Curve25519.Signing.PrivateKey(), source: "test")
    static let at = Date(timeIntervalSince1970: 1_494_918_600)

    static func checkpoint(of links: [AuditChain.Link], at index: Int, key: AuditSigningKey = key) throws -> AuditCheckpoint {
        try key.checkpoint(seq: links[index].seq, hash: links[index].hash, at: at)
    }

    static func verify(_ links: some Sequence<AuditChain.Link>, _ checkpoints: [AuditCheckpoint], fromGenesis: Bool = true,
                       keys: [Curve25519.Signing.PublicKey] = [key.privateKey.publicKey]) -> AuditChain.Report {
        var v = AuditChain.Verifier(checkpoints: checkpoints, keys: keys, fromGenesis: fromGenesis)
        for link in links { guard v.add(link) else { break } }
        return v.finish()
    }

    @Test("a checkpoint holds for the entry it signs, and for no other fields")
    func signature() throws {
        let c = try Self.key.checkpoint(seq: 7, hash: String(repeating: "ab", count: 32), at: Self.at)
        #expect(c.isSigned(by: Self.key.privateKey.publicKey))
        var moved = c
        moved.seq = 6
        #expect(!moved.isSigned(by: Self.key.privateKey.publicKey))
        #expect(!c.isSigned(by: Curve25519.Signing.PrivateKey().publicKey))
    }

    @Test("a tail cut off, a chain rebuilt whole, a forged signature: each found; another key's checkpoint is counted, not trusted")
    func breaks() throws {
        let links = AuditChainTests.chain(6)
        let signed = [try Self.checkpoint(of: links, at: 2), try Self.checkpoint(of: links, at: 4)]
        let intact = Self.verify(links, signed)
        #expect(intact.firstBreak == nil && intact.checkpoints == 2 && intact.lastCheckpoint == signed[1] && intact.headSeq == 6)

        // Two entries cut off: a chain that holds, but the checkpoint of entry 5 has no entry.
        #expect(Self.verify(links.prefix(4), signed).firstBreak == .init(kind: .truncated, id: 40, seq: 5))

        // The chain rebuilt from entry 2 on with other content and every hash recomputed.
        var rebuilt = Array(links.prefix(1))
        for i in 2...6 {
            var e = AuditChainTests.entry(Int64(i * 10), target: "แผนใหม่ \(i)")
            e.at = links[i - 1].entry.at
            let hash = AuditChain.hash(e, seq: Int64(i), prev: rebuilt.last!.hash)
            rebuilt.append(.init(entry: e, seq: Int64(i), prev: rebuilt.last!.hash, hash: hash))
        }
        #expect(AuditChain.firstBreak(rebuilt) == nil)
        #expect(Self.verify(rebuilt, signed).firstBreak == .init(kind: .rewritten, id: 30, seq: 3))

        var forged = signed
        forged[0].hash = links[3].hash
        #expect(Self.verify(links, forged).firstBreak == .init(kind: .forgedCheckpoint, id: 30, seq: 3))

        let stranger = try Self.checkpoint(of: links, at: 5, key: AuditSigningKey(privateKey: .init(), source: "other"))
        let mixed = Self.verify(links.prefix(4), [signed[0], stranger])
        #expect(mixed.firstBreak == nil && mixed.otherKeys == 1 && mixed.checkpoints == 1)
    }

    @Test("after a key change the old key's checkpoints count when it is trusted, and a forgery in its name is still found")
    func rotation() throws {
        let links = AuditChainTests.chain(6)
        let old = AuditSigningKey(privateKey: .init(), source: "old")
        let signed = [try Self.checkpoint(of: links, at: 2, key: old), try Self.checkpoint(of: links, at: 4)]
        let keys = [Self.key.privateKey.publicKey, old.privateKey.publicKey]
        let both = Self.verify(links, signed, keys: keys)
        #expect(both.firstBreak == nil && both.checkpoints == 2 && both.otherKeys == 0)
        // A cut only the old key's checkpoint covers: found when that key is trusted, not otherwise.
        let cutOld = Self.verify(links.prefix(2), [signed[0]], keys: keys)
        #expect(cutOld.firstBreak == .init(kind: .truncated, id: 20, seq: 3))
        #expect(Self.verify(links.prefix(2), [signed[0]]).firstBreak == nil)
        var forged = signed[0]
        forged.hash = links[1].hash
        #expect(Self.verify(links, [forged], keys: keys).firstBreak == .init(kind: .forgedCheckpoint, id: 30, seq: 3))
    }

    @Test("a trail that starts after entry 1 is checked from its first entry; a checkpoint before it is outside, not a break")
    func partial() throws {
        let links = AuditChainTests.chain(6)
        let signed = [try Self.checkpoint(of: links, at: 1), try Self.checkpoint(of: links, at: 4)]
        let report = Self.verify(links.dropFirst(3), signed, fromGenesis: false)
        #expect(report.firstBreak == nil && report.entries == 3 && report.checkpoints == 1)
        #expect(Self.verify(links.dropFirst(3), signed).firstBreak?.kind == .missing)
    }

    @Test("Python's cryptography accepts the signature over the documented message")
    func independentSignature() throws {
        let c = try Self.key.checkpoint(seq: 12, hash: String(repeating: "cd", count: 32), at: Self.at)
        let script = """
            import base64, sys
            from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey
            def f(s): return str(len(s.encode())).encode() + b':' + s.encode() + b','
            key = Ed25519PublicKey.from_public_bytes(base64.b64decode('\(c.key)'))
            key.verify(base64.b64decode('\(c.signature)'), b'deadlined-checkpoint/1\\n' + f('12') + f('1494918600000') + f('\(c.hash)'))
            print('valid')
            """
        let (status, out) = try AuditChainTests.run(["python3", "-c", script])
        #expect(status == 0 && out == "valid\n", "\(out)")
    }

    @Test("a key file: made once (mode 0600, never over a file), read back the same; a bad one is refused with its path")
    func keyFile() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/audit-signing-key"
        let made = try AuditSigningKey.create(at: path)
        #expect(try AuditSigningKey.read(from: path).publicKeyText == made.publicKeyText)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o600)
        #expect(throws: AuditSigningKey.KeyError.self) { try AuditSigningKey.create(at: path) }
        try "not a key\n".write(toFile: dir.path + "/bad", atomically: true, encoding: .utf8)
        #expect { try AuditSigningKey.read(from: dir.path + "/bad") } throws: { "\($0)".contains(dir.path + "/bad") }
    }
}

/// Checkpoints kept by each backend, and found wanting after tampering with the backend's own SQL.
@Suite("Audit checkpoints in each store")
struct StoreAuditCheckpointTests {
    func tamper(_ backend: StoreBackend, _ dir: TemporaryDirectory, _ sql: String) throws {
        switch backend {
        case .sqlite: try SQLiteAuditChainTests().sqlite3(dir.path + "/store.sqlite", sql)
        case .postgresql: _ = try PostgresTestCluster.shared.get().psql(sql, database: dir.databaseName)
        }
    }

    @Test("none for an empty trail; one per head; entries cut off the end and a chain rebuilt whole are found", arguments: StoreBackend.allCases)
    func checkpoints(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        let key = AuditCheckpointTests.key, publicKey = AuditCheckpointTests.key.privateKey.publicKey
        #expect(try store.checkpointAudit(signingWith: key, at: AuditCheckpointTests.at) == nil)
        for i in 1...3 { try store.transaction { try $0.recordAudit(AuditChainTests.entry(Int64(i), target: "แผน \(i)")) } }
        let first = try #require(try store.checkpointAudit(signingWith: key, at: AuditCheckpointTests.at))
        #expect(first.seq == 3)
        #expect(try store.checkpointAudit(signingWith: key, at: Date()) == first, "the head has not moved: the same checkpoint")
        for i in 4...5 { try store.transaction { try $0.recordAudit(AuditChainTests.entry(Int64(i), target: "แผน \(i)")) } }
        #expect(try store.checkpointAudit(signingWith: key, at: Date())?.seq == 5)
        #expect(try store.auditCheckpoints().map(\.seq) == [3, 5])
        let intact = try store.verifyAudit(keys: [publicKey])
        #expect(intact.firstBreak == nil && intact.entries == 5 && intact.checkpoints == 2)

        try tamper(backend, dir, "DELETE FROM audit WHERE seq > 4")
        #expect(try store.auditChainBreak() == nil, "what is left still chains")
        #expect(try store.verifyAudit(keys: [publicKey]).firstBreak?.kind == .truncated)

        // Everything deleted and written again: a whole new chain that holds, against the old signatures.
        try tamper(backend, dir, "DELETE FROM audit")
        for i in 1...5 { try store.transaction { try $0.recordAudit(AuditChainTests.entry(Int64(i), target: "แผนอื่น \(i)")) } }
        #expect(try store.auditChainBreak() == nil)
        let rewritten = try #require(try store.verifyAudit(keys: [publicKey]).firstBreak)
        #expect(rewritten.kind == .rewritten && rewritten.seq == 3)
    }

    @Test("by time: the first entry from an instant on; the reminders' entries that may name an occurrence, from an instant on", arguments: StoreBackend.allCases)
    func byTime(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        // Entries 1…5, a second apart; then reminder batches at +10 s and +20 s.
        for i in 1...5 { try store.transaction { try $0.recordAudit(AuditChainTests.entry(Int64(i))) } }
        let start = AuditChainTests.entry(1).at
        #expect(try store.auditFirstID(atOrAfter: start.addingTimeInterval(-60)) == store.auditLinks(afterID: 0, limit: 1).first?.entry.id)
        let third = try #require(try store.auditLinks(afterID: 0, limit: 10).dropFirst(2).first)
        #expect(try store.auditFirstID(atOrAfter: start.addingTimeInterval(2)) == third.entry.id)
        #expect(try store.auditFirstID(atOrAfter: start.addingTimeInterval(3600)) == nil)

        for (offset, ids) in [(10.0, [12, 7] as [Int64]), (20.0, [1])] {
            let outcome = DeliveryOutcome(delivered: ids)
            try store.transaction { try $0.recordAudit(try #require(outcome.auditEntry(at: start.addingTimeInterval(offset)))) }
        }
        let mentioning1 = try store.auditReminderEntries(mentioning: [1], since: start, limit: 10).map { $0.entry.after ?? "" }
        #expect(mentioning1 == ["{\"sent\":[12,7]}", "{\"sent\":[1]}"], "a hint: 1 is among the digits of 12; the reader checks")
        #expect(try store.auditReminderEntries(mentioning: [7], since: start, limit: 10).map(\.entry.after) == ["{\"sent\":[12,7]}"])
        #expect(try store.auditReminderEntries(mentioning: [1], since: start.addingTimeInterval(15), limit: 10).count == 1)
        #expect(try store.auditReminderEntries(mentioning: [], since: start, limit: 10).isEmpty)
    }
}
