import DeadlineCore
import DeadlineStore
import Delivery
import Dispatch
import DequeModule
import Foundation
import Logging
import Synchronization

/// The timer core: one wall-clock timer armed for the soonest pending reminder.
///
/// Concurrency rule: every mutable property below is touched only on `queue`, a serial
/// queue. Public methods hop onto it; that confinement is what makes the
/// `@unchecked Sendable` true. The watchdog is pinged from the same queue (`Liveness`), so a
/// core that is stuck (a blocked delivery, a wedged store) stops pinging and systemd restarts it.
///
/// Delivery is at-least-once: an occurrence is written `firing` before any channel sees it,
/// and a crash before its outcome is written makes the next start send it again, with the
/// same idempotency key. Channels that already accepted it (the delivery log says so) are
/// skipped on a retry or a re-send.
///
/// Sends run off the queue, as tasks, at most `policy.concurrency` at a time per channel, so a
/// slow or hanging channel delays neither the others nor the timer. Each channel keeps its own
/// attempt count and retry schedule in the delivery log; an occurrence is `delivered` once
/// every channel it goes through accepted it, `retrying` while one still has attempts left,
/// and `failed` when the rest gave up. Attempts are written as they finish, a batch per turn
/// of the queue.
public final class TimerCore: @unchecked Sendable {
    let queue: DispatchQueue
    let store: any Store
    let clock: any WallClock
    let logger: Logger
    let options: Options
    let misfirePolicy: @Sendable (Item) -> MisfirePolicy

    var heap = DueHeap()
    var alarm: (any Alarm)!
    var armedAt: Date?
    var counters = Snapshot(pending: 0, next: nil, firedSinceStart: 0, caughtUpSinceStart: 0, missedSinceStart: 0, failedSinceStart: 0)
    private let liveness: Liveness
    private var clockMonitor: ClockStepMonitor?
    var onChange: (@Sendable (Snapshot) -> Void)?
    private var onEvent: (@Sendable (Event) -> Void)?

    /// Sets who hears of sends and failures (the control socket's `Watch`).
    public func setEventSink(_ sink: @escaping @Sendable (Event) -> Void) {
        queue.sync { onEvent = sink }
    }
    private var random = SystemRandomNumberGenerator()
    private var channelSet: ChannelSet
    /// The same set, for readers off the queue (`Status`), who must not wait behind a burst.
    private let publishedChannels: Mutex<ChannelSet>
    /// Occurrences handed to channels and not yet settled.
    var inFlight: [Int64: DeliveryState] = [:]
    /// What this node holds of a shared store's occurrences in flight (empty for one node).
    let claims: ClaimBook
    /// The poll of a shared store (nil for one node).
    var pollTimer: (any DispatchSourceTimer)?
    /// Ends the shared store's notifications; a look-ahead they asked for is on its way.
    var stopWatching: (@Sendable () -> Void)?
    var lookAheadScheduled = false
    /// The nodes of a shared store at the last poll.
    let peers = Mutex<[NodeHeartbeat]>([])
    /// Per channel: sends running and sends waiting for a free slot.
    var lanes: ChannelLanes!
    /// Finished attempts and settled occurrences not yet written.
    var unwritten = DeliveryOutcome()
    var flushScheduled = false
    private var nextJob = 0
    private let executor = DeliveryExecutor(threads: 2)

    /// One channel's status for one occurrence in flight.
    /// - Parameters:
    ///   - misfirePolicy: the policy of an item's rule.
    ///   - makeAlarm: builds the timer; the default is a `DispatchSourceTimer` on the wall clock.
    ///     Tests pass an alarm they fire by hand.
    public init(
        store: any Store,
        channels: ChannelSet,
        clock: any WallClock = SystemClock(),
        logger: Logger,
        options: Options = Options(),
        misfirePolicy: @escaping @Sendable (Item) -> MisfirePolicy = { _ in .default },
        queue: DispatchQueue = DispatchQueue(label: "deadlined.timer-core"),
        makeAlarm: ((DispatchQueue, @escaping @Sendable () -> Void) -> any Alarm)? = nil
    ) {
        self.store = store
        self.channelSet = channels
        publishedChannels = Mutex(channels)
        self.clock = clock
        self.logger = logger
        self.options = options
        self.misfirePolicy = misfirePolicy
        self.queue = queue
        liveness = Liveness(queue: queue, store: store, clock: clock, logger: logger, heartbeatEvery: options.heartbeat)
        claims = ClaimBook(lease: .milliseconds(Int64(store.node.lease * 1000)))
        let fire: @Sendable () -> Void = { [weak self] in self?.fireDueOnQueue() }
        queue.sync {
            alarm = makeAlarm?(queue, fire) ?? DispatchWallAlarm(queue: queue, handler: fire)
            lanes = ChannelLanes(queue: queue, executor: executor, gate: store.isShared ? ClaimGate(claims: claims, store: store) : nil, complete: { [unowned self] job, outcome in self.finish(job, outcome) },
                                 committed: { [unowned self] in if self.flushScheduled { self.flush() } })
        }
    }

