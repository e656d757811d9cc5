import Application
import DeadlineCore
import DeadlineStore
import Foundation
import Testing

/// Obligations' reminders through the use cases and the commit path, against a real SQLite file:
/// what the timer core is told, and what the store keeps.
@Suite("Application: each obligation's reminders follow its own state and the item's date")
struct ObligationRemindersTests {
    static let offices = [
        Organisation(code: "4000101", name: "เทศบาลนครขอนแก่น", type: .cityMunicipality, province: "ขอนแก่น", district: "เมืองขอนแก่น"),
        Organisation(code: "4000301", name: "อบต.โคกสี", type: .subdistrictAdministration, province: "ขอนแก่น", district: "เมืองขอนแก่น"),
        Organisation(code: "3000101", name: "เทศบาลนครนครราชสีมา", type: .cityMunicipality, province: "นครราชสีมา"),
    ]

    /// Reminders still owed, by organisation code ("" for the item's own).
    func owed(_ f: Fixture, _ key: String) throws -> [String: [String]] {
        try f.store.read { txn -> [String: [String]] in
            let item = try #require(try txn.item(key: key))
            var out: [String: [String]] = ["": try txn.occurrences(ofItem: item.id).filter { $0.state == .pending }.map(\.label)]
            for o in try txn.obligations(ofItem: item.id) {
                out[o.code] = try txn.obligationReminders(itemID: item.id, code: o.code).filter { $0.state == .pending }.map(\.label)
            }
            return out
        }
    }

    @Test("assigned: each office gets the item's leads and escalation, three overdue nudges at most; the item's own stay its own")
    func assigned() async throws {
        let f = try Fixture()
        for o in Self.offices { _ = try await f.app.run(AddOrganisation(o), by: Fixture.someone) }
        _ = try await f.app.run(AddItem(f.deadline("d1")), by: Fixture.someone)
        let before = f.queue.told.withLock { $0.scheduled.count }
        let outcome = try await f.app.run(AssignItem(key: "d1", scope: OrganisationScope(province: "ขอนแก่น")), by: Fixture.someone)
        #expect(outcome.assigned == ["4000101", "4000301"])
        let owed = try owed(f, "d1")
        let mine = try #require(owed["4000101"])
        #expect(!mine.isEmpty && mine == owed["4000301"])
        #expect(mine.filter { $0.hasPrefix("escalate") } == ["escalate@3wd@09:00"] && mine.filter { $0.hasPrefix("overdue-") } == ["overdue-1", "overdue-2", "overdue-3"])
        #expect(!mine.contains("catch-up"), "no catch-up for leads already past")
        #expect(owed[""]!.contains { $0.hasPrefix("escalate") } && owed[""]!.filter { $0.hasPrefix("overdue-") }.count == 20,
                "the item keeps its own rule")
        #expect(f.queue.told.withLock { $0.scheduled.count } - before == 2 * mine.count, "the timer core hears of each")
        // The item's views do not list the offices' reminders.
        let item = try await f.app.item(key: "d1")
        #expect(item.occurrences.allSatisfy { $0.organisation == nil })
    }

    @Test("one office submits: its reminders are cancelled and no one else's; reopened, they start again")
    func submitAndReopen() async throws {
        let f = try Fixture()
        for o in Self.offices { _ = try await f.app.run(AddOrganisation(o), by: Fixture.someone) }
        _ = try await f.app.run(AddItem(f.deadline("d1")), by: Fixture.someone)
        _ = try await f.app.run(AssignItem(key: "d1", scope: OrganisationScope(province: "ขอนแก่น")), by: Fixture.someone)
        let full = try owed(f, "d1")
        let removedBefore = f.queue.told.withLock { $0.removed.count }
        _ = try await f.app.run(RecordObligation(key: "d1", code: "4000101", action: .submit(Submission(reference: "ขก 1", received: Fixture.now)),
                                                 by: "clerk"), by: Fixture.someone)
        let after = try owed(f, "d1")
        #expect(after["4000101"] == [] && after["4000301"] == full["4000301"] && after[""] == full[""])
        #expect(f.queue.told.withLock { $0.removed.count } - removedBefore == full["4000101"]!.count)
        _ = try await f.app.run(RecordObligation(key: "d1", code: "4000101", action: .reopen(reason: "ไม่ครบ"), by: "clerk"), by: Fixture.someone)
        #expect(try owed(f, "d1")["4000101"] == full["4000101"])
    }

    @Test("the item's date moves: every open office's reminders move with it, a submitted one's stay none")
    func dateMoves() async throws {
        let f = try Fixture()
        for o in Self.offices { _ = try await f.app.run(AddOrganisation(o), by: Fixture.someone) }
        _ = try await f.app.run(AddItem(f.deadline("d1")), by: Fixture.someone)
        _ = try await f.app.run(AssignItem(key: "d1", scope: OrganisationScope(province: "ขอนแก่น")), by: Fixture.someone)
        _ = try await f.app.run(RecordObligation(key: "d1", code: "4000301", action: .exempt(reason: "ยุบรวม"), by: "clerk"), by: Fixture.someone)
        func instants(_ code: String) throws -> [Date] {
            try f.store.read { txn in
                let item = try #require(try txn.item(key: "d1"))
                return try txn.obligationReminders(itemID: item.id, code: code).filter { $0.state == .pending }.map(\.fireAt)
            }
        }
        let before = try instants("4000101")
        var patch = UpdateItem.Patch()
        patch.at = "2017-05-31"
        _ = try await f.app.run(UpdateItem(key: "d1", patch: patch), by: Fixture.someone)
        let after = try instants("4000101")
        // On the new due day (09:00 in Bangkok), and the last nudge later than before.
        #expect(after.contains(Date(timeIntervalSince1970: 1_496_196_000)) && !before.contains(Date(timeIntervalSince1970: 1_496_196_000)))
        #expect(after.last! > before.last! && after.allSatisfy { $0 > Fixture.now }, "\(before) → \(after)")
        #expect(try instants("4000301").isEmpty)
    }

    @Test("an office added later in the scope is assigned with its reminders; one outside is not")
    func addedLater() async throws {
        let f = try Fixture()
        _ = try await f.app.run(AddItem(f.deadline("d1")), by: Fixture.someone)
        _ = try await f.app.run(AssignItem(key: "d1", scope: OrganisationScope(type: .cityMunicipality)), by: Fixture.someone)
        for o in Self.offices { _ = try await f.app.run(AddOrganisation(o), by: Fixture.someone) }
        let owed = try owed(f, "d1")
        #expect(Set(owed.keys) == ["", "4000101", "3000101"])
        #expect(owed["3000101"]?.isEmpty == false)
    }
}
