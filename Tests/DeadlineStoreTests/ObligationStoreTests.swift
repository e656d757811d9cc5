import DeadlineCore
import DeadlineStore
import Foundation
import Testing

@Suite("Store: assignments kept with their scope, one obligation per item and organisation, states written back")
struct ObligationStoreTests {
    let now = Date(timeIntervalSince1970: 1_494_918_000)

    func deadline(_ store: any Store, key: String = "submit-nacc-2560") throws -> Item {
        try store.add(NewItem(kind: .deadline, key: key, title: "ส่งแผน", when: .day(LocalDate(year: 2017, month: 5, day: 24)!),
                              timeZone: "Asia/Bangkok"), reminders: [], dayTime: TimeOfDay(hour: 9, minute: 0)!, now: now).0
    }

    @Test("ensuring twice makes one obligation each; an obligation's state and evidence read back", arguments: StoreBackend.allCases)
    func obligations(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        _ = try store.saveOrganisations(OrganisationStoreTests.registry, now: now)
        let item = try deadline(store)
        let made = try store.transaction { try $0.ensureObligations(itemID: item.id, codes: ["4000101", "4000301"], now: now) }
        #expect(made == ["4000101", "4000301"])
        let again = try store.transaction { try $0.ensureObligations(itemID: item.id, codes: ["4000301", "4000001"], now: now) }
        #expect(again == ["4000001"])
        var o = try #require(try store.read { try $0.obligation(itemID: item.id, code: "4000301") })
        #expect(o == Obligation(itemKey: "submit-nacc-2560", code: "4000301", updated: now))
        o.state = .submitted
        o.submission = Submission(reference: "ขก 52001/123", received: now.addingTimeInterval(3600), sha256: String(repeating: "ab", count: 32))
        o.by = "นางสาวสมใจ"
        o.updated = now.addingTimeInterval(7200)
        try store.transaction { try $0.saveObligation(itemID: item.id, o) }
        let reopened = try backend.open(in: dir)
        #expect(try reopened.read { try $0.obligation(itemID: item.id, code: "4000301") } == o)
        #expect(try reopened.read { try $0.obligations(ofItem: item.id) }.map(\.code) == ["4000001", "4000101", "4000301"])
    }

    @Test("assignments keep their scope; removing the item removes its assignments and obligations", arguments: StoreBackend.allCases)
    func assignments(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        _ = try store.saveOrganisations(OrganisationStoreTests.registry, now: now)
        let item = try deadline(store)
        let scopes = [OrganisationScope(province: "จังหวัดขอนแก่น", district: "อ.เมืองขอนแก่น"), OrganisationScope(type: .cityMunicipality),
                      OrganisationScope(codes: ["3000101", "4000001"])]
        try store.transaction { txn in for s in scopes { try txn.addAssignment(itemID: item.id, scope: s, now: now) } }
        let read = try store.read { try $0.assignments() }
        #expect(read.map(\.itemID) == [item.id, item.id, item.id])
        #expect(read.map(\.scope) == [OrganisationScope(province: "ขอนแก่น", district: "เมืองขอนแก่น"), scopes[1], scopes[2]])
        _ = try store.transaction { try $0.ensureObligations(itemID: item.id, codes: ["4000101"], now: now) }
        _ = try store.transaction { try $0.remove(key: item.key) }
        #expect(try store.read { try $0.assignments() }.isEmpty)
        let again = try deadline(store)
        #expect(try store.read { try $0.obligations(ofItem: again.id) }.isEmpty)
    }
}

@Suite("Store: escalation contacts by province and district")
struct EscalationContactStoreTests {
    @Test("saved by province and district, replaced by the same, read back in order; the district's wins over the province's",
          arguments: StoreBackend.allCases)
    func contacts(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        let now = Date(timeIntervalSince1970: 1_494_918_000)
        let province = EscalationContact(province: "จังหวัดขอนแก่น", name: "สถ.จ.ขอนแก่น", contact: OrganisationContact(person: " ", email: "lg.kk@example.go.th"))
        let district = EscalationContact(province: "ขอนแก่น", district: "อำเภอชุมแพ", name: "ท้องถิ่นอำเภอชุมแพ", contact: OrganisationContact(email: "old@example.go.th"))
        try store.transaction { txn in
            try txn.saveEscalationContact(district, now: now)
            try txn.saveEscalationContact(province, now: now)
            var newer = district
            newer.contact.email = "lg.chumphae@example.go.th"
            try txn.saveEscalationContact(newer, now: now)
        }
        let read = try store.escalationContacts()
        #expect(read.map { "\($0.province)/\($0.district)" } == ["ขอนแก่น/", "ขอนแก่น/ชุมแพ"])
        #expect(read[0].contact == OrganisationContact(email: "lg.kk@example.go.th"), "a blank person is no person")
        #expect(read[1].contact.email == "lg.chumphae@example.go.th")
        let chumphae = Organisation(code: "1", name: "อบต.", type: .subdistrictAdministration, province: "ขอนแก่น", district: "ชุมแพ")
        let phon = Organisation(code: "2", name: "อบต.", type: .subdistrictAdministration, province: "ขอนแก่น", district: "พล")
        let korat = Organisation(code: "3", name: "อบต.", type: .subdistrictAdministration, province: "นครราชสีมา", district: "พล")
        #expect(EscalationContact.of(chumphae, in: read)?.name == "ท้องถิ่นอำเภอชุมแพ")
        #expect(EscalationContact.of(phon, in: read)?.name == "สถ.จ.ขอนแก่น")
        #expect(EscalationContact.of(korat, in: read) == nil)
    }
}
