import DeadlineCore
import DeadlineStore
import Foundation

/// One change of an item as its history tells it: who, when, how, and its due date and state
/// before and after, read from the audit entry's snapshots.
public struct ItemChange: Sendable, Equatable {
    public var seq: Int64
    public var at: Date
    public var uid: Int64
    public var pid: Int64
    public var command: String
    public var method: String
    /// The item's date as the trail keeps it (`2017-05-24`, or an instant with its offset).
    public var dueBefore: String?
    public var dueAfter: String?
    public var stateBefore: String?
    public var stateAfter: String?
    /// The organisation of an obligation's change, the file of an import, or the label of a
    /// reminder sent.
    public var subject: String?
}

extension Application {
    /// Every change of item `key` in the order made (the first `limit`): its own entries, its
    /// obligations' and the imports that added or updated it.
    /// Its reminders' sends are among them (method `Reminders`, subject the reminder's label,
    /// state after: sent, missed, failed or retrying) while the item still has its occurrences.
    public func history(of key: String, limit: Int) async throws -> [ItemChange] {
        try await read { store in
            let changes = try store.auditHistory(of: key, limit: limit).compactMap { Self.change($0, key: key) }
            guard let item = try store.item(key: key) else { return changes }
            let occurrences = Dictionary(try store.occurrences(ofItem: item.id).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
            // A send is written after its instant; an hour's margin for the clocks of other nodes.
            guard let since = occurrences.values.map(\.fireAt).min()?.addingTimeInterval(-3600) else { return changes }
            let sends = try store.auditReminderEntries(mentioning: Array(occurrences.keys), since: since, limit: limit)
                .flatMap { Self.sends($0, of: occurrences) }
            return Array((changes + sends).sorted { $0.seq < $1.seq }.prefix(limit))
        }
    }

    static func change(_ link: AuditChain.Link, key: String) -> ItemChange? {
        let e = link.entry
        func fields(_ json: String?) -> [String: Any] {
            json.flatMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] } ?? [:]
        }
        let before = fields(e.before), after = fields(e.after)
        var change = ItemChange(seq: link.seq, at: e.at, uid: e.uid, pid: e.pid, command: e.command, method: e.method,
                                dueBefore: before["at"] as? String, dueAfter: after["at"] as? String,
                                stateBefore: before["state"] as? String, stateAfter: after["state"] as? String)
        if e.target == key { return change }
        if e.target.hasPrefix(key + "/") {
            change.subject = String(e.target.dropFirst(key.count + 1))
            return change
        }
        // An import names the item among those it added or updated (the store's match is a hint).
        guard e.method == "Import" else { return nil }
        let added = (after["added"] as? [String])?.contains(key) == true, updated = (after["updated"] as? [String])?.contains(key) == true
        guard added || updated else { return nil }
        change.subject = e.target
        change.stateAfter = added ? "added" : "updated"
        return change
    }

    /// What one `Reminders` entry says of these occurrences: one change per occurrence named.
    static func sends(_ link: AuditChain.Link, of occurrences: [Int64: Occurrence]) -> [ItemChange] {
        let e = link.entry
        guard let after = e.after, let summary = try? JSONDecoder().decode(DeliveryOutcome.Summary.self, from: Data(after.utf8)) else { return [] }
        return summary.outcomes.compactMap { id, outcome in
            guard let o = occurrences[id] else { return nil }
            return ItemChange(seq: link.seq, at: e.at, uid: e.uid, pid: e.pid, command: e.command, method: e.method,
                              stateAfter: outcome, subject: o.organisation.map { "\(o.label) \($0)" } ?? o.label)
        }
    }
}
