import DeadlineCore
import Foundation
import GRDB

/// The daemon's durable state: one SQLite file in WAL mode, opened through GRDB.
///
/// The store is the truth. The timer core's heap is a cache of the pending rows and is
/// rebuilt from them at start; every state change is written here before it is acted on.
/// Thread-safe: GRDB's pool serialises writes and lets reads run beside them.
public final class Store: Sendable {
    let pool: DatabasePool
    public let path: String

    /// Opens (creating if needed) the store at `path` and runs pending migrations.
    public init(path: String) throws {
        self.path = path
        var config = Configuration()
        config.label = "deadlined.store"
        // A second writer (e.g. a backup) waits rather than failing at once.
        config.busyMode = .timeout(5)
        config.prepareDatabase { db in
            // FULL: a reminder acknowledged as delivered survives a power cut, not only a crash.
            try db.execute(sql: "PRAGMA synchronous = FULL")
        }
        do {
            pool = try DatabasePool(path: path, configuration: config)
            try Schema.migrator.migrate(pool)
        } catch {
            throw StoreError.cannotOpen(path: path, reason: String(describing: error))
        }
    }

    /// Stores an item and its reminder occurrences in one transaction: either both are
    /// there afterwards, or neither.
    public func add(_ item: NewItem, reminders: [Date], now: Date) throws -> (Item, [Occurrence]) {
        try pool.write { db in
            var record = ItemRecord(item, createdAt: now)
            try record.insert(db)
            let stored = try record.domain()
            let occurrences = try reminders.map { instant in
                var o = OccurrenceRecord(id: nil, item_id: stored.id, fire_at_ms: Millis.from(instant),
                                         state: OccurrenceState.pending.rawValue, attempts: 0, updated_ms: Millis.from(now))
                try o.insert(db)
                return try o.domain()
            }
            return (stored, occurrences)
        }
    }

    public func item(id: Int64) throws -> Item? {
        try pool.read { db in try ItemRecord.fetchOne(db, key: id)?.domain() }
    }

    /// Every item in order of its instant, with its occurrences.
    public func listItems() throws -> [(Item, [Occurrence])] {
        try pool.read { db in
            let items = try ItemRecord.order(Column("at_ms"), Column("id")).fetchAll(db)
            let occurrences = try OccurrenceRecord.order(Column("fire_at_ms"), Column("id")).fetchAll(db)
            let byItem = Dictionary(grouping: occurrences, by: \.item_id)
            return try items.map { rec in
                let item = try rec.domain()
                return (item, try (byItem[item.id] ?? []).map { try $0.domain() })
            }
        }
    }

    /// Occurrences still owed to someone: `pending`, and `firing` ones that a crash
    /// interrupted. The timer core loads these at start.
    public func unfinishedOccurrences() throws -> [Occurrence] {
        try pool.read { db in
            try OccurrenceRecord
                .filter([OccurrenceState.pending.rawValue, OccurrenceState.firing.rawValue].contains(Column("state")))
                .order(Column("fire_at_ms"), Column("id"))
                .fetchAll(db)
                .map { try $0.domain() }
        }
    }

    /// Moves occurrences to `firing` and counts the attempt, before any channel sees them.
    public func markFiring(_ ids: [Int64], now: Date) throws {
        try transition(ids, to: .firing, countAttempt: true, now: now)
    }

    public func markDelivered(_ ids: [Int64], now: Date) throws {
        try transition(ids, to: .delivered, countAttempt: false, now: now)
    }

    func transition(_ ids: [Int64], to state: OccurrenceState, countAttempt: Bool, now: Date) throws {
        guard !ids.isEmpty else { return }
        try pool.write { db in
            let stmt = try db.cachedStatement(sql: """
                UPDATE occurrence SET state = ?, updated_ms = ?, attempts = attempts + ? WHERE id = ?
                """)
            for id in ids {
                try stmt.execute(arguments: [state.rawValue, Millis.from(now), countAttempt ? 1 : 0, id])
            }
        }
    }

    public func occurrences(ofItem itemID: Int64) throws -> [Occurrence] {
        try pool.read { db in
            try OccurrenceRecord.filter(Column("item_id") == itemID).order(Column("fire_at_ms")).fetchAll(db).map { try $0.domain() }
        }
    }

    /// Number of occurrences in each state (states with none are absent).
    public func countsByState() throws -> [OccurrenceState: Int] {
        try pool.read { db in
            var out: [OccurrenceState: Int] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM occurrence GROUP BY state") {
                if let s = OccurrenceState(rawValue: row["state"]) { out[s] = row["n"] }
            }
            return out
        }
    }

    public func itemCount() throws -> Int {
        try pool.read { db in try ItemRecord.fetchCount(db) }
    }

    /// A cheap read that proves the file is still there and readable; the watchdog asks it.
    public func checkHealth() throws {
        _ = try pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
    }

    /// The applied migrations, oldest first.
    public func appliedMigrations() throws -> [String] {
        try pool.read { db in try Schema.migrator.appliedMigrations(db) }
    }
}

public enum StoreError: Error, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case corrupt(String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the store \(path): \(reason)"
        case .corrupt(let what): "the store holds a value this version cannot read: \(what)"
        }
    }
}

extension Store {
    /// The item and occurrence for each id, in the order of `ids`; unknown ids are skipped.
    public func reminders(forOccurrences ids: [Int64]) throws -> [(item: Item, occurrence: Occurrence)] {
        try pool.read { db in
            let occurrences = try OccurrenceRecord.filter(keys: ids).fetchAll(db)
            let items = try ItemRecord.filter(keys: Set(occurrences.map(\.item_id))).fetchAll(db)
            let itemsByID = Dictionary(uniqueKeysWithValues: try items.map { ($0.id!, try $0.domain()) })
            let byID = Dictionary(uniqueKeysWithValues: occurrences.map { ($0.id!, $0) })
            return try ids.compactMap { id in
                guard let rec = byID[id], let item = itemsByID[rec.item_id] else { return nil }
                return (item, try rec.domain())
            }
        }
    }
}
