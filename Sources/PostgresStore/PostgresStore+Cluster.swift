import DeadlineCore
import DeadlineStore
import Foundation
import PostgresNIO

/// Several nodes on one database: claims under a lease on the database's clock, a fencing
/// token per claim, heartbeat rows. No node leads; each claims what is due and not held.
extension PostgresStore {
    /// One statement: the rows of `ids` still owed and not held by a live lease, skipping any
    /// that another node has locked this instant, each with a new token from the fence
    /// sequence and a lease reckoned on the database's clock.
    public func claim(_ ids: [Int64], now: Date) throws -> [Claim] {
        guard !ids.isEmpty else { return [] }
        let claimed = try write { s in
            try s.query("""
                WITH c AS (
                    SELECT id FROM occurrence
                    WHERE id = ANY(\(ids)::bigint[])
                      -- Due by this node's clock (another node may have moved a retry later); free by the database's.
                      AND ((state IN ('pending', 'retrying') AND fire_at_ms <= \(Millis.from(now)))
                           OR (state = 'firing' AND (lease_until_ms IS NULL OR lease_until_ms < db_now_ms())))
                    ORDER BY fire_at_ms
                    FOR UPDATE SKIP LOCKED)
                UPDATE occurrence o SET state = 'firing', updated_ms = \(Millis.from(now)), attempts = o.attempts + 1,
                    owner = \(node.name), fence = nextval('occurrence_fence'), lease_until_ms = db_now_ms() + \(leaseMillis)
                FROM c WHERE o.id = c.id
                RETURNING o.id, o.fence
                """).rows.map { row in
                let (id, fence) = try row.decode((Int64, Int64).self)
                return Claim(id: id, fence: fence)
            }
        }
        let byID = Dictionary(uniqueKeysWithValues: claimed.map { ($0.id, $0) })
        return ids.compactMap { byID[$0] }
    }

    /// The same over whatever is owed, soonest first. Each kind of row is found by its own
    /// index, in order (pending and retrying by instant, lapsed leases by their end), so a burst
    /// does not walk past the thousands of live claims in flight; what is locked and not taken
    /// is free again when the statement commits.
    public func claimDue(now: Date, limit: Int) throws -> [Claim] {
        let ms = Millis.from(now)
        return try write { s in
            try s.query("""
                WITH t AS (SELECT db_now_ms() AS ms),
                p AS (SELECT id, fire_at_ms FROM occurrence WHERE state = 'pending' AND fire_at_ms <= \(ms)
                      ORDER BY fire_at_ms LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                r AS (SELECT id, fire_at_ms FROM occurrence WHERE state = 'retrying' AND fire_at_ms <= \(ms)
                      ORDER BY fire_at_ms LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                -- The database's now, once: an index can take it as a bound, as it cannot a volatile call.
                f AS (SELECT id, fire_at_ms FROM occurrence WHERE state = 'firing' AND lease_until_ms < (SELECT ms FROM t)
                      ORDER BY lease_until_ms LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                c AS (SELECT id FROM (SELECT * FROM p UNION ALL SELECT * FROM r UNION ALL SELECT * FROM f) d
                      ORDER BY fire_at_ms, id LIMIT \(limit))
                UPDATE occurrence o SET state = 'firing', updated_ms = \(ms), attempts = o.attempts + 1,
                    owner = \(node.name), fence = nextval('occurrence_fence'), lease_until_ms = db_now_ms() + \(leaseMillis)
                FROM c WHERE o.id = c.id
                RETURNING o.id, o.fence, o.fire_at_ms
                """).rows.map { row in
                let (id, fence, at) = try row.decode((Int64, Int64, Int64).self)
                return (claim: Claim(id: id, fence: fence), at: at)
            }.sorted { ($0.at, $0.claim.id) < ($1.at, $1.claim.id) }.map(\.claim)
        }
    }

    var leaseMillis: Int64 { Int64((node.lease * 1000).rounded()) }

