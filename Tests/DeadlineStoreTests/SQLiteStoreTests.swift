import DeadlineCore
import DeadlineStore
import Foundation
import GRDB
import SQLiteStore
import Testing

/// What only the SQLite backend has: a file, its journal mode, its migrations.
@Suite("SQLite store: the file, WAL, migrations")
struct SQLiteStoreTests {
    static let migrations = ["v1: items and reminder occurrences", "v2: keys, plans, meeting and deadline fields, item state, holidays",
                             "v3: retries, delivery log, daemon state", "v4: counters kept by triggers", "v5: per-channel retries", "v6: audit trail",
                             "v7: repeating meetings and iCalendar identity", "v8: added dates and changed instances of a series",
                             "v9: organisations registry", "v10: assignments and obligations",
                             "v11: reminders of obligations", "v12: escalation contacts by province and district",
                             "v13: the audit trail as a hash chain", "v14: signed checkpoints of the audit chain",
                             "v15: the audit trail by time"]

    @Test("a fresh file is migrated to the latest schema, and reopening migrates nothing again")
    func migrations() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/deadlined.sqlite"
        do {
            let store = try SQLiteStore(path: path)
            #expect(try store.appliedMigrations() == Self.migrations)
        }
        #expect(FileManager.default.fileExists(atPath: path))
        #expect(try SQLiteStore(path: path).appliedMigrations() == Self.migrations)
    }

    @Test("the file is in WAL mode, so reads run beside the writer")
    func walMode() throws {
        let dir = try TemporaryDirectory()
        _ = try SQLiteStore(path: dir.path + "/s.sqlite")
        // WAL is recorded in the file itself: an independent connection sees it.
        let mode = try DatabaseQueue(path: dir.path + "/s.sqlite").read { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode")
        }
        #expect(mode == "wal")
    }

    @Test("the counters the triggers keep equal SQL's own count")
    func triggerCounters() throws {
        let dir = try TemporaryDirectory()
        let store = try SQLiteStore(path: dir.path + "/s.sqlite")
        let t0 = Date(timeIntervalSince1970: 1_494_918_000)
        for i in 0..<5 {
            _ = try store.add(NewItem(kind: .deadline, key: "k\(i)", title: "d", when: .instant(t0), timeZone: "Asia/Bangkok"),
                              reminders: [PlannedReminder(fireAt: t0, purpose: .lead("0"))], dayTime: TimeOfDay(hour: 9, minute: 0)!, now: t0)
        }
        _ = try store.setState(key: "k1", to: .cancelled, by: "t", now: t0)
        let counted = try DatabaseQueue(path: dir.path + "/s.sqlite").read { db in
            try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM occurrence GROUP BY state")
                .reduce(into: [OccurrenceState: Int]()) { $0[OccurrenceState(rawValue: $1["state"])!] = $1["n"] }
        }
        #expect(counted == [.pending: 4, .cancelled: 1])
        #expect(try store.countsByState() == counted)
    }

    @Test("a path that cannot be opened gives an error naming it")
    func badPath() {
        #expect {
            try SQLiteStore(path: "/proc/deadlined-cannot-be-here/s.sqlite")
        } throws: { error in
            "\(error)".contains("/proc/deadlined-cannot-be-here/s.sqlite")
        }
    }

    @Test("a store written by the v1 schema migrates: keys are made, nothing is lost")
    func migrateV1() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/old.sqlite"
        let q = try DatabaseQueue(path: path)
        try q.write { db in
            try db.execute(sql: """
                CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY);
                INSERT INTO grdb_migrations VALUES ('v1: items and reminder occurrences');
                CREATE TABLE item (id INTEGER PRIMARY KEY AUTOINCREMENT, kind TEXT NOT NULL CHECK (kind IN ('meeting', 'deadline')),
                  title TEXT NOT NULL, at_ms INTEGER NOT NULL, time_zone TEXT NOT NULL, location TEXT, notes TEXT, created_ms INTEGER NOT NULL);
                CREATE TABLE occurrence (id INTEGER PRIMARY KEY AUTOINCREMENT, item_id INTEGER NOT NULL REFERENCES item(id) ON DELETE CASCADE,
                  fire_at_ms INTEGER NOT NULL, state TEXT NOT NULL, attempts INTEGER NOT NULL DEFAULT 0, updated_ms INTEGER NOT NULL);
                INSERT INTO item VALUES (1, 'deadline', 'ส่งแผน', 1495591200000, 'Asia/Bangkok', NULL, NULL, 0);
                INSERT INTO occurrence VALUES (1, 1, 1495591200000, 'pending', 0, 0);
                """)
        }
        try q.close()
        let s = try SQLiteStore(path: path)
        let item = try #require(try s.item(key: "d1"))
        #expect(item.title == "ส่งแผน")
        #expect(item.state == .open)
        #expect(try s.unfinishedOccurrences().map(\.id) == [1])
    }
}
