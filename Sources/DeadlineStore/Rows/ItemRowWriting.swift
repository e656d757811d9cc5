import DeadlineCore
import Foundation

/// The few row operations in which the SQL backends differ, and on them, once for all, what a
/// transaction does with items: import by key, close, replan, extend a series. A backend
/// implements the primitives in its own SQL; the rules live here.
package protocol ItemRowWriting {
    func itemRow(key: String) throws -> ItemRow?
    /// Inserts a new item; an empty key is made from the kind and row id (`m12`, `d7`).
    func insertItem(_ item: NewItem, uid: String?, recurrenceID: Date?, sequence: Int, plannedThrough: Date?, dayTime: TimeOfDay,
                    now: Date) throws -> Item
    /// Writes every column of a row that exists.
    func updateItemRow(_ row: ItemRow) throws
    func setPlannedThrough(itemID: Int64, _ through: Date) throws
    /// Moves what is still to be sent (pending and retrying) to `cancelled`: the item's own
    /// reminders and its obligations'. Returns their ids, ascending.
    func cancelPending(itemID: Int64, now: Date) throws -> [Int64]
    /// Moves these reminders to `cancelled` where they are still pending or retrying; returns
    /// the ids it moved, ascending.
    func cancelOccurrences(ids: [Int64], now: Date) throws -> [Int64]
    func insertOccurrences(_ reminders: [PlannedReminder], itemID: Int64, organisation: String?, now: Date) throws -> [Occurrence]
    /// The item's own reminders (not its obligations') still to be sent or sent already: every
    /// state but cancelled and missed.
    func ownRows(itemID: Int64) throws -> [OccurrenceRow]
    /// Open items with a recurrence rule.
    func openSeriesRows() throws -> [ItemRow]
    /// Adds the plan, or gives its key the new fields.
    func savePlan(_ plan: Plan) throws
    func referenceExists(_ reference: Reference) throws -> Bool
}

/// A transaction that has the primitives gets these four of `StoreTransaction` from them.
extension ItemRowWriting where Self: StoreTransaction {
    package func add(_ item: NewItem, reminders: [PlannedReminder], plannedThrough: Date?, uid: String?,
                     dayTime: TimeOfDay, now: Date) throws -> (Item, [Occurrence]) {
        let stored = try insertItem(item, uid: uid, recurrenceID: nil, sequence: 0, plannedThrough: plannedThrough, dayTime: dayTime, now: now)
        return (stored, try insertOccurrences(reminders, itemID: stored.id, organisation: nil, now: now))
    }

    /// `StoreTransaction.importItems`: a new key is added, a known key with other fields is
    /// updated in place, the same fields change nothing; a changed timing replans the reminders
    /// still ahead (`reconcile`: delivered ones stay, nothing is sent twice).
    package func importItems(_ batch: ImportBatch, dayTime: TimeOfDay, now: Date,
                            plan: (NewItem) -> ReminderPlanner.ItemPlan) throws -> ImportOutcome {
        var out = ImportOutcome()
        for p in batch.plans {
            try savePlan(p)
            out.plans += 1
        }
        for ref in batch.references where try !referenceExists(ref) {
            throw StoreError.unknownReference(location: ref.location, message: ref.message)
        }
        for item in batch.items {
            if var existing = try itemRow(key: item.key) {
                let old = try existing.domain()
                if old.fields == item { out.unchanged.append(item.key); continue }
                let timingChanged = old.fields.when != item.when || old.fields.timeZone != item.timeZone
                    || old.fields.rule != item.rule || old.fields.leads != item.leads || old.fields.kind != item.kind
                    || old.fields.recurrence != item.recurrence
                existing.setFields(item, instant: item.instant(dayTime: dayTime))
                existing.sequence += 1
                existing.updated_ms = Millis.from(now)
                if timingChanged && old.state == .open {
                    let planned = plan(item)
                    existing.planned_through_ms = planned.plannedThrough.map(Millis.from)
                    let sameTime = old.fields.when == item.when && old.fields.timeZone == item.timeZone
                    let change = try reconcile(itemID: old.id, with: planned.reminders, sameTime: sameTime, now: now)
                    out.cancelledOccurrences += change.cancelled
                    out.newOccurrences += change.added
                    out.retimed.append(old.id)
                }
                try updateItemRow(existing)
                out.updated.append(item.key)
            } else {
                let planned = plan(item)
                let stored = try insertItem(item, uid: batch.uids[item.key], recurrenceID: batch.recurrenceIDs[item.key],
                                            sequence: batch.sequences[item.key] ?? 0, plannedThrough: planned.plannedThrough,
                                            dayTime: dayTime, now: now)
                out.newOccurrences += try insertOccurrences(planned.reminders, itemID: stored.id, organisation: nil, now: now)
                out.added.append(item.key)
            }
        }
        let added = Set(out.added)
        for (key, state) in batch.close.sorted(by: { $0.key < $1.key }) where state != .open {
            guard var row = try itemRow(key: key), row.state == ItemState.open.rawValue, let id = row.id else { continue }
            row.state = state.rawValue
            row.state_changed_ms = Millis.from(now)
            row.state_changed_by = batch.closedBy
            // Added as closed in this same import: one version, not two.
            if !added.contains(key) { row.sequence += 1 }
            row.updated_ms = Millis.from(now)
            try updateItemRow(row)
            out.cancelledOccurrences += try cancelPending(itemID: id, now: now)
            out.closed.append(key)
        }
        return out
    }

