import ArgumentParser
import DeadlineCore
import DeadlineStore
import Foundation

/// The store alone, in-process: one item (with a deadline's 21 reminders) per transaction, then
/// one state change per transaction, for each durability.
struct StorePath: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "store", abstract: "Store writes alone, in-process, normal vs full.")
    @Option var count = 2000

    func run() throws {
        var rows: [(String, String)] = []
        let nine = TimeOfDay(hour: 9, minute: 0)!
        let planner = ReminderPlanner(calendar: WorkingCalendar())
        for durability in [Store.Durability.normal, .full] {
            let dir = try scratch("store-\(durability.rawValue)")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let store = try Store(path: dir + "/s.sqlite", durability: durability)
            let now = Date()
            var keys: [String] = []
            var t0 = Date()
            for i in 0..<count {
                let item = NewItem(kind: .deadline, title: "งาน \(i)", when: .instant(now.addingTimeInterval(30 * 86400)), timeZone: "Asia/Bangkok")
                let plan = planner.plan(when: item.when, zone: TimeZone(identifier: "Asia/Bangkok")!, rule: .deadlineDefault, now: now)
                keys.append(try store.add(item, reminders: plan, dayTime: nine, now: now).0.key)
            }
            let add = Date().timeIntervalSince(t0) / Double(count)
            t0 = Date()
            for key in keys { _ = try store.setState(key: key, to: .cancelled, by: "bench", now: now) }
            let cancel = Date().timeIntervalSince(t0) / Double(count)
            t0 = Date()
            for _ in 0..<count { _ = try store.countsByState() }
            let counts = Date().timeIntervalSince(t0) / Double(count)
            rows += [("\(durability.rawValue): add (item + 21 reminders)", ms(add)), ("\(durability.rawValue): cancel", ms(cancel)),
                     ("\(durability.rawValue): counts", ms(counts))]
        }
        table("g. store alone, in-process, one transaction per change (\(count) each)", rows)
    }
}
