import Glibc

/// The process's file-descriptor limit, and how many of its descriptors control clients may hold.
///
/// systemd gives services a soft limit of 1024 (for the sake of old select() code) and a high
/// hard limit, and asks programs that need more to raise the soft limit to the hard one at
/// start (systemd.exec(5), LimitNOFILE=). The daemon does; it never uses select().
public enum DescriptorLimit {
    /// Descriptors kept for everything but control clients: the store (SQLite's file, WAL and
    /// shared memory, per reader), the channels' children (a memfd and a pipe each), HTTP and
    /// SMTP connections, the event loops' epoll and eventfds, the journal, timerfds.
    public static let reserved = 128

    /// Raises the soft limit to the hard one; returns both as they now are.
    @discardableResult
    public static func raiseSoftToHard() -> (soft: Int, hard: Int) {
        var limit = rlimit()
        guard getrlimit(RLIMIT_NOFILE_VALUE, &limit) == 0 else { return (1024, 1024) }
        if limit.rlim_cur < limit.rlim_max {
            var raised = limit
            raised.rlim_cur = limit.rlim_max
            if setrlimit(RLIMIT_NOFILE_VALUE, &raised) == 0 { limit = raised }
        }
        return (clamp(limit.rlim_cur), clamp(limit.rlim_max))
    }

    /// How many control connections fit beside `reserved` under a soft limit of `soft`.
    public static func connectionBudget(soft: Int) -> Int {
        max(16, soft - reserved)
    }

    private static func clamp(_ value: rlim_t) -> Int {
        value > rlim_t(Int32.max) ? Int(Int32.max) : Int(value)
    }

    // Glibc imports RLIMIT_NOFILE as an enum case of __rlimit_resource.
    private static var RLIMIT_NOFILE_VALUE: __rlimit_resource_t { __rlimit_resource_t(RLIMIT_NOFILE.rawValue) }
}