    /// Rebuilds the heap from the store (the truth) and arms the timer. Occurrences left
    /// `firing` by a crash are due at once and are sent again, with the same idempotency key.
    /// - Parameters:
    ///   - onChange: called on the core's queue whenever the snapshot may have changed.
    ///   - watchClock: notice wall-clock steps (a timerfd); off in tests with a manual clock.
    public func start(onChange: (@Sendable (Snapshot) -> Void)? = nil, watchClock: Bool = true) throws -> Snapshot {
        // What this node's previous process held is free again, before it is loaded as due.
        try store.releaseClaims()
        let unfinished = try store.unfinishedSchedule()
        return queue.sync {
            self.onChange = onChange
            heap = DueHeap(unfinished.map { ($0.id, $0.fireAt) })
            logger.info("timer core loaded \(unfinished.count) unfinished reminder(s)")
            if watchClock {
                clockMonitor = ClockStepMonitor(queue: queue) { [weak self] in self?.clockSteppedOnQueue() }
                if clockMonitor == nil { logger.warning("cannot watch for wall-clock steps (no timerfd)") }
            }
            liveness.start()
            if store.isShared { startPolling() }
            rearm()
            return snapshotOnQueue()
        }
    }

    /// Adds freshly stored occurrences; the timer is re-armed only if the soonest one changed.
    public func schedule(_ occurrences: [Occurrence]) {
        queue.async { [self] in
            for o in occurrences where o.state == .pending || o.state == .retrying {
                heap.insert(id: o.id, fireAt: o.fireAt)
            }
            rearm()
            onChange?(snapshotOnQueue())
        }
    }

    /// Drops occurrences from the heap (their rows are changed by the caller).
    public func remove(occurrenceIDs: [Int64]) {
        guard !occurrenceIDs.isEmpty else { return }
        queue.async { [self] in
            for id in occurrenceIDs { heap.remove(id: id) }
            rearm()
            onChange?(snapshotOnQueue())
        }
    }

    public func snapshot() -> Snapshot {
        queue.sync { snapshotOnQueue() }
    }

    /// The instant the timer is armed for (nil: disarmed).
    @_spi(Testing) public func armedInstant() -> Date? {
        queue.sync { armedAt }
    }

    /// Runs the due work now, as if the timer had fired; the sends it starts finish later.
    public func fireNow() {
        queue.sync { fireDueOnQueue() }
    }

    var settleWaiters: [Int: CheckedContinuation<Void, Never>] = [:]
    var nextWaiter = 0

    /// Sends from now on go through `channels`; the old ones are returned, for the caller to
    /// shut down once the sends already running on them have finished.
    public func replaceChannels(_ channels: ChannelSet) -> ChannelSet {
        queue.sync {
            let old = channelSet
            channelSet = channels
            publishedChannels.withLock { $0 = channels }
            return old
        }
    }

    public var channels: ChannelSet { publishedChannels.withLock { $0 } }

    /// What the clock monitor calls when the wall clock was set; tests call it after moving
    /// their clock. Re-arms from scratch and sends whatever the new time made due.
    @_spi(Testing) public func clockStepped() {
        queue.sync { clockSteppedOnQueue() }
    }

    /// Pings the watchdog every `interval / 2` from the core's queue, while the store answers.
    public func startWatchdog(intervalMicroseconds: UInt64, ping: @escaping @Sendable () -> Void) {
        queue.sync { liveness.startWatchdog(intervalMicroseconds: intervalMicroseconds, ping: ping) }
    }

