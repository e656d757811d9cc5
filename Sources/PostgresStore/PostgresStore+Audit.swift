import DeadlineStore
import Foundation
import PostgresNIO

extension PostgresStore {
    public func auditLog(limit: Int) throws -> [AuditEntry] {
        try read { s in
            try s.rows("SELECT * FROM audit ORDER BY id DESC LIMIT \(limit)").map(Self.auditEntry)
        }
    }

    static func auditEntry(_ r: PostgresRandomAccessRow) throws -> AuditEntry {
        AuditEntry(id: try r["id"].decode(Int64.self), at: Millis.date(try r["at_ms"].decode(Int64.self)),
                   uid: try r["uid"].decode(Int64.self), pid: try r["pid"].decode(Int64.self),
                   command: try r["command"].decode(String.self), method: try r["method"].decode(String.self),
                   target: try r["target"].decode(String.self), before: try r["before"].decode(String?.self),
                   after: try r["after"].decode(String?.self))
    }

    public func auditLinks(afterID: Int64, limit: Int) throws -> [AuditChain.Link] {
        try read { s in
            try s.rows("SELECT * FROM audit WHERE id > \(afterID) ORDER BY id LIMIT \(limit)").map(Self.link)
        }
    }

    public func auditHistory(of key: String, limit: Int) throws -> [AuditChain.Link] {
        try read { s in
            try s.rows("""
                SELECT * FROM audit WHERE target = \(key) OR target LIKE \(AuditHistory.likePrefix(key + "/"))
                    OR (method = 'Import' AND strpos(after, \(AuditHistory.quoted(key))) > 0)
                ORDER BY id LIMIT \(limit)
                """).map(Self.link)
        }
    }

    public func auditReminderEntries(mentioning ids: [Int64], since instant: Date, limit: Int) throws -> [AuditChain.Link] {
        guard !ids.isEmpty else { return [] }
        return try read { s in
            try s.rows("""
                SELECT * FROM audit WHERE method = 'Reminders' AND at_ms >= \(Millis.from(instant))
                    AND EXISTS (SELECT 1 FROM unnest(\(ids.map(String.init))::text[]) AS id WHERE strpos(after, id) > 0)
                ORDER BY id LIMIT \(limit)
                """).map(Self.link)
        }
    }

    public func auditFirstID(atOrAfter instant: Date) throws -> Int64? {
        try read { s in try s.rows("SELECT min(id) AS id FROM audit WHERE at_ms >= \(Millis.from(instant))")[0]["id"].decode(Int64?.self) }
    }

    static func link(_ r: PostgresRandomAccessRow) throws -> AuditChain.Link {
        AuditChain.Link(entry: try auditEntry(r), seq: try r["seq"].decode(Int64?.self) ?? 0,
                        prev: try r["prev_hash"].decode(String?.self) ?? "", hash: try r["hash"].decode(String?.self) ?? "")
    }

    public func auditCheckpoints() throws -> [AuditCheckpoint] {
        try read { s in try s.rows("SELECT * FROM audit_checkpoint ORDER BY id").map(Self.checkpoint) }
    }

    static func checkpoint(_ r: PostgresRandomAccessRow) throws -> AuditCheckpoint {
        AuditCheckpoint(seq: try r["seq"].decode(Int64.self), hash: try r["hash"].decode(String.self),
                        at: Millis.date(try r["at_ms"].decode(Int64.self)), key: try r["key"].decode(String.self),
                        signature: try r["signature"].decode(String.self))
    }

    /// Under the chain's lock, so that no node moves the head while it is signed.
    public func checkpointAudit(signingWith key: AuditSigningKey, at now: Date) throws -> AuditCheckpoint? {
        try write { s in
            try s.inTransaction {
                guard let head = try PostgresTransaction(session: s).lockedAuditHead() else { return nil }
                let (seq, hash) = (head.seq, head.hash ?? "")
                let newest = try s.rows("SELECT * FROM audit_checkpoint ORDER BY id DESC LIMIT 1").first.map(Self.checkpoint)
                if let newest, newest.signs(seq: seq, hash: hash, key: key) { return newest }
                let c = try key.checkpoint(seq: seq, hash: hash, at: now)
                try s.query("""
                    INSERT INTO audit_checkpoint (seq, hash, at_ms, key, signature)
                    VALUES (\(c.seq), \(c.hash), \(Millis.from(c.at)), \(c.key), \(c.signature))
                    """)
                return c
            }
        }
    }
}
