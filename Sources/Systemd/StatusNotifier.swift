import Dispatch
import Glibc
import Synchronization

/// STATUS= and WATCHDOG=1 for the service manager, sent without ever blocking the caller.
///
/// sd_notify(3) blocks while the manager's socket queue is full (a busy or stuck PID 1, or a
/// test's socket nobody reads): called from the timer core, it held reminders up. Here the
/// caller only records what to say; a queue of its own sends it on a non-blocking datagram
/// socket, the latest status replacing any not yet sent, and tries again shortly if the
/// manager's queue is full.
public final class StatusNotifier: Sendable {
    private struct Pending {
        var status: String?
        var watchdog = false
        var scheduled = false
        /// Sends refused because the manager's queue was full or nobody listened.
        var dropped = 0
    }

    private let queue = DispatchQueue(label: "deadlined.notify")
    private let pending = Mutex(Pending())
    private let address: NotifyAddress?
    private let fd: Int32
    /// How long to wait before trying again when the manager's queue is full.
    static let retryDelay = DispatchTimeInterval.milliseconds(200)

    /// Reads `$NOTIFY_SOCKET` (a path, or `@name` in the abstract namespace); without it
    /// every call does nothing.
    public init(environment: [String: String]) {
        address = environment["NOTIFY_SOCKET"].flatMap(NotifyAddress.init)
        fd = address == nil ? -1 : socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    }

    deinit { if fd >= 0 { close(fd) } }

    public func status(_ text: String) {
        enqueue { $0.status = text }
    }

    public func watchdog() {
        enqueue { $0.watchdog = true }
    }

    /// Sends refused: the manager's queue was full (tried again), or nobody listened (given up).
    public var dropped: Int { pending.withLock { $0.dropped } }

    private func enqueue(_ change: (inout Pending) -> Void) {
        guard address != nil, fd >= 0 else { return }
        let schedule = pending.withLock { p -> Bool in
            change(&p)
            defer { p.scheduled = true }
            return !p.scheduled
        }
        if schedule { queue.async { self.flush() } }
    }

    private func flush() {
        guard let address else { return }
        let (status, watchdog) = pending.withLock { p in (p.status, p.watchdog) }
        var lines: [String] = []
        if watchdog { lines.append("WATCHDOG=1") }
        if let status { lines.append(Notifier.State.status(status).assignment) }
        guard !lines.isEmpty else {
            pending.withLock { $0.scheduled = false }
            return
        }
        let message = Array(lines.joined(separator: "\n").utf8)
        let outcome = address.send(message, on: fd)
        // Nobody listens (the manager went away, a wrong path): what was to be said is dropped
        // rather than tried again for ever; the next change tries anew.
        let settled = outcome != .full
        let retry = pending.withLock { p -> Bool in
            if outcome != .sent { p.dropped += 1 }
            if settled {
                // Only what was said (or given up) is cleared: a status recorded meanwhile goes next.
                if p.status == status { p.status = nil }
                if watchdog { p.watchdog = false }
            }
            let more = p.status != nil || p.watchdog
            p.scheduled = more
            return more
        }
        if retry {
            if settled { queue.async { self.flush() } } else { queue.asyncAfter(deadline: .now() + Self.retryDelay) { self.flush() } }
        }
    }
}

/// `$NOTIFY_SOCKET` as a socket address.
struct NotifyAddress: Sendable {
    let path: [UInt8]

    init?(_ text: String) {
        var bytes = Array(text.utf8)
        guard !bytes.isEmpty, bytes.first == UInt8(ascii: "/") || bytes.first == UInt8(ascii: "@"),
              bytes.count < MemoryLayout.size(ofValue: sockaddr_un().sun_path) else { return nil }
        // `@name` is the abstract namespace: a leading NUL.
        if bytes[0] == UInt8(ascii: "@") { bytes[0] = 0 }
        path = bytes
    }

    enum Outcome { case sent, full, failed }

    /// One datagram, never waiting: `full` when the manager's queue has no room now.
    func send(_ message: [UInt8], on fd: Int32) -> Outcome {
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            for (i, b) in path.enumerated() { raw[i] = b }
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + path.count)
        let n = message.withUnsafeBytes { body in
            withUnsafePointer(to: &addr) { p in
                p.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                    sendto(fd, body.baseAddress, body.count, Int32(MSG_DONTWAIT) | Int32(MSG_NOSIGNAL), $0, length)
                }
            }
        }
        if n == message.count { return .sent }
        return n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK || errno == ENOBUFS || errno == EINTR) ? .full : .failed
    }
}
