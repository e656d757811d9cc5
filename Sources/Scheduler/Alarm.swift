import Dispatch
import Foundation

/// The one timer under the core: armed for a wall-clock instant, it calls back on the core's
/// queue when that instant has come. Separate from the core so tests can drive it by hand.
///
/// Contract: `arm` and `disarm` are called on the core's queue only; `handler` runs there too.
public protocol Alarm: AnyObject {
    /// Replaces any earlier arming.
    func arm(at instant: Date)
    func disarm()
}

/// A `DispatchSourceTimer` against the wall clock (`DispatchWallTime`), so a reminder set for
/// 09:00 fires at 09:00 by the system clock, not after a fixed number of seconds of uptime.
final class DispatchWallAlarm: Alarm {
    private let timer: DispatchSourceTimer

    init(queue: DispatchQueue, handler: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(flags: [.strict], queue: queue)
        timer.setEventHandler(handler: handler)
        timer.schedule(wallDeadline: .distantFuture)
        timer.activate()
    }

    func arm(at instant: Date) {
        // An instant already past fires now. Far past ones (what a crash left firing is loaded
        // at `distantPast`) would overflow dispatch's nanosecond wall time and never fire.
        guard instant > Date() else { return timer.schedule(wallDeadline: .now(), leeway: .nanoseconds(0)) }
        let seconds = instant.timeIntervalSince1970
        let whole = seconds.rounded(.down)
        let spec = timespec(tv_sec: Int(whole), tv_nsec: Int((seconds - whole) * 1e9))
        // No leeway: a reminder is a promise about a time of day.
        timer.schedule(wallDeadline: DispatchWallTime(timespec: spec), leeway: .nanoseconds(0))
    }

    func disarm() {
        timer.schedule(wallDeadline: .distantFuture)
    }

    deinit {
        timer.cancel()
    }
}
