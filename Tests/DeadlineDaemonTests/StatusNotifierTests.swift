import Foundation
import Glibc
import Systemd
import Testing

/// STATUS= over a real datagram socket: coalesced, never blocking, never retried for ever.
@Suite("Status notifier")
struct StatusNotifierTests {
    /// A bound datagram socket, read only when the test says so.
    final class Manager {
        let path: String
        let fd: Int32
        init() throws {
            path = FileManager.default.temporaryDirectory.appendingPathComponent("notify-\(UUID().uuidString.prefix(8)).sock").path
            fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
            let r = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
            }
            try #require(r == 0)
        }
        deinit { close(fd); unlink(path) }

        /// Every datagram waiting now.
        func drain() -> [String] {
            var out: [String] = []
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                guard n > 0 else { return out }
                out.append(String(decoding: buffer[..<n], as: UTF8.self))
            }
        }
    }

    @Test("a manager that does not read: calls return at once, and once it reads it gets the latest status")
    func coalesced() throws {
        let manager = try Manager()
        let notifier = StatusNotifier(environment: ["NOTIFY_SOCKET": manager.path])
        // Paced, so that the sends fill the socket's queue (net.unix.max_dgram_qlen) first.
        var slowest = 0.0
        for n in 0..<200 {
            let started = Date()
            notifier.status("s\(n)")
            slowest = max(slowest, Date().timeIntervalSince(started))
            usleep(2_000)
        }
        #expect(slowest < 0.05, "status() waited \(slowest) s")
        usleep(300_000)
        var received = manager.drain()
        // Room again: the one held back goes out, the newest.
        let end = Date().addingTimeInterval(3)
        while received.last != "STATUS=s199" && Date() < end {
            usleep(50_000)
            received += manager.drain()
        }
        #expect(received.last == "STATUS=s199", "\(received.suffix(3))")
        #expect(received.count < 200, "\(received.count) datagrams for 200 changes: not coalesced")
        #expect(notifier.dropped > 0, "the queue (net.unix.max_dgram_qlen) was never full")
    }

    @Test("nobody listening: the status is given up, not tried again for ever")
    func nobody() throws {
        let notifier = StatusNotifier(environment: ["NOTIFY_SOCKET": "/nonexistent/notify.sock"])
        notifier.status("x")
        usleep(300_000)
        let first = notifier.dropped
        usleep(600_000)
        #expect(first == 1 && notifier.dropped == 1)
    }
}
