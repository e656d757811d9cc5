import Agenda
import DeadlineCore
import Foundation
import Testing

@Suite("Agenda files: a deadline assigned to organisations (assign:)")
struct AgendaAssignmentTests {
    func read(_ yaml: String) throws(AgendaError) -> Agenda {
        try AgendaFile.read(yaml: yaml, file: "a.yaml", defaults: defaults)
    }

    func deadline(_ assign: String) -> String {
        "deadlines:\n  - key: d\n    title: ส่งแผน\n    due: 24 พฤษภาคม 2560\n    assign:" + assign + "\n"
    }

    @Test("the shipped center agenda assigns its deadline to the province of Khon Kaen")
    func sample() throws {
        let agenda = try AgendaFile.read(yaml: text("Config/agenda/khon-kaen-center-2560.yaml"), file: "c.yaml", defaults: defaults)
        #expect(agenda.items.map(\.key) == ["submit-nacc-2560-kk"])
        #expect(agenda.assignments == ["submit-nacc-2560-kk": OrganisationScope(province: "ขอนแก่น")])
        #expect(agenda.items[0].leads?.map(\.description) == ["5wd@09:00", "1wd@09:00", "0@09:00"])
    }

    @Test("all, or a mapping of province, district, type (in Thai) and codes")
    func forms() throws {
        #expect(try read(deadline(" all")).assignments["d"] == OrganisationScope())
        let scope = try read(deadline("\n      province: จังหวัดขอนแก่น\n      type: อบต.\n      codes: [4000101, 4000102]")).assignments["d"]
        #expect(scope == OrganisationScope(province: "จังหวัดขอนแก่น", type: .subdistrictAdministration, codes: ["4000101", "4000102"]))
    }

    @Test("what is not an assignment is refused at its place")
    func errors() {
        func failure(_ yaml: String) -> String? {
            do { _ = try read(yaml); return nil } catch { return error.description }
        }
        #expect(failure(deadline(" everyone")) == "a.yaml:5:13: deadline 'd': 'assign' is 'all' or a mapping of province, district, type and codes")
        #expect(failure(deadline("\n      type: เทศบาล"))?.hasPrefix("a.yaml:6:13: 'เทศบาล' is not a type of local administration") == true)
        #expect(failure(deadline("\n      amphoe: x"))?.contains("amphoe") == true)
        #expect(failure(deadline(" all\n    organisations: [a, b]"))?.contains("'assign' and 'organisations' do not go together") == true)
    }
}
