import CoreMetrics
import DeadlineStore
import Foundation

/// What the timer core counts for the metrics system (a no-op until the daemon bootstraps one).
/// The names are the Prometheus names the daemon serves.
public enum SchedulerMetrics {
    /// Sent − due, for each reminder every channel accepted.
    public static let lateness = "deadlined_reminder_lateness_seconds"
    /// Now − due, for each reminder the core takes off its heap: how far behind the core is.
    public static let queueDelay = "deadlined_timer_queue_delay_seconds"
    /// One per channel attempt, by channel and outcome (accepted, failed).
    public static let deliveries = "deadlined_deliveries_total"
    /// Reminders settled, by outcome: sent, retrying, failed, missed.
    public static let settled = "deadlined_reminders_settled_total"

    static func attempt(_ a: DeliveryAttempt) {
        Counter(label: deliveries, dimensions: [("channel", a.channel), ("outcome", a.error == nil ? "accepted" : "failed")]).increment()
    }

    static func settled(_ outcome: String, count: Int = 1) {
        guard count > 0 else { return }
        Counter(label: settled, dimensions: [("outcome", outcome)]).increment(by: count)
    }

    static func sent(due: Date, now: Date) { record(lateness, now.timeIntervalSince(due)) }

    /// A crash-left send is due at `distantPast`: not a delay of the queue.
    static func taken(due: Date, now: Date) {
        guard due > .distantPast else { return }
        record(queueDelay, now.timeIntervalSince(due))
    }

    private static func record(_ label: String, _ seconds: TimeInterval) {
        CoreMetrics.Timer(label: label).recordNanoseconds(Int64(max(seconds, 0) * 1e9))
    }
}
