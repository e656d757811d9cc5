import DeadlineCore
import DeadlineStore
import Foundation
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
        let store: any Store
        init(_ backend: StoreBackend) throws {
            dir = try TemporaryDirectory()
            store = try backend.open(in: dir)
        }
    }

    @Test("importing twice adds nothing the second time", arguments: StoreBackend.allCases)
    func idempotent(backend: StoreBackend) throws {
        let fixture = try Fixture(backend)
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

    @Test("a changed date updates in place and replaces only the pending reminders", arguments: StoreBackend.allCases)
    func updateInPlace(backend: StoreBackend) throws {
        let fixture = try Fixture(backend)
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

    @Test("an unresolved reference rolls the whole import back", arguments: StoreBackend.allCases)
    func allOrNothing(backend: StoreBackend) throws {
        let fixture = try Fixture(backend)
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

    @Test("submitting cancels pending reminders; a cancelled reminder never moves to firing", arguments: StoreBackend.allCases)
    func submit(backend: StoreBackend) throws {
        let fixture = try Fixture(backend)
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

    @Test("keys: made when empty, refused when taken; date-only items read back as days", arguments: StoreBackend.allCases)
    func keys(backend: StoreBackend) throws {
        let fixture = try Fixture(backend)
        let s = fixture.store
        let day = LocalDate(year: 2017, month: 5, day: 18)!
        let (m, _) = try s.add(NewItem(kind: .meeting, title: "t", when: .day(day), timeZone: "Asia/Bangkok"), reminders: [], dayTime: nine, now: now)
        #expect(m.key == "m\(m.id)")
        #expect(m.fields.when == .day(day))
        #expect(throws: StoreError.duplicateKey(m.key)) {
            try s.add(NewItem(kind: .meeting, key: m.key, title: "u", when: .day(day), timeZone: "Asia/Bangkok"), reminders: [], dayTime: nine, now: now)
        }
    }
}
