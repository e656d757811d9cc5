import DeadlineCore

/// Reads a year of holidays (`Config/holidays/th-2560.yaml`):
///
/// ```yaml
/// year: 2560            # Buddhist Era
/// status: announced     # or provisional
/// source: "…"
/// holidays:
///   - { date: 2017-05-10, name: "วันวิสาขบูชา", english: "Visakha Bucha Day" }
/// ```
public enum HolidayFile {
    public static func read(yaml: String, file: String) throws(AgendaError) -> HolidayYear {
        let doc = try YAMLDocument(text: yaml, file: file)
        guard let root = doc.root else { throw AgendaError(location: file, message: "the file is empty") }
        let top = try doc.mapping(root, allowed: ["year", "status", "source", "holidays"], what: "a holiday file")
        let yearText = try top.required("year")
        guard let year = Int(ThaiCalendar.arabicDigits(yearText)), (2400...3000).contains(year) else {
            throw doc.fail(top.node("year"), "'year' is a Buddhist Era year such as 2560, not '\(yearText)'")
        }
        let status = try top.required("status")
        guard ["announced", "provisional"].contains(status) else {
            throw doc.fail(top.node("status"), "'status' is announced or provisional, not '\(status)'")
        }
        let source = try top.required("source")
        guard let list = top.node("holidays") else { throw doc.fail(root, "a holiday file needs 'holidays'") }
        var holidays: [Holiday] = []
        for entry in try doc.sequence(list, what: "'holidays'") {
            let f = try doc.mapping(entry, allowed: ["date", "name", "english"], what: "a holiday")
            let dateText = try f.required("date")
            guard let date = LocalDate(iso: dateText) else {
                throw doc.fail(f.node("date"), "'date' is a day as 2017-05-10, not '\(dateText)'")
            }
            guard date.buddhistYear == year else {
                throw doc.fail(f.node("date"), "\(dateText) is in \(date.buddhistYear), not in this file's year \(year)")
            }
            holidays.append(Holiday(date: date, name: try f.required("name"), english: try f.string("english")))
        }
        return HolidayYear(year: year, status: status, source: source, holidays: holidays.sorted { $0.date < $1.date })
    }
}
