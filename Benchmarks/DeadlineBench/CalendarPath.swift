import ArgumentParser
import DeadlineCore
import DeadlineStore
import SQLiteStore
import Foundation
import ICalendar

/// iCalendar at a provincial centre's scale: N items, a quarter of them monthly meetings
/// without end. Export (with alarms), import of that export, and the hourly move of every
/// series' planning window, plus the store size a window costs.
struct CalendarPath: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "ics", abstract: "Export, import and series planning of N items.")
    @Option var count = 10_000

    func run() throws {
        let nine = TimeOfDay(hour: 9, minute: 0)!
        let bangkok = TimeZone(identifier: "Asia/Bangkok")!
        let planner = ReminderPlanner(calendar: WorkingCalendar())
        let monthly = try Recurrence(rrule: "FREQ=MONTHLY;BYDAY=1TU", zone: bangkok)
        let now = Date()
        let items: [NewItem] = (0..<count).map { i in
            let at = now.addingTimeInterval(Double(i % 300) * 86_400 + 3600)
            if i % 4 == 0 {
                return NewItem(kind: .meeting, key: "s\(i)", title: "ประชุมติดตามผลประจำเดือน อบต. \(i)", when: .instant(at), end: at.addingTimeInterval(7200),
                               timeZone: "Asia/Bangkok", location: "ห้องประชุม", recurrence: monthly)
            }
            return i % 2 == 0
                ? NewItem(kind: .meeting, key: "m\(i)", title: "ประชุมคณะทำงาน ครั้งที่ \(i)", when: .instant(at), timeZone: "Asia/Bangkok")
                : NewItem(kind: .deadline, key: "d\(i)", title: "ส่งแผนปฏิบัติการ \(i)", when: .day(LocalDate(at, in: bangkok)), timeZone: "Asia/Bangkok")
        }
        let dir = try scratch("ics")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let plan = { (item: NewItem) in planner.plan(item: item, rule: item.kind == .meeting ? .meetingDefault : .deadlineDefault, now: now) }
        var t0 = Date()
        _ = try store.importItems(ImportBatch(plans: [], items: items, references: []), dayTime: nine, now: now, plan: plan)
        let stored = Date().timeIntervalSince(t0)
        let reminders = try store.countsByState()[.pending] ?? 0
        let stored_items = try store.listItems().map(\.0)
        t0 = Date()
        let entries = stored_items.map { item in
            CalendarExport.Entry(item: item, alarms: [.init(lead: "1wd@09:00", secondsBefore: 86_400), .init(lead: "2h", secondsBefore: 7200)])
        }
        let text = CalendarExport.calendar(entries, now: now)
        let export = Date().timeIntervalSince(t0)
        t0 = Date()
        let read = try CalendarImport.read(text, file: "bench.ics", defaultZone: "Asia/Bangkok", organisation: "")
        let parse = Date().timeIntervalSince(t0)
        precondition(read.events.count == count)
        // The hourly pass when nothing is due to be added, then a month later.
        t0 = Date()
        let none = try store.extendSeries(now: now) { item, after in
            planner.plan(item: item.fields, rule: .meetingDefault, now: now, after: after)
        }
        let idle = Date().timeIntervalSince(t0)
        let month = now.addingTimeInterval(31 * 86_400)
        t0 = Date()
        let added = try store.extendSeries(now: month) { item, after in
            planner.plan(item: item.fields, rule: .meetingDefault, now: month, after: after)
        }
        let moved = Date().timeIntervalSince(t0)
        table("h. iCalendar and series, \(count) items (\(count / 4) monthly series without end)", [
            ("import into the store (reminders: \(reminders))", String(format: "%.2f s", stored)),
            ("export \(text.utf8.count / 1024) KiB with 2 alarms each", String(format: "%.2f s", export)),
            ("read that export back", String(format: "%.2f s", parse)),
            ("hourly series pass, nothing new (\(none.count) added)", String(format: "%.0f ms", idle * 1000)),
            ("series pass a month on (\(added.count) reminders added)", String(format: "%.0f ms", moved * 1000)),
        ])
    }
}
