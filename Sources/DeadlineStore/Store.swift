import DeadlineCore
import Foundation
import GRDB
import Synchronization

/// The daemon's durable state: one SQLite file in WAL mode, opened through GRDB.
///
/// The store is the truth. The timer core's heap is a cache of the pending rows and is
/// rebuilt from them at start; every state change is written here before it is acted on.
/// Thread-safe: GRDB's pool serialises writes and lets reads run beside them.
public final class Store: Sendable {
    let pool: DatabasePool
    public let path: String
    /// The last write refused for want of room, until a write succeeds again.
    private let fullSince = Mutex<Date?>(nil)

    /// How hard a commit waits for the disk (SQLite's `synchronous`, in WAL mode).
    public enum Durability: String, Sendable, CaseIterable {
        /// Every commit is on disk before it returns: survives a power cut; about one fsync
        /// (milliseconds) per commit.
        case full
        /// Commits survive a crash or kill of the daemon at once, and a power cut from the
        /// next checkpoint on (SQLite syncs the WAL at checkpoints).
        case normal
    }

    /// Opens (creating if needed) the store at `path` and runs pending migrations.
    public init(path: String, durability: Durability = .normal) throws {
        self.path = path
        var config = Configuration()
        config.label = "deadlined.store"
        // A second writer (e.g. a backup) waits rather than failing at once.
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = \(durability == .full ? "FULL" : "NORMAL")")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// A transaction; GRDB's errors become `StoreError`s, and a full file system is
    /// remembered (for `status`) until a write succeeds again.
    func write<T>(_ updates: (Database) throws -> T) throws -> T {
        do {
            let result = try pool.write(updates)
            fullSince.withLock { $0 = nil }
            return result
        } catch let error as DatabaseError {
            let mapped = StoreError(error)
            if mapped == .full { fullSince.withLock { $0 = $0 ?? Date() } }
            throw mapped
        }
    }

    func read<T>(_ value: (Database) throws -> T) throws -> T {
        do { return try pool.read(value) } catch let error as DatabaseError { throw StoreError(error) }
    }

    /// Since when writes have been refused because the file system is full; nil when the last
    /// write went through.
    public var fullSinceDate: Date? { fullSince.withLock { $0 } }

    /// Stores an item and its reminders in one transaction: either both are there afterwards,
    /// or neither. An empty key is made from the kind and row id (`m12`, `d7`).
    /// - Parameters:
    ///   - plannedThrough: for a series, the end of the window `reminders` cover.
    ///   - uid: its iCalendar UID (an imported invitation's); a new one is made when nil.
    public func add(_ item: NewItem, reminders: [PlannedReminder], plannedThrough: Date? = nil, uid: String? = nil,
                    dayTime: TimeOfDay, now: Date) throws -> (Item, [Occurrence]) {
        try write { db in
            let stored = try insert(item, uid: uid, plannedThrough: plannedThrough, dayTime: dayTime, now: now, db)
            return (stored, try insertOccurrences(reminders, itemID: stored.id, now: now, db))
        }
    }

    /// The item with this key, through a cached statement: an import looks up every key, and
    /// building the query anew each time cost more than the insert.
    private func record(key: String, _ db: Database) throws -> ItemRecord? {
        try ItemRecord.fetchOne(db.cachedStatement(sql: "SELECT * FROM item WHERE key = ?"), arguments: [key])
    }

    private func insert(_ item: NewItem, uid: String?, recurrenceID: Date? = nil, sequence: Int = 0, plannedThrough: Date?, dayTime: TimeOfDay,
                        now: Date, _ db: Database) throws -> Item {
        if !item.key.isEmpty, try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM item WHERE key = ?)"),
                                                arguments: [item.key]) == true {
            throw StoreError.duplicateKey(item.key)
        }
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
            while n < 100, try Bool.fetchOne(db.cachedStatement(sql: "SELECT EXISTS (SELECT 1 FROM item WHERE key = ?)"), arguments: [record.key]) == true {
                n += 1
                record.key = base + "-" + String(n)
            }
            try record.update(db)
        }
        return try record.domain()
    }

    private func insertOccurrences(_ reminders: [PlannedReminder], itemID: Int64, now: Date, _ db: Database) throws -> [Occurrence] {
        try reminders.map { r in
            var o = OccurrenceRecord(id: nil, item_id: itemID, fire_at_ms: Millis.from(r.fireAt), state: OccurrenceState.pending.rawValue,
                                     attempts: 0, updated_ms: Millis.from(now), label: r.label, last_error: nil,
                                     instance_ms: r.instance.map(Millis.from))
            try o.insert(db)
            return try o.domain()
        }
    }

    /// What an import did, and what the timer core must now add and drop.
    public struct ImportOutcome: Sendable, Equatable {
        public var added: [String] = []
        public var updated: [String] = []
        public var unchanged: [String] = []
        public var plans = 0
        public var newOccurrences: [Occurrence] = []
        public var cancelledOccurrences: [Int64] = []
        /// Keys moved out of `open` by `close`.
        public var closed: [String] = []
    }

    /// Imports plans and items by key, all in one transaction: a new key is added, a known key
    /// with other fields is updated in place, the same fields change nothing. When an item's
    /// timing changes (its date, zone, rule or leads), its pending reminders are replaced by
    /// `plan(item)`; reminders already delivered stay as they are.
    /// - Parameters:
    ///   - references: keys that must exist (in the import or the store).
    ///   - uids: the iCalendar UID of a new item, by key (an imported invitation's).
    ///   - recurrenceIDs: for a new item that replaces one instance of a series (sharing its
    ///     UID), that instance's start, by key.
    ///   - sequences: the iCalendar SEQUENCE a new item starts from, by key.
    ///   - close: open items to move to another state (a cancelled invitation), by key.
    public func importAgenda(plans: [Plan], items: [NewItem], references: [Reference],
                             uids: [String: String] = [:], recurrenceIDs: [String: Date] = [:], sequences: [String: Int] = [:],
                             close: [String: ItemState] = [:], closedBy: String = "import",
                             dayTime: TimeOfDay, now: Date,
                             plan: (NewItem) -> ReminderPlanner.ItemPlan) throws -> ImportOutcome {
        try write { db in
            var out = ImportOutcome()
            for p in plans {
                try PlanRecord(key: p.key, name: p.name, agency: p.agency, period: p.period).save(db)
                out.plans += 1
            }
            for ref in references {
                let known = ref.target == .plan
                    ? try PlanRecord.filter(Column("key") == ref.key).fetchCount(db) > 0
                    : try ItemRecord.filter(Column("key") == ref.key && Column("kind") == "meeting").fetchCount(db) > 0
                if !known { throw StoreError.unknownReference(location: ref.location, message: ref.message) }
            }
            for item in items {
                if var existing = try record(key: item.key, db) {
                    let old = try existing.domain()
                    if old.fields == item { out.unchanged.append(item.key); continue }
                    let timingChanged = old.fields.when != item.when || old.fields.timeZone != item.timeZone
                        || old.fields.rule != item.rule || old.fields.leads != item.leads || old.fields.kind != item.kind
                        || old.fields.recurrence != item.recurrence
                    existing.setFields(item, instant: item.instant(dayTime: dayTime))
                    existing.sequence += 1
                    existing.updated_ms = Millis.from(now)
                    if timingChanged && old.state == .open {
                        out.cancelledOccurrences += try cancelPending(itemID: old.id, now: now, db)
                        let planned = plan(item)
                        existing.planned_through_ms = planned.plannedThrough.map(Millis.from)
                        out.newOccurrences += try insertOccurrences(planned.reminders, itemID: old.id, now: now, db)
                    }
                    try existing.update(db)
                    out.updated.append(item.key)
                } else {
                    let planned = plan(item)
                    let stored = try insert(item, uid: uids[item.key], recurrenceID: recurrenceIDs[item.key], sequence: sequences[item.key] ?? 0,
                                            plannedThrough: planned.plannedThrough, dayTime: dayTime, now: now, db)
                    out.newOccurrences += try insertOccurrences(planned.reminders, itemID: stored.id, now: now, db)
                    out.added.append(item.key)
                }
            }
            let added = Set(out.added)
            for (key, state) in close.sorted(by: { $0.key < $1.key }) where state != .open {
                guard var record = try record(key: key, db), record.state == ItemState.open.rawValue else { continue }
                record.state = state.rawValue
                record.state_changed_ms = Millis.from(now)
                record.state_changed_by = closedBy
                // Added as closed in this same import: one version, not two.
                if !added.contains(key) { record.sequence += 1 }
                record.updated_ms = Millis.from(now)
                try record.update(db)
                out.cancelledOccurrences += try cancelPending(itemID: record.id!, now: now, db)
                out.closed.append(key)
            }
            return out
        }
    }

    /// Moves an item out of `open` (submitted, held, cancelled) and cancels its pending
    /// reminders, returning their ids for the timer core to drop.
    public func setState(key: String, to state: ItemState, by who: String, now: Date) throws -> (Item, cancelled: [Int64]) {
        try write { db in
            guard var record = try record(key: key, db) else { throw StoreError.noSuchItem(key) }
            let item = try record.domain()
            guard item.state == .open else { throw StoreError.notOpen(key: key, state: item.state) }
            record.state = state.rawValue
            record.state_changed_ms = Millis.from(now)
            record.state_changed_by = who
            record.sequence += 1
            record.updated_ms = Millis.from(now)
            try record.update(db)
            let cancelled = try cancelPending(itemID: item.id, now: now, db)
            return (try record.domain(), cancelled)
        }
    }

    /// Cancels what is still to be sent (pending and retrying) for an item.
    private func cancelPending(itemID: Int64, now: Date, _ db: Database) throws -> [Int64] {
        let ids = try Int64.fetchAll(db, sql: "SELECT id FROM occurrence WHERE item_id = ? AND state IN ('pending', 'retrying')",
                                     arguments: [itemID])
        try db.execute(sql: "UPDATE occurrence SET state = 'cancelled', updated_ms = ? WHERE item_id = ? AND state IN ('pending', 'retrying')",
                       arguments: [Millis.from(now), itemID])
        return ids
    }

    /// Replaces an open item's pending reminders with `reminders` when they differ (after the
    /// holidays changed, say). Delivered reminders are kept. Returns what the timer core must drop
    /// and add.
    /// - Parameter plannedThrough: for a series, the end of the window `reminders` cover.
    public func replan(itemID: Int64, reminders: [PlannedReminder], plannedThrough: Date? = nil, now: Date) throws -> (cancelled: [Int64], added: [Occurrence]) {
        try write { db in
            let pending = try OccurrenceRecord.filter(Column("item_id") == itemID && Column("state") == "pending").fetchAll(db)
            let have = Set(pending.map { "\($0.fire_at_ms) \($0.label) \($0.instance_ms ?? 0)" })
            let want = Set(reminders.map { "\(Millis.from($0.fireAt)) \($0.label) \($0.instance.map(Millis.from) ?? 0)" })
            if let plannedThrough {
                try db.execute(sql: "UPDATE item SET planned_through_ms = ? WHERE id = ?", arguments: [Millis.from(plannedThrough), itemID])
            }
            guard have != want else { return ([], []) }
            let cancelled = try cancelPending(itemID: itemID, now: now, db)
            return (cancelled, try insertOccurrences(reminders, itemID: itemID, now: now, db))
        }
    }

    /// Moves every open series' window on: `plan(item, after)` gives the reminders of the
    /// instances that start after `after` (where the last window ended), which are added in
    /// the same transaction as the window's new end, so no instance is planned twice.
    /// - Returns: the new reminders, for the timer core.
    public func extendSeries(now: Date, plan: (Item, _ after: Date) -> ReminderPlanner.ItemPlan) throws -> [Occurrence] {
        try write { db in
            var added: [Occurrence] = []
            for record in try ItemRecord.filter(Column("rrule") != nil && Column("state") == ItemState.open.rawValue).fetchAll(db) {
                let item = try record.domain()
                let planned = plan(item, record.planned_through_ms.map(Millis.date) ?? now)
                // Nothing new: the window's end stays, and the next pass looks from there again.
                // (Moving it anyway rewrote every series' row every hour.)
                guard let through = planned.plannedThrough, !planned.reminders.isEmpty else { continue }
                added += try insertOccurrences(planned.reminders, itemID: item.id, now: now, db)
                try db.execute(sql: "UPDATE item SET planned_through_ms = ? WHERE id = ?", arguments: [Millis.from(through), item.id])
            }
            return added
        }
    }

    /// The key of the item with this iCalendar UID, if any: the series (or single item) for a
    /// nil `recurrenceID`, else the meeting that replaces that instance of it.
    public func key(forUID uid: String, recurrenceID: Date? = nil) throws -> String? {
        try read { db in
            try String.fetchOne(db, sql: "SELECT key FROM item WHERE uid = ? AND recurrence_id_ms IS ?", arguments: [uid, recurrenceID.map(Millis.from)])
        }
    }

    /// The series (or single item) with this iCalendar UID, if any.
    public func item(uid: String) throws -> Item? {
        try read { db in try ItemRecord.fetchOne(db, sql: "SELECT * FROM item WHERE uid = ? AND recurrence_id_ms IS NULL", arguments: [uid])?.domain() }
    }

    /// The meetings that replace instances of the series with this UID, by the start of the
    /// instance each replaces.
    public func replacements(ofUID uid: String) throws -> [Item] {
        try read { db in
            try ItemRecord.fetchAll(db, sql: "SELECT * FROM item WHERE uid = ? AND recurrence_id_ms IS NOT NULL ORDER BY recurrence_id_ms",
                                    arguments: [uid]).map { try $0.domain() }
        }
    }

    public func item(id: Int64) throws -> Item? {
        try read { db in try ItemRecord.fetchOne(db, key: id)?.domain() }
    }

    public func item(key: String) throws -> Item? {
        try read { db in try record(key: key, db)?.domain() }
    }

    /// Every item in order of its instant, without its occurrences (the calendar feed, rewritten
    /// after every change, needs no reminder rows).
    public func items() throws -> [Item] {
        try read { db in try ItemRecord.order(Column("at_ms"), Column("id")).fetchAll(db).map { try $0.domain() } }
    }

    /// Every item in order of its instant, with its occurrences.
    public func listItems() throws -> [(Item, [Occurrence])] {
        try read { db in
            let items = try ItemRecord.order(Column("at_ms"), Column("id")).fetchAll(db)
            let occurrences = try OccurrenceRecord.order(Column("fire_at_ms"), Column("id")).fetchAll(db)
            let byItem = Dictionary(grouping: occurrences, by: \.item_id)
            return try items.map { rec in
                let item = try rec.domain()
                return (item, try (byItem[item.id] ?? []).map { try $0.domain() })
            }
        }
    }

    public func plans() throws -> [Plan] {
        try read { db in
            try PlanRecord.order(Column("key")).fetchAll(db).map { Plan(key: $0.key, name: $0.name, agency: $0.agency, period: $0.period) }
        }
    }

    /// Occurrences still owed to someone: `pending`, `retrying`, and `firing` ones that a
    /// crash interrupted. The timer core loads these at start.
    public func unfinishedOccurrences() throws -> [Occurrence] {
        try read { db in
            try OccurrenceRecord
                .filter(OccurrenceState.unfinished.map(\.rawValue).contains(Column("state")))
                .order(Column("fire_at_ms"), Column("id"))
                .fetchAll(db)
                .map { try $0.domain() }
        }
    }

    /// Pending occurrences due before `instant` (the state-and-instant index answers it).
    public func pendingCount(before instant: Date) throws -> Int {
        try read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM occurrence WHERE state = 'pending' AND fire_at_ms < ?",
                             arguments: [Millis.from(instant)]) ?? 0
        }
    }

    /// Just what the timer core's heap needs of every unfinished occurrence, read with one
    /// narrow query (a million rows in well under a second).
    public func unfinishedSchedule() throws -> [(id: Int64, fireAt: Date, firing: Bool)] {
        try read { db in
            var out: [(id: Int64, fireAt: Date, firing: Bool)] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, fire_at_ms, state = 'firing' FROM occurrence WHERE state IN ('pending', 'firing', 'retrying')
                """)
            while let row = try rows.next() {
                out.append((row[0], Millis.date(row[1]), row[2]))
            }
            return out
        }
    }

    /// Moves occurrences to `firing` and counts the attempt, before any channel sees them.
    /// Only pending (or re-sent firing) rows move: a reminder cancelled meanwhile is not sent.
    /// - Returns: the ids that did move.
    @discardableResult
    public func markFiring(_ ids: [Int64], now: Date) throws -> [Int64] {
        guard !ids.isEmpty else { return [] }
        return try write { db in
            let stmt = try db.cachedStatement(sql: """
                UPDATE occurrence SET state = 'firing', updated_ms = ?, attempts = attempts + 1
                WHERE id = ? AND state IN ('pending', 'firing', 'retrying')
                """)
            var moved: [Int64] = []
            for id in ids {
                try stmt.execute(arguments: [Millis.from(now), id])
                if db.changesCount > 0 { moved.append(id) }
            }
            return moved
        }
    }

    public func markDelivered(_ ids: [Int64], now: Date) throws {
        try record(DeliveryOutcome(delivered: ids), now: now)
    }

    public func occurrences(ofItem itemID: Int64) throws -> [Occurrence] {
        try read { db in
            try OccurrenceRecord.filter(Column("item_id") == itemID).order(Column("fire_at_ms"), Column("id")).fetchAll(db).map { try $0.domain() }
        }
    }

    /// Number of occurrences in each state (states with none are absent). O(1): read from
    /// the counters the triggers keep.
    public func countsByState() throws -> [OccurrenceState: Int] {
        try read { db in try Self.counters(db).occurrences }
    }

    /// The counters the triggers keep: occurrences by state (none absent) and items.
    static func counters(_ db: Database) throws -> (occurrences: [OccurrenceState: Int], items: Int) {
        var occurrences: [OccurrenceState: Int] = [:]
        var items = 0
        for row in try Row.fetchAll(db, sql: "SELECT name, n FROM counter WHERE n > 0") {
            let name: String = row["name"]
            if name == "item" { items = row["n"] }
            else if name.hasPrefix("occurrence:"), let s = OccurrenceState(rawValue: String(name.dropFirst("occurrence:".count))) { occurrences[s] = row["n"] }
        }
        return (occurrences, items)
    }

    public func itemCount() throws -> Int {
        try read { db in try Int.fetchOne(db, sql: "SELECT n FROM counter WHERE name = 'item'") ?? 0 }
    }

    /// Holiday years imported at run time (they take precedence over the files).
    public func holidayYears() throws -> [HolidayYear] {
        try read { db in
            try String.fetchAll(db, sql: "SELECT data FROM holiday_year ORDER BY year").map {
                do { return try JSONDecoder().decode(HolidayYear.self, from: Data($0.utf8)) }
                catch { throw StoreError.corrupt("a holiday year does not decode: \(error)") }
            }
        }
    }

    public func saveHolidayYear(_ year: HolidayYear, now: Date) throws {
        let data = String(decoding: try JSONEncoder().encode(year), as: UTF8.self)
        try write { db in
            try db.execute(sql: "INSERT OR REPLACE INTO holiday_year (year, data, imported_ms) VALUES (?, ?, ?)",
                           arguments: [year.year, data, Millis.from(now)])
        }
    }

    /// A cheap read that proves the file is still there and readable; the watchdog asks it.
    public func checkHealth() throws {
        _ = try read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// The applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try read { db in try Schema.migrator.appliedMigrations(db) }
    }

    /// The item and occurrence for each id, in the order of `ids`; unknown ids are skipped.
    public func reminders(forOccurrences ids: [Int64]) throws -> [(item: Item, occurrence: Occurrence)] {
        try read { db in
            let occurrences = try OccurrenceRecord.filter(keys: ids).fetchAll(db)
            let items = try ItemRecord.filter(keys: Set(occurrences.map(\.item_id))).fetchAll(db)
            let itemsByID = Dictionary(uniqueKeysWithValues: try items.map { ($0.id!, try $0.domain()) })
            let byID = Dictionary(uniqueKeysWithValues: occurrences.map { ($0.id!, $0) })
            return try ids.compactMap { id in
                guard let rec = byID[id], var item = itemsByID[rec.item_id] else { return nil }
                let occurrence = try rec.domain()
                // A series' reminder speaks of its own instance, not of the first.
                if let start = occurrence.instance {
                    item.fields = item.fields.instance(at: start)
                }
                return (item, occurrence)
            }
        }
    }
}

extension Store {
    /// Deletes an item and its reminders and delivery log; returns the item as it was and the
    /// ids of its reminders that were still owed (for the timer core to drop).
    public func remove(key: String) throws -> (item: Item, unfinished: [Int64]) {
        try write { db in
            guard let item = try self.record(key: key, db)?.domain() else { throw StoreError.noSuchItem(key) }
            let unfinished = try Int64.fetchAll(db, sql: """
                SELECT id FROM occurrence WHERE item_id = ? AND state IN ('pending', 'firing', 'retrying')
                """, arguments: [item.id])
            // Follow-ups keep their own reminders; they only lose the link.
            try db.execute(sql: "UPDATE item SET follow_up_of = NULL WHERE follow_up_of = ?", arguments: [key])
            try db.execute(sql: "DELETE FROM occurrence WHERE item_id = ?", arguments: [item.id])
            try db.execute(sql: "DELETE FROM item WHERE id = ?", arguments: [item.id])
            return (item, unfinished)
        }
    }

    /// A consistent copy of the whole store, taken online (SQLite's backup API), written to a
    /// temporary file beside `path` and renamed into place, so `path` is never half-written.
    public func backup(to path: String) throws {
        let temporary = path + ".partial"
        try? FileManager.default.removeItem(atPath: temporary)
        do {
            let copy = try DatabaseQueue(path: temporary)
            try pool.backup(to: copy)
            try copy.close()
            guard rename(temporary, path) == 0 else {
                throw StoreError.cannotOpen(path: path, reason: String(cString: strerror(errno)))
            }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw error
        }
    }
}