    /// This node restarted: what its previous process held is free at once, not after its lease.
    public func releaseClaims() throws {
        try write { s in
            try s.inTransaction {
                try s.query("UPDATE occurrence SET lease_until_ms = 0 WHERE state = 'firing' AND owner = \(node.name)")
                try s.query("""
                    INSERT INTO node (name, started_ms, heartbeat_ms) VALUES (\(node.name), db_now_ms(), db_now_ms())
                    ON CONFLICT (name) DO UPDATE SET started_ms = excluded.started_ms, heartbeat_ms = excluded.heartbeat_ms
                    """)
            }
        }
    }

    public func renewLeases(_ claims: [Claim]) throws -> [Int64] {
        guard !claims.isEmpty else { return [] }
        return try write { s in
            try s.rows("""
                UPDATE occurrence o SET lease_until_ms = db_now_ms() + \(leaseMillis)
                FROM unnest(\(claims.map(\.id))::bigint[], \(claims.map(\.fence))::bigint[]) AS c(id, fence)
                WHERE o.id = c.id AND o.fence = c.fence AND o.state = 'firing'
                RETURNING o.id
                """).map { try $0["id"].decode(Int64.self) }
        }
    }

    public func holding(_ claims: [Claim], margin: TimeInterval) throws -> [Int64] {
        guard !claims.isEmpty else { return [] }
        return try read { s in
            try s.rows("""
                SELECT o.id FROM occurrence o
                JOIN unnest(\(claims.map(\.id))::bigint[], \(claims.map(\.fence))::bigint[]) AS c(id, fence) ON o.id = c.id AND o.fence = c.fence
                WHERE o.state = 'firing' AND o.lease_until_ms > db_now_ms() + \(Int64((margin * 1000).rounded()))
                """).map { try $0["id"].decode(Int64.self) }
        }
    }

    public func unfinishedSchedule(before instant: Date) throws -> [(id: Int64, fireAt: Date)] {
        try read { s in
            // Two index ranges (instants; lapsing leases), not a scan of everything still owed:
            // a center's year of reminders lies mostly beyond the look-ahead.
            try s.query("""
                SELECT id, fire_at_ms FROM occurrence WHERE state IN ('pending', 'retrying') AND fire_at_ms < \(Millis.from(instant))
                UNION ALL
                SELECT id, lease_until_ms FROM occurrence WHERE state = 'firing' AND lease_until_ms < \(Millis.from(instant))
                """).rows.map { row in
                let (id, at) = try row.decode((Int64, Int64).self)
                return (id, Millis.date(at))
            }
        }
    }

    public func oldestUnclaimed(now: Date) throws -> Date? {
        try read { s in
            // The first entry of each index range (least() passes over a NULL), not a scan: `check` asks often.
            try s.rows("""
                SELECT least(
                    (SELECT min(fire_at_ms) FROM occurrence WHERE state IN ('pending', 'retrying') AND fire_at_ms <= \(Millis.from(now))),
                    (SELECT min(lease_until_ms) FROM occurrence WHERE state = 'firing' AND lease_until_ms < (SELECT db_now_ms()))) AS since
                """)[0]["since"].decode(Int64?.self).map(Millis.date)
        }
    }

    public func heartbeat(now: Date) throws -> [NodeHeartbeat] {
        try write { s in
            try s.inTransaction {
                try s.query("""
                    INSERT INTO node (name, started_ms, heartbeat_ms) VALUES (\(node.name), db_now_ms(), db_now_ms())
                    ON CONFLICT (name) DO UPDATE SET heartbeat_ms = excluded.heartbeat_ms
                    """)
                return try s.rows("""
                    SELECT n.name, n.started_ms, n.heartbeat_ms, db_now_ms() - n.heartbeat_ms AS silent_ms,
                        (SELECT count(*) FROM occurrence o WHERE o.state = 'firing' AND o.owner = n.name) AS holding
                    FROM node n ORDER BY n.name
                    """).map { r in
                    NodeHeartbeat(name: try r["name"].decode(String.self), startedAt: Millis.date(try r["started_ms"].decode(Int64.self)),
                                  lastSeen: Millis.date(try r["heartbeat_ms"].decode(Int64.self)),
                                  silentFor: Double(try r["silent_ms"].decode(Int64.self)) / 1000, holding: try r["holding"].decode(Int.self))
                }
            }
        }
    }
}