    /// Stops the timers, gives sends in flight up to `grace` to finish and be written, then
    /// shuts the channels down; the store is left as it is (pending stays pending, an
    /// unfinished send stays `firing` and is sent again at the next start).
    public func stop(grace: Duration = .seconds(5)) async {
        queue.sync {
            liveness.stop(finalBeat: false)
            alarm.disarm()
            armedAt = nil
            stopPolling()
        }
        if !(await settled(limit: grace)) {
            logger.warning("stopping with reminders still being sent; they will be sent again at the next start")
        }
        stopTimers()
        await channels.shutdown()
        await executor.shutdown()
    }

    /// Stops the timers without waiting for sends (tests that end with nothing in flight).
    @_spi(Testing) public func stopTimers() {
        queue.sync {
            clockMonitor = nil
            alarm.disarm()
            armedAt = nil
            stopPolling()
            liveness.stop(finalBeat: true)
        }
    }

    // MARK: - On the queue

    private func clockSteppedOnQueue() {
        logger.notice("wall clock was set; now \(DateOutput.iso8601(clock.now(), timeZone: TimeZone(secondsFromGMT: 0)!)); re-arming")
        armedAt = nil
        fireDueOnQueue()
    }

    private func fireDueOnQueue() {
        dispatchPrecondition(condition: .onQueue(queue))
        let now = clock.now()
        let due = heap.popDue(now: now, limit: options.batchSize)
        for e in due { SchedulerMetrics.taken(due: e.fireAt, now: now) }
        if !due.isEmpty { deliver(due, now: now) }
        if let head = heap.head(), head.fireAt <= clock.now() {
            // More is due: go on in the next turn, after whatever else waits on the queue.
            armedAt = nil
            queue.async { [weak self] in self?.fireDueOnQueue() }
        } else {
            rearm()
        }
        onChange?(snapshotOnQueue())
    }

    private func deliver(_ due: [DueHeap.Entry], now: Date) {
        // A shared store: claim first, whatever is due (see `claimDue`); one node reads first
        // and claims only what it will send.
        var claimed: [Claim]?
        if store.isShared {
            do { claimed = try claimDue(popped: due, now: now) } catch {
                logger.error("cannot claim due reminders, retrying in 1 s: \(error)")
                for e in due { heap.insert(id: e.id, fireAt: now.addingTimeInterval(1)) }
                return
            }
        }
        let ids = claimed?.map(\.id) ?? due.map(\.id)
        let rows: [(item: Item, occurrence: Occurrence)]
        do {
            rows = try store.reminders(forOccurrences: ids)
        } catch {
            logger.error("cannot read due reminders, retrying in 1 s: \(error)")
            retryLater(ids, now: now)
            return
        }
        let split = MisfireSplit(rows, now: now, lateAfter: options.lateAfter, policy: misfirePolicy)
        let (send, missed, caughtUp) = (split.send, split.missed, split.caughtUp)
        let sendable: [(item: Item, occurrence: Occurrence)]
        let states: [Int64: [String: ChannelDeliveryState]]
        let organisations: [String: Organisation]
        let escalations: [EscalationContact]
        do {
            // Only rows still owed move to firing: one cancelled meanwhile is not sent.
            let moved = Set(try (claimed ?? store.claim(send.map(\.occurrence.id), now: now)).map(\.id))
            sendable = send.filter { moved.contains($0.occurrence.id) && inFlight[$0.occurrence.id] == nil }
            states = try store.channelStates(for: sendable.map(\.occurrence.id))
            organisations = try self.organisations(of: sendable.map(\.occurrence))
            escalations = try self.escalationContacts(for: sendable.map(\.occurrence))
        } catch {
            logger.error("cannot record reminders as firing, retrying in 1 s: \(error)")
            retryLater(ids, now: now)
            return
        }
        unwritten.missed += missed
        SchedulerMetrics.settled("missed", count: missed.count)
        counters.caughtUpSinceStart += caughtUp
        counters.missedSinceStart += missed.count
        if !missed.isEmpty {
            logger.notice("\(missed.count) late reminder(s) let go by the misfire policy",
                          metadata: ["missed": "\(missed.count)", "message_id": "\(JournalMessageID.missed)"])
            scheduleFlush()
        }
        let limits = channelSet.channels.mapValues(\.policy.retry.maxAttempts)
        for (item, occurrence) in sendable {
            let org = occurrence.organisation.flatMap { organisations[$0] }
            let reminder = Reminder(item: item, occurrence: occurrence, organisation: org,
                                    escalateTo: org.flatMap { occurrence.label.hasPrefix("escalate") ? EscalationContact.of($0, in: escalations) : nil })
            let state = DeliveryState(reminder: reminder, names: channelSet.names(for: reminder), states: states[occurrence.id] ?? [:],
                                      maxAttempts: limits, now: now)
            inFlight[occurrence.id] = state
            let jobs = state.sending.compactMap { name in
                channelSet.channels[name].map { channel in
                    nextJob += 1
                    return ChannelLanes.Job(id: nextJob, occurrenceID: occurrence.id, channel: channel, reminder: reminder,
                                            attempt: (states[occurrence.id]?[name]?.failures ?? 0) + 1)
                }
            }
            if jobs.isEmpty { settle(occurrence.id) }
            for job in jobs { lanes.enqueue(job) }
        }
    }

