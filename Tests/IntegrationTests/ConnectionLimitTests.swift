import Control
import Foundation
import Glibc
import Testing
import Varlink

/// The control socket under many connections, against the real binary.
@Suite("Control socket limits", .serialized)
struct ConnectionLimitTests {
    /// A raw connection that says nothing.
    static func connect(_ path: String) -> Int32 {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            let bytes = Array(path.utf8)
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if r != 0 { close(fd); return -1 }
        return fd
    }

    /// True once the daemon has closed `fd` (a read gives end of file), waiting up to `timeout`.
    static func closedByPeer(_ fd: Int32, timeout: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        guard poll(&p, 1, timeout) == 1 else { return false }
        var byte: UInt8 = 0
        return read(fd, &byte, 1) == 0
    }

    @Test("a thousand idle connections do not keep a new client from being served; idle ones are closed")
    func thousandIdle() throws {
        try Binaries.require()
        let box = try Sandbox()
        try box.writeConfig("control:\n  max_connections: 100\n  idle_timeout: 3\n")
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        var idle: [Int32] = []
        defer { for fd in idle { close(fd) } }
        for _ in 0..<1000 {
            let fd = Self.connect(box.socket)
            try #require(fd >= 0, "connect failed: \(String(cString: strerror(errno)))")
            idle.append(fd)
        }
        let started = Date()
        let client = try VarlinkClient(path: box.socket, timeout: 5)
        let status = try client.call(ControlAPI.status, ControlAPI.NoParameters())
        let took = Date().timeIntervalSince(started)
        #expect(status.version.isEmpty == false)
        #expect(took < 2, "Status took \(took) s behind 1000 idle connections")
        // The oldest idle connections gave way.
        #expect(Self.closedByPeer(idle[0], timeout: 2000), "the connection idle longest is still open")
        // A connection with nothing in flight is closed after idle_timeout (3 s); a busy one is not.
        let lateFD = Self.connect(box.socket)
        defer { close(lateFD) }
        #expect(!Self.closedByPeer(lateFD, timeout: 1000), "closed before its idle timeout")
        #expect(Self.closedByPeer(lateFD, timeout: 5000), "not closed after its idle timeout")
        // The first client sat idle as long: it was closed too, and a new one is served.
        #expect(throws: (any Error).self) { _ = try client.callUntyped(ControlAPI.status, ControlAPI.NoParameters()) }
        _ = try VarlinkClient(path: box.socket, timeout: 5).callUntyped(ControlAPI.status, ControlAPI.NoParameters())
    }
}
