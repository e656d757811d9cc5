import DeadlineCore
import DeadlineStore
import Foundation
import Testing

@Suite("Store: repeating meetings, iCalendar identity")
struct SeriesTests {
    let bangkok = TimeZone(identifier: "Asia/Bangkok")!
    let nine = TimeOfDay(hour: 9, minute: 0)!

    func fixture(_ backend: StoreBackend) throws -> (TemporaryDirectory, any Store) {
        let dir = try TemporaryDirectory()
        return (dir, try backend.open(in: dir))
    }

    func weekly(start: Date) throws -> NewItem {
        NewItem(kind: .meeting, key: "weekly", title: "ประชุมประจำสัปดาห์", when: .instant(start), end: start.addingTimeInterval(3600),
                timeZone: "Asia/Bangkok", leads: [Lead("1h")!], recurrence: try Recurrence(rrule: "FREQ=WEEKLY", zone: bangkok))
    }

    @Test("an endless series stores reminders for its window only; extending adds the next instances once", arguments: StoreBackend.allCases)
    func window(backend: StoreBackend) throws {
        let (dir, store) = try fixture(backend)
        _ = dir
        let start = ICalDateTime.parse("20270104T100000", zone: bangkok)!
        let now = start.addingTimeInterval(-3600 * 5)
        let item = try weekly(start: start)
        let planner = ReminderPlanner(calendar: WorkingCalendar())
        let rule = ReminderRule(name: "m", leads: [Lead("1h")!])
        let first = planner.plan(item: item, rule: rule, now: now)
        let (stored, occurrences) = try store.add(item, reminders: first.reminders, plannedThrough: first.plannedThrough, dayTime: nine, now: now)
        let end = now.addingTimeInterval(ReminderPlanner.seriesWindow + 3600)
        let weeks = (0..<10).filter { start.addingTimeInterval(Double($0) * 7 * 86_400) <= end }.count
        #expect(weeks == 5 && occurrences.count == weeks, "the window (35 days and the 1-hour lead) holds 5 weekly instances")
        #expect(stored.uid.hasSuffix("@deadlined") && stored.sequence == 0)

        // Nothing new to plan at the same instant: no duplicates.
        let plan = { (i: Item, after: Date, at: Date) in planner.plan(item: i.fields, rule: rule, now: at, after: after) }
        #expect(try store.extendSeries(now: now) { plan($0, $1, now) }.isEmpty)
        // Three weeks later: three more instances, none planned before.
        let later = now.addingTimeInterval(21 * 86_400)
        let added = try store.extendSeries(now: later) { plan($0, $1, later) }
        #expect(added.count == 3)
        let all = try store.occurrences(ofItem: stored.id)
        #expect(Set(all.compactMap(\.instance)).count == all.count, "each instance once")

        // A reminder of a later instance speaks of that instance, its end shifted alike.
        let last = try #require(added.last)
        let (reminderItem, _) = try #require(try store.reminders(forOccurrences: [last.id]).first)
        #expect(reminderItem.fields.when == .instant(last.instance!))
        #expect(reminderItem.fields.end == last.instance!.addingTimeInterval(3600))
    }

