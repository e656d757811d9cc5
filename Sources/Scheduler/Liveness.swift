import DeadlineCore
import DeadlineStore
import Dispatch
import Foundation
import Logging

/// The core's signs of life: the heartbeat the store keeps (so that the next start can tell how
/// long the daemon was down) and the watchdog ping systemd waits for.
///
/// Both run on the timer core's queue, so a queue that is blocked (a wedged store, a stuck turn)
/// pings nothing: that is the point. Once the watchdog runs, the heartbeat rides on its timer,
/// and an idle daemon wakes for nothing else. Confined to that queue, which is what makes the
/// `@unchecked Sendable` true.
final class Liveness: @unchecked Sendable {
    private let queue: DispatchQueue
    private let store: any Store
    private let clock: any WallClock
    private let logger: Logger
    /// Seconds between heartbeats; 0 turns them off (tests with a manual clock).
    private let heartbeatEvery: TimeInterval
    private var timer: DispatchSourceTimer?
    private var lastHeartbeat = Date.distantPast

    init(queue: DispatchQueue, store: any Store, clock: any WallClock, logger: Logger, heartbeatEvery: TimeInterval) {
        self.queue = queue
        self.store = store
        self.clock = clock
        self.logger = logger
        self.heartbeatEvery = heartbeatEvery
    }

    /// Beats now and every `heartbeatEvery` seconds.
    func start() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard heartbeatEvery > 0 else { return }
        replaceTimer(every: heartbeatEvery, leeway: .seconds(1)) { [weak self] in self?.beat() }
        beat()
    }

    /// Pings every `interval / 2` while the store answers, and beats on the same timer.
    func startWatchdog(intervalMicroseconds: UInt64, ping: @escaping @Sendable () -> Void) {
        dispatchPrecondition(condition: .onQueue(queue))
        replaceTimer(every: Double(intervalMicroseconds) / 2_000_000, leeway: .milliseconds(10)) { [weak self] in
            guard let self else { return }
            do {
                try store.checkHealth()
                ping()
                if heartbeatEvery > 0, clock.now().timeIntervalSince(lastHeartbeat) >= heartbeatEvery { beat() }
            } catch {
                logger.error("store unreachable, withholding watchdog ping: \(error)")
            }
        }
    }

    /// Stops pinging and beating; `finalBeat` records this instant as the last one alive (a
    /// clean stop is not downtime to catch up on).
    func stop(finalBeat: Bool) {
        dispatchPrecondition(condition: .onQueue(queue))
        timer?.cancel()
        timer = nil
        if finalBeat { beat() }
    }

    private func replaceTimer(every seconds: Double, leeway: DispatchTimeInterval, _ body: @escaping @Sendable () -> Void) {
        timer?.cancel()
        let t = DispatchSource.makeTimerSource(queue: queue)
        t.schedule(deadline: .now() + seconds, repeating: seconds, leeway: leeway)
        t.setEventHandler(handler: body)
        t.activate()
        timer = t
    }

    private func beat() {
        lastHeartbeat = clock.now()
        do { try store.setDaemonState("last_alive_ms", String(Int64(lastHeartbeat.timeIntervalSince1970 * 1000))) }
        catch { logger.warning("cannot record heartbeat: \(error)") }
    }
}

extension TimerCore {
    /// Blocks the core's queue for `seconds`: the stall that the watchdog must catch.
    public func stall(seconds: Double) {
        queue.async {
            self.logger.warning("timer core stalling for \(seconds) s on request")
            Thread.sleep(forTimeInterval: seconds)
        }
    }
}
