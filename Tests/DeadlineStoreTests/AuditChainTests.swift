import DeadlineStore
import Foundation
import Testing

/// The hash chain itself: each kind of tampering is found where it happened, and the hash is
/// what an independent program computes from the documented encoding.
@Suite("Audit chain: links, breaks and the canonical encoding")
struct AuditChainTests {
    static func entry(_ id: Int64, target: String = "plan-2560", after: String? = "{\"due\":\"2017-05-16\"}") -> AuditEntry {
        AuditEntry(id: id, at: Date(timeIntervalSince1970: 1_494_918_000 + Double(id)), uid: 1000, pid: 4242, command: "deadlinectl",
                   method: "io.deadlined.AddItem", target: target, before: nil, after: after)
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
        let p = Process()
        p.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        p.arguments = ["python3", "-c", script]
        let out = Pipe()
        p.standardOutput = out
        try p.run()
        p.waitUntilExit()
        let python = String(decoding: out.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(p.terminationStatus == 0)
        #expect(python == AuditChain.hash(e, seq: 3, prev: prev))
    }
}