    @Test("a moved meeting shares its series' UID, one per instance; added dates and the instance read back", arguments: StoreBackend.allCases)
    func replacements(backend: StoreBackend) throws {
        let (dir, store) = try fixture(backend)
        _ = dir
        let start = ICalDateTime.parse("20270104T100000", zone: bangkok)!
        let now = start.addingTimeInterval(-86_400)
        var series = try weekly(start: start)
        series.recurrence!.additions = [start.addingTimeInterval(2 * 86_400)]
        series.recurrence!.exceptions = [start.addingTimeInterval(7 * 86_400)]
        var moved = NewItem(kind: .meeting, key: "weekly-20270111", title: "ประชุม (เลื่อน)", when: .instant(start.addingTimeInterval(8 * 86_400)),
                            timeZone: "Asia/Bangkok")
        let plan = { (_: NewItem) in ReminderPlanner.ItemPlan(reminders: [], plannedThrough: nil) }
        let instance = start.addingTimeInterval(7 * 86_400)
        _ = try store.importItems(ImportBatch(plans: [], items: [series, moved], references: [], uids: ["weekly": "s@x", "weekly-20270111": "s@x"],
                                   recurrenceIDs: ["weekly-20270111": instance]), dayTime: nine, now: now, plan: plan)
        #expect(try store.key(forUID: "s@x") == "weekly")
        #expect(try store.key(forUID: "s@x", recurrenceID: instance) == "weekly-20270111")
        #expect(try store.key(forUID: "s@x", recurrenceID: start) == nil)
        #expect(try store.item(uid: "s@x")?.key == "weekly")
        #expect(try store.replacements(ofUID: "s@x").map(\.key) == ["weekly-20270111"])
        #expect(try store.item(key: "weekly-20270111")?.recurrenceID == instance)
        #expect(try store.item(key: "weekly")?.fields.recurrence == series.recurrence, "added dates and exceptions read back")
        // The same instance twice is refused; another instance is not.
        moved.key = "again"
        #expect(throws: StoreError.duplicateUID("s@x")) {
            try store.importItems(ImportBatch(plans: [], items: [moved], references: [], uids: ["again": "s@x"], recurrenceIDs: ["again": instance]),
                                   dayTime: nine, now: now, plan: plan)
        }
        _ = try store.importItems(ImportBatch(plans: [], items: [moved], references: [], uids: ["again": "s@x"],
                                   recurrenceIDs: ["again": instance.addingTimeInterval(7 * 86_400)]), dayTime: nine, now: now, plan: plan)
        #expect(try store.replacements(ofUID: "s@x").count == 2)
    }

    @Test("re-importing a changed series sends no catch-up twice and leaves the unchanged reminders as they are", arguments: StoreBackend.allCases)
    func changedSeriesKeepsWhatStands(backend: StoreBackend) throws {
        let (dir, store) = try fixture(backend)
        _ = dir
        let start = ICalDateTime.parse("20270104T100000", zone: bangkok)!
        // Half an hour before the first meeting: its 1-hour lead is past, so it gets a catch-up.
        let now = start.addingTimeInterval(-1800)
        let planner = ReminderPlanner(calendar: WorkingCalendar())
        let rule = ReminderRule(name: "m", leads: [Lead("1h")!])
        let plan = { (at: Date) in { (i: NewItem) in planner.plan(item: i, rule: rule, now: at) } }
        var series = try weekly(start: start)
        let first = try store.importItems(ImportBatch(plans: [], items: [series], references: []), dayTime: nine, now: now, plan: plan(now))
        let catchUp = try #require(first.newOccurrences.first { $0.label == PlannedReminder.catchUpLabel })
        #expect(catchUp.instance == start && catchUp.fireAt == now)
        try store.markFiring([catchUp.id], now: now)
        try store.markDelivered([catchUp.id], now: now)

        // A minute later the second meeting is called off: only its reminder goes.
        let later = now.addingTimeInterval(60), second = start.addingTimeInterval(7 * 86_400)
        series.recurrence!.exceptions = [second]
        let changed = try store.importItems(ImportBatch(plans: [], items: [series], references: []), dayTime: nine, now: later, plan: plan(later))
        #expect(changed.retimed.count == 1)
        let ofSecond = first.newOccurrences.filter { $0.instance == second }.map(\.id)
        #expect(ofSecond.count == 1 && changed.cancelledOccurrences == ofSecond, "cancelled: \(changed.cancelledOccurrences)")
        #expect(changed.newOccurrences.isEmpty, "added again: \(changed.newOccurrences.map { "\($0.label) \($0.instance.map { "\($0)" } ?? "-")" })")
        let stored = try store.occurrences(ofItem: catchUp.itemID)
        #expect(stored.filter { $0.label == PlannedReminder.catchUpLabel }.map(\.state) == [.delivered])
        let kept = first.newOccurrences.filter { $0.instance != second && $0.id != catchUp.id }.map(\.id)
        #expect(stored.filter { $0.state == .pending }.map(\.id) == kept, "the other instances keep their reminders, ids and all")
    }

    @Test("an imported UID is kept and unique; every change bumps the sequence", arguments: StoreBackend.allCases)
    func identity(backend: StoreBackend) throws {
        let (dir, store) = try fixture(backend)
        _ = dir
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let item = NewItem(kind: .meeting, key: "inv", title: "เชิญประชุม", when: .instant(now.addingTimeInterval(86_400)), timeZone: "Asia/Bangkok")
        let plan = { (_: NewItem) in ReminderPlanner.ItemPlan(reminders: [], plannedThrough: nil) }
        _ = try store.importItems(ImportBatch(plans: [], items: [item], references: [], uids: ["inv": "040000008200E00074C5B7101A82E008"]),
                                   dayTime: nine, now: now, plan: plan)
        #expect(try store.key(forUID: "040000008200E00074C5B7101A82E008") == "inv")
        var other = item
        other.key = "other"
        #expect(throws: StoreError.duplicateUID("040000008200E00074C5B7101A82E008")) {
            try store.add(other, reminders: [], uid: "040000008200E00074C5B7101A82E008", dayTime: nine, now: now)
        }
        var retitled = item
        retitled.title = "เชิญประชุม (เลื่อน)"
        _ = try store.importItems(ImportBatch(plans: [], items: [retitled], references: []), dayTime: nine, now: now, plan: plan)
        #expect(try store.item(key: "inv")?.sequence == 1)
        let out = try store.importItems(ImportBatch(plans: [], items: [retitled], references: [], close: ["inv": .cancelled], closedBy: "test"),
                                         dayTime: nine, now: now, plan: plan)
        #expect(out.closed == ["inv"] && out.unchanged == ["inv"])
        let cancelled = try #require(try store.item(key: "inv"))
        #expect(cancelled.state == .cancelled && cancelled.sequence == 2 && cancelled.uid == "040000008200E00074C5B7101A82E008")
    }
}
