import Foundation
import CLinux
import Glibc

/// Who is on the other end of a control connection, from the kernel (`SO_PEERCRED`), not from
/// anything the client says.
public struct Caller: Sendable, Equatable, CustomStringConvertible {
    public let uid: uid_t
    public let gid: gid_t
    public let pid: pid_t
    /// The peer's program name (`/proc/PID/comm`), for logs and the audit trail.
    public let command: String
    /// Whether it may call methods that change anything: root, the daemon's own user (who
    /// owns its store anyway: a user service's owner), or a member of the configured group.
    public let mayChange: Bool

    public init(uid: uid_t, gid: gid_t, pid: pid_t, command: String, mayChange: Bool) {
        self.uid = uid
        self.gid = gid
        self.pid = pid
        self.command = command
        self.mayChange = mayChange
    }

    /// The caller of the call being answered; set by the server around each method.
    @TaskLocal public static var current: Caller?

    public var description: String { "uid \(uid) pid \(pid) (\(command))" }

    /// Reads the peer of a connected Unix socket.
    /// - Parameter changeGroup: members of this group (besides root and the daemon's own user)
    ///   may change things; nil: nobody else.
    public static func peer(of credentials: deadlined_peer_credentials, changeGroup: gid_t?) -> Caller {
        let comm = (try? String(contentsOfFile: "/proc/\(credentials.pid)/comm", encoding: .utf8))?
            .trimmingCharacters(in: .whitespacesAndNewlines) ?? "?"
        let may = credentials.uid == 0 || credentials.uid == geteuid() || changeGroup.map { isMember(uid: credentials.uid, gid: credentials.gid, of: $0) } == true
        return Caller(uid: credentials.uid, gid: credentials.gid, pid: credentials.pid, command: comm, mayChange: may)
    }

    /// The user's primary group or one of its supplementary groups from the group database.
    static func isMember(uid: uid_t, gid: gid_t, of group: gid_t) -> Bool {
        if gid == group { return true }
        guard let name = userName(of: uid) else { return false }
        var count: Int32 = 64
        var groups = [gid_t](repeating: 0, count: Int(count))
        if getgrouplist(name, gid, &groups, &count) < 0 {
            groups = [gid_t](repeating: 0, count: Int(count))
            guard getgrouplist(name, gid, &groups, &count) >= 0 else { return false }
        }
        return groups.prefix(Int(count)).contains(group)
    }

    /// The name of a user id in the user database, nil if it has none.
    public static func userName(of uid: uid_t) -> String? {
        var pwd = passwd()
        var result: UnsafeMutablePointer<passwd>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getpwuid_r(uid, &pwd, &buffer, buffer.count, &result) == 0, result != nil, let name = pwd.pw_name else { return nil }
        return String(cString: name)
    }

    /// The id of a group by name, nil if there is none.
    public static func groupID(named name: String) -> gid_t? {
        var grp = group()
        var result: UnsafeMutablePointer<group>?
        var buffer = [CChar](repeating: 0, count: 4096)
        guard getgrnam_r(name, &grp, &buffer, buffer.count, &result) == 0, result != nil else { return nil }
        return grp.gr_gid
    }
}
