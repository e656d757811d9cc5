import DeadlineCore
import Delivery
import DequeModule
import Dispatch
import Synchronization

/// One lane per channel: the sends waiting for it, and at most `policy.concurrency` running.
///
/// A running slot takes a batch of up to `batchLimit` waiting sends and runs them one after
/// another in one task on the delivery executor, reporting each result as it comes; so a burst
/// costs two thread hand-offs per batch, not per reminder, and due order holds within a lane
/// of concurrency 1. A slot whose current send makes no progress for the channel's timeout plus
/// `overrunGrace` is given up: that send fails, the rest of its batch goes back to the front
/// of the lane, and whatever the stuck task does later is ignored.
///
/// A slot makes at most `policy.unrecorded` sends before their outcomes are in the store
/// (`committed` has run): a kill repeats at most that many per slot, `concurrency` times
/// `unrecorded` per channel, never an unbounded run of sends accepted but not yet recorded.
///
/// Confined to the timer core's queue, except the mailbox (a lock) and each batch's
/// `abandoned` flag (an atomic), which the tasks touch.
final class ChannelLanes: @unchecked Sendable {
    struct Job: Sendable {
        let id: Int
        let occurrenceID: Int64
        let channel: any Channel
        let reminder: Reminder
        /// This channel's attempt number for this occurrence.
        let attempt: Int
    }

    typealias Outcome = Result<String?, any Error>

    private final class Batch: Sendable {
        let id: Int
        let jobs: [Job]
        let occurrenceIDs: [Int64]
        let abandoned = Atomic<Bool>(false)
        init(id: Int, jobs: [Job]) {
            self.id = id
            self.jobs = jobs
            occurrenceIDs = jobs.map(\.occurrenceID)
        }
    }

    private struct Running {
        let batch: Batch
        /// Results taken so far; the send at this index is the one in progress.
        var done = 0
        var lastProgress: DispatchTime
    }

    private struct Lane {
        var running: [Int: Running] = [:]
        /// A burst can queue a hundred thousand sends: a deque, so taking the next is O(1).
        var waiting = Deque<Job>()
    }

    private struct Mailbox {
        var results: [(batch: Int, channel: String, index: Int, outcome: Outcome)] = []
        /// The slots waiting for their result to be recorded before they send again.
        var waiting: [CheckedContinuation<Void, Never>] = []
        var scheduled = false
    }

    static let overrunGrace = Duration.seconds(5)

    private let queue: DispatchQueue
    private let executor: DeliveryExecutor
    private let batchLimit: Int
    private let complete: (Job, Outcome) -> Void
    private let committed: () -> Void
    private let gate: (any SendGate)?
    private var lanes: [String: Lane] = [:]
    private var nextBatch = 0
    private var sweepScheduled = false
    private let mailbox = Mutex(Mailbox())

    /// - Parameters:
    ///   - complete: called on `queue` with each send's outcome, in lane order.
    ///   - committed: called on `queue` after a round of `complete`s, to write them to the
    ///     store; the slots that reported them send again after it.
    ///   - gate: asked just before each send (a shared store); a send it refuses fails with
    ///     `LostClaim` without trying the channel.
    init(queue: DispatchQueue, executor: DeliveryExecutor, batchLimit: Int = 64, gate: (any SendGate)? = nil,
         complete: @escaping (Job, Outcome) -> Void, committed: @escaping () -> Void = {}) {
        self.gate = gate
        self.queue = queue
        self.executor = executor
        self.batchLimit = batchLimit
        self.complete = complete
        self.committed = committed
    }

    /// True when nothing waits, runs, or is reported but not yet handed to `complete`.
    var isIdle: Bool {
        lanes.values.allSatisfy { $0.running.isEmpty && $0.waiting.isEmpty } && mailbox.withLock { $0.results.isEmpty }
    }

    func enqueue(_ job: Job) {
        dispatchPrecondition(condition: .onQueue(queue))
        // Mutated in place: a copy of the lane would copy its whole queue (copy-on-write).
        lanes[job.channel.name, default: Lane()].waiting.append(job)
        pump(job.channel)
    }

    /// Fills free slots of the channel's lane with batches.
    private func pump(_ channel: any Channel) {
        let name = channel.name
        let limit = channel.policy.concurrency
        // Counts are read through the dictionary, never from a copy of the lane: a copy alive
        // while the lane is mutated would make every removal copy the whole queue.
        while let running = lanes[name]?.running.count, running < limit, let waiting = lanes[name]?.waiting.count, waiting > 0 {
            // Share what waits among the free slots, so a few sends still run side by side.
            let free = limit - running
            let take = min(batchLimit, max(1, waiting / free))
            var jobs: [Job] = []
            jobs.reserveCapacity(take)
            for _ in 0..<take { jobs.append(lanes[name]!.waiting.removeFirst()) }
            nextBatch += 1
            let batch = Batch(id: nextBatch, jobs: jobs)
            lanes[name]!.running[batch.id] = Running(batch: batch, lastProgress: .now())
            run(batch, channel: channel)
        }
        scheduleOverrunSweep()
    }

