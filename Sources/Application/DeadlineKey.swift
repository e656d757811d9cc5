import DeadlineCore
import DeadlineStore

/// What a center's commands take as their key: a deadline's own key, or a plan's key for every
/// deadline of the plan (`board nacc-2560-2564`, `remind nacc-2560-2564 --not-submitted`).
enum DeadlineKey {
    /// The deadline `key` names, else the plan's deadlines in order of their date; none is
    /// `StoreError.noSuchItem`.
    static func deadlines(_ key: String, _ txn: any StoreReading) throws -> [Item] {
        if let item = try txn.item(key: key) { return [item] }
        let deadlines = try txn.items().filter { $0.fields.plan == key && $0.fields.kind == .deadline }
        guard !deadlines.isEmpty else { throw StoreError.noSuchItem(key) }
        return deadlines
    }
}
