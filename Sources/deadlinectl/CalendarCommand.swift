import ArgumentParser
import Control
import DeadlineCore
import Foundation

/// A month grid in the terminal: meetings, deadlines, holidays and today marked.
struct CalendarCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "calendar", abstract: "Draw a month with its meetings, deadlines and holidays.")
    @Option(name: .long, help: "Month, 1–12 (default: this month).") var month: Int?
    @Option(name: .long, help: "Year, Buddhist Era (2560) or Gregorian (2017) (default: this year).") var year: Int?
    @OptionGroup var language: LanguageOptions
    @OptionGroup var connection: ConnectionOptions

    func validate() throws {
        if let month, !(1...12).contains(month) { throw ValidationError("--month is 1 to 12") }
    }

    func run() throws {
        let status = try connection.status()
        let zone = TimeZone(identifier: status.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        let today = LocalDate(Date(), in: zone)
        let y = year.map { $0 >= 2400 ? $0 - 543 : $0 } ?? today.year
        let m = month ?? today.month
        let lang = language.resolve(status)
        let items = try connection.fetch(ControlAPI.listItems, ControlAPI.ListParameters()).items
        var holidays: [LocalDate: [String]] = [:]
        // A year the daemon has no data for (not even computed) still gets its grid, with weekends only.
        let holidayYear = try? connection.fetch(ControlAPI.listHolidays, ControlAPI.YearParameters(year: y + 543))
        for day in holidayYear?.holidays ?? [] {
            if let d = LocalDate(iso: day.date) { holidays[d, default: []].append(lang == .english ? (day.english ?? day.name) : day.name) }
        }
        var marks: [LocalDate: [ControlAPI.Item]] = [:]
        for item in items where item.state == .open {
            let tz = TimeZone(identifier: item.timeZone) ?? zone
            if let when = DateOutput.when(item.at) { marks[when.localDate(in: tz), default: []].append(item) }
        }
        let first = LocalDate(year: y, month: m, day: 1)!
        let days = (0..<LocalDate.daysIn(month: m, year: y)).map { first.adding(days: $0) }
        if connection.json {
            let month = Month(year: y, month: m, holidayStatus: holidayYear?.status, days: days.map { d in
                Month.Day(date: d.description, workingDay: !d.isWeekend && holidays[d] == nil, holidays: holidays[d] ?? [],
                          items: (marks[d] ?? []).map { Month.Entry(key: $0.key, kind: $0.kind, title: $0.title, at: $0.at) })
            })
            return try connection.printJSON(month)
        }
        print(Self.grid(year: y, month: m, today: today, marks: marks.mapValues { $0.map(\.kind) }, holidays: Set(holidays.keys),
                        language: lang, thaiDigits: language.thaiDigits))
        // The month's entries under the grid.
        for d in days {
            let day = DateText.shortDay(d, language: lang, thaiDigits: language.thaiDigits)
            for h in holidays[d] ?? [] { print("  \(day)  h  \(h)") }
            for item in marks[d] ?? [] { print("  \(day)  \(item.kind == .meeting ? "m" : "d")  \(item.key)  \(item.title)") }
        }
        if let status = holidayYear?.status, status != .announced {
            printWarnings([HolidayCaveat(year: y + 543, status: status, items: []).yearSentence])
        }
    }

    /// The month as `--json` prints it: every day, whether offices work, its holidays and items.
    struct Month: Encodable {
        struct Entry: Encodable {
            var key: String
            var kind: ItemKind
            var title: String
            var at: String
        }
        struct Day: Encodable {
            var date: String
            var workingDay: Bool
            var holidays: [String]
            var items: [Entry]
        }
        var year: Int
        var month: Int
        var holidayStatus: HolidayStatus?
        var days: [Day]
    }

    /// The grid alone: pure, so a test can check it.
    static func grid(year: Int, month: Int, today: LocalDate, marks: [LocalDate: [ItemKind]], holidays: Set<LocalDate>,
                     language: Language, thaiDigits: Bool) -> String {
        let first = LocalDate(year: year, month: month, day: 1)!
        let digits: (String) -> String = { thaiDigits ? ThaiCalendar.thaiDigits($0) : $0 }
        let title = language == .thai
            ? "\(ThaiCalendar.months[month - 1].full) \(digits(String(year + 543)))"
            : "\(ThaiCalendar.englishMonths[month - 1]) \(digits(String(year)))"
        let heads = language == .thai ? ["อา", "จ", "อ", "พ", "พฤ", "ศ", "ส"] : ["Su", "Mo", "Tu", "We", "Th", "Fr", "Sa"]
        func cell(_ text: String) -> String { TerminalWidth.padded(text, to: 5, alignRight: true) }
        var lines = [String(repeating: " ", count: max(0, (35 - TerminalWidth.of(title)) / 2)) + title, heads.map(cell).joined()]
        var row = Array(repeating: cell(""), count: first.weekday - 1)
        for n in 0..<LocalDate.daysIn(month: month, year: year) {
            let d = first.adding(days: n)
            var mark = ""
            if d == today { mark += "*" }
            if holidays.contains(d) { mark += "h" }
            if marks[d]?.contains(.meeting) == true { mark += "m" }
            if marks[d]?.contains(.deadline) == true { mark += "d" }
            let number = digits(String(d.day))
            row.append(cell(number + String(mark.prefix(2))))
            if row.count == 7 { lines.append(row.joined()); row = [] }
        }
        if !row.isEmpty { lines.append(row.joined()) }
        lines.append(language == .thai ? "  * วันนี้  h วันหยุด  m ประชุม  d กำหนดส่ง" : "  * today  h holiday  m meeting  d deadline")
        return lines.joined(separator: "\n")
    }
}
