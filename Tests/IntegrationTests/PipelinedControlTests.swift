import Control
import DeadlineCore
import Foundation
import Glibc
import Testing
import Varlink

/// A client that pipelines changes and reads to the real daemon sees what it would see calling
/// one at a time: each call acts on what the calls before it did.
@Suite("Pipelined calls to the daemon")
struct PipelinedControlTests {
    /// Sends all `calls` in one write, then reads as many replies (nil: the connection closed).
    func pipeline(_ calls: [String], to socket: String) throws -> [String?] {
        let fd = ConnectionLimitTests.connect(socket)
        try #require(fd >= 0)
        defer { close(fd) }
        var tv = timeval(tv_sec: 20, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let bytes: [UInt8] = calls.flatMap { call -> [UInt8] in Array(call.utf8) + [0] }
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            try #require(n > 0)
            offset += n
        }
        var replies: [String?] = [], current: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 65536)
        while replies.count < calls.count {
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n <= 0 { break }
            for byte in chunk[..<n] {
                if byte == 0 { replies.append(String(decoding: current, as: UTF8.self)); current = [] } else { current.append(byte) }
            }
        }
        return replies + Array(repeating: nil, count: calls.count - replies.count)
    }

    @Test("add, acknowledge, get, a second add of the same key, remove and get, sent at once: each acts on what the ones before it did")
    func actsInOrder() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let add = #"{"method":"io.deadlined.AddItem","parameters":{"kind":"deadline","title":"ส่งแผน","at":"+30d","key":"p1"}}"#
        let replies = try pipeline([
            add,
            #"{"method":"io.deadlined.Acknowledge","parameters":{"key":"p1","state":"submitted","by":"สมศรี"}}"#,
            #"{"method":"io.deadlined.Get","parameters":{"key":"p1"}}"#,
            add,
            #"{"method":"io.deadlined.Remove","parameters":{"key":"p1"}}"#,
            #"{"method":"io.deadlined.Get","parameters":{"key":"p1"}}"#,
            add,
        ], to: box.socket)
        #expect(replies[0]?.contains(#""state":"open""#) == true, "\(replies[0] ?? "closed") \(daemon.stderrLines.suffix(5).map(\.1))")
        #expect(replies[1]?.contains(#""state":"submitted""#) == true, "\(replies[1] ?? "closed")")
        #expect(replies[2]?.contains(#""state":"submitted""#) == true, "\(replies[2] ?? "closed")")
        #expect(replies[3]?.contains("io.deadlined.") == true && replies[3]?.contains(#""error""#) == true, "\(replies[3] ?? "closed")")
        #expect(replies[4]?.contains(#""key":"p1""#) == true && replies[4]?.contains(#""error""#) == false, "\(replies[4] ?? "closed")")
        #expect(replies[5]?.contains("io.deadlined.NoSuchItem") == true, "\(replies[5] ?? "closed")")
        #expect(replies[6]?.contains(#""state":"open""#) == true, "\(replies[6] ?? "closed")")
        let audit = try VarlinkClient(path: box.socket).call(ControlAPI.audit, ControlAPI.AuditParameters(limit: 20)).entries
        // Newest first.
        #expect(audit.map(\.method) == ["AddItem", "Remove", "Acknowledge", "AddItem"])
    }

    @Test("500 adds pipelined over one connection: each answered once stored, in the order sent, every one listed after")
    func manyAdds() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let client = try VarlinkClient(path: box.socket, timeout: 30)
        let items = (0..<500).map { ControlAPI.AddItemParameters(kind: .deadline, title: "งาน \($0)", at: "+\(10 + $0 % 50)d", key: "k\($0)") }
        let replies = try client.pipeline(ControlAPI.addItem, items, window: 100)
        #expect(try replies.map { try $0.get().item.key } == items.map { $0.key! })
        let listed = try client.call(ControlAPI.listItems, ControlAPI.ListParameters()).items
        #expect(Set(listed.map(\.key)) == Set(items.map { $0.key! }))
    }
}
