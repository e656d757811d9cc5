/// Where blocking store work runs: a thread pool of its own, never the cooperative pool (nor
/// Dispatch's global queues, which back it on Linux), so that an fsync never holds up the
/// control socket's tasks. The daemon gives NIO's thread pool.
public protocol BlockingExecutor: Sendable {
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T
    /// Runs `work` on a thread of the pool and returns at once (the commit path's writer: no
    /// task hop between a caller and its transaction).
    func submit(_ work: @escaping @Sendable () -> Void)
}
