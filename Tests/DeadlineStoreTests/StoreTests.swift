import DeadlineCore
import DeadlineStore
import Foundation
import GRDB
import Testing

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("deadlined-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }
}

@Suite("SQLite store")
struct StoreTests {
    let t0 = Date(timeIntervalSince1970: 1_494_918_000)
    static let migrations = ["v1: items and reminder occurrences", "v2: keys, plans, meeting and deadline fields, item state, holidays",
                             "v3: retries, delivery log, daemon state", "v4: counters kept by triggers", "v5: per-channel retries", "v6: audit trail",
                             "v7: repeating meetings and iCalendar identity", "v8: added dates and changed instances of a series"]

    let nine = TimeOfDay(hour: 9, minute: 0)!

    func meeting(_ title: String = "ประชุมคณะทำงานจัดทำแผน", key: String = "", at: Date) -> NewItem {
        NewItem(kind: .meeting, key: key, title: title, when: .instant(at), timeZone: "Asia/Bangkok", location: "ห้องประชุมสีโห",
                notes: "นำแผนส่ง ป.ป.ช.", attendees: ["ปลัดเทศบาล", "รองปลัดเทศบาล"], tags: ["แผน"])
    }

    func reminders(_ instants: [Date]) -> [PlannedReminder] {
        instants.enumerated().map { PlannedReminder(fireAt: $0.element, purpose: .lead("r\($0.offset)")) }
    }

    @Test("migrates a fresh file, writes, closes, reopens and reads the same")
    func reopen() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/deadlined.sqlite"
        let added: Item
        do {
            let store = try Store(path: path)
            #expect(try store.appliedMigrations() == Self.migrations)
            (added, _) = try store.add(meeting(at: t0), reminders: reminders([t0.addingTimeInterval(-3600), t0]), dayTime: nine, now: t0.addingTimeInterval(-86400))
        }
        #expect(FileManager.default.fileExists(atPath: path))
        let reopened = try Store(path: path)
        #expect(try reopened.appliedMigrations() == Self.migrations)
        let items = try reopened.listItems()
        #expect(items.count == 1)
        #expect(items[0].0 == added)
        #expect(items[0].0.title == "ประชุมคณะทำงานจัดทำแผน")
        #expect(items[0].0.fields.attendees == ["ปลัดเทศบาล", "รองปลัดเทศบาล"])
        #expect(items[0].0.key == "m\(added.id)")
        #expect(items[0].1.map(\.label) == ["r0", "r1"])
        #expect(items[0].1.map(\.fireAt) == [t0.addingTimeInterval(-3600), t0])
        #expect(items[0].1.allSatisfy { $0.state == .pending && $0.attempts == 0 })
    }

    @Test("the file is in WAL mode, so reads run beside the writer")
    func walMode() throws {
        let dir = try TemporaryDirectory()
        _ = try Store(path: dir.path + "/s.sqlite")
        // WAL is recorded in the file itself: an independent connection sees it.
        let mode = try DatabaseQueue(path: dir.path + "/s.sqlite").read { db in
            try String.fetchOne(db, sql: "PRAGMA journal_mode")
        }
        #expect(mode == "wal")
    }

    @Test("state transitions persist and count attempts")
    func transitions() throws {
        let dir = try TemporaryDirectory()
        let path = dir.path + "/s.sqlite"
        let store = try Store(path: path)
        let (_, occ) = try store.add(meeting(at: t0), reminders: reminders([t0, t0.addingTimeInterval(60)]), dayTime: nine, now: t0)
        try store.markFiring([occ[0].id], now: t0)
        #expect(try store.unfinishedOccurrences().map(\.state) == [.firing, .pending])
        try store.markDelivered([occ[0].id], now: t0)
        let again = try Store(path: path)
        let rows = try again.occurrences(ofItem: occ[0].itemID)
        #expect(rows.map(\.state) == [.delivered, .pending])
        #expect(rows.map(\.attempts) == [1, 0])
        #expect(try again.unfinishedOccurrences().map(\.id) == [occ[1].id])
        #expect(try again.countsByState() == [.delivered: 1, .pending: 1])
    }

    @Test("the trigger-kept counters equal a full count after every kind of change")
    func countersMatch() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path + "/s.sqlite")
        var ids: [Int64] = []
        for i in 0..<20 {
            let (_, occ) = try store.add(meeting("m\(i)", key: "k\(i)", at: t0), reminders: reminders([t0, t0.addingTimeInterval(60)]),
                                         dayTime: nine, now: t0)
            ids += occ.map(\.id)
        }
        try store.markFiring(Array(ids[0..<10]), now: t0)
        try store.markDelivered(Array(ids[0..<6]), now: t0)
        _ = try store.setState(key: "k15", to: .cancelled, by: "t", now: t0)
        let counted = try DatabaseQueue(path: dir.path + "/s.sqlite").read { db in
            try Row.fetchAll(db, sql: "SELECT state, COUNT(*) AS n FROM occurrence GROUP BY state")
                .reduce(into: [OccurrenceState: Int]()) { $0[OccurrenceState(rawValue: $1["state"])!] = $1["n"] }
        }
        #expect(try store.countsByState() == counted)
        #expect(counted == [.delivered: 6, .firing: 4, .pending: 28, .cancelled: 2])
        #expect(try store.itemCount() == 20)
    }

    @Test("reminders(forOccurrences:) joins item and occurrence, in the order asked")
    func reminderJoin() throws {
        let dir = try TemporaryDirectory()
        let store = try Store(path: dir.path + "/s.sqlite")
        let (a, oa) = try store.add(meeting("A", at: t0), reminders: reminders([t0]), dayTime: nine, now: t0)
        let (b, ob) = try store.add(meeting("B", at: t0), reminders: reminders([t0]), dayTime: nine, now: t0)
        let joined = try store.reminders(forOccurrences: [ob[0].id, 999, oa[0].id])
        #expect(joined.map(\.item.id) == [b.id, a.id])
        #expect(joined.map(\.occurrence.id) == [ob[0].id, oa[0].id])
    }

    @Test("a path that cannot be opened gives an error naming it")
    func badPath() {
        #expect {
            try Store(path: "/proc/deadlined-cannot-be-here/s.sqlite")
        } throws: { error in
            "\(error)".contains("/proc/deadlined-cannot-be-here/s.sqlite")
        }
    }
}
