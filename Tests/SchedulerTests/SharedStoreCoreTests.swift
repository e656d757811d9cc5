import DeadlineCore
import DeadlineStore
import Delivery
import Foundation
import Logging
import PostgresStore
import PostgresTestKit
@_spi(Testing) @testable import Scheduler
import Testing

/// The timer core on a shared store, against a real PostgreSQL: the check before each send
/// (the database's word is taken for a short window, one query covers the rest of a batch, a
/// claim another node took is refused once that window is over), and the notifications that
/// tell a node of another node's reminders before its poll would.
@Suite("Timer core on a shared store")
struct SharedStoreCoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_494_918_000)

    /// Nodes a and b on a fresh database, with a lease of 4 s.
    static func twoNodes() throws -> (PostgresTestCluster, PostgresStore, PostgresStore) {
        let cluster = try PostgresTestCluster.shared.get()
        let url = cluster.url(database: try cluster.createDatabase())
        return (cluster, try PostgresStore(PostgresLocation(url: url), node: NodeIdentity(name: "a", lease: 4)),
                try PostgresStore(PostgresLocation(url: url), node: NodeIdentity(name: "b", lease: 4)))
    }

    @Test("a reminder added through another node reaches this node's heap by notification, long before its poll")
    func notifiedOfAnotherNodesReminder() throws {
        let (cluster, a, b) = try Self.twoNodes()
        var options = TimerCore.Options()
        options.poll = 600
        let core = TimerCore(store: a, channels: ChannelSet([]), logger: Logger(label: "test"), options: options)
        #expect(try core.start(watchClock: false).pending == 0)
        defer { core.stopTimers() }
        func within(_ seconds: TimeInterval, _ done: () throws -> Bool) rethrows -> Bool {
            let end = Date().addingTimeInterval(seconds)
            while try !done() && Date() < end { Thread.sleep(forTimeInterval: 0.05) }
            return try done()
        }
        let listening = "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND query LIKE 'LISTEN%'"
        #expect(try within(5) { try cluster.psql(listening, database: a.place.database) == "1" }, "a's listening connection is open")
        let soon = Date().addingTimeInterval(120)
        let item = NewItem(kind: .meeting, key: "m", title: "ประชุม", when: .instant(soon.addingTimeInterval(3600)), timeZone: "Asia/Bangkok")
        _ = try b.add(item, reminders: [PlannedReminder(fireAt: soon, purpose: .lead("0"))], dayTime: TimeOfDay(hour: 9, minute: 0)!, now: Date())
        #expect(within(2) { core.snapshot().pending == 1 }, "a's heap learned of b's reminder without a poll (600 s)")
    }

    @Test("a claim taken by another node is refused after the confirmation window; one check confirms the rest of a batch")
    func refusesTakenClaims() throws {
        let (_, a, b) = try Self.twoNodes()
        let item = NewItem(kind: .meeting, key: "m", title: "ประชุม", when: .instant(Self.t0.addingTimeInterval(3600)), timeZone: "Asia/Bangkok")
        let ids = try a.add(item, reminders: (0..<3).map { _ in PlannedReminder(fireAt: Self.t0, purpose: .lead("0")) },
                            dayTime: TimeOfDay(hour: 9, minute: 0)!, now: Self.t0).1.map(\.id)
        let book = ClaimBook(lease: .seconds(4))
        let gate = ClaimGate(claims: book, store: a)
        let asked = ContinuousClock.now
        book.add(try a.claim(ids, now: Self.t0), now: asked)
        #expect(book.confirmation == .seconds(0.5))
        #expect(gate.mayStart(ids[0], next: ids[0...]), "confirmed by the claim itself")

        Thread.sleep(forTimeInterval: 0.6)
        #expect(book.mayStillSend(ids[0], confirmed: true) == nil, "the claim's word is too old now")
        #expect(gate.mayStart(ids[0], next: ids[0...]), "the database still shows a's tokens")
        #expect(book.mayStillSend(ids[2], confirmed: true) != nil, "the same query confirmed the rest of the batch")

        // a's process restarts: its rows are free at once and b takes them.
        try a.releaseClaims()
        #expect(try b.claim(ids, now: Self.t0).count == 3)
        Thread.sleep(forTimeInterval: 0.6)
        #expect(book.mayStillSend(ids[1]) != nil, "by a's own clock the lease has time left")
        #expect(!gate.mayStart(ids[1], next: ids[1...]), "the database shows b's tokens")
        #expect(!gate.mayStart(ids[2], next: ids[2...]))
    }
}
