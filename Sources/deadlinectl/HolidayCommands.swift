import ArgumentParser
import Control
import DeadlineCore
import Foundation

struct Holidays: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Public holidays the working-day arithmetic uses.",
                                                    subcommands: [HolidaysList.self, HolidaysImport.self])
}

struct HolidaysList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a year's holidays.")
    @Option(name: .long, help: "Buddhist Era year (2560) or Gregorian (2017).") var year: Int
    @OptionGroup var language: LanguageOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let r = try connection.call(ControlAPI.listHolidays, ControlAPI.YearParameters(year: year)) else { return }
        let lang = try language.resolve(connection.status())
        print(language.digits("\(r.year) (\(r.year - 543))") + ": \(r.status.rawValue); \(r.source)")
        func day(_ iso: String) -> String { LocalDate(iso: iso).map { DateText.day($0, language: lang, thaiDigits: language.thaiDigits) } ?? iso }
        printTable(header: lang == .thai ? ["วันที่", "วันหยุด", "ที่มา"] : ["DATE", "HOLIDAY", "SOURCE"], rows: r.holidays.map { h in
            [day(h.date), lang == .english ? (h.english ?? h.name) : h.name, h.source ?? ""]
        })
        for n in r.notHolidays ?? [] {
            print((lang == .thai ? "ไม่ใช่วันหยุดราชการ: " : "not a government holiday: ")
                  + "\(day(n.date)) \(lang == .english ? (n.english ?? n.name) : n.name): \(n.why)")
        }
        if r.status != .announced {
            printWarnings([HolidayCaveat(year: r.year, status: r.status, items: []).yearSentence])
        }
    }
}

struct HolidaysImport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Load a year of holidays, replacing that year.")
    @Argument(help: "A holiday file (see Config/holidays/).") var file: String
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let r = try connection.call(ControlAPI.importHolidays, ControlAPI.FileParameters(name: file, content: try readFile(file)), timeout: ConnectionOptions.longJob) else { return }
        print("\(file): \(r.holidays) holiday(s) for \(r.year) loaded")
    }
}
