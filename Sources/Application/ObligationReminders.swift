import DeadlineCore
import DeadlineStore
import Foundation

/// The reminders of organisations' obligations: each open obligation of a deadline has reminders
/// of its own, at the item's leads, to the organisation's own contacts, until it submits or is
/// exempted. They are planned as the item's are, less two things a center does not want sent
/// thousands of times over: no catch-up of leads already past (an assignment made late starts
/// from now), and at most `overdueNudges` reminders after the due date. The escalation goes to
/// the office's district or province (`EscalationContact`), with the office in copy.
enum ObligationReminders {
    static let overdueNudges = 3

    static func plan(_ item: Item, _ c: UseCaseContext) -> [PlannedReminder] {
        var rule = c.settings.rules.rule(for: item.fields)
        rule.past = .skip
        return c.planner.plan(item: item.fields, rule: rule, now: c.now).reminders.filter { r in
            if r.label.hasPrefix("overdue-"), let n = Int(r.label.dropFirst("overdue-".count)) { return n <= overdueNudges }
            return true
        }
    }

    /// Reminders for these organisations' obligations of an open item.
    static func schedule(_ item: Item, codes: [String], _ txn: any StoreTransaction, _ c: UseCaseContext) throws -> [Occurrence] {
        guard item.state == .open, !codes.isEmpty else { return [] }
        let planned = plan(item, c)
        var added: [Occurrence] = []
        added.reserveCapacity(planned.count * codes.count)
        for code in codes { added += try txn.addObligationReminders(itemID: item.id, code: code, reminders: planned, now: c.now) }
        return added
    }

    /// The same for every item an import retimed.
    static func replan(retimed: [Int64], _ txn: any StoreTransaction, _ c: UseCaseContext) throws -> (cancelled: [Int64], added: [Occurrence]) {
        var out: (cancelled: [Int64], added: [Occurrence]) = ([], [])
        for id in retimed {
            let moved = try replan(itemID: id, txn, c)
            out.cancelled += moved.cancelled
            out.added += moved.added
        }
        return out
    }

    /// After the item's timing changed: every open obligation's reminders planned anew.
    static func replan(itemID: Int64, _ txn: any StoreTransaction, _ c: UseCaseContext) throws -> (cancelled: [Int64], added: [Occurrence]) {
        guard let item = try txn.item(id: itemID) else { return ([], []) }
        let open = try txn.obligations(ofItem: itemID).filter { $0.state == .open }.map(\.code)
        guard !open.isEmpty else { return ([], []) }
        let cancelled = try txn.cancelObligationReminders(itemID: itemID, code: nil, now: c.now)
        return (cancelled, try schedule(item, codes: open, txn, c))
    }
}
