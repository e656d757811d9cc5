import ArgumentParser
import Control
import DeadlineCore
import Foundation

/// `deadlinectl org …`: the registry of organisations the center follows.
struct Org: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "org",
        abstract: "The organisations (อปท.) the center follows: add, list, get, update, import a CSV file.",
        subcommands: [OrgAdd.self, OrgList.self, OrgGet.self, OrgUpdate.self, OrgImport.self, OrgEscalation.self]
    )
}

extension OrganisationType: ExpressibleByArgument {
    public init?(argument: String) { self.init(text: argument) }
    public static var allValueStrings: [String] { allCases.map(\.thai) }
}

/// The contact fields `add` and `update` share.
struct ContactOptions: ParsableArguments {
    @Option(name: .long, help: "The responsible person, as a reminder addresses them.") var person: String?
    @Option(name: .long, help: "Their e-mail address.") var email: String?
    @Option(name: .long, help: "A LINE id or another chat target.") var chat: String?
    @Option(name: .long, help: "A phone number.") var phone: String?
}

struct OrgAdd: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add", abstract: "Add one organisation.")
    @Argument(help: "Its code (the Department of Local Administration's).") var code: String
    @Argument(help: "Its name as its letters write it, e.g. เทศบาลนครขอนแก่น.") var name: String
    @Option(name: .long, help: "อบจ., เทศบาลนคร, เทศบาลเมือง, เทศบาลตำบล, อบต., กรุงเทพมหานคร or เมืองพัทยา (or pao, city, town, subdistrict_municipality, sao, bangkok, pattaya).")
    var type: OrganisationType
    @Option(name: .long, help: "Its province, e.g. ขอนแก่น.") var province: String
    @Option(name: .long, help: "Its district (อำเภอ or เขต).") var district = ""
    @OptionGroup var contact: ContactOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let org = Organisation(code: code, name: name, type: type, province: province, district: district,
                               contact: OrganisationContact(person: contact.person, email: contact.email, chat: contact.chat, phone: contact.phone))
        guard let reply = try connection.call(ControlAPI.addOrganisation, ControlAPI.OrganisationParameters(organisation: .init(org))) else { return }
        print("added \(reply.organisation.code): \(reply.organisation.name)")
    }
}

struct OrgUpdate: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "update", abstract: "Change fields of one organisation; an empty contact field clears it.")
    @Argument(help: "Its code.") var code: String
    @Option(name: .long, help: "Its name.") var name: String?
    @Option(name: .long, help: "Its type.") var type: OrganisationType?
    @Option(name: .long, help: "Its province.") var province: String?
    @Option(name: .long, help: "Its district.") var district: String?
    @OptionGroup var contact: ContactOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let p = ControlAPI.UpdateOrganisationParameters(code: code, patch: OrganisationPatch(
            name: name, type: type, province: province, district: district, person: contact.person, email: contact.email,
            chat: contact.chat, phone: contact.phone))
        guard let reply = try connection.call(ControlAPI.updateOrganisation, p) else { return }
        OrgGet.show(reply.organisation)
    }
}

struct OrgGet: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "get", abstract: "One organisation, with its contact.")
    @Argument(help: "Its code.") var code: String
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let reply = try connection.call(ControlAPI.getOrganisation, ControlAPI.CodeParameters(code: code)) else { return }
        Self.show(reply.organisation)
    }

    static func show(_ o: ControlAPI.Organisation) {
        let lines: [(String, String?)] = [
            ("code", o.code), ("name", o.name), ("type", "\(o.type.thai) (\(o.type.english))"), ("province", o.province),
            ("district", o.district.isEmpty ? nil : o.district), ("person", o.person), ("email", o.email), ("chat", o.chat), ("phone", o.phone),
        ]
        for (label, value) in lines { if let value { print(TerminalText.visible("\(label):".padding(toLength: 10, withPad: " ", startingAt: 0) + value)) } }
    }
}

struct OrgList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "The organisations that match every filter given, by province, district and code.")
    @Option(name: .long, help: "Only this province.") var province: String?
    @Option(name: .long, help: "Only this district.") var district: String?
    @Option(name: .long, help: "Only this type.") var type: OrganisationType?
    @Option(name: .long, help: "table or csv (the registry's own columns, for a spreadsheet).") var format: ListFormat = .table
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var language: LanguageOptions

    enum ListFormat: String, ExpressibleByArgument { case table, csv }

    func run() throws {
        let p = ControlAPI.ListOrganisationsParameters(province: province, district: district, type: type)
        guard let orgs = try connection.call(ControlAPI.listOrganisations, p)?.organisations else { return }
        // Machine output, as `--json`: the bytes as they are, CRs included.
        if format == .csv { return FileHandle.standardOutput.write(Data(Self.csv(orgs).utf8)) }
        if orgs.isEmpty { return print("no organisations") }
        let th = try language.resolve(connection.status()) == .thai
        printTable(header: th ? ["รหัส", "ประเภท", "ชื่อ", "อำเภอ", "จังหวัด", "ผู้รับผิดชอบ", "อีเมล"]
                              : ["CODE", "TYPE", "NAME", "DISTRICT", "PROVINCE", "PERSON", "EMAIL"],
                   rows: orgs.map { [$0.code, $0.type.thai, $0.name, $0.district, $0.province, $0.person ?? "", $0.email ?? ""] })
        print(th ? "\(orgs.count) แห่ง" : "\(orgs.count) organisation(s)")
    }

    /// The registry's columns, as `org import` reads them back (RFC 4180 quoting, CRLF as Excel writes).
    static func csv(_ orgs: [ControlAPI.Organisation]) -> String {
        CSVText.table(header: ["code", "name", "type", "province", "district", "person", "email", "chat", "phone"],
                      rows: orgs.map { o in [o.code, o.name, o.type.thai, o.province, o.district, o.person, o.email, o.chat, o.phone] })
    }
}

