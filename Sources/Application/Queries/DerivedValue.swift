import Synchronization

/// A value derived from the store (Status' counts, the holiday caveats), kept while its key (what
/// it was derived from: the store's change count, a commit generation) stays the same, and for a
/// while at most. Callers that miss it at the same time wait for one derivation rather than each
/// start their own: 64 clients calling Status at once each scanned every reminder, and none was
/// answered for seconds.
final class DerivedValue<Key: Equatable & Sendable, Value: Sendable>: Sendable {
    private struct State {
        var kept: (key: Key, at: ContinuousClock.Instant, value: Value)?
        var deriving: (key: Key, task: Task<Result<Value, any Error>, Never>)?
    }

    private enum Lookup {
        case kept(Value)
        case deriving(Task<Result<Value, any Error>, Never>)
    }

    private let state = Mutex(State())

    /// The value for `key`: kept (for less than `maxAge`), being derived, or derived now by `derive`.
    func value(for key: Key, maxAge: Duration, derive: @escaping @Sendable () async throws -> Value) async throws -> Value {
        let now = ContinuousClock.now
        let lookup = state.withLock { s -> Lookup in
            if let kept = s.kept, kept.key == key, now - kept.at < maxAge { return .kept(kept.value) }
            if let deriving = s.deriving, deriving.key == key { return .deriving(deriving.task) }
            let task = Task { () -> Result<Value, any Error> in
                do { return .success(try await derive()) } catch { return .failure(error) }
            }
            s.deriving = (key, task)
            return .deriving(task)
        }
        let task: Task<Result<Value, any Error>, Never>
        switch lookup {
        case .kept(let value): return value
        case .deriving(let running): task = running
        }
        let result = await task.value
        state.withLock { s in
            if s.deriving?.key == key { s.deriving = nil }
            if case .success(let value) = result { s.kept = (key, now, value) }
        }
        return try result.get()
    }
}
