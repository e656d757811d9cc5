import DeadlineCore

/// Reads a year of holidays (`Config/holidays/th-2560.yaml`):
///
/// ```yaml
/// year: 2560            # Buddhist Era
/// status: announced     # every day checked against the Cabinet's resolutions; else provisional
/// source: "…"
/// holidays:
///   - { date: 2017-05-10, name: "วันวิสาขบูชา", english: "Visakha Bucha Day", source: "Cabinet 2016-…" }
/// not_holidays:         # days offices work although people may expect a holiday
///   - { date: 2017-05-01, name: "วันแรงงานแห่งชาติ", english: "National Labour Day", why: "…" }
/// ```
public enum HolidayFile {
    public static func read(yaml: String, file: String) throws(AgendaError) -> HolidayYear {
        let doc = try YAMLDocument(text: yaml, file: file)
        guard let root = doc.root else { throw AgendaError(location: file, message: "the file is empty") }
        let top = try doc.mapping(root, allowed: ["year", "status", "source", "holidays", "not_holidays"], what: "a holiday file")
        let yearText = try top.required("year")
        guard let year = Int(ThaiCalendar.arabicDigits(yearText)), (2400...3000).contains(year) else {
            throw doc.fail(top.node("year"), "'year' is a Buddhist Era year such as 2560, not '\(yearText)'")
        }
        let statusText = try top.required("status")
        // `computed` is what deadlined makes for a year without a file; a file is never that.
        guard let status = HolidayStatus(rawValue: statusText), status != .computed else {
            throw doc.fail(top.node("status"), "'status' is announced or provisional, not '\(statusText)'")
        }
        let source = try top.required("source")
        guard let list = top.node("holidays") else { throw doc.fail(root, "a holiday file needs 'holidays'") }

        func day(_ f: YAMLDocument.Fields) throws(AgendaError) -> LocalDate {
            let dateText = try f.required("date")
            guard let date = LocalDate(iso: dateText) else {
                throw doc.fail(f.node("date"), "'date' is a day as 2017-05-10, not '\(dateText)'")
            }
            guard date.buddhistYear == year else {
                throw doc.fail(f.node("date"), "\(dateText) is in \(date.buddhistYear), not in this file's year \(year)")
            }
            return date
        }
        var holidays: [Holiday] = []
        for entry in try doc.sequence(list, what: "'holidays'") {
            let f = try doc.mapping(entry, allowed: ["date", "name", "english", "source"], what: "a holiday")
            holidays.append(Holiday(date: try day(f), name: try f.required("name"), english: try f.string("english"),
                                    source: try f.string("source")))
        }
        var notHolidays: [NotHoliday] = []
        if let list = top.node("not_holidays") {
            for entry in try doc.sequence(list, what: "'not_holidays'") {
                let f = try doc.mapping(entry, allowed: ["date", "name", "english", "why"], what: "a day that is not a holiday")
                let date = try day(f)
                if holidays.contains(where: { $0.date == date }) {
                    throw doc.fail(f.node("date"), "\(date) is listed both as a holiday and as not a holiday")
                }
                notHolidays.append(NotHoliday(date: date, name: try f.required("name"), english: try f.string("english"),
                                              why: try f.required("why")))
            }
        }
        return HolidayYear(year: year, status: status, source: source, holidays: holidays.sorted { $0.date < $1.date },
                           notHolidays: notHolidays.sorted { $0.date < $1.date })
    }
}
