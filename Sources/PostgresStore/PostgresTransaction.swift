import DeadlineCore
import DeadlineStore
import Foundation
import PostgresNIO

/// A transaction (or a read) on one connection: what `StoreTransaction` says, in PostgreSQL's SQL.
final class PostgresTransaction: StoreTransaction, ItemRowWriting {
    let session: PostgresSession
    private var savepoints = 0

    init(session: PostgresSession) { self.session = session }

    func savepoint<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        savepoints += 1
        let name = "s\(savepoints)"
        try session.query(PostgresQuery(unsafeSQL: "SAVEPOINT \(name)"))
        do {
            let result = try body(self)
            try session.query(PostgresQuery(unsafeSQL: "RELEASE SAVEPOINT \(name)"))
            return result
        } catch {
            // The connection may be gone; the transaction's own rollback then says so.
            _ = try? session.query(PostgresQuery(unsafeSQL: "ROLLBACK TO SAVEPOINT \(name)"))
            throw error
        }
    }

    // MARK: Reads

    func itemRow(_ condition: PostgresQuery) throws -> ItemRow? {
        try session.rows(PostgresQuery(unsafeSQL: "SELECT * FROM item WHERE " + condition.sql, binds: condition.binds))
            .first.map(ItemRow.init(postgres:))
    }

    func item(key: String) throws -> Item? { try itemRow("key = \(key)")?.domain() }
    func item(id: Int64) throws -> Item? { try itemRow("id = \(id)")?.domain() }
    func item(uid: String) throws -> Item? { try itemRow("uid = \(uid) AND recurrence_id_ms IS NULL")?.domain() }

    func key(forUID uid: String, recurrenceID: Date?) throws -> String? {
        try session.rows("""
            SELECT key FROM item WHERE uid = \(uid) AND recurrence_id_ms IS NOT DISTINCT FROM \(recurrenceID.map(Millis.from))
            """).first.map { try $0["key"].decode(String.self) }
    }

    /// The item's own reminders (its obligations' are apart: see `obligationReminders`).
    func occurrences(ofItem itemID: Int64) throws -> [Occurrence] {
        try session.rows("SELECT * FROM occurrence WHERE item_id = \(itemID) AND org_code IS NULL ORDER BY fire_at_ms, id")
            .map(OccurrenceRow.occurrence)
    }

    func items() throws -> [Item] {
        try session.rows("SELECT * FROM item ORDER BY at_ms, id").map { try ItemRow(postgres: $0).domain() }
    }

    func obligationReminders(itemID: Int64, code: String) throws -> [Occurrence] {
        try session.rows("SELECT * FROM occurrence WHERE item_id = \(itemID) AND org_code = \(code) ORDER BY fire_at_ms, id")
            .map(OccurrenceRow.occurrence)
    }

    // MARK: Items

    func insertItem(_ item: NewItem, uid: String?, recurrenceID: Date?, sequence: Int, plannedThrough: Date?, dayTime: TimeOfDay,
                    now: Date) throws -> Item {
        if !item.key.isEmpty, try keyExists(item.key) { throw StoreError.duplicateKey(item.key) }
        if let uid, try !session.rows("""
            SELECT 1 FROM item WHERE uid = \(uid) AND recurrence_id_ms IS NOT DISTINCT FROM \(recurrenceID.map(Millis.from))
            """).isEmpty {
            throw StoreError.duplicateUID(uid)
        }
        var row = ItemRow(item, instant: item.instant(dayTime: dayTime), createdAt: now,
                          uid: uid ?? UUID().uuidString.lowercased() + "@deadlined", recurrenceID: recurrenceID)
        row.planned_through_ms = plannedThrough.map(Millis.from)
        row.sequence = sequence
        // The id first, so an empty key can be made from it (`m12`) in the same INSERT.
        let id = try session.rows("SELECT nextval(pg_get_serial_sequence('item', 'id')) AS id")[0]["id"].decode(Int64.self)
        if item.key.isEmpty { row.key = try ItemRow.madeKey(kind: item.kind, id: id, taken: keyExists) }
        row.id = id
        var binds = row.binds
        binds.append(id)
        let columns = ItemRow.writtenColumns
        try session.query(PostgresQuery(unsafeSQL: """
            INSERT INTO item (\(columns.joined(separator: ", ")), id)
            VALUES (\((1...columns.count + 1).map { "$\($0)" }.joined(separator: ", ")))
            """, binds: binds))
        return try row.domain()
    }

    /// Writes every column of a row that exists.
    func updateItemRow(_ row: ItemRow) throws {
        guard let id = row.id else { return }
        var binds = row.binds
        binds.append(id)
        let columns = ItemRow.writtenColumns
        try session.query(PostgresQuery(unsafeSQL: """
            UPDATE item SET \(columns.enumerated().map { "\($1) = $\($0 + 1)" }.joined(separator: ", "))
            WHERE id = $\(columns.count + 1)
            """, binds: binds))
    }

    private func keyExists(_ key: String) throws -> Bool {
        try !session.rows("SELECT 1 FROM item WHERE key = \(key)").isEmpty
    }

    /// One INSERT for all of them: the ids are drawn from the sequence first, so each
    /// reminder is known by its id without relying on the order RETURNING gives.
    func insertOccurrences(_ reminders: [PlannedReminder], itemID: Int64, organisation: String?, now: Date) throws -> [Occurrence] {
        guard !reminders.isEmpty else { return [] }
        let ids = try session.rows("""
            SELECT nextval(pg_get_serial_sequence('occurrence', 'id')) AS id FROM generate_series(1, \(reminders.count))
            """).map { try $0["id"].decode(Int64.self) }
        let fireAt = reminders.map { Millis.from($0.fireAt) }
        let instances = reminders.map { $0.instance.map(Millis.from) ?? 0 }
        let hasInstance = reminders.map { $0.instance != nil }
        let labels = reminders.map(\.label)
        let updated = Millis.from(now)
        try session.query("""
            INSERT INTO occurrence (id, item_id, fire_at_ms, state, attempts, updated_ms, label, last_error, instance_ms, org_code)
            SELECT id, \(itemID), fire_at, 'pending', 0, \(updated), label, NULL, CASE WHEN has_instance THEN instance END, \(organisation)
            FROM unnest(\(ids)::bigint[], \(fireAt)::bigint[], \(labels)::text[], \(instances)::bigint[], \(hasInstance)::bool[])
                AS r(id, fire_at, label, instance, has_instance)
            """)
        return reminders.indices.map { i in
            Occurrence(id: ids[i], itemID: itemID, fireAt: Millis.date(fireAt[i]), state: .pending, attempts: 0, label: labels[i],
                       lastError: nil, instance: hasInstance[i] ? Millis.date(instances[i]) : nil, organisation: organisation)
        }
    }

    func addObligationReminders(itemID: Int64, code: String, reminders: [PlannedReminder], now: Date) throws -> [Occurrence] {
        try insertOccurrences(reminders, itemID: itemID, organisation: code, now: now)
    }

    func cancelObligationReminders(itemID: Int64, code: String?, now: Date) throws -> [Int64] {
        let rows = if let code {
            try session.rows("""
                UPDATE occurrence SET state = 'cancelled', updated_ms = \(Millis.from(now))
                WHERE item_id = \(itemID) AND org_code = \(code) AND state IN ('pending', 'retrying') RETURNING id
                """)
        } else {
            try session.rows("""
                UPDATE occurrence SET state = 'cancelled', updated_ms = \(Millis.from(now))
                WHERE item_id = \(itemID) AND org_code IS NOT NULL AND state IN ('pending', 'retrying') RETURNING id
                """)
        }
        return try rows.map { try $0["id"].decode(Int64.self) }.sorted()
    }

    /// Locked for the rest of the transaction: another node changing the same item waits.
    func itemRow(key: String) throws -> ItemRow? { try itemRow("key = \(key) FOR UPDATE") }

    func setPlannedThrough(itemID: Int64, _ through: Date) throws {
        try session.query("UPDATE item SET planned_through_ms = \(Millis.from(through)) WHERE id = \(itemID)")
    }

    func cancelPending(itemID: Int64, now: Date) throws -> [Int64] {
        try session.rows("""
            UPDATE occurrence SET state = 'cancelled', updated_ms = \(Millis.from(now)) WHERE item_id = \(itemID) AND state IN ('pending', 'retrying')
            RETURNING id
            """).map { try $0["id"].decode(Int64.self) }.sorted()
    }

    func cancelOccurrences(ids: [Int64], now: Date) throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        return try session.rows("""
            UPDATE occurrence SET state = 'cancelled', updated_ms = \(Millis.from(now))
            WHERE id = ANY(\(ids)::bigint[]) AND state IN ('pending', 'retrying') RETURNING id
            """).map { try $0["id"].decode(Int64.self) }.sorted()
    }

    func ownRows(itemID: Int64) throws -> [OccurrenceRow] {
        try session.rows("SELECT * FROM occurrence WHERE item_id = \(itemID) AND state NOT IN ('cancelled', 'missed') AND org_code IS NULL")
            .map(OccurrenceRow.init(postgres:))
    }

    func openSeriesRows() throws -> [ItemRow] {
        try session.rows("SELECT * FROM item WHERE rrule IS NOT NULL AND state = 'open' ORDER BY id FOR UPDATE").map(ItemRow.init(postgres:))
    }

    func savePlan(_ p: Plan) throws {
        try session.query("""
            INSERT INTO plan (key, name, agency, period) VALUES (\(p.key), \(p.name), \(p.agency), \(p.period))
            ON CONFLICT (key) DO UPDATE SET name = excluded.name, agency = excluded.agency, period = excluded.period
            """)
    }

    func referenceExists(_ ref: Reference) throws -> Bool {
        ref.target == .plan
            ? try !session.rows("SELECT 1 FROM plan WHERE key = \(ref.key)").isEmpty
            : try !session.rows("SELECT 1 FROM item WHERE key = \(ref.key) AND kind = 'meeting'").isEmpty
    }

    func remove(key: String) throws -> (item: Item, unfinished: [Int64]) {
        guard let item = try itemRow(key: key)?.domain() else { throw StoreError.noSuchItem(key) }
        let unfinished = try session.rows("""
            SELECT id FROM occurrence WHERE item_id = \(item.id) AND state IN ('pending', 'firing', 'retrying') ORDER BY id
            """).map { try $0["id"].decode(Int64.self) }
        // Follow-ups keep their own reminders; they only lose the link.
        try session.query("UPDATE item SET follow_up_of = NULL WHERE follow_up_of = \(key)")
        try session.query("DELETE FROM item WHERE id = \(item.id)")
        return (item, unfinished)
    }

    // MARK: Holidays and audit

    func saveHolidayYear(_ year: HolidayYear, now: Date) throws {
        let data = String(decoding: try JSONEncoder().encode(year), as: UTF8.self)
        try session.query("""
            INSERT INTO holiday_year (year, data, imported_ms) VALUES (\(year.year), \(data), \(Millis.from(now)))
            ON CONFLICT (year) DO UPDATE SET data = excluded.data, imported_ms = excluded.imported_ms
            """)
    }

    /// Linked to the chain's head in the same transaction as the change it records; nodes
    /// take turns at the head (a lock held until the transaction ends).
    func recordAudit(_ e: AuditEntry) throws {
        let last = try lockedAuditHead()
        let seq = (last?.seq ?? 0) + 1
        let prev = last?.hash ?? AuditChain.genesis
        let hash = AuditChain.hash(e, seq: seq, prev: prev)
        try session.query("""
            INSERT INTO audit (at_ms, uid, pid, command, method, target, before, after, seq, prev_hash, hash)
            VALUES (\(Millis.from(e.at)), \(e.uid), \(e.pid), \(e.command), \(e.method), \(e.target), \(e.before), \(e.after),
                    \(seq), \(prev), \(hash))
            """)
    }

    /// The chain's last entry, after taking the chain's lock until the transaction ends: no
    /// other node moves the head meanwhile. Nil for an empty trail.
    func lockedAuditHead() throws -> (seq: Int64, hash: String?)? {
        try session.query("SELECT pg_advisory_xact_lock(\(PostgresSchema.auditLock))")
        guard let last = try session.rows("SELECT seq, hash FROM audit ORDER BY id DESC LIMIT 1").first else { return nil }
        return (try last["seq"].decode(Int64?.self) ?? 0, try last["hash"].decode(String?.self))
    }
}
