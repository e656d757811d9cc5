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

    /// Reads the whole trail in the order written and returns where its chain first breaks.
    public func auditChainBreak() throws -> AuditChain.Break? {
        try readDB { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM audit ORDER BY id")
            var links: [AuditChain.Link] = []
            while let r = try rows.next() {
                links.append(.init(entry: Self.auditEntry(r), seq: r["seq"] ?? 0, prev: r["prev_hash"] ?? "", hash: r["hash"] ?? ""))
            }
            return AuditChain.firstBreak(links)
        }
    }
}
