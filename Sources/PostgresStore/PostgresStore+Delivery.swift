import DeadlineCore
import DeadlineStore
import Foundation
import PostgresNIO

/// The timer core's claims and settlements in PostgreSQL: each a statement over arrays of ids,
/// so a batch of a thousand reminders costs a few round trips, not a thousand.
extension PostgresStore {
    public func unfinishedOccurrences() throws -> [Occurrence] {
        try read { s in
            try s.rows("SELECT * FROM occurrence WHERE state IN ('pending', 'firing', 'retrying') ORDER BY fire_at_ms, id")
                .map(OccurrenceRow.occurrence)
        }
    }

    public func unfinishedSchedule() throws -> [(id: Int64, fireAt: Date)] {
        try read { s in
            try s.query("SELECT id, \(unescaped: Self.claimableAt) FROM occurrence WHERE state IN ('pending', 'firing', 'retrying')").rows.map { row in
                let (id, at) = try row.decode((Int64, Int64).self)
                return (id, Millis.date(at))
            }
        }
    }

    /// When a row may be claimed: its instant, or a firing row's lease end (on the database's
    /// clock: a wake-up hint only, the claim decides). A node that waked for another's live
    /// claim at every poll spent a burst re-reading what it could not take.
    static let claimableAt = "CASE WHEN state = 'firing' THEN coalesce(lease_until_ms, 0) ELSE fire_at_ms END"

    public func pendingCount(before instant: Date) throws -> Int {
        try read { s in
            try s.rows("SELECT count(*) AS n FROM occurrence WHERE state = 'pending' AND fire_at_ms < \(Millis.from(instant))")[0]["n"]
                .decode(Int.self)
        }
    }

    /// The rows whose fence still holds are locked first, so that no node claims them between
    /// the check and the writes; nothing of the others is written.
    @discardableResult
    public func record(_ outcome: DeliveryOutcome, now: Date) throws -> [Int64] {
        try write { s in
            try s.inTransaction {
                var outcome = outcome
                let fenced = outcome.fences.sorted { $0.key < $1.key }
                var lost: [Int64] = []
                if !fenced.isEmpty {
                    let held = Set(try s.rows("""
                        SELECT o.id FROM occurrence o
                        JOIN unnest(\(fenced.map(\.key))::bigint[], \(fenced.map(\.value))::bigint[]) AS c(id, fence)
                          ON o.id = c.id AND o.fence = c.fence
                        WHERE o.state = 'firing' ORDER BY o.id FOR UPDATE OF o
                        """).map { try $0["id"].decode(Int64.self) })
                    lost = fenced.map(\.key).filter { !held.contains($0) }
                    let out = Set(lost)
                    outcome.attempts.removeAll { out.contains($0.occurrenceID) }
                    outcome.delivered.removeAll(where: out.contains)
                    outcome.retrying.removeAll { out.contains($0.id) }
                    outcome.failed.removeAll { out.contains($0.id) }
                    outcome.missed.removeAll(where: out.contains)
                }
                outcome.missed = try Self.write(outcome, ms: Millis.from(now), s)
                // Last, so that the chain's lock is held for the commit alone.
                if let entry = outcome.auditEntry(at: now) { try PostgresTransaction(session: s).recordAudit(entry) }
                return lost
            }
        }
    }