    /// `StoreTransaction.setState`: moves an open item to `state` and cancels what it still owes.
    package func setState(key: String, to state: ItemState, by who: String, now: Date) throws -> (Item, cancelled: [Int64]) {
        guard var row = try itemRow(key: key) else { throw StoreError.noSuchItem(key) }
        let item = try row.domain()
        guard item.state == .open else { throw StoreError.notOpen(key: key, state: item.state) }
        row.state = state.rawValue
        row.state_changed_ms = Millis.from(now)
        row.state_changed_by = who
        row.sequence += 1
        row.updated_ms = Millis.from(now)
        try updateItemRow(row)
        let cancelled = try cancelPending(itemID: item.id, now: now)
        return (try row.domain(), cancelled)
    }

    /// `StoreTransaction.replan`: brings an open item's reminders to a new plan of the same item
    /// (after the holidays changed, say); delivered reminders are kept.
    package func replan(itemID: Int64, reminders: [PlannedReminder], plannedThrough: Date?, now: Date) throws
        -> (cancelled: [Int64], added: [Occurrence]) {
        if let plannedThrough { try setPlannedThrough(itemID: itemID, plannedThrough) }
        return try reconcile(itemID: itemID, with: reminders, sameTime: true, now: now)
    }

    /// Changes only what differs between the item's stored reminders and `reminders`: a pending
    /// reminder the plan still has stays (its id and its place in the timer), one it no longer
    /// has is cancelled, and only what is missing is added. A planned reminder already sent (or
    /// being sent) is not added again; a catch-up, planned at the moment of planning, is the
    /// same as any stored for its instance (`planIdentity`). (A re-import that changed a series
    /// planned its past instance's catch-up anew, and it was sent twice.)
    /// - Parameter sameTime: the item's date and zone are the ones its stored reminders were
    ///   planned for. When they moved, what was sent or is being retried for a single item was
    ///   for the old date: retries are cancelled, and a catch-up for the new date may be sent.
    private func reconcile(itemID: Int64, with reminders: [PlannedReminder], sameTime: Bool, now: Date) throws
        -> (cancelled: [Int64], added: [Occurrence]) {
        let wanted = Set(reminders.map(OccurrenceRow.planIdentity))
        var stored = Set<String>(), unwanted: [Int64] = []
        for row in try ownRows(itemID: itemID) {
            guard let id = row.id else { continue }
            let identity = row.planIdentity
            switch OccurrenceState(rawValue: row.state) {
            case .pending:
                if wanted.contains(identity), stored.insert(identity).inserted { continue }
                unwanted.append(id)
            case .retrying:
                if sameTime { stored.insert(identity) } else { unwanted.append(id) }
            default:
                if sameTime || row.instance_ms != nil { stored.insert(identity) }
            }
        }
        let missing = reminders.filter { stored.insert(OccurrenceRow.planIdentity($0)).inserted }
        let cancelled = try cancelOccurrences(ids: unwanted, now: now)
        return (cancelled, try insertOccurrences(missing, itemID: itemID, organisation: nil, now: now))
    }

    /// `StoreTransaction.extendSeries`: `plan(item, after)` gives the reminders of the instances
    /// that start after where the last window ended; they are added with the window's new end,
    /// so no instance is planned twice.
    package func extendSeries(now: Date, plan: (Item, _ after: Date) -> ReminderPlanner.ItemPlan) throws -> [Occurrence] {
        var added: [Occurrence] = []
        for row in try openSeriesRows() {
            let item = try row.domain()
            let planned = plan(item, row.planned_through_ms.map(Millis.date) ?? now)
            // Nothing new: the window's end stays, and the next pass looks from there again.
            // (Moving it anyway rewrote every series' row every hour.)
            guard let through = planned.plannedThrough, !planned.reminders.isEmpty else { continue }
            added += try insertOccurrences(planned.reminders, itemID: item.id, organisation: nil, now: now)
            try setPlannedThrough(itemID: item.id, through)
        }
        return added
    }
}

extension ItemRow {
    /// The key of an item added without one: `m12` or `d7` from its row id, then `-1`, `-2`…
    /// when a key given by hand (`--key d12`) took it already.
    package static func madeKey(kind: ItemKind, id: Int64, taken: (String) throws -> Bool) rethrows -> String {
        let base = (kind == .meeting ? "m" : "d") + String(id)
        var key = base, n = 0
        while n < 100, try taken(key) {
            n += 1
            key = base + "-" + String(n)
        }
        return key
    }
}
