import DeadlineStore
import Synchronization

/// The figures `Status` last read: the store's change count before that read, when it was read.
final class StatusFiguresCache: Sendable {
    let value = Mutex<(changeCount: UInt64, problemLimit: Int, at: ContinuousClock.Instant, figures: StatusFigures)?>(nil)
}

extension Application {
    /// What `Status` needs from the store. Read again after a write (a change, a delivery, the
    /// heartbeat) or after `maxAge`, so `Status` calls in between cost no trip to the store's
    /// threads, and a store that stopped answering is still noticed soon. The count is taken
    /// before the read: a write during the read makes the next call read again.
    public func statusFigures(problemLimit: Int, maxAge: Duration = .seconds(1)) async throws -> StatusFigures {
        let count = store.changeCount
        let now = ContinuousClock.now
        if let cached = figures.value.withLock({ $0 }), cached.changeCount == count, cached.problemLimit == problemLimit,
           now - cached.at < maxAge {
            return cached.figures
        }
        let read = try await self.read { try $0.statusFigures(problemLimit: problemLimit) }
        figures.value.withLock { $0 = (count, problemLimit, now, read) }
        return read
    }
}
