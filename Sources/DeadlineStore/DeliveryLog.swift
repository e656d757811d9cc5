import DeadlineCore
import Foundation
import GRDB

/// One attempt on one channel.
public struct DeliveryAttempt: Sendable, Equatable {
    public var occurrenceID: Int64
    public var channel: String
    public var idempotencyKey: String
    public var attempt: Int
    public var at: Date
    /// nil: the channel accepted it.
    public var error: String?
    /// After a failure: when this channel tries again; nil when it gave up.
    public var retryAt: Date?
    /// What the receiver answered (`exit 0`, `HTTP 202`), failure or not.
    public var detail: String?

    public init(occurrenceID: Int64, channel: String, idempotencyKey: String, attempt: Int, at: Date, error: String?,
                retryAt: Date? = nil, detail: String? = nil) {
        self.occurrenceID = occurrenceID
        self.channel = channel
        self.idempotencyKey = idempotencyKey
        self.attempt = attempt
        self.at = at
        self.error = error
        self.retryAt = retryAt
        self.detail = detail
    }
}

/// Where one channel stands with one occurrence, from the delivery log.
public struct ChannelDeliveryState: Sendable, Equatable {
    public var delivered = false
    /// Failed attempts so far.
    public var failures = 0
    /// The latest failure's error.
    public var lastError: String?
    /// When the latest failure said to try again; nil with failures > 0: it gave up.
    public var retryAt: Date?

    public init(delivered: Bool = false, failures: Int = 0, lastError: String? = nil, retryAt: Date? = nil) {
        self.delivered = delivered
        self.failures = failures
        self.lastError = lastError
        self.retryAt = retryAt
    }
}

/// What a batch of sends came to, written in one transaction.
public struct DeliveryOutcome: Sendable, Equatable {
    public var attempts: [DeliveryAttempt] = []
    /// Every channel has it now.
    public var delivered: [Int64] = []
    /// To be tried again at the instant given.
    public var retrying: [(id: Int64, at: Date, error: String)] = []
    /// Attempts used up.
    public var failed: [(id: Int64, error: String)] = []
    /// Let go by the misfire policy.
    public var missed: [Int64] = []

    public init(delivered: [Int64] = []) { self.delivered = delivered }

    public static func == (a: DeliveryOutcome, b: DeliveryOutcome) -> Bool {
        a.attempts == b.attempts && a.delivered == b.delivered && a.missed == b.missed
            && a.retrying.map { "\($0.id) \($0.at) \($0.error)" } == b.retrying.map { "\($0.id) \($0.at) \($0.error)" }
            && a.failed.map { "\($0.id) \($0.error)" } == b.failed.map { "\($0.id) \($0.error)" }
    }
}

