import CLinux
import Dispatch
import Glibc

/// Tells when the wall clock is set (by NTP after boot, an admin, or resume from suspend):
/// a `timerfd` on CLOCK_REALTIME armed far in the future with `TFD_TIMER_CANCEL_ON_SET` becomes
/// readable with ECANCELED whenever the clock is stepped.
///
/// Contract: `handler` runs on `queue`; the monitor re-arms itself after each step.
final class ClockStepMonitor {
    private let fd: Int32
    private let source: DispatchSourceRead

    /// nil where timerfd is not available (not Linux, or too old a kernel).
    init?(queue: DispatchQueue, handler: @escaping @Sendable () -> Void) {
        let fd = timerfd_create(CLOCK_REALTIME, Int32(TFD_CLOEXEC | TFD_NONBLOCK))
        guard fd >= 0 else { return nil }
        self.fd = fd
        guard Self.arm(fd) else {
            close(fd)
            return nil
        }
        source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler {
            var expirations: UInt64 = 0
            let n = read(fd, &expirations, MemoryLayout<UInt64>.size)
            if n < 0 && errno == ECANCELED {
                _ = Self.arm(fd)
                handler()
            }
        }
        source.setCancelHandler { close(fd) }
        source.activate()
    }

    /// Armed far in the future: it must never expire, only be cancelled by a clock step.
    private static func arm(_ fd: Int32) -> Bool {
        var spec = itimerspec()
        spec.it_value.tv_sec = 4_000_000_000   // the year 2096: never reached, within every kernel limit
        return timerfd_settime(fd, Int32(TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET), &spec, nil) == 0
    }

    deinit { source.cancel() }
}
