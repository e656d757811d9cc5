import DeadlineCore
import DeadlineStore
import Delivery
import Dispatch
import Foundation
import Logging

/// The timer core: one wall-clock timer armed for the soonest pending reminder.
///
/// Concurrency rule: every mutable property below is touched only on `queue`, a serial
/// queue. Public methods hop onto it; that confinement is what makes the
/// `@unchecked Sendable` true. The watchdog is pinged from the same queue, so a core that
/// is stuck (a blocked delivery, a wedged store) stops pinging and systemd restarts it.
public final class TimerCore: @unchecked Sendable {
    /// What the core is doing, for `Status` and for systemd's `STATUS=` line.
    public struct Snapshot: Sendable, Equatable {
        public var pending: Int
        public var next: Date?
        public var firedSinceStart: Int
    }

    let queue: DispatchQueue
    let store: Store
    let channels: [any Channel]
    let clock: any WallClock
    let logger: Logger
    /// Most occurrences handled in one turn of the queue; the rest follow in the next turn,
    /// so a burst never keeps the watchdog or new schedules waiting for long.
    let batchSize: Int

    private var heap = DueHeap()
    private var alarm: (any Alarm)!
    private var armedAt: Date?
    private var firedSinceStart = 0
    private var watchdogTimer: DispatchSourceTimer?
    private var onChange: (@Sendable (Snapshot) -> Void)?

    /// - Parameter makeAlarm: builds the timer; the default is a `DispatchSourceTimer` on the
    ///   wall clock. Tests pass an alarm they fire by hand.
    public init(
        store: Store,
        channels: [any Channel],
        clock: any WallClock = SystemClock(),
        logger: Logger,
        batchSize: Int = 256,
        queue: DispatchQueue = DispatchQueue(label: "deadlined.timer-core"),
        makeAlarm: ((DispatchQueue, @escaping @Sendable () -> Void) -> any Alarm)? = nil
    ) {
        self.store = store
        self.channels = channels
        self.clock = clock
        self.logger = logger
        self.batchSize = batchSize
        self.queue = queue
        let fire: @Sendable () -> Void = { [weak self] in self?.fireDue() }
        queue.sync {
            alarm = makeAlarm?(queue, fire) ?? DispatchWallAlarm(queue: queue, handler: fire)
        }
    }

    /// Rebuilds the heap from the store (the truth) and arms the timer. Occurrences left
    /// `firing` by a crash are due at once and are sent again, with the same idempotency key.
    /// - Parameter onChange: called on the core's queue whenever the snapshot may have changed.
    public func start(onChange: (@Sendable (Snapshot) -> Void)? = nil) throws -> Snapshot {
        let unfinished = try store.unfinishedOccurrences()
        return queue.sync {
            self.onChange = onChange
            for o in unfinished {
                heap.insert(id: o.id, fireAt: o.state == .firing ? .distantPast : o.fireAt)
            }
            logger.info("timer core loaded \(unfinished.count) unfinished reminder(s)")
            rearm()
            return snapshotOnQueue()
        }
    }

    /// Adds freshly stored occurrences; the timer is re-armed only if the soonest one changed.
    public func schedule(_ occurrences: [Occurrence]) {
        queue.async { [self] in
            for o in occurrences where o.state == .pending {
                heap.insert(id: o.id, fireAt: o.fireAt)
            }
            rearm()
            onChange?(snapshotOnQueue())
        }
    }

    /// Drops occurrences from the heap (their rows are changed by the caller).
    public func remove(occurrenceIDs: [Int64]) {
        queue.async { [self] in
            for id in occurrenceIDs { heap.remove(id: id) }
            rearm()
            onChange?(snapshotOnQueue())
        }
    }

    public func snapshot() -> Snapshot {
        queue.sync { snapshotOnQueue() }
    }

    /// The instant the timer is armed for (nil: disarmed). For tests and `Status`.
    public func armedInstant() -> Date? {
        queue.sync { armedAt }
    }

