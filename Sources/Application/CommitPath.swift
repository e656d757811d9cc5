import DeadlineCore
import DeadlineStore
import Foundation
import Synchronization

/// Applies changes: one store transaction with their audit entries, then the timer core, then
/// the events; a caller is answered only once its change is durable.
///
/// Group commit: changes that arrive while a transaction is being written wait, and the next
/// transaction takes all of them, each in a savepoint (one that fails is rolled back alone and
/// answered with its error). One commit, one WAL sync, however many callers share it.
public final class CommitPath: Sendable {
    let store: any Store
    let queue: any ReminderQueue
    let events: EventHub<DomainEvent>
    let clock: any WallClock
    let executor: any BlockingExecutor
    /// The changes waiting for the next transaction, and whether one is being written.
    private let waiting = Mutex<(jobs: [Job], writing: Bool)>(([], false))
    private let committed = Atomic<UInt64>(0)
    /// At most this many changes share a transaction, so one commit never holds the writer long.
    static let maxPerTransaction = 512

    public init(store: any Store, queue: any ReminderQueue, events: EventHub<DomainEvent>, clock: any WallClock, executor: any BlockingExecutor) {
        self.store = store
        self.queue = queue
        self.events = events
        self.clock = clock
        self.executor = executor
    }

    /// How many changes have been committed: a cache of something derived from the store is
    /// fresh while this stays the same.
    public var generation: UInt64 { committed.load(ordering: .acquiring) }

    /// Applies `change` in the next transaction and answers once it is durable.
    /// - Parameter queued: called once the change is in line: a change committed after it
    ///   comes after it (a connection that pipelines may start its next call then).
    public func commit<Value>(_ change: Change<Value>, by requester: Requester, queued: (@Sendable () -> Void)? = nil) async throws -> Value {
        try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
            let job = Job(change: change, requester: requester, continuation: continuation, path: self)
            let lead = waiting.withLock { w -> Bool in
                w.jobs.append(job)
                if w.writing { return false }
                w.writing = true
                return true
            }
            queued?()
            if lead { executor.submit { self.drain() } }
        }
    }

    /// Writes transactions until no change is waiting; runs on a thread of the executor's pool.
    private func drain() {
        while true {
            let jobs = waiting.withLock { w -> [Job] in
                let taken = Array(w.jobs.prefix(Self.maxPerTransaction))
                w.jobs.removeFirst(taken.count)
                if taken.isEmpty { w.writing = false }
                return taken
            }
            if jobs.isEmpty { return }
            let now = clock.now()
            do {
                try StoreMetrics.timed("change") { try store.transaction { txn in for job in jobs { job.apply(txn, now: now) } } }
                for job in jobs { job.finish(failure: nil) }
            } catch {
                for job in jobs { job.finish(failure: error) }
            }
        }
    }

    /// One change on its way through: its outcome is kept between the transaction and the answer.
    final class Job: @unchecked Sendable {
        // Touched by the drain only, one step after the other: apply in the transaction, then finish.
        private let run: (StoreTransaction, Date) -> Void
        private let answer: (_ failure: (any Error)?) -> Void

        init<Value>(change: Change<Value>, requester: Requester, continuation: CheckedContinuation<Value, any Error>, path: CommitPath) {
            var outcome: Result<Written<Value>, any Error>?
            run = { txn, now in
                outcome = Result {
                    try txn.savepoint { txn in
                        let written = try change.write(txn)
                        for note in written.audits {
                            try txn.recordAudit(AuditEntry(at: now, uid: Int64(requester.uid), pid: Int64(requester.pid), command: requester.command,
                                                           method: note.method, target: note.target, before: note.before, after: note.after))
                        }
                        return written
                    }
                }
            }
            answer = { failure in
                if let failure { return continuation.resume(throwing: failure) }
                switch outcome! {
                case .failure(let error): continuation.resume(throwing: error)
                case .success(let written):
                    path.applied(written)
                    continuation.resume(returning: written.value)
                }
            }
        }

        func apply(_ txn: StoreTransaction, now: Date) { run(txn, now) }
        func finish(failure: (any Error)?) { answer(failure) }
    }

    /// A durable change reaches memory: the timer core, state that follows the store, listeners.
    private func applied<Value>(_ written: Written<Value>) {
        queue.remove(occurrenceIDs: written.cancel)
        queue.schedule(written.schedule)
        written.inMemory?()
        committed.add(1, ordering: .releasing)
        for event in written.events { events.publish(event) }
    }
}
