import DeadlineCore
import DeadlineStore
import Foundation
import Logging
import PostgresNIO
import Synchronization

/// The store in a PostgreSQL database, through PostgresNIO: for a center whose several nodes
/// share one database. The same protocol as `SQLiteStore`, the same rows (`ItemRow`,
/// `OccurrenceRow`), in SQL of its own; every statement blocks its caller, as SQLite's do.
public final class PostgresStore: Store {
    let pool: ConnectionPool
    let logger: Logger
    public let place: PostgresLocation
    public let node: NodeIdentity
    public var isShared: Bool { true }
    public var location: String { place.description }
    private let fullSinceDate = Mutex<Date?>(nil)
    private let writes = Atomic<UInt64>(0)
    /// pg_database_size walks the files: asked at most every few seconds.
    private let size = Mutex<(bytes: Int, at: ContinuousClock.Instant?)>((0, nil))

    /// Connects, and runs pending migrations.
    /// - Parameter connections: at most this many at once (the commit path, the timer core and
    ///   readers each take one for a statement or a transaction).
    /// - Parameter node: this node's name among those sharing the database, and its lease.
    public init(_ location: PostgresLocation, node: NodeIdentity = NodeIdentity(name: NodeIdentity.host), connections: Int = 4,
                logger: Logger = Logger(label: "deadlined.store")) throws {
        place = location
        self.node = node
        self.logger = logger
        pool = ConnectionPool(location: location, size: connections, logger: logger)
        do {
            try pool.withSession { try PostgresSchema.migrate($0) }
        } catch let error as StoreError {
            pool.close()
            switch error {
            case .cannotOpen: throw error
            default: throw StoreError.cannotOpen(path: location.description, reason: error.description)
            }
        }
    }

    deinit { pool.close() }

