@testable import Agenda
import DeadlineCore
import Foundation
import Testing

/// The registry's CSV as offices save it; the two fixtures were written by Python's csv module
/// and its cp874 codec, an encoder independent of the reader here.
@Suite("Organisations CSV: UTF-8 with a BOM and Windows-874 read alike, every error names line and column, nothing read from a bad file")
struct OrganisationFileTests {
    let fixtures = repository.appendingPathComponent("Tests/Fixtures/organisations")

    func read(_ text: String, file: String = "orgs.csv") throws(OrganisationFile.Failure) -> OrganisationFile {
        try OrganisationFile(data: Data(text.utf8), file: file)
    }

    func failure(_ text: String) -> [String] {
        do { _ = try read(text); return [] } catch { return error.problems.map(\.description) }
    }

    @Test("Thai Excel's Windows-874 (with ‘’ beyond TIS-620) and UTF-8 with a BOM: the same four organisations")
    func encodings() throws {
        let thai = try OrganisationFile(data: Data(contentsOf: fixtures.appendingPathComponent("khonkaen-windows-874.csv")),
                                        file: "khonkaen-windows-874.csv")
        let bom = try OrganisationFile(data: Data(contentsOf: fixtures.appendingPathComponent("khonkaen-utf8-bom.csv")),
                                       file: "khonkaen-utf8-bom.csv")
        #expect(thai.encoding == .windows874)
        #expect(bom.encoding == .utf8)
        #expect(thai.organisations == bom.organisations)
        #expect(thai.organisations.map(\.code) == ["4000001", "4000101", "4000102", "4000103"])
        let city = thai.organisations[1]
        #expect(city == Organisation(code: "4000101", name: "เทศบาลนครขอนแก่น", type: .cityMunicipality, province: "ขอนแก่น",
                                     district: "เมืองขอนแก่น",
                                     contact: OrganisationContact(person: "นาย ‘สมชาย’ รักดี", email: "saraban.4000101@example.org",
                                                                  chat: "@lao4000101", phone: "043-000-101")))
        // Prefixes go: จังหวัดขอนแก่น, อ.เมืองขอนแก่น and อำเภอเมืองขอนแก่น are the same places.
        #expect(thai.organisations[0].province == "ขอนแก่น" && thai.organisations[0].district == "")
        #expect(thai.organisations[3].district == "เมืองขอนแก่น")
        // A quoted comma, a doubled quote and a quoted line break stay in their fields.
        #expect(thai.organisations[2].name == "เทศบาลตำบลบ้านฝาง, สำนักปลัด")
        #expect(thai.organisations[2].contact == OrganisationContact(person: "นาง \"แดง\" มีสุข", chat: "@lao4000102"))
        #expect(thai.organisations[3].contact.person == "นายสมศักดิ์ ทองดี\nรองปลัด")
        #expect(thai.lines == ["4000001": 2, "4000101": 3, "4000102": 4, "4000103": 5])
        #expect(thai.notes == ["khonkaen-windows-874.csv:1: column A (ลำดับ) is not kept by the registry; it was not read"])
    }

    @Test("a byte Windows-874 has no character for: its line and byte column")
    func undecodable() {
        var bytes = Array("code,name,type,province\r\n1,".utf8)
        bytes += [0xA1, 0xDB]   // ก, then a hole in the table
        #expect(throws: OrganisationFile.Failure(problems: [AgendaError(location: "t.csv:2:4", message:
            "byte 0xDB is not Windows-874; save the file as UTF-8 or Windows-874 (Thai), or name its encoding")])) {
            try OrganisationFile(data: Data(bytes), file: "t.csv")
        }
    }

    @Test("named encodings: UTF-8 asked for but not given is refused at its byte")
    func namedEncoding() {
        let bytes: [UInt8] = Array("code\n".utf8) + [0x41, 0xE0, 0x41]
        #expect(throws: OrganisationFile.Failure(problems: [AgendaError(location: "t.csv:2:2", message:
            "byte 0xE0 is not UTF-8; save the file as UTF-8 or Windows-874 (Thai), or name its encoding")])) {
            try OrganisationFile(data: Data(bytes), file: "t.csv", encoding: .utf8)
        }
    }

    @Test("every bad row is named, line and column (as Excel letters it); none is read")
    func errors() {
        let problems = failure("""
            code,name,type,province,district,email
            4001,เทศบาลเมืองชุมแพ,ทม.,ขอนแก่น,ชุมแพ,ok@example.org
            4002,เทศบาลเมืองบ้านไผ่,เทศบาล,ขอนแก่น,บ้านไผ่,
            40 03,อบต.โนนหัน,อบต.,ขอนแก่น,ชุมแพ,
            4004,,อบต.,ขอนแก่น,ชุมแพ,
            4005,อบต.โคกสูง,อบต.,ขอนแก่น,ชุมแพ,สมชาย ใจดี
            4001,อบต.ซ้ำ,อบต.,ขอนแก่น,ชุมแพ,
            4008,อบต.\u{1B}[2Jโคก,อบต.,ขอนแก่น,ชุมแพ,
            """)
        #expect(problems == [
            "orgs.csv:3: column C (type): \"เทศบาล\" is not a type of local administration; one of อบจ., เทศบาลนคร, เทศบาลเมือง, เทศบาลตำบล, อบต., กรุงเทพมหานคร, เมืองพัทยา",
            "orgs.csv:4: column A (code): \"40 03\" may hold only ASCII letters, digits and -",
            "orgs.csv:5: column B (name): is empty",
            "orgs.csv:6: column F (email): \"สมชาย ใจดี\" is not an e-mail address",
            "orgs.csv:7: column A (code): code 4001 is also on line 2; a code names one organisation",
            "orgs.csv:8: column B (name): holds a control character",
        ])
    }

    @Test("the header: Thai or English names, any order; missing or doubled columns refused; tabs for Excel's Unicode text")
    func header() throws {
        #expect(failure("ชื่อ,จังหวัด\nx,y\n") == [
            "orgs.csv:1: the header has no column for code, type; it names its columns in its first line, e.g. "
            + "code,name,type,province,district,person,email,chat,phone or รหัส,ชื่อ,ประเภท,จังหวัด,อำเภอ,ผู้รับผิดชอบ,อีเมล,ไลน์,โทรศัพท์",
        ])
        #expect(failure("code,รหัส,name,type,province\n").first == "orgs.csv:1: columns A and B both mean code")
        let tabs = try read("จังหวัด\tประเภท\tรหัส\tชื่อ\tอีเมล์\nกรุงเทพมหานคร\tกทม.\t1000000\tกรุงเทพมหานคร\t\n")
        #expect(tabs.organisations == [Organisation(code: "1000000", name: "กรุงเทพมหานคร", type: .bangkok, province: "กรุงเทพมหานคร")])
    }

    @Test("CSV syntax: an unclosed quote where it opened, text after a closing quote where it stands")
    func syntax() {
        #expect(failure("code,name,type,province\n1,\"อบต.\nโคก,อบต.,ขอนแก่น\n") == ["orgs.csv:2:3: this quote is never closed"])
        #expect(failure("code,name,type,province\n1,\"อบต\"x,อบต.,ขอนแก่น\n")
                == ["orgs.csv:2:8: text after a closing quote; a quote inside a quoted field is written \"\""])
    }

    @Test("more problems than the limit: the first 50 and a count of the rest")
    func manyProblems() {
        let rows = (1...60).map { "\($0),x,nope,y" }.joined(separator: "\n")
        let problems = failure("code,name,type,province\n" + rows)
        #expect(problems.count == 51)
        #expect(problems.last == "orgs.csv: 10 more problem(s) not listed")
    }

    @Test("types by id, short form with or without dots, or full Thai name; Excel column letters")
    func types() {
        #expect(OrganisationType(text: "อบต") == .subdistrictAdministration)
        #expect(OrganisationType(text: "องค์การบริหารส่วนจังหวัด") == .provincialAdministration)
        #expect(OrganisationType(text: "ทต.") == .subdistrictMunicipality)
        #expect(OrganisationType(text: "city") == .cityMunicipality)
        #expect(OrganisationType(text: "เทศบาล") == nil)
        #expect([0, 25, 26, 27, 701, 702].map(OrganisationFile.letter) == ["A", "Z", "AA", "AB", "ZZ", "AAA"])
    }
}
