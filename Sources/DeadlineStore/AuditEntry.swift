import Foundation

/// One change made over the control socket: who (from SO_PEERCRED), when, which method, on
/// what, and the state before and after (JSON, as the control interface shows it).
public struct AuditEntry: Sendable, Equatable {
    public var id: Int64
    public var at: Date
    public var uid: Int64
    public var pid: Int64
    public var command: String
    public var method: String
    /// The item key, holiday year or channel the call was about.
    public var target: String
    public var before: String?
    public var after: String?

    public init(id: Int64 = 0, at: Date, uid: Int64, pid: Int64, command: String, method: String, target: String,
                before: String?, after: String?) {
        self.id = id
        self.at = at
        self.uid = uid
        self.pid = pid
        self.command = command
        self.method = method
        self.target = target
        self.before = before
        self.after = after
    }
}
