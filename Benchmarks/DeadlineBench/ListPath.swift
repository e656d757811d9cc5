import Agenda
import ArgumentParser
import Control
import DeadlineCore
import DeadlineStore
import SQLiteStore
import Foundation

/// i. What `list` costs at the center's size: 10,000 open deadlines due over the next six years
/// (announced, provisional and computed holiday years), read from the store and made wire items
/// (days and working days left each), beside the old way of counting working days (a walk over
/// every day) on the same items in the same run.
struct ListPath: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "ListItems at 10,000 items: counting working days.")
    @Option var count = 10_000
    @Option var rounds = 5

    func run() throws {
        let dir = try scratch("list")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let zone = TimeZone(identifier: "Asia/Bangkok")!
        let nine = TimeOfDay(hour: 9, minute: 0)!
        let calendar = WorkingCalendar(years: try shippedHolidays())
        let planner = ReminderPlanner(calendar: calendar)
        let now = Date()
        let items = (0..<count).map { i in
            NewItem(kind: .deadline, key: "d\(i)", title: "ส่งแผน \(i)", when: .day(LocalDate(now, in: zone).adding(days: 1 + i % 2190)),
                    timeZone: "Asia/Bangkok")
        }
        _ = try store.importItems(ImportBatch(plans: [], items: items, references: []), dayTime: nine, now: now, plan: {
            planner.plan(item: $0, rule: .deadlineDefault, now: now)
        })
        let today = LocalDate(now, in: zone)
        var read: [Double] = [], wire: [Double] = [], walk: [Double] = []
        var checksum = 0
        for _ in 0..<rounds {
            var t0 = Date()
            let listed = try store.listItems()
            read.append(Date().timeIntervalSince(t0))
            t0 = Date()
            let replies = listed.map { ControlAPI.Item($0.0, occurrences: $0.1, today: today, calendar: calendar) }
            wire.append(Date().timeIntervalSince(t0))
            t0 = Date()
            // The count as it was done before: day by day from today to the due date.
            for (item, _) in listed {
                guard case .day(let due) = item.fields.when else { continue }
                var n = 0, d = today
                while d < due { d = d.adding(days: 1); if calendar.isWorkingDay(d) { n += 1 } }
                checksum &+= n
            }
            walk.append(Date().timeIntervalSince(t0))
            checksum &-= replies.reduce(0) { $0 + $1.workingDaysLeft }
        }
        table("i. ListItems at \(count) open deadlines due over 6 years (median of \(rounds) rounds)", [
            ("store: read items and reminders", ms(median(read))),
            ("wire items (working days left by arithmetic)", ms(median(wire))),
            ("working days left by walking every day (as before, same calendar)", ms(median(walk))),
            ("both counts agree", checksum == 0 ? "yes" : "NO (\(checksum))"),
        ])
    }

    func median(_ xs: [Double]) -> Double { xs.sorted()[xs.count / 2] }

    /// The holiday files of the checkout (run from its top folder), as the daemon loads them.
    func shippedHolidays() throws -> [HolidayYear] {
        let dir = FileManager.default.currentDirectoryPath + "/Config/holidays"
        let files = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.hasSuffix(".yaml") }.sorted()
        return try files.map { try HolidayFile.read(yaml: String(contentsOfFile: dir + "/" + $0, encoding: .utf8), file: $0) }
    }
}
