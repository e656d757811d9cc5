import Foundation

/// How an item's history is found in the trail (`Store.auditHistory`): entries about the item
/// or its obligations (`key/code`), and imports whose summary names it.
public enum AuditHistory {
    /// The key as a JSON string, as an import's summary names the items it added or updated.
    public static func quoted(_ key: String) -> String {
        AuditEntry.json(key) ?? "\"\(key)\""
    }

    /// A LIKE pattern for texts that start with `prefix` (`\` escapes, as PostgreSQL's default).
    public static func likePrefix(_ prefix: String) -> String {
        var out = ""
        for c in prefix {
            if c == "%" || c == "_" || c == "\\" { out.append("\\") }
            out.append(c)
        }
        return out + "%"
    }
}
