import Foundation

extension DeliveryOutcome {
    /// What the daemon itself did with a batch of reminders, as an entry of the audit trail,
    /// written in the transaction that records it: which were sent, missed, failed or put back
    /// to retry (by occurrence id). Nil when no reminder changed state.
    public func auditEntry(at now: Date) -> AuditEntry? {
        guard !(delivered.isEmpty && missed.isEmpty && failed.isEmpty && retrying.isEmpty) else { return nil }
        let summary = Summary(sent: delivered.isEmpty ? nil : delivered, missed: missed.isEmpty ? nil : missed,
                              failed: failed.isEmpty ? nil : failed.map { .init(id: $0.id, error: $0.error, at: nil) },
                              retrying: retrying.isEmpty ? nil : retrying.map { .init(id: $0.id, error: $0.error, at: Millis.from($0.at)) })
        let after = AuditEntry.json(summary)
        let count = delivered.count + missed.count + failed.count + retrying.count
        return AuditEntry(at: now, uid: Int64(getuid()), pid: Int64(getpid()), command: "deadlined", method: "Reminders",
                          target: "\(count) reminder(s)", before: nil, after: after)
    }

    /// The `after` of a `Reminders` entry (an item's history reads it back).
    public struct Summary: Codable, Sendable {
        public struct Attempt: Codable, Sendable {
            public var id: Int64
            public var error: String
            /// When it is tried again (ms since 1970).
            public var at: Int64?
        }
        public var sent: [Int64]?
        public var missed: [Int64]?
        public var failed: [Attempt]?
        public var retrying: [Attempt]?

        /// Each occurrence named, with what became of it: sent, missed, failed or retrying.
        public var outcomes: [(id: Int64, outcome: String)] {
            (sent ?? []).map { ($0, "sent") } + (missed ?? []).map { ($0, "missed") }
                + (failed ?? []).map { ($0.id, "failed") } + (retrying ?? []).map { ($0.id, "retrying") }
        }
    }
}