    /// - Returns: the missed reminders it marked (not those settled meanwhile).
    private static func write(_ outcome: DeliveryOutcome, ms: Int64, _ s: PostgresSession) throws -> [Int64] {
        let a = outcome.attempts
        if !a.isEmpty {
            try s.query("""
                INSERT INTO delivery_log (occurrence_id, channel, idempotency_key, attempt, at_ms, outcome, error, retry_at_ms, detail)
                SELECT occurrence_id, channel, idempotency_key, attempt, at_ms,
                       CASE WHEN failed THEN 'failed' ELSE 'delivered' END,
                       CASE WHEN failed THEN error END, CASE WHEN has_retry THEN retry_at END, CASE WHEN has_detail THEN detail END
                FROM unnest(\(a.map(\.occurrenceID))::bigint[], \(a.map(\.channel))::text[], \(a.map(\.idempotencyKey))::text[],
                            \(a.map(\.attempt))::bigint[], \(a.map { Millis.from($0.at) })::bigint[], \(a.map { $0.error != nil })::bool[],
                            \(a.map { $0.error ?? "" })::text[], \(a.map { $0.retryAt != nil })::bool[],
                            \(a.map { $0.retryAt.map(Millis.from) ?? 0 })::bigint[], \(a.map { $0.detail != nil })::bool[],
                            \(a.map { $0.detail ?? "" })::text[])
                    WITH ORDINALITY AS r(occurrence_id, channel, idempotency_key, attempt, at_ms, failed, error, has_retry,
                                         retry_at, has_detail, detail, n)
                ORDER BY n
                ON CONFLICT (occurrence_id, channel) WHERE outcome = 'delivered' DO NOTHING
                """)
        }
        if !outcome.delivered.isEmpty {
            try s.query("""
                UPDATE occurrence SET state = 'delivered', updated_ms = \(ms), last_error = NULL WHERE id = ANY(\(outcome.delivered)::bigint[])
                """)
        }
        // A reminder cancelled while its batch was being decided stays cancelled, and one that
        // another node holds is that node's to settle; one this node holds (its fence was
        // checked above) is this node's.
        var missed: [Int64] = []
        if !outcome.missed.isEmpty {
            missed = try s.rows("""
                UPDATE occurrence SET state = 'missed', updated_ms = \(ms)
                WHERE id = ANY(\(outcome.missed)::bigint[])
                  AND (state IN ('pending', 'retrying') OR (state = 'firing' AND (lease_until_ms IS NULL OR lease_until_ms < db_now_ms()))
                       OR id = ANY(\(outcome.missed.filter { outcome.fences[$0] != nil })::bigint[]))
                RETURNING id
                """).map { try $0["id"].decode(Int64.self) }
        }
        let f = outcome.failed
        if !f.isEmpty {
            try s.query("""
                UPDATE occurrence o SET state = 'failed', updated_ms = \(ms), last_error = r.error
                FROM unnest(\(f.map(\.id))::bigint[], \(f.map(\.error))::text[]) AS r(id, error) WHERE o.id = r.id
                """)
        }
        let r = outcome.retrying
        if !r.isEmpty {
            try s.query("""
                UPDATE occurrence o SET state = 'retrying', fire_at_ms = r.at, updated_ms = \(ms), last_error = r.error
                FROM unnest(\(r.map(\.id))::bigint[], \(r.map { Millis.from($0.at) })::bigint[], \(r.map(\.error))::text[])
                    AS r(id, at, error)
                WHERE o.id = r.id
                """)
        }
        return missed
    }

    public func channelStates(for ids: [Int64]) throws -> [Int64: [String: ChannelDeliveryState]] {
        guard !ids.isEmpty else { return [:] }
        return try read { s in
            var out: [Int64: [String: ChannelDeliveryState]] = [:]
            // Oldest first, so the latest failure's error and schedule win.
            for row in try s.query("""
                SELECT occurrence_id, channel, outcome, error, retry_at_ms FROM delivery_log
                WHERE occurrence_id = ANY(\(ids)::bigint[]) ORDER BY id
                """).rows {
                let (occurrence, channel, outcome, error, retryAt) = try row.decode((Int64, String, String, String?, Int64?).self)
                var state = out[occurrence]?[channel] ?? ChannelDeliveryState()
                if outcome == "delivered" {
                    state.delivered = true
                } else {
                    state.failures += 1
                    state.lastError = error
                    state.retryAt = retryAt.map(Millis.date)
                }
                out[occurrence, default: [:]][channel] = state
            }
            return out
        }
    }

    public func reminders(forOccurrences ids: [Int64]) throws -> [(item: Item, occurrence: Occurrence)] {
        guard !ids.isEmpty else { return [] }
        return try read { s in
            try s.inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                let occurrences = try s.rows("SELECT * FROM occurrence WHERE id = ANY(\(ids)::bigint[])").map(OccurrenceRow.init(postgres:))
                let itemIDs = Array(Set(occurrences.map(\.item_id)))
                let items = try s.rows("SELECT * FROM item WHERE id = ANY(\(itemIDs)::bigint[])").map(ItemRow.init(postgres:))
                let itemsByID = Dictionary(uniqueKeysWithValues: try items.map { ($0.id!, try $0.domain()) })
                let byID = Dictionary(uniqueKeysWithValues: occurrences.map { ($0.id!, $0) })
                return try ids.compactMap { id in
                    guard let row = byID[id], var item = itemsByID[row.item_id] else { return nil }
                    let occurrence = try row.domain()
                    // A series' reminder speaks of its own instance, not of the first.
                    if let start = occurrence.instance { item.fields = item.fields.instance(at: start) }
                    return (item, occurrence)
                }
            }
        }
    }

    public func deliveryLog(occurrence id: Int64) throws -> [DeliveryAttempt] {
        try read { s in
            try s.rows("SELECT * FROM delivery_log WHERE occurrence_id = \(id) ORDER BY id").map { r in
                DeliveryAttempt(occurrenceID: try r["occurrence_id"].decode(Int64.self), channel: try r["channel"].decode(String.self),
                                idempotencyKey: try r["idempotency_key"].decode(String.self), attempt: try r["attempt"].decode(Int.self),
                                at: Millis.date(try r["at_ms"].decode(Int64.self)), error: try r["error"].decode(String?.self),
                                retryAt: try r["retry_at_ms"].decode(Int64?.self).map(Millis.date), detail: try r["detail"].decode(String?.self))
            }
        }
    }
}
