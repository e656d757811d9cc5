import CSystemd

/// The watchdog interval systemd asks for (`WatchdogSec=`, passed as `$WATCHDOG_USEC`).
public enum Watchdog {
    /// The interval in microseconds, or nil when no watchdog is enabled for this process.
    /// `$WATCHDOG_PID`, when set, must name this process (sd_watchdog_enabled(3)).
    public static func intervalMicroseconds() -> UInt64? {
        var usec: UInt64 = 0
        let r = sd_watchdog_enabled(0, &usec)
        return r > 0 && usec > 0 ? usec : nil
    }
}
