import DeadlineStore

extension Application {
    /// What `Status` needs from the store. Read again after a write (a change, a delivery, the
    /// heartbeat) or after `maxAge`, so `Status` calls in between cost no trip to the store's
    /// threads, and a store that stopped answering is still noticed soon. The count is taken
    /// before the read: a write during the read makes the next call read again.
    public func statusFigures(problemLimit: Int, maxAge: Duration = .seconds(1)) async throws -> StatusFigures {
        let key = StatusFiguresKey(changeCount: store.changeCount, problemLimit: problemLimit)
        return try await figures.value(for: key, maxAge: maxAge) { [self] in try await read { try $0.statusFigures(problemLimit: problemLimit) } }
    }
}

/// What Status' figures were read from.
struct StatusFiguresKey: Equatable, Sendable {
    var changeCount: UInt64
    var problemLimit: Int
}
