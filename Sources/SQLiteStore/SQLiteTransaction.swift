import DeadlineCore
import DeadlineStore
import Foundation
import GRDB

/// A transaction (or a read) on the SQLite file: what `StoreTransaction` says, in SQL.
struct SQLiteTransaction: StoreTransaction, ItemRowWriting {
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
    func itemRow(key: String) throws -> ItemRecord? {
        try ItemRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM item WHERE key = ?"), arguments: [key])
    }

    func item(key: String) throws -> Item? { try itemRow(key: key)?.domain() }

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
    func insertItem(_ item: NewItem, uid: String?, recurrenceID: Date?, sequence: Int, plannedThrough: Date?, dayTime: TimeOfDay,
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
            record.key = try ItemRow.madeKey(kind: item.kind, id: record.id!, taken: keyExists)
            try record.update(db)
        }
        return try record.domain()
    }

    private func keyExists(_ key: String) throws -> Bool {
        try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM item WHERE key = ?)"), arguments: [key]) == true
    }

    /// Through one cached statement: an add writes some twenty rows, and a record's own insert
    /// (a statement looked up and its arguments encoded by column name) was most of its cost.
    func insertOccurrences(_ reminders: [PlannedReminder], itemID: Int64, organisation: String?, now: Date) throws -> [Occurrence] {
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

    func updateItemRow(_ row: ItemRow) throws {
        try row.update(db)
    }

    func setPlannedThrough(itemID: Int64, _ through: Date) throws {
        try db.execute(sql: "UPDATE item SET planned_through_ms = ? WHERE id = ?", arguments: [Millis.from(through), itemID])
    }

    func cancelPending(itemID: Int64, now: Date) throws -> [Int64] {
        try Int64.fetchAll(db, sql: """
            UPDATE occurrence SET state = 'cancelled', updated_ms = ? WHERE item_id = ? AND state IN ('pending', 'retrying') RETURNING id
            """, arguments: [Millis.from(now), itemID]).sorted()
    }

    func cancelOccurrences(ids: [Int64], now: Date) throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        return try Int64.fetchAll(db, sql: """
            UPDATE occurrence SET state = 'cancelled', updated_ms = ? WHERE id IN (\(ids.map(String.init).joined(separator: ",")))
            AND state IN ('pending', 'retrying') RETURNING id
            """, arguments: [Millis.from(now)]).sorted()
    }

    func ownRows(itemID: Int64) throws -> [OccurrenceRow] {
        try OccurrenceRecord.filter(Column("item_id") == itemID && Column("org_code") == nil
            && ![OccurrenceState.cancelled.rawValue, OccurrenceState.missed.rawValue].contains(Column("state"))).fetchAll(db)
    }

    func openSeriesRows() throws -> [ItemRow] {
        try ItemRecord.filter(Column("rrule") != nil && Column("state") == ItemState.open.rawValue).fetchAll(db)
    }

    func savePlan(_ p: Plan) throws {
        try PlanRecord(key: p.key, name: p.name, agency: p.agency, period: p.period).save(db)
    }

    func referenceExists(_ ref: Reference) throws -> Bool {
        ref.target == .plan
            ? try PlanRecord.filter(Column("key") == ref.key).fetchCount(db) > 0
            : try ItemRecord.filter(Column("key") == ref.key && Column("kind") == "meeting").fetchCount(db) > 0
    }

    func remove(key: String) throws -> (item: Item, unfinished: [Int64]) {
        guard let item = try itemRow(key: key)?.domain() else { throw StoreError.noSuchItem(key) }
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

    /// Linked to the last entry in the same transaction as the change it records.
    func recordAudit(_ e: AuditEntry) throws { try SQLiteStore.appendAudit(e, db) }
}

extension SQLiteStore {
    /// The entry at the head of the chain, in the transaction `db` is in.
    static func appendAudit(_ e: AuditEntry, _ db: Database) throws {
        let last = try auditHead(db)
        let seq = (last?.seq ?? 0) + 1
        let prev = last?.hash ?? AuditChain.genesis
        try db.execute(sql: """
            INSERT INTO audit (at_ms, uid, pid, command, method, target, before, after, seq, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [Millis.from(e.at), e.uid, e.pid, e.command, e.method, e.target, e.before, e.after,
                             seq, prev, AuditChain.hash(e, seq: seq, prev: prev)])
    }

    /// The chain's last entry; nil for an empty trail.
    static func auditHead(_ db: Database) throws -> (seq: Int64, hash: String?)? {
        try Row.fetchOne(db, sql: "SELECT seq, hash FROM audit ORDER BY id DESC LIMIT 1").map { ($0["seq"] ?? 0, $0["hash"]) }
    }
}

/// Whether a savepoint of the transaction was refused for want of room: the store remembers
/// it for `status` even though the rest of the transaction committed. Used within one write only.
final class SavepointRefusals {
    var full = false
}
