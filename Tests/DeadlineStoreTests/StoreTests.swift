import DeadlineCore
import DeadlineStore
import Foundation
import Testing

@Suite("Store: items, occurrences, counts (every backend)")
struct StoreTests {
    let t0 = Date(timeIntervalSince1970: 1_494_918_000)

    let nine = TimeOfDay(hour: 9, minute: 0)!

    func meeting(_ title: String = "ประชุมคณะทำงานจัดทำแผน", key: String = "", at: Date) -> NewItem {
        NewItem(kind: .meeting, key: key, title: title, when: .instant(at), timeZone: "Asia/Bangkok", location: "ห้องประชุมสีโห",
                notes: "นำแผนส่ง ป.ป.ช.", attendees: ["ปลัดเทศบาล", "รองปลัดเทศบาล"], tags: ["แผน"])
    }

    func reminders(_ instants: [Date]) -> [PlannedReminder] {
        instants.enumerated().map { PlannedReminder(fireAt: $0.element, purpose: .lead("r\($0.offset)")) }
    }

    @Test("writes, closes, reopens and reads the same", arguments: StoreBackend.allCases)
    func reopen(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let added: Item
        do {
            let store = try backend.open(in: dir)
            (added, _) = try store.add(meeting(at: t0), reminders: reminders([t0.addingTimeInterval(-3600), t0]), dayTime: nine, now: t0.addingTimeInterval(-86400))
        }
        let reopened = try backend.open(in: dir)
        let items = try reopened.listItems()
        #expect(items.count == 1)
        #expect(items[0].0 == added)
        #expect(items[0].0.title == "ประชุมคณะทำงานจัดทำแผน")
        #expect(items[0].0.fields.attendees == ["ปลัดเทศบาล", "รองปลัดเทศบาล"])
        #expect(items[0].0.key == "m\(added.id)")
        #expect(items[0].1.map(\.label) == ["r0", "r1"])
        #expect(items[0].1.map(\.fireAt) == [t0.addingTimeInterval(-3600), t0])
        #expect(items[0].1.allSatisfy { $0.state == .pending && $0.attempts == 0 })
    }

    @Test("state transitions persist and count attempts", arguments: StoreBackend.allCases)
    func transitions(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        let (_, occ) = try store.add(meeting(at: t0), reminders: reminders([t0, t0.addingTimeInterval(60)]), dayTime: nine, now: t0)
        try store.markFiring([occ[0].id], now: t0)
        #expect(try store.unfinishedOccurrences().map(\.state) == [.firing, .pending])
        try store.markDelivered([occ[0].id], now: t0)
        let again = try backend.open(in: dir)
        let rows = try again.occurrences(ofItem: occ[0].itemID)
        #expect(rows.map(\.state) == [.delivered, .pending])
        #expect(rows.map(\.attempts) == [1, 0])
        #expect(try again.unfinishedOccurrences().map(\.id) == [occ[1].id])
        #expect(try again.countsByState() == [.delivered: 1, .pending: 1])
    }

    @Test("the counts kept as the rows change equal a full count after every kind of change", arguments: StoreBackend.allCases)
    func countersMatch(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        var ids: [Int64] = []
        for i in 0..<20 {
            let (_, occ) = try store.add(meeting("m\(i)", key: "k\(i)", at: t0), reminders: reminders([t0, t0.addingTimeInterval(60)]),
                                         dayTime: nine, now: t0)
            ids += occ.map(\.id)
        }
        try store.markFiring(Array(ids[0..<10]), now: t0.addingTimeInterval(60))
        try store.markDelivered(Array(ids[0..<6]), now: t0)
        _ = try store.setState(key: "k15", to: .cancelled, by: "t", now: t0)
        let counted = try store.listItems().flatMap(\.1).reduce(into: [OccurrenceState: Int]()) { $0[$1.state, default: 0] += 1 }
        #expect(try store.countsByState() == counted)
        #expect(counted == [.delivered: 6, .firing: 4, .pending: 28, .cancelled: 2])
        #expect(try store.itemCount() == 20)
    }

    @Test("reminders(forOccurrences:) joins item and occurrence, in the order asked", arguments: StoreBackend.allCases)
    func reminderJoin(backend: StoreBackend) throws {
        let dir = try TemporaryDirectory()
        let store = try backend.open(in: dir)
        let (a, oa) = try store.add(meeting("A", at: t0), reminders: reminders([t0]), dayTime: nine, now: t0)
        let (b, ob) = try store.add(meeting("B", at: t0), reminders: reminders([t0]), dayTime: nine, now: t0)
        let joined = try store.reminders(forOccurrences: [ob[0].id, 999, oa[0].id])
        #expect(joined.map(\.item.id) == [b.id, a.id])
        #expect(joined.map(\.occurrence.id) == [ob[0].id, oa[0].id])
    }
}