extension Store {
    /// Writes a batch's attempts and the occurrences' new states in one transaction: the log
    /// and the states never disagree.
    public func record(_ outcome: DeliveryOutcome, now: Date) throws {
        let ms = Millis.from(now)
        try write { db in
            let log = try db.cachedStatement(sql: """
                INSERT INTO delivery_log (occurrence_id, channel, idempotency_key, attempt, at_ms, outcome, error, retry_at_ms, detail)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
            for a in outcome.attempts {
                try log.execute(arguments: [a.occurrenceID, a.channel, a.idempotencyKey, a.attempt, Millis.from(a.at),
                                            a.error == nil ? "delivered" : "failed", a.error, a.retryAt.map(Millis.from), a.detail])
            }
            let set = try db.cachedStatement(sql: "UPDATE occurrence SET state = ?, updated_ms = ?, last_error = ? WHERE id = ?")
            for id in outcome.delivered { try set.execute(arguments: ["delivered", ms, nil, id]) }
            // A reminder cancelled while its batch was being decided stays cancelled.
            let miss = try db.cachedStatement(sql: "UPDATE occurrence SET state = 'missed', updated_ms = ? WHERE id = ? AND state IN ('pending', 'retrying', 'firing')")
            for id in outcome.missed { try miss.execute(arguments: [ms, id]) }
            for f in outcome.failed { try set.execute(arguments: ["failed", ms, f.error, f.id]) }
            let retry = try db.cachedStatement(sql: "UPDATE occurrence SET state = 'retrying', fire_at_ms = ?, updated_ms = ?, last_error = ? WHERE id = ?")
            for r in outcome.retrying { try retry.execute(arguments: [Millis.from(r.at), ms, r.error, r.id]) }
        }
    }

    /// Where each channel stands with each occurrence: a retry or a re-send after a crash skips
    /// the channels that accepted, and each failing channel keeps its own count and schedule.
    public func channelStates(for ids: [Int64]) throws -> [Int64: [String: ChannelDeliveryState]] {
        guard !ids.isEmpty else { return [:] }
        return try read { db in
            var out: [Int64: [String: ChannelDeliveryState]] = [:]
            // Oldest first, so the latest failure's error and schedule win.
            let rows = try Row.fetchCursor(db, sql: """
                SELECT occurrence_id, channel, outcome, error, retry_at_ms FROM delivery_log
                WHERE occurrence_id IN (\(ids.map { _ in "?" }.joined(separator: ",")))
                ORDER BY id
                """, arguments: StatementArguments(ids))
            while let row = try rows.next() {
                let occurrence: Int64 = row["occurrence_id"]
                let channel: String = row["channel"]
                var state = out[occurrence]?[channel] ?? ChannelDeliveryState()
                if row["outcome"] as String == "delivered" {
                    state.delivered = true
                } else {
                    state.failures += 1
                    state.lastError = row["error"]
                    state.retryAt = (row["retry_at_ms"] as Int64?).map(Millis.date)
                }
                out[occurrence, default: [:]][channel] = state
            }
            return out
        }
    }

    /// The delivery log of one occurrence, oldest first.
    public func deliveryLog(occurrence id: Int64) throws -> [DeliveryAttempt] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT * FROM delivery_log WHERE occurrence_id = ? ORDER BY id", arguments: [id]).map { row in
                DeliveryAttempt(occurrenceID: row["occurrence_id"], channel: row["channel"], idempotencyKey: row["idempotency_key"],
                                attempt: row["attempt"], at: Millis.date(row["at_ms"]), error: row["error"],
                                retryAt: (row["retry_at_ms"] as Int64?).map(Millis.date), detail: row["detail"])
            }
        }
    }

    /// What `Status` needs from the store, in one read transaction: counts by state, items,
    /// the last downtime, and (only when there are any) the latest problems.
    public func statusFigures(problemLimit: Int) throws
        -> (counts: [OccurrenceState: Int], items: Int, downtime: String?, problems: [(occurrence: Occurrence, itemKey: String)]) {
        try read { db in
            let (counts, items) = try Self.counters(db)
            let downtime = try String.fetchOne(db, sql: "SELECT value FROM daemon_state WHERE key = 'last_downtime'")
            let troubled = (counts[.retrying] ?? 0) + (counts[.failed] ?? 0) > 0
            let problems = troubled ? try Row.fetchAll(db, sql: """
                SELECT o.id, o.item_id, o.fire_at_ms, o.state, o.attempts, o.label, o.last_error, i.key
                FROM occurrence o INDEXED BY occurrence_problems JOIN item i ON i.id = o.item_id
                WHERE o.state IN ('retrying', 'failed') ORDER BY o.updated_ms DESC LIMIT ?
                """, arguments: [problemLimit]).map { row in
                (Occurrence(id: row["id"], itemID: row["item_id"], fireAt: Millis.date(row["fire_at_ms"]),
                            state: OccurrenceState(rawValue: row["state"]) ?? .failed, attempts: row["attempts"],
                            label: row["label"], lastError: row["last_error"]), row["key"] as String)
            } : []
            return (counts, items, downtime, problems)
        }
    }

    /// A small fact about the daemon (`last_alive_ms`, `last_downtime`).
    public func daemonState(_ key: String) throws -> String? {
        try read { db in try String.fetchOne(db, sql: "SELECT value FROM daemon_state WHERE key = ?", arguments: [key]) }
    }

    public func setDaemonState(_ key: String, _ value: String) throws {
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO daemon_state (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
