import DeadlineCore
import Foundation
import Testing

@Suite("Misfire policy: what is sent late and what is let go")
struct MisfireSplitTests {
    let now = Date(timeIntervalSince1970: 1_800_000_000)

    /// Reminder `id` of item `item`, due `late` seconds before now.
    func row(_ id: Int64, item: Int64, late: TimeInterval, state: OccurrenceState = .pending) -> (item: Item, occurrence: Occurrence) {
        let fields = NewItem(kind: .deadline, key: "k\(item)", title: "ส่งแผน", when: .instant(now), timeZone: "Asia/Bangkok")
        return (Item(id: item, fields: fields), Occurrence(id: id, itemID: item, fireAt: now.addingTimeInterval(-late), state: state))
    }

    func split(_ rows: [(item: Item, occurrence: Occurrence)], _ policy: MisfirePolicy) -> MisfireSplit {
        MisfireSplit(rows, now: now, lateAfter: 60, policy: { _ in policy })
    }

    @Test func onTimeIsAlwaysSent() {
        for policy in [MisfirePolicy.skip, .coalesce(grace: 3600), .catchUp(grace: 3600)] {
            let s = split([row(1, item: 1, late: 30), row(2, item: 1, late: 0)], policy)
            #expect(s.send.map(\.occurrence.id) == [1, 2] && s.missed.isEmpty && s.caughtUp == 0, "\(policy)")
        }
    }

    @Test func catchUpWithinGrace() {
        let s = split([row(1, item: 1, late: 7200), row(2, item: 1, late: 600), row(3, item: 2, late: 100_000)], .catchUp(grace: 3600))
        #expect(s.send.map(\.occurrence.id) == [2] && s.missed == [1, 3] && s.caughtUp == 1)
    }

    @Test func skipLetsEveryLateOneGo() {
        let s = split([row(1, item: 1, late: 600), row(2, item: 2, late: 30)], .skip)
        #expect(s.send.map(\.occurrence.id) == [2] && s.missed == [1])
    }

    @Test("coalesce: of one item's late reminders only the latest within grace, once; per item")
    func coalesce() {
        let s = split([row(1, item: 1, late: 3000), row(2, item: 1, late: 900), row(3, item: 1, late: 9000), row(4, item: 2, late: 500)],
                      .coalesce(grace: 3600))
        #expect(s.send.map(\.occurrence.id) == [2, 4] && s.missed == [1, 3] && s.caughtUp == 2, "in due order")
    }

    @Test func aRetryIsNeverAMisfire() {
        let s = split([row(1, item: 1, late: 100_000, state: .retrying)], .skip)
        #expect(s.send.map(\.occurrence.id) == [1] && s.missed.isEmpty)
    }
}
