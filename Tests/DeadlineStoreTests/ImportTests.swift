import DeadlineCore
import DeadlineStore
import Foundation
import GRDB
import Testing

@Suite("Store: import, state, keys")
struct ImportTests {
    let nine = TimeOfDay(hour: 9, minute: 0)!
    let now = Date(timeIntervalSince1970: 1_494_000_000)   // 5 May 2017

    func deadline(_ key: String, due: LocalDate, title: String = "ส่งแผน") -> NewItem {
        NewItem(kind: .deadline, key: key, title: title, when: .day(due), timeZone: "Asia/Bangkok", plan: "nacc")
    }

    /// One reminder at 09:00 on the due day: enough to see replanning.
    func plan(_ item: NewItem) -> ReminderPlanner.ItemPlan {
        .init(reminders: [PlannedReminder(fireAt: item.instant(dayTime: nine), purpose: .lead("0@09:00"))], plannedThrough: nil)
    }

    /// A store in a directory that lives as long as the fixture does.
    final class Fixture {
        let dir: TemporaryDirectory
        let store: Store
        init() throws {
            dir = try TemporaryDirectory()
            store = try Store(path: dir.path + "/s.sqlite")
        }
    }

    @Test("importing twice adds nothing the second time")
    func idempotent() throws {
        let fixture = try Fixture()
        let s = fixture.store
        let items = [deadline("a", due: LocalDate(year: 2017, month: 5, day: 24)!), deadline("b", due: LocalDate(year: 2017, month: 5, day: 25)!)]
        let plans = [Plan(key: "nacc", name: "แผน ป.ป.ช.")]
        let first = try s.importItems(ImportBatch(plans: plans, items: items, references: []), dayTime: nine, now: now, plan: plan)
        #expect(first.added == ["a", "b"])
        #expect(first.newOccurrences.count == 2)
        let second = try s.importItems(ImportBatch(plans: plans, items: items, references: []), dayTime: nine, now: now, plan: plan)
        #expect(second.added.isEmpty && second.updated.isEmpty)
        #expect(second.unchanged == ["a", "b"])
        #expect(second.newOccurrences.isEmpty)
        #expect(try s.itemCount() == 2)
        #expect(try s.countsByState() == [.pending: 2])
        #expect(try s.plans() == plans)
    }

    @Test("a changed date updates in place and replaces only the pending reminders")
    func updateInPlace() throws {
        let fixture = try Fixture()
        let s = fixture.store
        let original = deadline("a", due: LocalDate(year: 2017, month: 5, day: 24)!)
        let added = try s.importItems(ImportBatch(plans: [Plan(key: "nacc", name: "p")], items: [original], references: []), dayTime: nine, now: now, plan: plan)
        let moved = deadline("a", due: LocalDate(year: 2017, month: 5, day: 31)!)
        let out = try s.importItems(ImportBatch(plans: [], items: [moved], references: []), dayTime: nine, now: now, plan: plan)
        #expect(out.updated == ["a"])
        #expect(out.cancelledOccurrences == added.newOccurrences.map(\.id))
        let item = try #require(try s.item(key: "a"))
        #expect(item.fields.when == .day(LocalDate(year: 2017, month: 5, day: 31)!))
        let occ = try s.occurrences(ofItem: item.id)
        #expect(occ.map(\.state) == [.cancelled, .pending])
        // A title change alone keeps the reminders.
        var retitled = moved
        retitled.title = "ส่งแผน (แก้ไข)"
        let again = try s.importItems(ImportBatch(plans: [], items: [retitled], references: []), dayTime: nine, now: now, plan: plan)
        #expect(again.updated == ["a"] && again.newOccurrences.isEmpty && again.cancelledOccurrences.isEmpty)
        #expect(try s.itemCount() == 1)
    }

    @Test("an unresolved reference rolls the whole import back")
    func allOrNothing() throws {
        let fixture = try Fixture()
        let s = fixture.store
        let items = [deadline("a", due: LocalDate(year: 2017, month: 5, day: 24)!)]
        #expect(throws: StoreError.unknownReference(location: "a.yaml:3:5", message: "no meeting 'm0'")) {
            try s.importItems(ImportBatch(plans: [Plan(key: "nacc", name: "p")], items: items,
                               references: [Reference(key: "m0", target: .meeting, location: "a.yaml:3:5", message: "no meeting 'm0'")]),
                               dayTime: nine, now: now, plan: plan)
        }
        #expect(try s.itemCount() == 0)
        #expect(try s.plans().isEmpty)
        #expect(try s.countsByState().isEmpty)
    }

    @Test("submitting cancels pending reminders; a cancelled reminder never moves to firing")
    func submit() throws {
        let fixture = try Fixture()
        let s = fixture.store
        let out = try s.importItems(ImportBatch(plans: [Plan(key: "nacc", name: "p")], items: [deadline("a", due: LocalDate(year: 2017, month: 5, day: 24)!)],
                                     references: []), dayTime: nine, now: now, plan: plan)
        let (item, cancelled) = try s.setState(key: "a", to: .submitted, by: "somchai", now: now)
        #expect(item.state == .submitted)
        #expect(item.stateChangedBy == "somchai")
        #expect(cancelled == out.newOccurrences.map(\.id))
        #expect(try s.markFiring(cancelled, now: now).isEmpty)
        #expect(try s.unfinishedOccurrences().isEmpty)
        #expect(throws: StoreError.notOpen(key: "a", state: .submitted)) { try s.setState(key: "a", to: .cancelled, by: "x", now: now) }
        #expect(throws: StoreError.noSuchItem("zz")) { try s.setState(key: "zz", to: .cancelled, by: "x", now: now) }
    }

    @Test("keys: made when empty, refused when taken; date-only items read back as days")
    func keys() throws {
        let fixture = try Fixture()
        let s = fixture.store
        let day = LocalDate(year: 2017, month: 5, day: 18)!
        let (m, _) = try s.add(NewItem(kind: .meeting, title: "t", when: .day(day), timeZone: "Asia/Bangkok"), reminders: [], dayTime: nine, now: now)
        #expect(m.key == "m\(m.id)")
        #expect(m.fields.when == .day(day))
        #expect(throws: StoreError.duplicateKey(m.key)) {
            try s.add(NewItem(kind: .meeting, key: m.key, title: "u", when: .day(day), timeZone: "Asia/Bangkok"), reminders: [], dayTime: nine, now: now)
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
        let s = try Store(path: path)
        let item = try #require(try s.item(key: "d1"))
        #expect(item.title == "ส่งแผน")
        #expect(item.state == .open)
        #expect(try s.unfinishedOccurrences().map(\.id) == [1])
    }
}
