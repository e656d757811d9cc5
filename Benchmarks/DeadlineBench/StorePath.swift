import ArgumentParser
import Control
import DeadlineCore
import DeadlineStore
import SQLiteStore
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
        for durability in [SQLiteStore.Durability.normal, .full] {
            let dir = try scratch("store-\(durability.rawValue)")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let store = try SQLiteStore(path: dir + "/s.sqlite", durability: durability)
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
        // What a reply costs to write and read: one deadline with its 21 reminders.
        let jsonDir = try scratch("json")
        defer { try? FileManager.default.removeItem(atPath: jsonDir) }
        let store = try SQLiteStore(path: jsonDir + "/s.sqlite")
        let now = Date()
        let item = NewItem(kind: .deadline, title: "งาน", when: .instant(now.addingTimeInterval(30 * 86400)), timeZone: "Asia/Bangkok")
        let plan = planner.plan(when: item.when, zone: TimeZone(identifier: "Asia/Bangkok")!, rule: .deadlineDefault, now: now)
        let (stored, occ) = try store.add(item, reminders: plan, dayTime: nine, now: now)
        var t0 = Date()
        var wire: ControlAPI.Item?
        for _ in 0..<count { wire = ControlAPI.Item(stored, occurrences: occ, today: LocalDate(now, in: TimeZone(identifier: "Asia/Bangkok")!), calendar: WorkingCalendar()) }
        let build = Date().timeIntervalSince(t0) / Double(count)
        let encoder = JSONEncoder()
        t0 = Date()
        var data = Data()
        for _ in 0..<count { data = try encoder.encode(ControlAPI.ItemReply(item: wire!)) }
        let encode = Date().timeIntervalSince(t0) / Double(count)
        t0 = Date()
        for _ in 0..<count { _ = try JSONDecoder().decode(ControlAPI.ItemReply.self, from: data) }
        let decode = Date().timeIntervalSince(t0) / Double(count)
        t0 = Date()
        for _ in 0..<count { _ = planner.plan(when: item.when, zone: TimeZone(identifier: "Asia/Bangkok")!, rule: .deadlineDefault, now: now) }
        let planning = Date().timeIntervalSince(t0) / Double(count)
        let bangkok = TimeZone(identifier: "Asia/Bangkok")!
        var parses: [(String, String)] = []
        for text in ["+30d", "2017-05-24T16:30:00+07:00", "วันอังคารที่ 16 พฤษภาคม พ.ศ. 2560 เวลา 14.00 น.", "16 May 2017 14:00"] {
            t0 = Date()
            for _ in 0..<count { _ = try? DateInput.parse(text, timeZone: bangkok) }
            parses.append(("read '\(text)'", ms(Date().timeIntervalSince(t0) / Double(count))))
        }
        rows += parses
        rows += [("reply: build the wire item", ms(build)), ("reply: JSON encode (\(data.count) bytes)", ms(encode)),
                 ("reply: JSON decode", ms(decode)), ("plan a deadline (26 reminders)", ms(planning))]
        table("g. store alone, in-process, one transaction per change (\(count) each)", rows)
    }
}
