import DeadlineCore
import DeadlineStore
import Foundation
import PostgresStore
import PostgresTestKit
@testable import Scheduler
import Testing

/// The check before each send on a shared store, against a real PostgreSQL: the database's
/// word is taken for a short window, one query covers the rest of a batch, and a claim another
/// node took is refused once that window is over.
@Suite("Claim gate: the check before each send on a shared store")
struct ClaimGateTests {
    static let t0 = Date(timeIntervalSince1970: 1_494_918_000)

    @Test("a claim taken by another node is refused after the confirmation window; one check confirms the rest of a batch")
    func refusesTakenClaims() throws {
        let cluster = try PostgresTestCluster.shared.get()
        let url = cluster.url(database: try cluster.createDatabase())
        let (a, b) = (try PostgresStore(PostgresLocation(url: url), node: NodeIdentity(name: "a", lease: 4)),
                      try PostgresStore(PostgresLocation(url: url), node: NodeIdentity(name: "b", lease: 4)))
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
