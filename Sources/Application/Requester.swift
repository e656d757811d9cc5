import Foundation

/// Who asked for a change, for the audit trail: the peer of a control connection as the
/// kernel names it, or the daemon itself for what it does on its own.
public struct Requester: Sendable, Equatable, CustomStringConvertible {
    public var uid: UInt32
    public var pid: Int32
    /// Its program name (`/proc/PID/comm`).
    public var command: String

    public init(uid: UInt32, pid: Int32, command: String) {
        self.uid = uid
        self.pid = pid
        self.command = command
    }

    public var description: String { "uid \(uid) (\(command))" }

    /// The daemon, for what it does on its own.
    public static var daemon: Requester { Requester(uid: getuid(), pid: getpid(), command: "deadlined") }
}
