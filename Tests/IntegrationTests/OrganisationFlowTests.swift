import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// The registry through the real daemon and deadlinectl: a Thai Excel CSV in, a re-import
/// that duplicates nothing, the errors a clerk sees, the audit trail.
@Suite("Organisations through the daemon", .serialized)
struct OrganisationFlowTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/organisations").path

    func organisations(_ box: Sandbox, _ filters: [String] = []) throws -> [ControlAPI.Organisation] {
        let list = try box.ctl(["org", "list", "--json"] + filters)
        try #require(list.status == 0, "\(list.err)")
        return try JSONDecoder().decode(ControlAPI.ListOrganisationsReply.self, from: Data(list.out.utf8)).organisations
    }

    @Test("Windows-874 from Thai Excel, then the same registry as UTF-8 with a BOM: nothing duplicated; a change updates by code; csv round trip")
    func importTwice() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        let first = try box.ctl(["org", "import", Self.fixtures + "/khonkaen-windows-874.csv"])
        #expect(first.status == 0, "\(first.err)")
        #expect(first.out.contains("(windows874): 4 added, 0 updated, 0 unchanged"), "\(first.out)")
        #expect(first.err.contains("column A (ลำดับ) is not kept by the registry"), "\(first.err)")
        let second = try box.ctl(["org", "import", Self.fixtures + "/khonkaen-utf8-bom.csv"])
        #expect(second.out.contains("(utf8): 0 added, 0 updated, 4 unchanged"), "\(second.out) \(second.err)")

        let all = try organisations(box)
        #expect(all.map(\.code) == ["4000001", "4000102", "4000101", "4000103"], "by province, district, code")
        #expect(all.first { $0.code == "4000101" }?.person == "นาย ‘สมชาย’ รักดี")
        #expect(try organisations(box, ["--district", "อำเภอเมืองขอนแก่น"]).map(\.code) == ["4000101", "4000103"])
        #expect(try organisations(box, ["--type", "อบต."]).map(\.code) == ["4000103"])

        // A changed row updates in place; the registry exported as CSV reads back unchanged.
        let csv = box.path + "/changed.csv"
        try "code,name,type,province,district,email\n4000103,อบต.โคกสี,อบต.,ขอนแก่น,เมืองขอนแก่น,new@example.org\n"
            .write(toFile: csv, atomically: true, encoding: .utf8)
        let third = try box.ctl(["org", "import", csv])
        #expect(third.out.contains("0 added, 1 updated, 0 unchanged"), "\(third.out) \(third.err)")
        let updated = try #require(try organisations(box, ["--type", "sao"]).first)
        #expect(updated.name == "อบต.โคกสี" && updated.email == "new@example.org" && updated.person == nil, "the row is the record now")
        let exported = try box.ctl(["org", "list", "--format", "csv"])
        try exported.out.write(toFile: box.path + "/export.csv", atomically: true, encoding: .utf8)
        let back = try box.ctl(["org", "import", box.path + "/export.csv"])
        #expect(back.out.contains("0 added, 0 updated, 4 unchanged"), "\(back.out) \(back.err)")
        #expect(try organisations(box).count == 4)

        let audit = try box.ctl(["audit", "--json"])
        let entries = try JSONDecoder().decode(ControlAPI.AuditReply.self, from: Data(audit.out.utf8)).entries
        #expect(entries.filter { $0.method == "ImportOrganisations" }.count == 4)
        #expect(entries.contains { $0.method == "ImportOrganisations" && $0.after?.contains("\"updated\":[\"4000103\"]") == true })
    }

    @Test("a file with errors: each named by line and column, and nothing imported")
    func badFile() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        let csv = box.path + "/bad.csv"
        try """
            รหัส,ชื่อ,ประเภท,จังหวัด,อีเมล
            4001,เทศบาลเมืองชุมแพ,ทม.,ขอนแก่น,ok@example.org
            4002,เทศบาลเมืองบ้านไผ่,เทศบาล,ขอนแก่น,
            4003,อบต.โนนหัน,อบต.,ขอนแก่น,สมชาย
            """.write(toFile: csv, atomically: true, encoding: .utf8)
        let r = try box.ctl(["org", "import", csv])
        #expect(r.status != 0)
        #expect(r.err.contains("bad.csv:3: column C (ประเภท): \"เทศบาล\" is not a type of local administration"), "\(r.err)")
        #expect(r.err.contains("bad.csv:4: column E (อีเมล): \"สมชาย\" is not an e-mail address"), "\(r.err)")
        #expect(try organisations(box).isEmpty, "the good row 2 was not imported either")
    }

    @Test("add, get, update (an empty field clears it), a duplicate code refused, an unknown code named")
    func addGetUpdate() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        let add = try box.ctl(["org", "add", "4000101", "เทศบาลนครขอนแก่น", "--type", "เทศบาลนคร", "--province", "จังหวัดขอนแก่น",
                               "--district", "อ.เมืองขอนแก่น", "--email", "saraban@example.org", "--phone", "043-221-186"])
        #expect(add.status == 0 && add.out.contains("added 4000101: เทศบาลนครขอนแก่น"), "\(add.out) \(add.err)")
        let again = try box.ctl(["org", "add", "4000101", "ซ้ำ", "--type", "อบต.", "--province", "ขอนแก่น"])
        #expect(again.status != 0 && again.err.contains("an organisation with code '4000101' exists already"), "\(again.err)")
        let bad = try box.ctl(["org", "add", "4000102", "x", "--type", "อบต.", "--province", "ขอนแก่น", "--email", "nobody"])
        #expect(bad.status != 0 && bad.err.contains("'email'"), "\(bad.err)")
        let update = try box.ctl(["org", "update", "4000101", "--phone", "", "--person", "นางสาวสมศรี ใจงาม"])
        #expect(update.status == 0, "\(update.err)")
        let get = try box.ctl(["org", "get", "4000101", "--json"])
        let org = try JSONDecoder().decode(ControlAPI.OrganisationReply.self, from: Data(get.out.utf8)).organisation
        #expect(org == ControlAPI.Organisation(Organisation(code: "4000101", name: "เทศบาลนครขอนแก่น", type: .cityMunicipality,
                                                            province: "ขอนแก่น", district: "เมืองขอนแก่น",
                                                            contact: OrganisationContact(person: "นางสาวสมศรี ใจงาม", email: "saraban@example.org"))))
        let shown = try box.ctl(["org", "get", "4000101"])
        #expect(shown.out.contains("type:     เทศบาลนคร (city municipality)"), "\(shown.out)")
        let missing = try box.ctl(["org", "get", "9999999"])
        #expect(missing.status != 0 && missing.err.contains("no organisation has code '9999999'"), "\(missing.err)")
    }
}