    /// Runs the due work now, as if the timer had fired, and waits for it. For tests with
    /// an injected clock.
    public func fireNow() {
        queue.sync { fireDueOnQueue() }
    }

    /// Pings the watchdog every `interval / 2` from the core's queue, but only while the store
    /// answers. Nothing is pinged while the queue is blocked: that is the point.
    public func startWatchdog(intervalMicroseconds: UInt64, ping: @escaping @Sendable () -> Void) {
        let period = DispatchTimeInterval.microseconds(Int(intervalMicroseconds / 2))
        queue.sync {
            let timer = DispatchSource.makeTimerSource(queue: queue)
            timer.schedule(deadline: .now(), repeating: period, leeway: .milliseconds(10))
            timer.setEventHandler { [weak self] in
                guard let self else { return }
                do {
                    try self.store.checkHealth()
                    ping()
                } catch {
                    self.logger.error("store unreachable, withholding watchdog ping: \(error)")
                }
            }
            timer.activate()
            watchdogTimer = timer
        }
    }

    /// Blocks the core's queue for `seconds`: the stall that the watchdog must catch.
    public func stall(seconds: Double) {
        queue.async {
            self.logger.warning("timer core stalling for \(seconds) s on request")
            Thread.sleep(forTimeInterval: seconds)
        }
    }

    /// Stops the timers; the store is left as it is (pending stays pending).
    public func stop() {
        queue.sync {
            watchdogTimer?.cancel()
            watchdogTimer = nil
            alarm.disarm()
            armedAt = nil
        }
    }

    // MARK: - On the queue

    private func fireDue() {
        dispatchPrecondition(condition: .onQueue(queue))
        fireDueOnQueue()
    }

    private func fireDueOnQueue() {
        let now = clock.now()
        let due = heap.popDue(now: now, limit: batchSize)
        if !due.isEmpty { deliver(due.map(\.id), now: now) }
        if let head = heap.head(), head.fireAt <= clock.now() {
            // More is due: go on in the next turn, after whatever else waits on the queue.
            armedAt = nil
            queue.async { [weak self] in self?.fireDueOnQueue() }
        } else {
            rearm()
        }
        onChange?(snapshotOnQueue())
    }

    private func deliver(_ ids: [Int64], now: Date) {
        let reminders: [Reminder]
        do {
            // Only rows still pending move to firing: one cancelled meanwhile is not sent.
            let moved = try store.markFiring(ids, now: now)
            reminders = try store.reminders(forOccurrences: moved).map { Reminder(item: $0.item, occurrence: $0.occurrence) }
        } catch {
            // Nothing was sent. Keep the work and try again shortly; the store is the truth.
            logger.error("cannot record reminders as firing, retrying in 1 s: \(error)")
            for id in ids { heap.insert(id: id, fireAt: now.addingTimeInterval(1)) }
            return
        }
        var delivered: [Int64] = []
        for reminder in reminders {
            var ok = true
            for channel in channels {
                do {
                    try channel.deliver(reminder)
                } catch {
                    ok = false
                    logger.error("channel \(channel.name) failed for occurrence \(reminder.occurrence.id): \(error)")
                }
            }
            // An occurrence a channel refused stays `firing` and is sent again at the next start.
            if ok { delivered.append(reminder.occurrence.id) }
        }
        firedSinceStart += reminders.count
        do {
            try store.markDelivered(delivered, now: clock.now())
        } catch {
            logger.error("reminders were sent but not recorded as delivered; they will be sent again after a restart: \(error)")
        }
    }

    /// Points the timer at the soonest entry, touching it only if that instant changed.
    private func rearm() {
        let next = heap.head()?.fireAt
        guard next != armedAt else { return }
        armedAt = next
        if let next { alarm.arm(at: next) } else { alarm.disarm() }
    }

    private func snapshotOnQueue() -> Snapshot {
        Snapshot(pending: heap.count, next: heap.head()?.fireAt, firedSinceStart: firedSinceStart)
    }
}