    /// One send's outcome, from the lanes: log it, and settle its occurrence once every
    /// channel has answered.
    private func finish(_ job: ChannelLanes.Job, _ result: Result<String?, any Error>) {
        dispatchPrecondition(condition: .onQueue(queue))
        if case .failure(let error) = result, error is LostClaim { return dropLostClaim(job.occurrenceID) }
        let name = job.channel.name
        let now = clock.now()
        let outcome = AttemptResult(occurrenceID: job.occurrenceID, channel: name, retry: job.channel.policy.retry,
                                   idempotencyKey: job.reminder.idempotencyKey(channel: name), attempt: job.attempt,
                                   result: result, now: now, jitter: Double.random(in: 0...1, using: &random))
        unwritten.attempts.append(outcome.attempt)
        SchedulerMetrics.attempt(outcome.attempt)
        if let text = outcome.attempt.error {
            onEvent?(.failed(occurrence: job.occurrenceID, itemKey: job.reminder.item.key, channel: name, error: text,
                             final: outcome.attempt.retryAt == nil, at: now))
            logFailure(job, error: text, retryAt: outcome.attempt.retryAt)
        }
        if var entry = inFlight[job.occurrenceID] {
            let answered = entry.answer(name, outcome.status)
            inFlight[job.occurrenceID] = entry
            if answered { settle(job.occurrenceID) }
        }
        scheduleFlush()
    }

    /// Every channel of an occurrence has answered: record what it comes to.
    private func settle(_ id: Int64) {
        guard let entry = inFlight.removeValue(forKey: id) else { return }
        switch entry.outcome {
        case .delivered:
            unwritten.delivered.append(id)
            counters.firedSinceStart += 1
            SchedulerMetrics.settled("sent")
            SchedulerMetrics.sent(due: entry.reminder.occurrence.fireAt, now: clock.now())
            onEvent?(.sent(occurrence: id, itemKey: entry.reminder.item.key, at: clock.now()))
        case .retrying(let at, let error):
            unwritten.retrying.append((id, at, error))
            SchedulerMetrics.settled("retrying")
        case .failed(let error):
            unwritten.failed.append((id, error))
            counters.failedSinceStart += 1
            SchedulerMetrics.settled("failed")
        }
        scheduleFlush()
    }

    /// Writes what finished in one transaction, in the next turn of the queue: results come
    /// from the lanes in batches, so one transaction carries many (group commit without a
    /// timer). A crash before it sends those reminders again, with their keys (at-least-once).
    func scheduleFlush() {
        guard !flushScheduled else { return }
        flushScheduled = true
        queue.async { [weak self] in self?.flush() }
    }

    private func flush() {
        flushScheduled = false
        var outcome = unwritten
        unwritten = DeliveryOutcome()
        if store.isShared { fence(&outcome) }
        defer { wakeIfSettled() }
        guard !outcome.attempts.isEmpty || !outcome.delivered.isEmpty || !outcome.retrying.isEmpty
            || !outcome.failed.isEmpty || !outcome.missed.isEmpty else { return }
        do {
            let lost = Set(try StoreMetrics.timed("delivery") { try store.record(outcome, now: clock.now()) })
            if !lost.isEmpty { lostClaims(lost) }
            for r in outcome.retrying where !lost.contains(r.id) { heap.insert(id: r.id, fireAt: r.at) }
            claims.remove(outcome.delivered + outcome.retrying.map(\.id) + outcome.failed.map(\.id) + outcome.missed)
        } catch where store.isShared {
            keepForRetry(outcome, error: error)
        } catch {
            logger.error("reminders were sent but their outcome was not recorded; they will be sent again after a restart: \(error)")
        }
        rearm()
        onChange?(snapshotOnQueue())
    }
}
