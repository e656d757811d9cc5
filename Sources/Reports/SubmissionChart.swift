import DeadlineCore
import Foundation

/// Submissions over time as an SVG step line (no script, so it prints and works offline): how
/// many organisations had submitted by each day, against how many were assigned, with each due
/// day marked. Days run from the first submission or thirty days before the first due day,
/// whichever is earlier, to two weeks past the last due day (later, for a late submission or a
/// today that is near).
struct SubmissionChart {
    /// The day each submission was received, in the board's zone.
    var received: [LocalDate]
    var assigned: Int
    var dues: [LocalDate]
    var today: LocalDate
    var language: Language

    static let width = 900.0, height = 260.0
    static let left = 48.0, right = 16.0, top = 16.0, bottom = 36.0

    func svg() -> String {
        let sorted = received.sorted()
        let first = min(sorted.first ?? today, (dues.min() ?? today).adding(days: -30))
        // To two weeks past the last due day or the last submission; on to today only while it is
        // near (a board of a past year would otherwise squeeze its weeks into a line).
        var last = max((dues.max() ?? today).adding(days: 14), sorted.last ?? first)
        if today > last && today.dayNumber - last.dayNumber <= 60 { last = today }
        let span = Double(max(1, last.dayNumber - first.dayNumber))
        let plotW = Self.width - Self.left - Self.right, plotH = Self.height - Self.top - Self.bottom
        func x(_ d: LocalDate) -> Double { Self.left + Double(d.dayNumber - first.dayNumber) / span * plotW }
        func y(_ n: Int) -> Double { Self.top + plotH - (assigned == 0 ? 0 : Double(n) / Double(assigned) * plotH) }
        func f(_ v: Double) -> String { String(format: "%.1f", v) }

        // A step for each day something came in: the count holds until the next.
        var points = ["\(f(x(first))),\(f(y(0)))"]
        var count = 0
        var day = first
        for d in sorted where d >= first {
            if d != day { points.append("\(f(x(d))),\(f(y(count)))"); day = d }
            count += 1
            points.append("\(f(x(d))),\(f(y(count)))")
        }
        points.append("\(f(x(max(day, min(today, last))))),\(f(y(count)))")

        let th = language == .thai
        var out = """
            <svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 \(Int(Self.width)) \(Int(Self.height))" role="img" \
            aria-label="\(th ? "จำนวนที่ส่งแล้วตามวัน" : "submissions by day")">
            <rect x="\(f(Self.left))" y="\(f(Self.top))" width="\(f(plotW))" height="\(f(plotH))" class="plot"/>

            """
        for n in Set([0, assigned / 4, assigned / 2, assigned * 3 / 4, assigned]).sorted() {
            out += "<line x1=\"\(f(Self.left))\" x2=\"\(f(Self.left + plotW))\" y1=\"\(f(y(n)))\" y2=\"\(f(y(n)))\" class=\"grid\"/>"
            out += "<text x=\"\(f(Self.left - 6))\" y=\"\(f(y(n) + 4))\" class=\"axis\" text-anchor=\"end\">\(n)</text>\n"
        }
        for due in Set(dues).sorted() {
            out += "<line x1=\"\(f(x(due)))\" x2=\"\(f(x(due)))\" y1=\"\(f(Self.top))\" y2=\"\(f(Self.top + plotH))\" class=\"due\"/>"
            out += "<text x=\"\(f(x(due) + 4))\" y=\"\(f(Self.top + 12))\" class=\"axis\">\(th ? "กำหนดส่ง" : "due") "
                + "\(HTML.escape(DateText.shortDay(due, language: language)))</text>\n"
        }
        for d in [first, last] {
            out += "<text x=\"\(f(x(d)))\" y=\"\(f(Self.height - 12))\" class=\"axis\" text-anchor=\"\(d == first ? "start" : "end")\">"
                + "\(HTML.escape(DateText.shortDay(d, language: language)))</text>\n"
        }
        out += "<polyline points=\"\(points.joined(separator: " "))\" class=\"line\"/>\n</svg>"
        return out
    }
}

/// Text made safe for HTML content and attribute values.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for c in s.unicodeScalars {
            switch c {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(c)
            }
        }
        return out
    }
}
