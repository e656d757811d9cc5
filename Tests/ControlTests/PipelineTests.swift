import Foundation
import Synchronization
import Testing
import Varlink

/// Pipelined methods over a real socket: which calls run side by side, and that replies keep
/// the order of the calls.
@Suite("Pipelined calls on one connection")
struct PipelineTests {
    struct Number: Codable, Sendable { var n: Int }
    struct Seen: Codable, Sendable {
        var n: Int
        /// How many calls were running when this one had waited for company.
        var together: Int
    }

    /// Counts the calls running now, the most at once, and those finished.
    final class Tally: Sendable {
        private let state = Mutex<(running: Int, most: Int, finished: Int)>((0, 0, 0))
        func enter() -> Int { state.withLock { s in s.running += 1; s.most = max(s.most, s.running); return s.running } }
        func leave() { state.withLock { s in s.running -= 1; s.finished += 1 } }
        var running: Int { state.withLock { $0.running } }
        var most: Int { state.withLock { $0.most } }
        var finished: Int { state.withLock { $0.finished } }
    }

    /// `t.Join` takes its place and waits (up to 5 s) for `company` calls to run with it, then
    /// the lower numbers wait longer: answered in reverse unless the connection keeps order.
    /// `t.Stay` is pipelined but never takes its place; `t.Finished` is sequential.
    static func service(_ tally: Tally, company: Int) -> VarlinkService {
        var i = VarlinkInterface(name: "t", description: "interface t\n")
        let join: @Sendable (Number) async throws -> Seen = { p in
            if p.n < 0 { throw VarlinkError.invalidParameter("n") }
            PlaceInLine.current?.taken()
            _ = tally.enter()
            defer { tally.leave() }
            for _ in 0..<500 where tally.running < company { try await Task.sleep(for: .milliseconds(10)) }
            let together = tally.running
            try await Task.sleep(for: .milliseconds(10 * (company - p.n)))
            return Seen(n: p.n, together: together)
        }
        i.method("Join", Number.self, ordering: .pipelined, join)
        i.method("Stay", Number.self, ordering: .pipelined) { p in
            _ = tally.enter()
            defer { tally.leave() }
            try await Task.sleep(for: .milliseconds(20))
            return Seen(n: p.n, together: tally.running)
        }
        i.method("Finished", Number.self) { _ in Number(n: tally.finished) }
        return VarlinkService(vendor: "t", product: "t", version: "1", url: "", interfaces: [i], mapError: { _ in .methodNotFound("?") })
    }

    @Test("calls of a pipelined method run side by side once each is in line; replies come in the order sent, and a sequential call waits for them all")
    func sideBySide() async throws {
        let tally = Tally()
        try await withServer(service: Self.service(tally, company: 3)) { path in
            let (seen, finished) = try await blocking {
                let client = try VarlinkClient(path: path, timeout: 20)
                let seen = try client.pipeline("t.Join", [0, 1, 2].map(Number.init), as: Seen.self)
                return (seen, try client.call("t.Finished", Number(n: 0), as: Number.self).n)
            }
            #expect(try seen.map { try $0.get().n } == [0, 1, 2])
            #expect(try seen.map { try $0.get().together } == [3, 3, 3])
            #expect(finished == 3)
        }
        #expect(tally.most == 3)
    }

    @Test("a sequential call in a pipeline waits for the calls before it, and the calls after it wait for it")
    func sequentialBarrier() async throws {
        let tally = Tally()
        try await withServer(service: Self.service(tally, company: 2)) { path in
            let replies = try await blocking {
                let c = try RawConnection(path: path)
                defer { c.close() }
                let calls = [#"{"method":"t.Join","parameters":{"n":0}}"#, #"{"method":"t.Join","parameters":{"n":1}}"#,
                             #"{"method":"t.Finished","parameters":{"n":0}}"#, #"{"method":"t.Join","parameters":{"n":-1}}"#,
                             #"{"method":"t.Finished","parameters":{"n":0}}"#]
                c.send(calls.flatMap { Array($0.utf8) + [0] })
                return calls.map { _ in c.receive() }
            }
            #expect(replies[0]?.contains(#""n":0"#) == true && replies[0]?.contains(#""together":2"#) == true, "\(replies)")
            #expect(replies[1]?.contains(#""n":1"#) == true, "\(replies)")
            #expect(replies[2] == #"{"parameters":{"n":2}}"#)
            #expect(replies[3]?.contains("InvalidParameter") == true, "\(replies)")
            #expect(replies[4] == #"{"parameters":{"n":2}}"#)
        }
    }

    @Test("a pipelined method that never takes its place runs its calls one after the other")
    func neverInLine() async throws {
        let tally = Tally()
        try await withServer(service: Self.service(tally, company: 1)) { path in
            let seen = try await blocking {
                try VarlinkClient(path: path, timeout: 20).pipeline("t.Stay", (0..<4).map(Number.init), as: Seen.self)
            }
            #expect(try seen.map { try $0.get().n } == [0, 1, 2, 3])
        }
        #expect(tally.most == 1)
    }
}
