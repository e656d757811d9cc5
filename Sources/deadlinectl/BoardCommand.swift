import ArgumentParser
import Control
import DeadlineCore
import Foundation
import Reports

/// `deadlinectl board`: a center's view of a deadline (or a plan's deadlines): counts by
/// district, then every organisation that has not submitted, the longest overdue first.
struct Board: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Who has submitted a deadline (or a plan's deadlines), by district, and who has not, with whom to call.")
    @Argument(help: "The deadline's key, or a plan's key for all its deadlines.") var key: String
    @Option(name: .long, help: "Only this province.") var province: String?
    @Option(name: .long, help: "Only this district.") var district: String?
    @Option(name: .long, help: "Only organisations that stand so: open, overdue, on_time, late, exempted, or not_submitted (open and overdue).")
    var state: StateFilter?
    @Option(name: .long, help: "table, csv, json, or html (one self-contained page, printable on A4 landscape).") var format: Format = .table
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var language: LanguageOptions

    enum Format: String, ExpressibleByArgument { case table, csv, json, html }

    enum StateFilter: String, ExpressibleByArgument {
        case open, overdue, late, exempted
        case onTime = "on_time"
        case notSubmitted = "not_submitted"

        func admits(_ s: ObligationStanding) -> Bool {
            switch self {
            case .notSubmitted: s == .open || s == .overdue
            case .onTime: s == .onTime
            case .open: s == .open
            case .overdue: s == .overdue
            case .late: s == .late
            case .exempted: s == .exempted
            }
        }
    }

    func run() throws {
        let reply = try connection.fetch(ControlAPI.listObligations, ControlAPI.ListObligationsParameters(key: key, province: province,
                                                                                                          district: district))
        let rows = reply.obligations.filter { state?.admits($0.standing) ?? true }
        let board = ObligationBoard(rows.map(Self.entry))
        let today = LocalDate(Date(), in: TimeZone(identifier: try connection.status().timeZone) ?? .current)
        switch format {
        case .json: try connection.printJSON(BoardJSON(reply: reply, rows: rows, board: board, today: today))
        case .csv: FileHandle.standardOutput.write(Data(Self.csv(rows, today: today).utf8))
        case .table: try table(reply, board, today: today)
        case .html:
            let zone = TimeZone(identifier: try connection.status().timeZone) ?? .current
            let received = rows.compactMap { $0.received.flatMap(Self.day) }
            let dues = Set(rows.map { Self.entry($0).due }).sorted()
            let page = BoardPage(key: reply.key, title: reply.title, dues: dues, board: board, received: received, generated: Date(),
                                 zone: zone, language: try language.resolve(connection.status()))
            FileHandle.standardOutput.write(Data(page.html().utf8))
        }
    }

    static func entry(_ o: ControlAPI.Obligation) -> ObligationBoard.Entry {
        let org = Organisation(code: o.code, name: o.name, type: o.type, province: o.province, district: o.district,
                               contact: OrganisationContact(person: o.person, email: o.email, chat: o.chat, phone: o.phone))
        let due = day(o.due) ?? LocalDate(dayNumber: 0)
        return ObligationBoard.Entry(organisation: org, itemKey: o.item, due: due, standing: o.standing)
    }

    /// The day of a wire date where its item is: the wire writes a day as YYYY-MM-DD and an
    /// instant with the item's own offset, so its first ten characters are that day.
    static func day(_ wire: String) -> LocalDate? { LocalDate(text: String(wire.prefix(10))) }

    func table(_ reply: ControlAPI.ListObligationsReply, _ board: ObligationBoard, today: LocalDate) throws {
        let th = try language.resolve(connection.status()) == .thai
        print("\(reply.title) (\(reply.key))" + (reply.items == [reply.key] ? "" : ": " + reply.items.joined(separator: ", ")))
        if board.total.total == 0 { return print(th ? "ไม่มีหน่วยงานที่ได้รับมอบหมาย" : "no organisation is assigned") }
        func n(_ i: Int) -> String { language.digits(String(i)) }
        let header = th ? ["จังหวัด", "อำเภอ", "ทั้งหมด", "ส่งตรงเวลา", "ส่งล่าช้า", "ยังไม่ถึงกำหนด", "เลยกำหนด", "ยกเว้น"]
                        : ["PROVINCE", "DISTRICT", "ALL", "ON TIME", "LATE", "OPEN", "OVERDUE", "EXEMPTED"]
        let rows = (board.districts + [board.total]).map { c in
            [c.province.isEmpty && c.district.isEmpty && c == board.total ? (th ? "รวม" : "total") : c.province, c.district,
             n(c.total), n(c.onTime), n(c.late), n(c.open), n(c.overdue), n(c.exempted)]
        }
        printTable(header: header, rows: rows, alert: { $0 < board.districts.count && board.districts[$0].overdue > 0 })
        guard !board.notSubmitted.isEmpty else { return print(th ? "\nส่งครบทุกแห่ง" : "\nevery organisation has submitted") }
        print(th ? "\nยังไม่ส่ง \(n(board.notSubmitted.count)) แห่ง" : "\nnot submitted: \(board.notSubmitted.count)")
        let list = board.notSubmitted.map { e -> [String] in
            let late = ObligationBoard.daysOverdue(e, today: today)
            let c = e.organisation.contact
            return [e.organisation.code, e.organisation.name, e.organisation.district, e.itemKey,
                    late > 0 ? (th ? "เลยมา \(n(late)) วัน" : "\(late) d overdue") : (th ? "ยังไม่ถึง" : "open"),
                    [c.person, c.phone, c.email ?? c.chat].compactMap { $0 }.joined(separator: ", ")]
        }
        printTable(header: th ? ["รหัส", "หน่วยงาน", "อำเภอ", "เรื่อง", "สถานะ", "ติดต่อ"] : ["CODE", "ORGANISATION", "DISTRICT", "ITEM", "STATE", "CONTACT"],
                   rows: list, alert: { ObligationBoard.daysOverdue(board.notSubmitted[$0], today: today) > 0 })
    }

    /// One row per obligation, for a spreadsheet.
    static func csv(_ rows: [ControlAPI.Obligation], today: LocalDate) -> String {
        let header = ["item", "due", "code", "name", "type", "province", "district", "standing", "days_overdue", "reference", "received",
                      "person", "email", "chat", "phone"]
        return CSVText.table(header: header, rows: rows.map { o in
            let late = o.standing == .overdue ? String(ObligationBoard.daysOverdue(entry(o), today: today)) : ""
            return [o.item, o.due, o.code, o.name, o.type.thai, o.province, o.district, o.standing.rawValue, late, o.reference, o.received,
                    o.person, o.email, o.chat, o.phone]
        })
    }

    /// `--format json`: the summary as the table shows it, and the rows as they came.
    struct BoardJSON: Encodable {
        struct District: Encodable { var province, district: String; var total, onTime, late, open, overdue, exempted: Int }
        var key: String
        var title: String
        var items: [String]
        var districts: [District]
        var notSubmitted: [ControlAPI.Obligation]
        var obligations: [ControlAPI.Obligation]

        init(reply: ControlAPI.ListObligationsReply, rows: [ControlAPI.Obligation], board: ObligationBoard, today: LocalDate) {
            (key, title, items, obligations) = (reply.key, reply.title, reply.items, rows)
            districts = board.districts.map { District(province: $0.province, district: $0.district, total: $0.total, onTime: $0.onTime,
                                                      late: $0.late, open: $0.open, overdue: $0.overdue, exempted: $0.exempted) }
            let byKey = Dictionary(rows.map { ("\($0.item)/\($0.code)", $0) }, uniquingKeysWith: { a, _ in a })
            notSubmitted = board.notSubmitted.compactMap { byKey["\($0.itemKey)/\($0.organisation.code)"] }
        }
    }
}