    /// A write on a connection of its own; a full disk is remembered for `status` until a
    /// write goes through again.
    @discardableResult
    func write<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        do {
            let result = try pool.withSession(body)
            writes.add(1, ordering: .releasing)
            fullSinceDate.withLock { $0 = nil }
            return result
        } catch let error as StoreError {
            if error == .full { fullSinceDate.withLock { $0 = $0 ?? Date() } }
            throw error
        }
    }

    func read<T>(session body: (PostgresSession) throws -> T) throws -> T { try pool.withSession(body) }

    public var fullSince: Date? { fullSinceDate.withLock { $0 } }
    public var changeCount: UInt64 { writes.load(ordering: .acquiring) }

    public var bytesOnDisk: Int {
        let now = ContinuousClock.now
        if let cached = size.withLock({ s in s.at.map { now - $0 < .seconds(10) } == true ? s.bytes : nil }) { return cached }
        let bytes = (try? read { try $0.rows("SELECT pg_database_size(current_database()) AS n")[0]["n"].decode(Int.self) }) ?? 0
        size.withLock { $0 = (bytes, now) }
        return bytes
    }

    public func transaction<T>(_ body: (any StoreTransaction) throws -> T) throws -> T {
        try write { session in try session.inTransaction { try body(PostgresTransaction(session: session)) } }
    }

    /// One snapshot for every statement of `body`.
    public func read<T>(_ body: (any StoreReading) throws -> T) throws -> T {
        try read { session in
            try session.inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") { try body(PostgresTransaction(session: session)) }
        }
    }

    public func replacements(ofUID uid: String) throws -> [Item] {
        try read { s in
            try s.rows("SELECT * FROM item WHERE uid = \(uid) AND recurrence_id_ms IS NOT NULL ORDER BY recurrence_id_ms")
                .map { try ItemRow(postgres: $0).domain() }
        }
    }

    public func listItems() throws -> [(Item, [Occurrence])] {
        try read { session in
            try session.inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                let items = try session.rows("SELECT * FROM item ORDER BY at_ms, id").map(ItemRow.init(postgres:))
                // The items' own reminders; an assigned deadline's thousands of obligation reminders are not an item's.
                let occurrences = try session.rows("SELECT * FROM occurrence WHERE org_code IS NULL ORDER BY fire_at_ms, id")
                    .map(OccurrenceRow.init(postgres:))
                let byItem = Dictionary(grouping: occurrences, by: \.item_id)
                return try items.map { row in
                    let item = try row.domain()
                    return (item, try (byItem[item.id] ?? []).map { try $0.domain() })
                }
            }
        }
    }

    public func plans() throws -> [Plan] {
        try read { s in
            try s.rows("SELECT * FROM plan ORDER BY key").map { r in
                Plan(key: try r["key"].decode(String.self), name: try r["name"].decode(String.self),
                     agency: try r["agency"].decode(String?.self), period: try r["period"].decode(String?.self))
            }
        }
    }

    public func holidayYears() throws -> [HolidayYear] {
        try read { s in
            try s.rows("SELECT data FROM holiday_year ORDER BY year").map { r in
                do { return try JSONDecoder().decode(HolidayYear.self, from: Data(try r["data"].decode(String.self).utf8)) }
                catch { throw StoreError.corrupt("a holiday year does not decode: \(error)") }
            }
        }
    }

    public func workingDaySpans() throws -> [WorkingDaySpan] {
        try read { s in
            var zones: [String: TimeZone] = [:]
            return try s.rows("""
                SELECT i.key, i.time_zone, o.fire_at_ms, COALESCE(o.instance_ms, i.at_ms) AS item_ms
                FROM occurrence o JOIN item i ON i.id = o.item_id
                WHERE o.state IN ('pending', 'retrying') AND (o.label LIKE '%wd%' OR o.label LIKE 'overdue-%')
                """).map { r in
                let name = try r["time_zone"].decode(String.self)
                let zone = zones[name] ?? {
                    let z = TimeZone(identifier: name) ?? TimeZone(secondsFromGMT: 0)!
                    zones[name] = z
                    return z
                }()
                return WorkingDaySpan(itemKey: try r["key"].decode(String.self),
                                      from: LocalDate(Millis.date(try r["fire_at_ms"].decode(Int64.self)), in: zone),
                                      to: LocalDate(Millis.date(try r["item_ms"].decode(Int64.self)), in: zone))
            }
        }
    }

    // MARK: Counts and health

    /// Counted from the state index: no counter row that every node's claim would update.
    public func countsByState() throws -> [OccurrenceState: Int] {
        try read { try Self.counts($0) }
    }

    static func counts(_ s: PostgresSession) throws -> [OccurrenceState: Int] {
        var out: [OccurrenceState: Int] = [:]
        for r in try s.rows("SELECT state, count(*) AS n FROM occurrence GROUP BY state") {
            if let state = OccurrenceState(rawValue: try r["state"].decode(String.self)) { out[state] = try r["n"].decode(Int.self) }
        }
        return out
    }

    public func itemCount() throws -> Int {
        try read { try $0.rows("SELECT count(*) AS n FROM item")[0]["n"].decode(Int.self) }
    }

    public func statusFigures(problemLimit: Int) throws -> StatusFigures {
        try read { s in
            try s.inTransaction("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY") {
                let counts = try Self.counts(s)
                let items = try s.rows("SELECT count(*) AS n FROM item")[0]["n"].decode(Int.self)
                let downtime = try s.rows("SELECT value FROM daemon_state WHERE key = 'last_downtime'").first
                    .map { try $0["value"].decode(String.self) }
                let troubled = (counts[.retrying] ?? 0) + (counts[.failed] ?? 0) > 0
                let problems = troubled ? try s.rows("""
                    SELECT o.*, i.key FROM occurrence o JOIN item i ON i.id = o.item_id
                    WHERE o.state IN ('retrying', 'failed') ORDER BY o.updated_ms DESC LIMIT \(problemLimit)
                    """).map { r in (try OccurrenceRow.occurrence(r), try r["key"].decode(String.self)) } : []
                return StatusFigures(counts: counts, items: items, downtime: downtime, problems: problems)
            }
        }
    }

    public func checkHealth() throws {
        _ = try read { try $0.query("SELECT 1") }
    }

    public func appliedMigrations() throws -> [String] {
        try read { try PostgresSchema.applied($0) }
    }

    public func daemonState(_ key: String) throws -> String? {
        try read { try $0.rows("SELECT value FROM daemon_state WHERE key = \(key)").first.map { try $0["value"].decode(String.self) } }
    }

    public func setDaemonState(_ key: String, _ value: String) throws {
        try write { s in
            try s.query("""
                INSERT INTO daemon_state (key, value) VALUES (\(key), \(value)) ON CONFLICT (key) DO UPDATE SET value = excluded.value
                """)
        }
    }

    /// A PostgreSQL database is backed up by its own tools, which keep a consistent copy of all
    /// the nodes' writes; a node copying it into a file of its own would not.
    public func backup(to path: String) throws {
        throw StoreError.unavailable(reason: "a PostgreSQL store is backed up with pg_dump (pg_dump -Fc \(place.database) > FILE), not by the daemon")
    }
}
