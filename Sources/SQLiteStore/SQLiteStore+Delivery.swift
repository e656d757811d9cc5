import DeadlineCore
import DeadlineStore
import Foundation
import GRDB

extension SQLiteStore {
    /// One node: nothing else claims, so every fence holds.
    @discardableResult
    public func record(_ outcome: DeliveryOutcome, now: Date) throws -> [Int64] {
        let ms = Millis.from(now)
        try writeDB { db in
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
            var written = outcome
            written.missed = try outcome.missed.filter { id in
                try miss.execute(arguments: [ms, id])
                return db.changesCount > 0
            }
            for f in outcome.failed { try set.execute(arguments: ["failed", ms, f.error, f.id]) }
            let retry = try db.cachedStatement(sql: "UPDATE occurrence SET state = 'retrying', fire_at_ms = ?, updated_ms = ?, last_error = ? WHERE id = ?")
            for r in outcome.retrying { try retry.execute(arguments: [Millis.from(r.at), ms, r.error, r.id]) }
            if let entry = written.auditEntry(at: now) { try Self.appendAudit(entry, db) }
        }
        return []
    }

    public func channelStates(for ids: [Int64]) throws -> [Int64: [String: ChannelDeliveryState]] {
        guard !ids.isEmpty else { return [:] }
        return try readDB { db in
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

    public func deliveryLog(occurrence id: Int64) throws -> [DeliveryAttempt] {
        try readDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM delivery_log WHERE occurrence_id = ? ORDER BY id", arguments: [id]).map { row in
                DeliveryAttempt(occurrenceID: row["occurrence_id"], channel: row["channel"], idempotencyKey: row["idempotency_key"],
                                attempt: row["attempt"], at: Millis.date(row["at_ms"]), error: row["error"],
                                retryAt: (row["retry_at_ms"] as Int64?).map(Millis.date), detail: row["detail"])
            }
        }
    }

    public func statusFigures(problemLimit: Int) throws -> StatusFigures {
        try readDB { db in
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
            return StatusFigures(counts: counts, items: items, downtime: downtime, problems: problems)
        }
    }

    public func daemonState(_ key: String) throws -> String? {
        try readDB { db in try String.fetchOne(db, sql: "SELECT value FROM daemon_state WHERE key = ?", arguments: [key]) }
    }

    public func setDaemonState(_ key: String, _ value: String) throws {
        try writeDB { db in
            try db.execute(sql: "INSERT OR REPLACE INTO daemon_state (key, value) VALUES (?, ?)", arguments: [key, value])
        }
    }
}
