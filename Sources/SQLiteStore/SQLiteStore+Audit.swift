import DeadlineStore
import Foundation
import GRDB

extension SQLiteStore {
    public func auditLog(limit: Int) throws -> [AuditEntry] {
        try readDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map(Self.auditEntry)
        }
    }

    static func auditEntry(_ r: Row) -> AuditEntry {
        AuditEntry(id: r["id"], at: Millis.date(r["at_ms"]), uid: r["uid"], pid: r["pid"], command: r["command"],
                   method: r["method"], target: r["target"], before: r["before"], after: r["after"])
    }

    public func auditLinks(afterID: Int64, limit: Int) throws -> [AuditChain.Link] {
        try readDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit WHERE id > ? ORDER BY id LIMIT ?", arguments: [afterID, limit]).map(Self.link)
        }
    }

    static func link(_ r: Row) -> AuditChain.Link {
        AuditChain.Link(entry: auditEntry(r), seq: r["seq"] ?? 0, prev: r["prev_hash"] ?? "", hash: r["hash"] ?? "")
    }

    public func auditHistory(of key: String, limit: Int) throws -> [AuditChain.Link] {
        try readDB { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM audit WHERE target = ? OR (target >= ? AND target < ?) OR (method = 'Import' AND instr(after, ?) > 0)
                ORDER BY id LIMIT ?
                """, arguments: [key, key + "/", key + "0", AuditHistory.quoted(key), limit]).map(Self.link)
        }
    }

    public func auditReminderEntries(mentioning ids: [Int64], since instant: Date, limit: Int) throws -> [AuditChain.Link] {
        guard !ids.isEmpty else { return [] }
        return try readDB { db in
            try Row.fetchAll(db, sql: """
                SELECT * FROM audit WHERE method = 'Reminders' AND at_ms >= ?
                    AND EXISTS (SELECT 1 FROM json_each(?) AS id WHERE instr(after, id.value) > 0)
                ORDER BY id LIMIT ?
                """, arguments: [Millis.from(instant), AuditEntry.json(ids.map(String.init)), limit]).map(Self.link)
        }
    }

    public func auditFirstID(atOrAfter instant: Date) throws -> Int64? {
        try readDB { db in try Int64.fetchOne(db, sql: "SELECT min(id) FROM audit WHERE at_ms >= ?", arguments: [Millis.from(instant)]) }
    }

    public func auditCheckpoints() throws -> [AuditCheckpoint] {
        try readDB { db in try Row.fetchAll(db, sql: "SELECT * FROM audit_checkpoint ORDER BY id").map(Self.checkpoint) }
    }

    static func checkpoint(_ r: Row) -> AuditCheckpoint {
        AuditCheckpoint(seq: r["seq"], hash: r["hash"], at: Millis.date(r["at_ms"]), key: r["key"], signature: r["signature"])
    }

    public func checkpointAudit(signingWith key: AuditSigningKey, at now: Date) throws -> AuditCheckpoint? {
        try writeDB { db in
            guard let head = try Self.auditHead(db) else { return nil }
            let (seq, hash) = (head.seq, head.hash ?? "")
            let newest = try Row.fetchOne(db, sql: "SELECT * FROM audit_checkpoint ORDER BY id DESC LIMIT 1").map(Self.checkpoint)
            if let newest, newest.signs(seq: seq, hash: hash, key: key) { return newest }
            let c = try key.checkpoint(seq: seq, hash: hash, at: now)
            try db.execute(sql: "INSERT INTO audit_checkpoint (seq, hash, at_ms, key, signature) VALUES (?, ?, ?, ?, ?)",
                           arguments: [c.seq, c.hash, Millis.from(c.at), c.key, c.signature])
            return c
        }
    }
}
