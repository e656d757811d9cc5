import Application
import DeadlineCore
import DeadlineStore
import Foundation
import Testing

@Suite("Application: an item's history on the audit trail")
struct ItemHistoryTests {
    @Test("its reminders' sends are in its history, and another item's are not, even where one id's digits are in another's")
    func reminderSends() async throws {
        let f = try Fixture()
        var keys: [String] = []
        // Enough items that some occurrence ids are written with the digits of others (1 in 12).
        for i in 0..<12 { keys.append(try await f.app.run(AddItem(f.deadline("plan\(i)")), by: Fixture.someone).item.key) }
        let mine = try #require(try f.store.item(key: "plan0"))
        let own = try f.store.occurrences(ofItem: mine.id).map(\.id).sorted()
        let others = try keys.dropFirst().flatMap { try f.store.occurrences(ofItem: try #require(try f.store.item(key: $0)).id).map(\.id) }
        try #require(!own.isEmpty && others.contains { id in own.contains { String(id).contains(String($0)) && id != $0 } })

        let at = Fixture.now.addingTimeInterval(86_400)
        try f.store.record(DeliveryOutcome(delivered: others), now: at)
        var second = DeliveryOutcome(delivered: [own[0]])
        if own.count > 1 { second.retrying = [(own[1], at.addingTimeInterval(600), "HTTP 503")] }
        try f.store.record(second, now: at.addingTimeInterval(60))

        let history = try await f.app.history(of: "plan0", limit: 100)
        let sends = history.filter { $0.method == "Reminders" }
        let expected = own.count > 1 ? ["sent", "retrying"] : ["sent"]
        #expect(sends.map(\.stateAfter) == expected, "\(history)")
        let labels = try f.store.occurrences(ofItem: mine.id).sorted { $0.id < $1.id }.map(\.label)
        #expect(sends.map(\.subject) == Array(labels.prefix(expected.count)))
        #expect(history.first?.method == "AddItem" && sends.allSatisfy { $0.command == "deadlined" && $0.at == at.addingTimeInterval(60) })
        // In the order written: the add, then the sends.
        #expect(history.map(\.seq) == history.map(\.seq).sorted())
    }

    @Test("a long read runs on a thread of its own, not on the executor's")
    func longReadOwnThread() async throws {
        let f = try Fixture()
        _ = try await f.app.run(AddItem(f.deadline("plan")), by: Fixture.someone)
        let (ran, name) = try await f.app.longRead { store in
            // The kernel's name of the thread, as ps and top show it.
            let name = try String(contentsOfFile: "/proc/thread-self/comm", encoding: .utf8).trimmingCharacters(in: .newlines)
            return (try store.itemCount(), name)
        }
        #expect(ran == 1 && name == "long-read", "\(String(describing: name))")
    }
}
