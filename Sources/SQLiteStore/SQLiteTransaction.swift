import DeadlineCore
import DeadlineStore
import Foundation
import GRDB

/// A transaction (or a read) on the SQLite file: what `StoreTransaction` says, in SQL.
struct SQLiteTransaction: StoreTransaction {
    let db: Database
    /// What savepoints refused; nil for a read.
    var refusals: SavepointRefusals? = nil

    /// Runs `body` in a savepoint: if it throws, what it wrote is rolled back and the rest of
    /// the transaction stands.
    func savepoint<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        var result: T?
        do {
            try db.inSavepoint {
                result = try body(self)
                return .commit
            }
        } catch let error as DatabaseError {
            let mapped = StoreError(error)
            if mapped == .full { refusals?.full = true }
            throw mapped
        }
        return result!
    }

    // MARK: Reads

    /// The item with this key, through a cached statement: an import looks up every key, and
    /// building the query anew each time cost more than the insert.
    func record(key: String) throws -> ItemRecord? {
        try ItemRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM item WHERE key = ?"), arguments: [key])
    }

    func item(key: String) throws -> Item? { try record(key: key)?.domain() }

    func item(id: Int64) throws -> Item? { try ItemRecord.fetchOne(db, key: id)?.domain() }

    /// The key of the item with this iCalendar UID, if any: the series (or single item) for a
    /// nil `recurrenceID`, else the meeting that replaces that instance of it.
    func key(forUID uid: String, recurrenceID: Date?) throws -> String? {
        try String.fetchOne(db, sql: "SELECT key FROM item WHERE uid = ? AND recurrence_id_ms IS ?", arguments: [uid, recurrenceID.map(Millis.from)])
    }

    /// The series (or single item) with this iCalendar UID, if any.
    func item(uid: String) throws -> Item? {
        try ItemRecord.fetchOne(db, sql: "SELECT * FROM item WHERE uid = ? AND recurrence_id_ms IS NULL", arguments: [uid])?.domain()
    }

    /// The item's own reminders (its obligations' are apart: see `obligationReminders`).
    func occurrences(ofItem itemID: Int64) throws -> [Occurrence] {
        try OccurrenceRecord.filter(Column("item_id") == itemID && Column("org_code") == nil).order(Column("fire_at_ms"), Column("id"))
            .fetchAll(db).map { try $0.domain() }
    }

    /// Every item in order of its instant, without its occurrences.
    func items() throws -> [Item] {
        try ItemRecord.order(Column("at_ms"), Column("id")).fetchAll(db).map { try $0.domain() }
    }

    // MARK: Items

    /// Stores an item and its reminders. An empty key is made from the kind and row id (`m12`, `d7`).
    /// - Parameters:
    ///   - plannedThrough: for a series, the end of the window `reminders` cover.
    ///   - uid: its iCalendar UID (an imported invitation's); a new one is made when nil.
    func add(_ item: NewItem, reminders: [PlannedReminder], plannedThrough: Date?, uid: String?,
                    dayTime: TimeOfDay, now: Date) throws -> (Item, [Occurrence]) {
        let stored = try insert(item, uid: uid, plannedThrough: plannedThrough, dayTime: dayTime, now: now)
        return (stored, try insertOccurrences(reminders, itemID: stored.id, now: now))
    }

    func insert(_ item: NewItem, uid: String?, recurrenceID: Date? = nil, sequence: Int = 0, plannedThrough: Date?, dayTime: TimeOfDay,
                now: Date) throws -> Item {
        if !item.key.isEmpty, try keyExists(item.key) { throw StoreError.duplicateKey(item.key) }
        if let uid, try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM item WHERE uid = ? AND recurrence_id_ms IS ?)"),
                                      arguments: [uid, recurrenceID.map(Millis.from)]) == true {
            throw StoreError.duplicateUID(uid)
        }
        var record = ItemRecord(item, instant: item.instant(dayTime: dayTime), createdAt: now,
                                uid: uid ?? UUID().uuidString.lowercased() + "@deadlined", recurrenceID: recurrenceID)
        record.planned_through_ms = plannedThrough.map(Millis.from)
        record.sequence = sequence
        if item.key.isEmpty { record.key = "new-" + UUID().uuidString }
        try record.insert(db)
        if item.key.isEmpty {
            // `m12` from the row id; a key given by hand may have taken it already (`--key d12`).
            let base = (item.kind == .meeting ? "m" : "d") + String(record.id!)
            record.key = base
            var n = 0
            while n < 100, try keyExists(record.key) {
                n += 1
                record.key = base + "-" + String(n)
            }
            try record.update(db)
        }
        return try record.domain()
    }

    private func keyExists(_ key: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM item WHERE key = ?)"), arguments: [key]) == true
    }

    /// Through one cached statement: an add writes some twenty rows, and a record's own insert
    /// (a statement looked up and its arguments encoded by column name) was most of its cost.
    func insertOccurrences(_ reminders: [PlannedReminder], itemID: Int64, organisation: String? = nil, now: Date) throws -> [Occurrence] {
        guard !reminders.isEmpty else { return [] }
        let insert = try db.cachedStatement(sql: """
            INSERT INTO occurrence (item_id, fire_at_ms, state, attempts, updated_ms, label, last_error, instance_ms, org_code)
            VALUES (?, ?, 'pending', 0, ?, ?, NULL, ?, ?)
            """)
        let updated = Millis.from(now)
        return try reminders.map { r in
            // Stored as whole milliseconds; the occurrence says what was stored.
            let fireAt = Millis.from(r.fireAt), instance = r.instance.map(Millis.from)
            try insert.execute(arguments: [itemID, fireAt, updated, r.label, instance, organisation])
            return Occurrence(id: db.lastInsertedRowID, itemID: itemID, fireAt: Millis.date(fireAt), state: .pending, attempts: 0,
                              label: r.label, lastError: nil, instance: instance.map(Millis.date), organisation: organisation)
        }
    }

    func addObligationReminders(itemID: Int64, code: String, reminders: [PlannedReminder], now: Date) throws -> [Occurrence] {
        try insertOccurrences(reminders, itemID: itemID, organisation: code, now: now)
    }

    func cancelObligationReminders(itemID: Int64, code: String?, now: Date) throws -> [Int64] {
        let condition = code == nil ? "org_code IS NOT NULL" : "org_code = ?"
        var arguments: StatementArguments = [itemID]
        if let code { arguments += [code] }
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM occurrence WHERE item_id = ? AND \(condition) AND state IN ('pending', 'retrying')",
                                     arguments: arguments)
        try db.execute(sql: "UPDATE occurrence SET state = 'cancelled', updated_ms = ? WHERE item_id = ? AND \(condition) AND state IN ('pending', 'retrying')",
                       arguments: [Millis.from(now)] + arguments)
        return ids
    }

    func obligationReminders(itemID: Int64, code: String) throws -> [Occurrence] {
        try OccurrenceRecord.filter(Column("item_id") == itemID && Column("org_code") == code).order(Column("fire_at_ms"), Column("id"))
            .fetchAll(db).map { try $0.domain() }
    }

    /// Imports plans and items by key: a new key is added, a known key with other fields is
    /// updated in place, the same fields change nothing. When an item's timing changes (its
    /// date, zone, rule or leads), its pending reminders are replaced by `plan(item)`; reminders
    /// already delivered stay as they are.
    func importItems(_ batch: ImportBatch, dayTime: TimeOfDay, now: Date,
                            plan: (NewItem) -> ReminderPlanner.ItemPlan) throws -> ImportOutcome {
        var out = ImportOutcome()
        for p in batch.plans {
            try PlanRecord(key: p.key, name: p.name, agency: p.agency, period: p.period).save(db)
            out.plans += 1
        }
        for ref in batch.references {
            let known = ref.target == .plan
                ? try PlanRecord.filter(Column("key") == ref.key).fetchCount(db) > 0
                : try ItemRecord.filter(Column("key") == ref.key && Column("kind") == "meeting").fetchCount(db) > 0
            if !known { throw StoreError.unknownReference(location: ref.location, message: ref.message) }
        }
        for item in batch.items {
            if var existing = try record(key: item.key) {
                let old = try existing.domain()
                if old.fields == item { out.unchanged.append(item.key); continue }
                let timingChanged = old.fields.when != item.when || old.fields.timeZone != item.timeZone
                    || old.fields.rule != item.rule || old.fields.leads != item.leads || old.fields.kind != item.kind
                    || old.fields.recurrence != item.recurrence
                existing.setFields(item, instant: item.instant(dayTime: dayTime))
                existing.sequence += 1
                existing.updated_ms = Millis.from(now)
                if timingChanged && old.state == .open {
                    out.cancelledOccurrences += try cancelPending(itemID: old.id, now: now)
                    let planned = plan(item)
                    existing.planned_through_ms = planned.plannedThrough.map(Millis.from)
                    out.newOccurrences += try insertOccurrences(planned.reminders, itemID: old.id, now: now)
                    out.retimed.append(old.id)
                }
                try existing.update(db)
                out.updated.append(item.key)
            } else {
                let planned = plan(item)
                let stored = try insert(item, uid: batch.uids[item.key], recurrenceID: batch.recurrenceIDs[item.key],
                                        sequence: batch.sequences[item.key] ?? 0, plannedThrough: planned.plannedThrough, dayTime: dayTime, now: now)
                out.newOccurrences += try insertOccurrences(planned.reminders, itemID: stored.id, now: now)
                out.added.append(item.key)
            }
        }
        let added = Set(out.added)
        for (key, state) in batch.close.sorted(by: { $0.key < $1.key }) where state != .open {
            guard var record = try record(key: key), record.state == ItemState.open.rawValue else { continue }
            record.state = state.rawValue
            record.state_changed_ms = Millis.from(now)
            record.state_changed_by = batch.closedBy
            // Added as closed in this same import: one version, not two.
            if !added.contains(key) { record.sequence += 1 }
            record.updated_ms = Millis.from(now)
            try record.update(db)
            out.cancelledOccurrences += try cancelPending(itemID: record.id!, all: true, now: now)
            out.closed.append(key)
        }
        return out
    }

    /// Moves an item out of `open` (submitted, held, cancelled) and cancels its pending
    /// reminders, returning their ids for the timer core to drop.
    func setState(key: String, to state: ItemState, by who: String, now: Date) throws -> (Item, cancelled: [Int64]) {
        guard var record = try record(key: key) else { throw StoreError.noSuchItem(key) }
        let item = try record.domain()
        guard item.state == .open else { throw StoreError.notOpen(key: key, state: item.state) }
        record.state = state.rawValue
        record.state_changed_ms = Millis.from(now)
        record.state_changed_by = who
        record.sequence += 1
        record.updated_ms = Millis.from(now)
        try record.update(db)
        let cancelled = try cancelPending(itemID: item.id, all: true, now: now)
        return (try record.domain(), cancelled)
    }

    /// Cancels what is still to be sent (pending and retrying) for an item: its own reminders,
    /// and its obligations' too when it closes (`all`); a replan leaves those to its caller.
    private func cancelPending(itemID: Int64, all: Bool = false, now: Date) throws -> [Int64] {
        let which = all ? "" : " AND org_code IS NULL"
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM occurrence WHERE item_id = ? AND state IN ('pending', 'retrying')\(which)",
                                     arguments: [itemID])
        try db.execute(sql: "UPDATE occurrence SET state = 'cancelled', updated_ms = ? WHERE item_id = ? AND state IN ('pending', 'retrying')\(which)",
                       arguments: [Millis.from(now), itemID])
        return ids
    }

    /// Replaces an open item's pending reminders with `reminders` when they differ (after the
    /// holidays changed, say). Delivered reminders are kept. Returns what the timer core must drop
    /// and add.
    /// - Parameter plannedThrough: for a series, the end of the window `reminders` cover.
    func replan(itemID: Int64, reminders: [PlannedReminder], plannedThrough: Date?, now: Date) throws -> (cancelled: [Int64], added: [Occurrence]) {
        let pending = try OccurrenceRecord.filter(Column("item_id") == itemID && Column("state") == "pending" && Column("org_code") == nil).fetchAll(db)
        let have = Set(pending.map { "\($0.fire_at_ms) \($0.label) \($0.instance_ms ?? 0)" })
        let want = Set(reminders.map { "\(Millis.from($0.fireAt)) \($0.label) \($0.instance.map(Millis.from) ?? 0)" })
        if let plannedThrough {
            try db.execute(sql: "UPDATE item SET planned_through_ms = ? WHERE id = ?", arguments: [Millis.from(plannedThrough), itemID])
        }
        guard have != want else { return ([], []) }
        let cancelled = try cancelPending(itemID: itemID, now: now)
        return (cancelled, try insertOccurrences(reminders, itemID: itemID, now: now))
    }

    /// Moves every open series' window on: `plan(item, after)` gives the reminders of the
    /// instances that start after `after` (where the last window ended), which are added with
    /// the window's new end, so no instance is planned twice.
    /// - Returns: the new reminders, for the timer core.
    func extendSeries(now: Date, plan: (Item, _ after: Date) -> ReminderPlanner.ItemPlan) throws -> [Occurrence] {
        var added: [Occurrence] = []
        for record in try ItemRecord.filter(Column("rrule") != nil && Column("state") == ItemState.open.rawValue).fetchAll(db) {
            let item = try record.domain()
            let planned = plan(item, record.planned_through_ms.map(Millis.date) ?? now)
            // Nothing new: the window's end stays, and the next pass looks from there again.
            // (Moving it anyway rewrote every series' row every hour.)
            guard let through = planned.plannedThrough, !planned.reminders.isEmpty else { continue }
            added += try insertOccurrences(planned.reminders, itemID: item.id, now: now)
            try db.execute(sql: "UPDATE item SET planned_through_ms = ? WHERE id = ?", arguments: [Millis.from(through), item.id])
        }
        return added
    }

    /// Deletes an item and its reminders and delivery log; returns the item as it was and the
    /// ids of its reminders that were still owed (for the timer core to drop).
    func remove(key: String) throws -> (item: Item, unfinished: [Int64]) {
        guard let item = try record(key: key)?.domain() else { throw StoreError.noSuchItem(key) }
        let unfinished = try Int64.fetchAll(db, sql: """
            SELECT id FROM occurrence WHERE item_id = ? AND state IN ('pending', 'firing', 'retrying')
            """, arguments: [item.id])
        // Follow-ups keep their own reminders; they only lose the link.
        try db.execute(sql: "UPDATE item SET follow_up_of = NULL WHERE follow_up_of = ?", arguments: [key])
        try db.execute(sql: "DELETE FROM occurrence WHERE item_id = ?", arguments: [item.id])
        try db.execute(sql: "DELETE FROM item WHERE id = ?", arguments: [item.id])
        return (item, unfinished)
    }

    // MARK: Holidays and audit

    func saveHolidayYear(_ year: HolidayYear, now: Date) throws {
        let data = String(decoding: try JSONEncoder().encode(year), as: UTF8.self)
        try db.execute(sql: "INSERT OR REPLACE INTO holiday_year (year, data, imported_ms) VALUES (?, ?, ?)",
                       arguments: [year.year, data, Millis.from(now)])
    }

    func recordAudit(_ e: AuditEntry) throws {
        try db.execute(sql: """
            INSERT INTO audit (at_ms, uid, pid, command, method, target, before, after) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [Millis.from(e.at), e.uid, e.pid, e.command, e.method, e.target, e.before, e.after])
    }
}

/// Whether a savepoint of the transaction was refused for want of room: the store remembers
/// it for `status` even though the rest of the transaction committed. Used within one write only.
final class SavepointRefusals {
    var full = false
}
