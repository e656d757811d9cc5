import DeadlineCore
import DeadlineStore
import Foundation
import Glibc
import GRDB
import Synchronization

/// The store as one SQLite file in WAL mode, opened through GRDB: the embedded default, for
/// one node. GRDB's pool serialises writes and lets reads run beside them.
public final class SQLiteStore: Store {
    let pool: DatabasePool
    public let path: String
    public var location: String { path }
    /// The file and its write-ahead log.
    public var bytesOnDisk: Int {
        // stat(2) itself: FileManager's attribute dictionary cost Status a tenth of its time.
        ["", "-wal"].reduce(0) { sum, suffix in
            var info = stat()
            return sum + (stat(path + suffix, &info) == 0 ? Int(info.st_size) : 0)
        }
    }
    /// The last write refused for want of room, until a write succeeds again.
    private let fullSinceDate = Mutex<Date?>(nil)
    private let writes = Atomic<UInt64>(0)

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
    /// - Parameter refusedForRoom: whether a part of the transaction (a savepoint) was refused
    ///   for want of room although the rest committed.
    func writeDB<T>(_ updates: (Database) throws -> T, refusedForRoom: () -> Bool = { false }) throws -> T {
        do {
            let result = try pool.write(updates)
            writes.add(1, ordering: .releasing)
            if refusedForRoom() { fullSinceDate.withLock { $0 = $0 ?? Date() } } else { fullSinceDate.withLock { $0 = nil } }
            return result
        } catch let error as DatabaseError {
            let mapped = StoreError(error)
            if mapped == .full { fullSinceDate.withLock { $0 = $0 ?? Date() } }
            throw mapped
        }
    }

    func readDB<T>(_ value: (Database) throws -> T) throws -> T {
        do { return try pool.read(value) } catch let error as DatabaseError { throw StoreError(error) }
    }

    public var fullSince: Date? { fullSinceDate.withLock { $0 } }
    public var changeCount: UInt64 { writes.load(ordering: .acquiring) }