    private func run(_ batch: Batch, channel: any Channel) {
        Task(executorPreference: executor) { [weak self] in
            // Each result goes to the mailbox as soon as it is known (a slow send must not hold
            // back the one before it); the queue is woken once for however many wait there.
            var unrecorded = 0
            for (index, job) in batch.jobs.enumerated() {
                if batch.abandoned.load(ordering: .relaxed) { return }
                let outcome: Outcome
                if let gate = self?.gate, !gate.mayStart(job.occurrenceID, next: batch.occurrenceIDs[index...]) {
                    outcome = .failure(LostClaim())
                } else {
                    do { outcome = .success(try await channel.deliver(job.reminder)) } catch { outcome = .failure(error) }
                }
                guard let self else { return }
                unrecorded += 1
                if unrecorded < channel.policy.unrecorded && index < batch.jobs.count - 1 {
                    self.post(batch: batch.id, channel: channel.name, result: (index, outcome), recorded: nil)
                    continue
                }
                // Results are recorded in the order posted: once this one is, so are the others.
                await withCheckedContinuation { recorded in
                    self.post(batch: batch.id, channel: channel.name, result: (index, outcome), recorded: recorded)
                }
                unrecorded = 0
            }
        }
    }

    /// From a task: leaves a result and wakes the queue once for however many arrive;
    /// `recorded`, if any, is resumed once the result is in the store.
    private func post(batch: Int, channel: String, result: (index: Int, outcome: Outcome), recorded: CheckedContinuation<Void, Never>?) {
        let wake = mailbox.withLock { m in
            m.results.append((batch, channel, result.index, result.outcome))
            if let recorded { m.waiting.append(recorded) }
            defer { m.scheduled = true }
            return !m.scheduled
        }
        if wake { queue.async { [weak self] in self?.drain() } }
    }

    private func drain() {
        let (results, waiting) = mailbox.withLock { m in
            m.scheduled = false
            defer {
                m.results.removeAll(keepingCapacity: true)
                m.waiting.removeAll(keepingCapacity: true)
            }
            return (m.results, m.waiting)
        }
        var touched: [String: any Channel] = [:]
        for r in results {
            // A batch given up as overrun no longer counts.
            guard var running = lanes[r.channel]?.running[r.batch], r.index == running.done else { continue }
            let job = running.batch.jobs[r.index]
            running.done += 1
            running.lastProgress = .now()
            if running.done == running.batch.jobs.count {
                lanes[r.channel]!.running.removeValue(forKey: r.batch)
            } else {
                lanes[r.channel]!.running[r.batch] = running
            }
            touched[r.channel] = job.channel
            complete(job, r.outcome)
        }
        // This round is written before any slot sends again, a freed one included; a result
        // dropped above (its batch was abandoned) still lets its task end.
        committed()
        for slot in waiting { slot.resume() }
        for channel in touched.values { pump(channel) }
    }

    /// Once a second while anything runs: gives up slots stuck past their channel's timeout.
    private func scheduleOverrunSweep() {
        guard !sweepScheduled, lanes.values.contains(where: { !$0.running.isEmpty }) else { return }
        sweepScheduled = true
        queue.asyncAfter(deadline: .now() + 1) { [weak self] in
            guard let self else { return }
            self.sweepScheduled = false
            self.sweep()
            self.scheduleOverrunSweep()
        }
    }

    private func sweep() {
        let now = DispatchTime.now()
        // Found first, changed after: no copy of a lane is alive while lanes change.
        var stuck: [(name: String, running: Running)] = []
        for (name, lane) in lanes {
            for running in lane.running.values {
                let limit = running.batch.jobs[running.done].channel.policy.timeout + Self.overrunGrace
                let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
                if now > running.lastProgress + seconds { stuck.append((name, running)) }
            }
        }
        for (name, running) in stuck {
            let job = running.batch.jobs[running.done]
            let limit = job.channel.policy.timeout + Self.overrunGrace
            running.batch.abandoned.store(true, ordering: .relaxed)
            lanes[name]!.running.removeValue(forKey: running.batch.id)
            // The rest of the batch goes back in front, in order.
            for rest in running.batch.jobs[(running.done + 1)...].reversed() { lanes[name]!.waiting.prepend(rest) }
            complete(job, .failure(ChannelError("no answer within \(limit); the channel overran its timeout")))
            pump(job.channel)
        }
    }
}
