import CSystemd
import Glibc

/// Sends service state to the service manager over `$NOTIFY_SOCKET` (sd_notify(3)).
///
/// Every call is a no-op when the process was not started by systemd (no `NOTIFY_SOCKET`),
/// so the daemon runs the same way from a shell. Calls are thread-safe: libsystemd opens a
/// fresh datagram socket per message.
public struct Notifier: Sendable {
    /// One assignment of the notify protocol.
    public enum State: Sendable, Equatable {
        case ready
        case reloading
        case stopping
        case watchdog
        case status(String)
        case errno(Int32)
        case extendTimeout(microseconds: UInt64)
        case monotonicNow

        var assignment: String {
            switch self {
            case .ready: "READY=1"
            case .reloading: "RELOADING=1"
            case .stopping: "STOPPING=1"
            case .watchdog: "WATCHDOG=1"
            // A newline would start a new assignment: the protocol has no escaping.
            case .status(let text): "STATUS=" + text.replacingNewlines()
            case .errno(let code): "ERRNO=\(code)"
            case .extendTimeout(let usec): "EXTEND_TIMEOUT_USEC=\(usec)"
            case .monotonicNow: "MONOTONIC_USEC=\(Notifier.monotonicMicroseconds())"
            }
        }
    }

    public init() {}

    /// Whether a service manager listens (`$NOTIFY_SOCKET` is set).
    public var isEnabled: Bool { getenv("NOTIFY_SOCKET") != nil }

    /// Sends all states in one datagram, so that e.g. READY=1 and STATUS= arrive together.
    /// - Returns: false if the message could not be sent (or no manager listens).
    @discardableResult
    public func notify(_ states: State...) -> Bool {
        notify(states)
    }

    @discardableResult
    public func notify(_ states: [State]) -> Bool {
        let message = states.map(\.assignment).joined(separator: "\n")
        return sd_notify(0, message) > 0
    }

    static func monotonicMicroseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000 + UInt64(ts.tv_nsec) / 1_000
    }
}

extension String {
    func replacingNewlines() -> String {
        String(map { $0.isNewline ? " " : $0 })
    }
}