    public func transaction<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        let refusals = SavepointRefusals()
        return try writeDB({ db in try body(SQLiteTransaction(db: db, refusals: refusals)) }, refusedForRoom: { refusals.full })
    }

    public func read<T>(_ body: (any StoreReading) throws -> T) throws -> T {
        try readDB { db in try body(SQLiteTransaction(db: db)) }
    }

    public func replacements(ofUID uid: String) throws -> [Item] {
        try readDB { db in
            try ItemRecord.fetchAll(db, sql: "SELECT * FROM item WHERE uid = ? AND recurrence_id_ms IS NOT NULL ORDER BY recurrence_id_ms",
                                    arguments: [uid]).map { try $0.domain() }
        }
    }

    public func listItems() throws -> [(Item, [Occurrence])] {
        try readDB { db in
            let items = try ItemRecord.order(Column("at_ms"), Column("id")).fetchAll(db)
            // The items' own reminders; an assigned deadline's thousands of obligation reminders are not an item's.
            let occurrences = try OccurrenceRecord.filter(Column("org_code") == nil).order(Column("fire_at_ms"), Column("id")).fetchAll(db)
            let byItem = Dictionary(grouping: occurrences, by: \.item_id)
            return try items.map { rec in
                let item = try rec.domain()
                return (item, try (byItem[item.id] ?? []).map { try $0.domain() })
            }
        }
    }

    public func plans() throws -> [Plan] {
        try readDB { db in
            try PlanRecord.order(Column("key")).fetchAll(db).map { Plan(key: $0.key, name: $0.name, agency: $0.agency, period: $0.period) }
        }
    }

    public func unfinishedOccurrences() throws -> [Occurrence] {
        try readDB { db in
            try OccurrenceRecord
                .filter(OccurrenceState.unfinished.map(\.rawValue).contains(Column("state")))
                .order(Column("fire_at_ms"), Column("id"))
                .fetchAll(db)
                .map { try $0.domain() }
        }
    }

    /// The state-and-instant index answers it.
    public func pendingCount(before instant: Date) throws -> Int {
        try readDB { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM occurrence WHERE state = 'pending' AND fire_at_ms < ?",
                             arguments: [Millis.from(instant)]) ?? 0
        }
    }

    /// One narrow query: a million rows in well under a second.
    public func unfinishedSchedule() throws -> [(id: Int64, fireAt: Date)] {
        try readDB { db in
            var out: [(id: Int64, fireAt: Date)] = []
            let rows = try Row.fetchCursor(db, sql: """
                SELECT id, fire_at_ms, state = 'firing' FROM occurrence WHERE state IN ('pending', 'firing', 'retrying')
                """)
            while let row = try rows.next() {
                out.append(Self.scheduled(row))
            }
            return out
        }
    }

    public func claimDue(now: Date, limit: Int) throws -> [Claim] {
        let ids = try readDB { db in
            try Int64.fetchAll(db, sql: """
                SELECT id FROM occurrence WHERE state = 'firing' OR (state IN ('pending', 'retrying') AND fire_at_ms <= ?)
                ORDER BY fire_at_ms, id LIMIT ?
                """, arguments: [Millis.from(now), limit])
        }
        return try claim(ids, now: now)
    }

    /// One node: the process is the lease. A row left firing by a crash is claimed again at the
    /// next start; the fence is the attempt count, which nothing else moves.
    public func claim(_ ids: [Int64], now: Date) throws -> [Claim] {
        guard !ids.isEmpty else { return [] }
        return try writeDB { db in
            let stmt = try db.cachedStatement(sql: """
                UPDATE occurrence SET state = 'firing', updated_ms = ?, attempts = attempts + 1
                WHERE id = ? AND (state = 'firing' OR (state IN ('pending', 'retrying') AND fire_at_ms <= ?)) RETURNING attempts
                """)
            let ms = Millis.from(now)
            return try ids.compactMap { id in
                try Int64.fetchOne(stmt, arguments: [ms, id, ms]).map { Claim(id: id, fence: $0) }
            }
        }
    }

    public var isShared: Bool { false }
    public var node: NodeIdentity { NodeIdentity(name: NodeIdentity.host) }
    public func releaseClaims() throws {}
    public func renewLeases(_ claims: [Claim]) throws -> [Int64] { claims.map(\.id) }
    public func holding(_ claims: [Claim], margin: TimeInterval) throws -> [Int64] { claims.map(\.id) }
    public func heartbeat(now: Date) throws -> [NodeHeartbeat] { [] }
    public func watchSchedule(_ onChange: @escaping @Sendable () -> Void) -> (@Sendable () -> Void)? { nil }
    /// One node: its own timer core is the only claimant, and `status` shows its heap.
    public func oldestUnclaimed(now: Date) throws -> Date? { nil }

    public func unfinishedSchedule(before instant: Date) throws -> [(id: Int64, fireAt: Date)] {
        try readDB { db in
            try Row.fetchAll(db, sql: """
                SELECT id, fire_at_ms, state = 'firing' FROM occurrence WHERE state IN ('pending', 'firing', 'retrying') AND fire_at_ms < ?
                """, arguments: [Millis.from(instant)]).map(Self.scheduled)
        }
    }

    /// A row of (id, fire_at_ms, firing) as the heap takes it: one a crash left firing is due at once.
    private static func scheduled(_ row: Row) -> (id: Int64, fireAt: Date) {
        (row[0], row[2] ? .distantPast : Millis.date(row[1]))
    }

    /// O(1): read from the counters the triggers keep.
    public func countsByState() throws -> [OccurrenceState: Int] {
        try readDB { db in try Self.counters(db).occurrences }
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
        try readDB { db in try Int.fetchOne(db, sql: "SELECT n FROM counter WHERE name = 'item'") ?? 0 }
    }

    public func holidayYears() throws -> [HolidayYear] {
        try readDB { db in
            try String.fetchAll(db, sql: "SELECT data FROM holiday_year ORDER BY year").map {
                do { return try JSONDecoder().decode(HolidayYear.self, from: Data($0.utf8)) }
                catch { throw StoreError.corrupt("a holiday year does not decode: \(error)") }
            }
        }
    }

    public func checkHealth() throws {
        _ = try readDB { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    public func appliedMigrations() throws -> [String] {
        try readDB { db in try Schema.migrator.appliedMigrations(db) }
    }

    public func reminders(forOccurrences ids: [Int64]) throws -> [(item: Item, occurrence: Occurrence)] {
        try readDB { db in
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

extension SQLiteStore {
    /// Taken online (SQLite's backup API) into a temporary file beside `path`, then renamed
    /// into place.
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
