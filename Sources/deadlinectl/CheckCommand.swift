import ArgumentParser
import Control
import DeadlineCore
import Foundation

/// A monitoring plugin in the Nagios/Icinga convention: one status line with performance
/// data, exit 0 OK, 1 WARNING, 2 CRITICAL, 3 UNKNOWN.
struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check open deadlines and the daemon's health for Nagios/Icinga (exit 0/1/2/3).",
        discussion: """
            CRITICAL: the daemon cannot be reached, a deadline is overdue or due within --crit, or \
            a reminder failed for good. WARNING: a deadline is due within --warn, reminders are \
            being retried, working-day reminders count through a year whose holidays are not announced, or \
            organisations assigned a deadline are past it without submitting (named, the longest overdue first). UNKNOWN: the daemon answered something this check cannot read.
            """
    )
    @Option(name: .long, help: "Warn for open deadlines due within this long: 3d, 36h (default 3d).")
    var warn = "3d"
    @Option(name: .long, help: "Critical for open deadlines due within this long (default 1d).")
    var crit = "1d"
    @OptionGroup var connection: ConnectionOptions

    enum State: Int32, Comparable {
        case ok = 0, warning = 1, critical = 2, unknown = 3
        static func < (a: State, b: State) -> Bool {
            // UNKNOWN ranks between WARNING and CRITICAL, as Nagios orders service states.
            let rank: [State: Int] = [.ok: 0, .warning: 1, .unknown: 2, .critical: 3]
            return rank[a]! < rank[b]!
        }
        var label: String { ["OK", "WARNING", "CRITICAL", "UNKNOWN"][Int(rawValue)] }
    }

    static func seconds(_ text: String) -> TimeInterval? {
        guard let m = text.wholeMatch(of: /(\d{1,4})(d|h|m)/), let n = Double(m.1) else { return nil }
        return n * (m.2 == "d" ? 86400 : m.2 == "h" ? 3600 : 60)
    }

    func run() throws {
        guard let warnAfter = Self.seconds(warn), let critAfter = Self.seconds(crit) else {
            finish(.unknown, "bad --warn or --crit (give e.g. 3d, 36h, 90m)", perf: "")
        }
        let status: ControlAPI.StatusReply
        let items: [ControlAPI.Item]
        let obligations: ControlAPI.ObligationSummaryReply
        do {
            status = try connection.fetch(ControlAPI.status, ControlAPI.NoParameters())
            items = try connection.fetch(ControlAPI.listItems, ControlAPI.ListParameters()).items
            obligations = try connection.fetch(ControlAPI.obligationSummary, ControlAPI.ObligationSummaryParameters(limit: 5))
        } catch let error as CLIError where error.message.contains("cannot connect") || error.message.contains("No such file") {
            finish(.critical, "deadlined is not reachable: \(error.message)", perf: "")
        } catch {
            finish(.unknown, "cannot read the daemon's answer: \(error)", perf: "")
        }
        let now = Date()
        var state = State.ok
        var overdue: [String] = [], critical: [String] = [], warning: [String] = []
        for item in items where item.kind == .deadline && item.state == .open {
            let zone = TimeZone(identifier: item.timeZone) ?? TimeZone(secondsFromGMT: 0)!
            guard let when = DateOutput.when(item.at) else { state = max(state, .unknown); continue }
            // A whole-day due date is met until the day ends.
            let due = switch when {
            case .instant(let d): d
            case .day(let d): d.adding(days: 1).at(hour: 0, minute: 0, in: zone)
            }
            let left = due.timeIntervalSince(now)
            let hours = Int((abs(left) / 3600).rounded())
            if left < 0 { overdue.append("\(item.key) (overdue \(hours >= 48 ? "\(hours / 24)d" : "\(hours)h"))") }
            else if left <= critAfter { critical.append("\(item.key) (due in \(hours)h)") }
            else if left <= warnAfter { warning.append("\(item.key) (due in \(hours >= 48 ? "\(hours / 24)d" : "\(hours)h"))") }
        }
        if !overdue.isEmpty || !critical.isEmpty || status.failed > 0 || status.storeHealth != "ok" { state = max(state, .critical) }
        // A cluster whose nodes all stopped claiming: due reminders wait longer than a claim holds.
        let unclaimed = status.unclaimedSeconds.flatMap { waited in status.leaseSeconds.map { waited > $0 ? waited : nil } } ?? nil
        if unclaimed != nil { state = max(state, .critical) }
        let caveatItems = status.holidayCaveatItems
        if !warning.isEmpty || status.retrying > 0 || caveatItems > 0 || obligations.overdue > 0 { state = max(state, .warning) }
        var parts: [String] = []
        if !overdue.isEmpty { parts.append("\(overdue.count) overdue: " + overdue.joined(separator: ", ")) }
        if !critical.isEmpty { parts.append("\(critical.count) due within \(crit): " + critical.joined(separator: ", ")) }
        if !warning.isEmpty { parts.append("\(warning.count) due within \(warn): " + warning.joined(separator: ", ")) }
        if obligations.overdue > 0 {
            // The offices a center should call first, by code and name.
            let today = LocalDate(now, in: TimeZone(identifier: status.timeZone) ?? .current)
            let named = obligations.longestOverdue.map { o -> String in
                let days = Board.day(o.due).map { today.dayNumber - $0.dayNumber } ?? 0
                return "\(o.code) \(o.name) (\(o.item), \(days)d)"
            }
            parts.append("\(obligations.overdue) organisation(s) overdue: " + named.joined(separator: ", ")
                         + (obligations.overdue > named.count ? ", …" : ""))
        }
        if status.storeHealth != "ok" { parts.append("store: \(status.storeHealth)") }
        if let unclaimed { parts.append("no node has claimed a due reminder for \(unclaimed) s (lease \(status.leaseSeconds ?? 0) s)") }
        if status.failed > 0 { parts.append("\(status.failed) reminder(s) failed") }
        if status.retrying > 0 { parts.append("\(status.retrying) reminder(s) being retried") }
        if caveatItems > 0 {
            parts.append("\(caveatItems) item(s) count working days through holidays not announced: "
                         + status.holidayCaveats.map { "\($0.year) \($0.status?.rawValue ?? "unknown") (\($0.itemCount))" }.joined(separator: ", "))
        }
        if parts.isEmpty { parts.append("\(items.filter { $0.kind == .deadline && $0.state == .open }.count) open deadline(s), none due within \(warn)") }
        let perf = "overdue=\(overdue.count) due_crit=\(critical.count) due_warn=\(warning.count) failed=\(status.failed) "
            + "retrying=\(status.retrying) pending=\(status.pending) holiday_caveat_items=\(caveatItems) "
            + "obligations_overdue=\(obligations.overdue) obligations_open=\(obligations.open)"
        finish(state, parts.joined(separator: "; "), perf: perf)
    }

    func finish(_ state: State, _ text: String, perf: String) -> Never {
        print("DEADLINED \(state.label) - \(text)" + (perf.isEmpty ? "" : " | \(perf)"))
        fflush(nil)
        Foundation.exit(state.rawValue)
    }
}