struct OrgImport: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import the registry from a CSV file: known codes are updated, never duplicated.",
        discussion: """
            The first line names the columns, in English (code,name,type,province,district,person,email,chat,phone) or \
            Thai (รหัส,ชื่อ,ประเภท,จังหวัด,อำเภอ,ผู้รับผิดชอบ,อีเมล,ไลน์,โทรศัพท์), in any order; code, name, type and province are \
            needed. UTF-8 (with or without a BOM), UTF-16 with a BOM and Windows-874 (Thai Excel's CSV) are recognised. \
            Nothing is imported from a file with an error; every error is listed with its line and column.
            """
    )
    @Argument(help: "The CSV file.") var file: String
    @Option(name: .long, help: "utf-8, utf-16 or windows-874, when the file's own bytes do not tell.") var encoding: String?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: file)) }
        catch { throw CLIError(message: "cannot read \(file): \(error.localizedDescription)") }
        var named: ControlAPI.TextEncoding?
        if let encoding {
            guard let known = ControlAPI.TextEncoding(name: encoding) else {
                throw CLIError(message: "--encoding: '\(encoding)' is not utf-8, utf-16 or windows-874")
            }
            named = known
        }
        let p = ControlAPI.ImportOrganisationsParameters(name: file, data: data.base64EncodedString(), encoding: named)
        let reply: ControlAPI.ImportOrganisationsReply?
        do {
            reply = try connection.call(ControlAPI.importOrganisations, p, timeout: ConnectionOptions.longJob)
        } catch let error as CLIError where (p.data?.utf8.count ?? 0) > messageLimitHintAbove {
            throw CLIError(message: "\(error.message)\n\(file) is \((p.data?.utf8.count ?? 0) >> 10) KiB as sent: \(messageLimitHint)")
        }
        guard let r = reply else { return }
        print("\(file) (\(r.encoding.rawValue)): \(r.added.count) added, \(r.updated.count) updated, \(r.unchanged.count) unchanged")
        for note in r.notes ?? [] { FileHandle.standardError.write(Data("note: \(TerminalText.visible(note))\n".utf8)) }
    }
}

/// CSV as spreadsheets read it (RFC 4180): a field with a comma, quote or line break in quotes,
/// quotes doubled; lines end in CRLF, as Excel writes them.
enum CSVText {
    static func table(header: [String], rows: [[String?]]) -> String {
        ([header] + rows).map { $0.map(field).joined(separator: ",") + "\r\n" }.joined()
    }

    static func field(_ s: String?) -> String {
        let s = s ?? ""
        return s.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) ? "\"" + s.replacingOccurrences(of: "\"", with: "\"\"") + "\"" : s
    }
}

/// `org escalation`: whom a province's or a district's late submissions are escalated to.
struct OrgEscalation: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "escalation",
        abstract: "Set (or with --list show) the office that a province's or a district's late submissions are escalated to.",
        discussion: "An obligation's escalation reminder goes to its district's contact, else its province's, with the organisation in copy.")
    @Flag(name: .long, help: "List the contacts set.") var list = false
    @Option(name: .long, help: "The province.") var province: String?
    @Option(name: .long, help: "The district (none: the whole province).") var district = ""
    @Option(name: .long, help: "The office, e.g. สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดขอนแก่น.") var name: String?
    @OptionGroup var contact: ContactOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        if list {
            guard let contacts = try connection.call(ControlAPI.listEscalationContacts, ControlAPI.NoParameters())?.contacts else { return }
            if contacts.isEmpty { return print("no escalation contacts") }
            printTable(header: ["PROVINCE", "DISTRICT", "OFFICE", "PERSON", "EMAIL"],
                       rows: contacts.map { [$0.province, $0.district, $0.name, $0.person ?? "", $0.email ?? ""] })
            return
        }
        guard let province, let name else { throw CLIError(message: "give --province and --name (and a contact), or --list") }
        let e = EscalationContact(province: province, district: district, name: name,
                                  contact: OrganisationContact(person: contact.person, email: contact.email, chat: contact.chat, phone: contact.phone))
        guard let r = try connection.call(ControlAPI.setEscalationContact, ControlAPI.EscalationContactParameters(contact: .init(e))) else { return }
        print("escalation for \(r.contact.province)\(r.contact.district.isEmpty ? "" : "/" + r.contact.district): \(r.contact.name)")
    }
}
