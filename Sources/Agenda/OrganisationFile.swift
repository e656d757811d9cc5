import DeadlineCore
import Foundation

/// The organisations registry as a CSV file, the way a provincial office keeps it in Excel:
/// one organisation a row, the columns named in a header line in English or Thai, in any order.
///
/// All or nothing: every error of the file is collected (each names its line, and for a field
/// its column as Excel letters it), and if there is one, nothing is read.
public struct OrganisationFile: Sendable {
    public var organisations: [Organisation]
    /// The line each organisation comes from, by code.
    public var lines: [String: Int]
    /// Columns the header has that the registry does not keep, one line each.
    public var notes: [String]
    public var encoding: TextDecoding.Encoding

    /// A file that cannot be read: every problem found, first one first.
    public struct Failure: Error, Equatable, CustomStringConvertible {
        public var problems: [AgendaError]
        public var description: String { problems.map(\.description).joined(separator: "\n") }
    }

    /// The registry's fields and the header names that mean each (compared without case,
    /// spaces and dots).
    enum Column: String, CaseIterable {
        case code, name, type, province, district, person, email, chat, phone

        static let names: [String: Column] = {
            let spellings: [Column: [String]] = [
                .code: ["code", "รหัส", "รหัสอปท", "รหัสองค์กรปกครองส่วนท้องถิ่น", "laocode"],
                .name: ["name", "ชื่อ", "ชื่ออปท", "ชื่อองค์กรปกครองส่วนท้องถิ่น", "หน่วยงาน"],
                .type: ["type", "ประเภท", "ประเภทอปท"],
                .province: ["province", "จังหวัด"],
                .district: ["district", "อำเภอ", "เขต", "อำเภอ/เขต"],
                .person: ["person", "contact", "ผู้รับผิดชอบ", "ผู้ประสานงาน", "ชื่อผู้รับผิดชอบ"],
                .email: ["email", "e-mail", "mail", "อีเมล", "อีเมล์"],
                .chat: ["chat", "line", "lineid", "ไลน์", "ไอดีไลน์"],
                .phone: ["phone", "tel", "telephone", "โทรศัพท์", "โทร", "เบอร์โทร", "เบอร์โทรศัพท์"],
            ]
            var table: [String: Column] = [:]
            for (column, names) in spellings { for n in names { table[normal(n)] = column } }
            return table
        }()

        static func normal(_ header: String) -> String {
            header.lowercased().filter { !$0.isWhitespace && $0 != "." && $0 != "_" }
        }

        /// What must be there for a row to be an organisation.
        static let required: [Column] = [.code, .name, .type, .province]
    }

    /// - Parameters:
    ///   - data: the file's bytes; see `TextDecoding` for the encodings read.
    ///   - file: its name, for error locations.
    public init(data: Data, file: String, encoding: TextDecoding.Encoding? = nil) throws(Failure) {
        let text: String
        do { (text, self.encoding) = try TextDecoding.decode(data, file: file, as: encoding) }
        catch { throw Failure(problems: [error]) }
        let table: CSVTable
        do { table = try CSVTable(text: text, file: file) } catch { throw Failure(problems: [error]) }

        var problems: [AgendaError] = []
        var total = 0
        func problem(_ line: Int, _ message: String) {
            total += 1
            if problems.count < Self.problemLimit { problems.append(AgendaError(location: "\(file):\(line)", message: message)) }
        }
        var index: [Column: Int] = [:]
        var notes: [String] = []
        for (i, raw) in table.header.fields.enumerated() {
            let name = raw.trimmingCharacters(in: .whitespaces)
            if let column = Column.names[Column.normal(name)] {
                if let first = index[column] {
                    problem(table.header.line, "columns \(Self.letter(first)) and \(Self.letter(i)) both mean \(column.rawValue)")
                } else { index[column] = i }
            } else if !name.isEmpty {
                notes.append("\(file):\(table.header.line): column \(Self.letter(i)) (\(name)) is not kept by the registry; it was not read")
            }
        }
        let missing = Column.required.filter { index[$0] == nil }
        if !missing.isEmpty {
            problem(table.header.line, "the header has no column for " + missing.map(\.rawValue).joined(separator: ", ")
                    + "; it names its columns in its first line, e.g. code,name,type,province,district,person,email,chat,phone "
                    + "or รหัส,ชื่อ,ประเภท,จังหวัด,อำเภอ,ผู้รับผิดชอบ,อีเมล,ไลน์,โทรศัพท์")
            throw Failure(problems: problems)
        }

        var organisations: [Organisation] = []
        var lines: [String: Int] = [:]
        for record in table.records {
            func value(_ c: Column) -> String {
                guard let i = index[c], i < record.fields.count else { return "" }
                return record.fields[i].trimmingCharacters(in: .whitespacesAndNewlines)
            }
            func cell(_ c: Column) -> String {
                let i = index[c]!
                return "column \(Self.letter(i)) (\(table.header.fields[i].trimmingCharacters(in: .whitespaces)))"
            }
            let typeText = value(.type)
            guard let type = OrganisationType(text: typeText) else {
                problem(record.line, "\(cell(.type)): " + (typeText.isEmpty ? "is empty" : "\"\(typeText)\" is not a type of local administration")
                        + "; one of " + OrganisationType.allCases.map(\.thai).joined(separator: ", "))
                continue
            }
            let org = Organisation(code: value(.code), name: value(.name), type: type, province: value(.province),
                                   district: value(.district),
                                   contact: OrganisationContact(person: value(.person), email: value(.email), chat: value(.chat),
                                                                phone: value(.phone))).normalised()
            if let (field, message) = org.problem() {
                let column = Column(rawValue: field) ?? .code
                problem(record.line, "\(cell(column)): \(message)")
                continue
            }
            if let first = lines[org.code] {
                problem(record.line, "\(cell(.code)): code \(org.code) is also on line \(first); a code names one organisation")
                continue
            }
            lines[org.code] = record.line
            organisations.append(org)
        }
        if total > problems.count {
            problems.append(AgendaError(location: file, message: "\(total - problems.count) more problem(s) not listed"))
        }
        if !problems.isEmpty { throw Failure(problems: problems) }
        self.organisations = organisations
        self.lines = lines
        self.notes = notes
    }

    /// More than this many problems in one file are not listed one by one.
    static let problemLimit = 50

    /// Excel's name of a column: A … Z, AA, AB, …
    static func letter(_ index: Int) -> String {
        var n = index + 1, name = ""
        while n > 0 {
            let r = (n - 1) % 26
            name = String(UnicodeScalar(UInt8(65 + r))) + name
            n = (n - 1) / 26
        }
        return name
    }
}
