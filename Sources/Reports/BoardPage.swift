import DeadlineCore
import Foundation

/// The board of a deadline (or a plan's deadlines) as one self-contained HTML page: readable in
/// Thai, printable on A4 landscape, the chart drawn in SVG, no script and nothing fetched, so it
/// can be mailed, published or opened from a USB stick. `deadlinectl board --format html` and
/// the daemon's board files are this page.
public struct BoardPage: Sendable {
    public var key: String
    public var title: String
    /// The due day of each deadline on the board.
    public var dues: [LocalDate]
    public var board: ObligationBoard
    /// The day each submission on the board was received.
    public var received: [LocalDate]
    public var generated: Date
    public var zone: TimeZone
    public var language: Language

    public init(key: String, title: String, dues: [LocalDate], board: ObligationBoard, received: [LocalDate], generated: Date,
                zone: TimeZone, language: Language) {
        (self.key, self.title, self.dues, self.board, self.received) = (key, title, dues, board, received)
        (self.generated, self.zone, self.language) = (generated, zone, language)
    }

    public func html() -> String {
        let th = language == .thai
        let today = LocalDate(generated, in: zone)
        let e = HTML.escape
        let t = board.total
        func cell(_ id: String, _ label: String, _ n: Int, _ cls: String = "") -> String {
            "<div class=\"card \(cls)\"><div class=\"n\" id=\"\(id)\">\(n)</div><div>\(e(label))</div></div>"
        }
        let dueText = Set(dues).sorted().map { DateText.day($0, language: language) }.joined(separator: ", ")
        var page = """
            <!DOCTYPE html>
            <html lang="\(th ? "th" : "en")">
            <head>
            <meta charset="utf-8">
            <meta name="generator" content="deadlined">
            <title>\(e(title))</title>
            <style>
            @page { size: A4 landscape; margin: 12mm; }
            body { font-family: "TH Sarabun New", Sarabun, Loma, Garuda, "Noto Sans Thai", sans-serif; font-size: 11pt; color: #111; margin: 0 auto; max-width: 277mm; }
            h1 { font-size: 16pt; margin: 0 0 2mm; }
            .meta { color: #444; margin-bottom: 4mm; }
            .cards { display: flex; gap: 3mm; margin-bottom: 4mm; }
            .card { border: 1px solid #999; border-radius: 2mm; padding: 2mm 4mm; min-width: 28mm; }
            .card .n { font-size: 18pt; font-weight: bold; }
            .overdue .n { color: #b00; }
            table { border-collapse: collapse; width: 100%; margin-bottom: 5mm; }
            th, td { border: 1px solid #999; padding: 1mm 2mm; text-align: left; vertical-align: top; }
            th { background: #eee; }
            td.n { text-align: right; }
            tr.late td, td.overdue { color: #b00; }
            thead { display: table-header-group; }
            tr { page-break-inside: avoid; }
            .chart { width: 100%; height: auto; margin-bottom: 4mm; }
            .chart .plot { fill: #fafafa; stroke: #999; }
            .chart .grid { stroke: #ddd; }
            .chart .due { stroke: #b00; stroke-dasharray: 4 3; }
            .chart .line { fill: none; stroke: #0a5; stroke-width: 2; }
            .chart .axis { font-size: 11px; fill: #444; }
            h2 { font-size: 13pt; margin: 3mm 0 2mm; }
            </style>
            </head>
            <body>
            <h1>\(e(title))</h1>
            <div class="meta">\(e(key)) · \(th ? "กำหนดส่ง" : "due") \(e(dueText)) · \(th ? "ข้อมูล ณ" : "as of") \
            \(e(DateText.when(.instant(generated), zone: zone, language: language)))</div>
            <div class="cards">
            \(cell("count-total", th ? "ทั้งหมด" : "assigned", t.total))
            \(cell("count-on-time", th ? "ส่งตรงเวลา" : "on time", t.onTime))
            \(cell("count-late", th ? "ส่งล่าช้า" : "late", t.late))
            \(cell("count-open", th ? "ยังไม่ถึงกำหนด" : "open", t.open))
            \(cell("count-overdue", th ? "เลยกำหนด" : "overdue", t.overdue, "overdue"))
            \(cell("count-exempted", th ? "ยกเว้น" : "exempted", t.exempted))
            </div>
            \(SubmissionChart(received: received, assigned: t.total, dues: dues, today: today, language: language).svg())
            <h2>\(th ? "แยกตามอำเภอ" : "By district")</h2>
            <table id="districts">
            <thead><tr><th>\(th ? "จังหวัด" : "Province")</th><th>\(th ? "อำเภอ" : "District")</th><th>\(th ? "ทั้งหมด" : "All")</th>\
            <th>\(th ? "ส่งตรงเวลา" : "On time")</th><th>\(th ? "ส่งล่าช้า" : "Late")</th><th>\(th ? "ยังไม่ถึงกำหนด" : "Open")</th>\
            <th>\(th ? "เลยกำหนด" : "Overdue")</th><th>\(th ? "ยกเว้น" : "Exempted")</th></tr></thead>
            <tbody>

            """
        for c in board.districts {
            page += "<tr><td>\(e(c.province))</td><td>\(e(c.district))</td><td class=\"n\">\(c.total)</td>"
                + "<td class=\"n\">\(c.onTime)</td><td class=\"n\">\(c.late)</td><td class=\"n\">\(c.open)</td>"
                + "<td class=\"n\(c.overdue > 0 ? " overdue" : "")\">\(c.overdue)</td>"
                + "<td class=\"n\">\(c.exempted)</td></tr>\n"
        }
        page += """
            </tbody>
            </table>
            <h2>\(th ? "ยังไม่ส่ง" : "Not submitted") (<span id="count-not-submitted">\(board.notSubmitted.count)</span>)</h2>
            <table id="not-submitted">
            <thead><tr><th>\(th ? "รหัส" : "Code")</th><th>\(th ? "หน่วยงาน" : "Organisation")</th><th>\(th ? "อำเภอ" : "District")</th>\
            <th>\(th ? "จังหวัด" : "Province")</th><th>\(th ? "กำหนดส่ง" : "Due")</th><th>\(th ? "เลยกำหนด" : "Overdue")</th>\
            <th>\(th ? "ผู้รับผิดชอบ" : "Contact")</th><th>\(th ? "โทรศัพท์" : "Phone")</th><th>\(th ? "อีเมล / ไลน์" : "E-mail / chat")</th></tr></thead>
            <tbody>

            """
        for entry in board.notSubmitted {
            let o = entry.organisation, c = o.contact
            let late = ObligationBoard.daysOverdue(entry, today: today)
            page += "<tr\(late > 0 ? " class=\"late\"" : "")><td>\(e(o.code))</td><td>\(e(o.name))</td><td>\(e(o.district))</td>"
                + "<td>\(e(o.province))</td><td>\(e(DateText.shortDay(entry.due, language: language)))</td>"
                + "<td class=\"n\">\(late > 0 ? (th ? "\(late) วัน" : "\(late) d") : "")</td><td>\(e(c.person ?? ""))</td>"
                + "<td>\(e(c.phone ?? ""))</td><td>\(e([c.email, c.chat].compactMap { $0 }.joined(separator: " · ")))</td></tr>\n"
        }
        page += "</tbody>\n</table>\n</body>\n</html>\n"
        return page
    }
}
