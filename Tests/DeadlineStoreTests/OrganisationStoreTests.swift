import DeadlineCore
import DeadlineStore
import Foundation
import Testing

@Suite("Store: organisations by code — re-saving updates, never duplicates; scopes by place, type and codes")
struct OrganisationStoreTests {
    let now = Date(timeIntervalSince1970: 1_494_918_000)

    static let registry = [
        Organisation(code: "4000001", name: "องค์การบริหารส่วนจังหวัดขอนแก่น", type: .provincialAdministration, province: "ขอนแก่น"),
        Organisation(code: "4000101", name: "เทศบาลนครขอนแก่น", type: .cityMunicipality, province: "ขอนแก่น", district: "เมืองขอนแก่น",
                     contact: OrganisationContact(person: "นายสมชาย รักดี", email: "saraban@kkmuni.example.org", chat: "@kkmuni", phone: "043-221-186")),
        Organisation(code: "4000301", name: "องค์การบริหารส่วนตำบลโคกสี", type: .subdistrictAdministration, province: "ขอนแก่น", district: "เมืองขอนแก่น"),
        Organisation(code: "4002301", name: "เทศบาลตำบลบ้านฝาง", type: .subdistrictMunicipality, province: "ขอนแก่น", district: "บ้านฝาง"),
        Organisation(code: "3000101", name: "เทศบาลนครนครราชสีมา", type: .cityMunicipality, province: "นครราชสีมา", district: "เมืองนครราชสีมา"),
    ]

    @Test("saved, read back by code, kept across a reopen; saving again changes nothing", arguments: StoreBackend.allCases)
    func saveAndReopen(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let saved = try backend.open(in: dir).saveOrganisations(Self.registry, now: now)
        #expect(saved == Array(repeating: .added, count: 5))
        let store = try backend.open(in: dir)
        #expect(try store.organisation(code: "4000101") == Self.registry[1])
        #expect(try store.organisation(code: "9999999") == nil)
        #expect(try store.saveOrganisations(Self.registry, now: now) == Array(repeating: .unchanged, count: 5))
        #expect(try store.organisations().count == 5)
    }

    @Test("a known code takes the new fields, a contact field can be cleared, and no second row appears", arguments: StoreBackend.allCases)
    func updateByCode(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        _ = try store.saveOrganisations(Self.registry, now: now)
        var moved = Self.registry[1]
        moved.contact.email = nil
        moved.contact.person = "นางสาวสมศรี ใจงาม"
        let result = try store.saveOrganisations([moved, Self.registry[0]], now: now.addingTimeInterval(60))
        #expect(result == [.updated, .unchanged])
        #expect(try store.organisation(code: "4000101") == moved)
        #expect(try store.organisations().filter { $0.code == "4000101" }.count == 1)
    }

    @Test("scopes: a province (with or without its prefix), a district, a type, a list of codes; ordered by place and code",
          arguments: StoreBackend.allCases)
    func scopes(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        _ = try store.saveOrganisations(Self.registry.reversed(), now: now)
        func codes(_ scope: OrganisationScope) throws -> [String] { try store.organisations(in: scope).map(\.code) }
        #expect(try codes(OrganisationScope()) == ["4000001", "4002301", "4000101", "4000301", "3000101"])
        #expect(try codes(OrganisationScope(province: "จังหวัดขอนแก่น")) == ["4000001", "4002301", "4000101", "4000301"])
        #expect(try codes(OrganisationScope(province: "ขอนแก่น", district: "อำเภอเมืองขอนแก่น")) == ["4000101", "4000301"])
        #expect(try codes(OrganisationScope(type: .cityMunicipality)) == ["4000101", "3000101"])
        #expect(try codes(OrganisationScope(codes: ["3000101", "4000001", "0000000"])) == ["4000001", "3000101"])
        // The same scope answers the same in memory, as an assignment will ask it.
        for scope in [OrganisationScope(province: "ขอนแก่น", district: "อ.เมืองขอนแก่น"), OrganisationScope(type: .subdistrictMunicipality)] {
            #expect(try codes(scope) == Self.registry.filter(scope.contains).sorted { ($0.province, $0.district, $0.code) < ($1.province, $1.district, $1.code) }.map(\.code))
        }
    }

    @Test("a transaction that fails part way saves none of its organisations", arguments: StoreBackend.allCases)
    func allOrNothing(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        struct Stop: Error {}
        #expect(throws: Stop.self) {
            try store.transaction { txn in
                _ = try txn.saveOrganisations(Self.registry, now: now)
                throw Stop()
            }
        }
        #expect(try store.organisations().isEmpty)
    }
}
