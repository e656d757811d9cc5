import Control
import DeadlineCore
import Foundation

/// Says on standard error what a result rests on (holidays not announced), so that piping the
/// output keeps it clean and a person still sees it.
func printWarnings(_ warnings: [String]?) {
    for w in warnings ?? [] { FileHandle.standardError.write(Data("warning: \(TerminalText.visible(w))\n".utf8)) }
}

enum HolidayYearsText {
    /// "2560–2564 provisional, 2565–2568 announced; other years computed": consecutive years of
    /// one status as a range.
    static func summary(_ years: [ControlAPI.HolidayYearInfo]) -> String {
        var runs: [(first: Int, last: Int, status: HolidayStatus)] = []
        for y in years.sorted(by: { $0.year < $1.year }) {
            if let last = runs.last, last.last + 1 == y.year, last.status == y.status { runs[runs.count - 1].last = y.year }
            else { runs.append((y.year, y.year, y.status)) }
        }
        let loaded = runs.map { ($0.first == $0.last ? "\($0.first)" : "\($0.first)–\($0.last)") + " \($0.status.rawValue)" }
        return (loaded.isEmpty ? "no year loaded" : loaded.joined(separator: ", ")) + "; other years computed"
    }
}
