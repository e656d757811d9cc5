import Control
import ControlTestKit
import Foundation
import Glibc
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization
import Testing
import Varlink

/// Runs a VarlinkServer on a Unix socket in a temporary directory for one test.
func withServer(maxMessageBytes: Int = 4096, service: VarlinkService = ControlAPI.service(StubHandler(), version: "t"),
                _ body: (String) async throws -> Void) async throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dl-srv-\(UUID().uuidString.prefix(8))").path
    try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let path = dir + "/control.sock"
    let listening = Mutex(false)
    let server = VarlinkServer(listener: .path(path), service: service,
                               maxMessageBytes: maxMessageBytes, logger: Logger(label: "test"),
                               onListening: { listening.withLock { $0 = true } })
    try await withThrowingTaskGroup(of: Void.self) { group in
        group.addTask { try await server.run() }
        for _ in 0..<200 where !listening.withLock({ $0 }) { try await Task.sleep(for: .milliseconds(10)) }
        try #require(listening.withLock { $0 })
        try await body(path)
        group.cancelAll()
    }
}

/// Runs blocking socket work on a plain thread, so it never holds a thread of the
/// cooperative pool that the server's own tasks need.
func blocking<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
    try await NIOThreadPool.singleton.runIfActive(body)
}

/// A raw client: sends bytes, reads until NUL or end of stream.
struct RawConnection: Sendable {
    let fd: Int32
    init(path: String) throws {
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        var tv = timeval(tv_sec: 20, tv_usec: 0)   // generous: the parallel suite loads the machine
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(r == 0)
    }
    func send(_ bytes: [UInt8]) { _ = bytes.withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) } }
    /// The next message, or nil when the server closed the connection.
    func receive() -> String? {
        var out: [UInt8] = []
        var byte: UInt8 = 0
        while recv(fd, &byte, 1, 0) == 1 {
            if byte == 0 { return String(decoding: out, as: UTF8.self) }
            out.append(byte)
        }
        return nil
    }
    func close() { Glibc.close(fd) }
}

@Suite("Control server on a Unix socket")
struct ControlServerTests {
    @Test("answers pipelined calls in order over one connection")
    func pipelined() async throws {
        try await withServer { path in
            let replies = try await blocking {
                let c = try RawConnection(path: path)
                defer { c.close() }
                c.send(Array(#"{"method":"io.deadlined.Status"}"#.utf8) + [0] + Array(#"{"method":"org.varlink.service.GetInfo"}"#.utf8) + [0])
                return [c.receive(), c.receive()]
            }
            #expect(replies[0]?.contains(#""pending":2"#) == true)
            #expect(replies[1]?.contains(#""interfaces""#) == true)
        }
    }

    @Test("invalid JSON or an oversized message closes that connection only; the server serves on",
          arguments: [Array("garbage".utf8) + [0], [UInt8](repeating: 0x41, count: 5000)])
    func badInputClosesConnection(bad: [UInt8]) async throws {
        try await withServer(maxMessageBytes: 4096) { path in
            let (closed, bystanderReply, product) = try await blocking {
                let bystander = try RawConnection(path: path)
                defer { bystander.close() }
                let c = try RawConnection(path: path)
                c.send(bad)
                let closed = c.receive() == nil
                c.close()
                bystander.send(Array(#"{"method":"io.deadlined.Status"}"#.utf8) + [0])
                let reply = bystander.receive()
                let info = try VarlinkClient(path: path).call("org.varlink.service.GetInfo", [String: String]())
                return (closed, reply, info["product"]?.stringValue)
            }
            #expect(closed, "the server closes the offending connection")
            #expect(bystanderReply?.contains(#""version":"9.9""#) == true)
            #expect(product == "deadlined")
        }
    }

    @Test("the Swift client reports Varlink errors as VarlinkError")
    func clientErrors() async throws {
        try await withServer { path in
            let (error, reply) = try await blocking {
                let client = try VarlinkClient(path: path)
                var caught: VarlinkError?
                do { _ = try client.call("io.deadlined.Nope", [String: String]()) } catch let e as VarlinkError { caught = e }
                return (caught, try client.call("io.deadlined.Status", ControlAPI.NoParameters(), as: ControlAPI.StatusReply.self))
            }
            #expect(error == VarlinkError.methodNotFound("io.deadlined.Nope"))
            #expect(reply.pending == 2)
        }
    }

    @Test("removes its socket file when it stops")
    func cleansUp() async throws {
        var socketPath = ""
        try await withServer { path in
            socketPath = path
            #expect(FileManager.default.fileExists(atPath: path))
        }
        // The server task was cancelled; give it a moment to unlink.
        for _ in 0..<100 where FileManager.default.fileExists(atPath: socketPath) { try await Task.sleep(for: .milliseconds(10)) }
        #expect(!FileManager.default.fileExists(atPath: socketPath))
    }
}
