import DeadlineStore
import Foundation
import GRDB

extension SQLiteStore {
    public func auditLog(limit: Int) throws -> [AuditEntry] {
        try readDB { db in
            try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id DESC LIMIT ?", arguments: [limit]).map { r in
                AuditEntry(id: r["id"], at: Millis.date(r["at_ms"]), uid: r["uid"], pid: r["pid"], command: r["command"],
                           method: r["method"], target: r["target"], before: r["before"], after: r["after"])
            }
        }
    }
}
