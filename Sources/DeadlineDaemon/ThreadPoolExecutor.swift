import Application
import NIOPosix
import Scheduler
import DeadlineCore

/// Blocking store work on NIO's thread pool: never on the cooperative pool, nor on Dispatch's
/// global queues, which back it on Linux (blocking them stalled unrelated tasks for seconds).
struct ThreadPoolExecutor: BlockingExecutor {
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive(body)
    }

    func submit(_ work: @escaping @Sendable () -> Void) {
        // Also when the pool is shutting down: the writer must answer whoever waits.
        NIOThreadPool.singleton.submit { _ in work() }
    }
}

/// The timer core as the commit path sees it.
struct TimerCoreQueue: ReminderQueue {
    let core: TimerCore

    func schedule(_ occurrences: [Occurrence]) { core.schedule(occurrences) }
    func remove(occurrenceIDs: [Int64]) { core.remove(occurrenceIDs: occurrenceIDs) }
}
