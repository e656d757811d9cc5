import DeadlineCore
import DeadlineStore
import Foundation
import PostgresStore
import PostgresTestKit
import Testing

/// Several nodes on one PostgreSQL database, at the store's level: who may send what, and
/// what a node that lost its claim may still write (nothing).
@Suite("PostgreSQL store: claims, leases and fencing tokens between nodes")
struct ClusterStoreTests {
    static let t0 = Date(timeIntervalSince1970: 1_494_918_000)
    static let day = TimeOfDay(hour: 9, minute: 0)!

    /// `count` nodes on one fresh database, with the lease given.
    static func nodes(_ count: Int, lease: TimeInterval) throws -> [PostgresStore] {
        let cluster = try PostgresTestCluster.shared.get()
        let url = cluster.url(database: try cluster.createDatabase())
        return try (0..<count).map { try PostgresStore(PostgresLocation(url: url), node: NodeIdentity(name: "node-\($0)", lease: lease)) }
    }

    /// One meeting with `reminders` reminders due at t0; their ids.
    static func due(_ store: PostgresStore, reminders: Int) throws -> [Int64] {
        let item = NewItem(kind: .meeting, key: "m", title: "ประชุม", when: .instant(t0.addingTimeInterval(3600)), timeZone: "Asia/Bangkok")
        let (_, occurrences) = try store.add(item, reminders: (0..<reminders).map { _ in PlannedReminder(fireAt: t0, purpose: .lead("0")) },
                                             dayTime: day, now: t0)
        return occurrences.map(\.id)
    }

    static func delivered(_ id: Int64, fence: Int64, channel: String = "file") -> DeliveryOutcome {
        var o = DeliveryOutcome(delivered: [id])
        o.attempts = [DeliveryAttempt(occurrenceID: id, channel: channel, idempotencyKey: "deadlined-\(id)-\(channel)", attempt: 1, at: t0, error: nil)]
        o.fences = [id: fence]
        return o
    }

    @Test("a claim held by one node is skipped by another until its lease runs out on the database's clock; then the old holder writes nothing")
    func leaseAndFence() throws {
        let nodes = try Self.nodes(2, lease: 1)
        let (a, b) = (nodes[0], nodes[1])
        let ids = try Self.due(a, reminders: 3)
        let first = try a.claim(ids, now: Self.t0)
        #expect(first.map(\.id) == ids)
        #expect(try b.claim(ids, now: Self.t0).isEmpty, "held by node-0's lease")
        Thread.sleep(forTimeInterval: 1.3)
        let second = try b.claim(ids, now: Self.t0)
        #expect(second.map(\.id) == ids, "the lease ran out")
        #expect(zip(first, second).allSatisfy { $1.fence > $0.fence }, "a new claim, a greater token")
        // node-0 wakes up and reports what it sent under its old tokens: nothing is written.
        let lost = try a.record(Self.delivered(ids[0], fence: first[0].fence), now: Self.t0)
        #expect(lost == [ids[0]])
        #expect(try a.deliveryLog(occurrence: ids[0]).isEmpty)
        #expect(try b.countsByState() == [.firing: 3])
        #expect(try b.record(Self.delivered(ids[0], fence: second[0].fence), now: Self.t0).isEmpty)
        #expect(try b.deliveryLog(occurrence: ids[0]).count == 1)
        #expect(try b.countsByState() == [.firing: 2, .delivered: 1])
    }

    @Test("claimDue takes the soonest owed rows up to its limit, skips another node's claims and what is not due; a missed one is written only by its holder")
    func claimWhateverIsDue() throws {
        let nodes = try Self.nodes(2, lease: 30)
        let (a, b) = (nodes[0], nodes[1])
        let item = NewItem(kind: .meeting, key: "m", title: "ประชุม", when: .instant(Self.t0.addingTimeInterval(3600)), timeZone: "Asia/Bangkok")
        let offsets: [TimeInterval] = [4, 0, 3, 1, 2, 100]
        let ids = try a.add(item, reminders: offsets.map { PlannedReminder(fireAt: Self.t0.addingTimeInterval($0), purpose: .lead("0")) },
                            dayTime: Self.day, now: Self.t0).1.map(\.id)
        let now = Self.t0.addingTimeInterval(10)
        let first = try a.claimDue(now: now, limit: 3)
        #expect(first.map(\.id) == [ids[1], ids[3], ids[4]], "the three soonest, soonest first")
        let second = try b.claimDue(now: now, limit: 10)
        #expect(second.map(\.id) == [ids[2], ids[0]], "the rest that is due; not a's, not the one due later")
        #expect(try a.claimDue(now: now, limit: 10).isEmpty)

        var missed = DeliveryOutcome()
        missed.missed = [first[0].id, second[0].id]
        missed.fences = [first[0].id: first[0].fence]
        #expect(try a.record(missed, now: now).isEmpty)
        #expect(try b.countsByState() == [.missed: 1, .firing: 4, .pending: 1], "b's live claim is b's to settle")
    }

    @Test("the look-ahead: owed rows before the instant, another node's claim at its lease's end, nothing later")
    func lookAhead() throws {
        let a = try Self.nodes(1, lease: 30)[0]
        let now = Date()
        let item = NewItem(kind: .meeting, key: "m", title: "ประชุม", when: .instant(now.addingTimeInterval(7200)), timeZone: "Asia/Bangkok")
        let ids = try a.add(item, reminders: [10, 1000, 20].map { PlannedReminder(fireAt: now.addingTimeInterval($0), purpose: .lead("0")) },
                            dayTime: Self.day, now: now).1.map(\.id)
        #expect(try a.claim([ids[2]], now: now.addingTimeInterval(3600)).count == 1)
        let ahead = Dictionary(uniqueKeysWithValues: try a.unfinishedSchedule(before: now.addingTimeInterval(100)).map { ($0.id, $0.fireAt) })
        #expect(Set(ahead.keys) == [ids[0], ids[2]], "not the one due in 1,000 s")
        #expect(abs(ahead[ids[0]]!.timeIntervalSince(now) - 10) < 0.01)
        #expect(abs(ahead[ids[2]]!.timeIntervalSince(now) - 30) < 3, "a claimed row when its lease ends")
    }

    @Test("oldestUnclaimed: since when a due reminder waits for a claim; none while a live lease holds it, the lease's end once it lapsed")
    func oldestUnclaimed() throws {
        let a = try Self.nodes(1, lease: 1)[0]
        let now = Date()
        let item = NewItem(kind: .meeting, key: "m", title: "ประชุม", when: .instant(now.addingTimeInterval(7200)), timeZone: "Asia/Bangkok")
        let ids = try a.add(item, reminders: [-40, -20, 600].map { PlannedReminder(fireAt: now.addingTimeInterval($0), purpose: .lead("0")) },
                            dayTime: Self.day, now: now).1.map(\.id)
        let first = try #require(try a.oldestUnclaimed(now: now))
        #expect(abs(first.timeIntervalSince(now) + 40) < 0.01, "the one due 40 s ago")
        let claimed = Date()
        _ = try a.claim([ids[0], ids[1]], now: now)
        #expect(try a.oldestUnclaimed(now: now) == nil, "both held; the third is not due")
        Thread.sleep(forTimeInterval: 1.3)
        let since = try #require(try a.oldestUnclaimed(now: now))
        #expect(abs(since.timeIntervalSince(claimed) - 1) < 0.5, "waiting since the lease lapsed")
    }

    @Test("nodes claiming the same due reminders at once: each is claimed by exactly one")
    func concurrentClaims() async throws {
        let nodes = try Self.nodes(3, lease: 30)
        let ids = try Self.due(nodes[0], reminders: 1_000)
        let claimed = try await withThrowingTaskGroup(of: [Int64].self) { group in
            for node in nodes {
                group.addTask {
                    var mine: [Int64] = []
                    // In batches of 100, as the timer core does, all nodes over the same ids.
                    for batch in stride(from: 0, to: ids.count, by: 100) { mine += try node.claim(Array(ids[batch..<batch + 100]), now: Self.t0).map(\.id) }
                    return mine
                }
            }
            return try await group.reduce(into: [[Int64]]()) { $0.append($1) }
        }
        #expect(claimed.map(\.count).reduce(0, +) == 1_000)
        #expect(Set(claimed.flatMap { $0 }) == Set(ids))
    }

    @Test("a restarted node releases what it held; renewal keeps a claim past its first lease; holding() says which")
    func releaseAndRenew() throws {
        let nodes = try Self.nodes(2, lease: 1)
        let (a, b) = (nodes[0], nodes[1])
        let ids = try Self.due(a, reminders: 2)
        let claims = try a.claim(ids, now: Self.t0)
        #expect(try a.holding(claims, margin: 0.2).sorted() == ids.sorted())
        #expect(try a.holding(claims, margin: 5).isEmpty, "less than 5 s of lease left")
        Thread.sleep(forTimeInterval: 0.6)
        #expect(try a.renewLeases(claims).sorted() == ids.sorted())
        Thread.sleep(forTimeInterval: 0.6)
        #expect(try b.claim(ids, now: Self.t0).isEmpty, "renewed 0.6 s ago for 1 s")
        try a.releaseClaims()
        let taken = try b.claim(ids, now: Self.t0)
        #expect(taken.count == 2, "released at once")
        #expect(try a.holding(claims + taken, margin: 0).sorted() == ids.sorted(), "b's tokens hold")
        #expect(try a.holding(claims, margin: 0).isEmpty, "a's tokens are stale")
        #expect(try a.renewLeases(claims).isEmpty, "a's tokens are stale")
    }

    @Test("a retry another node moved later is not claimed early; one accepted delivery per occurrence and channel")
    func dueAndUnique() throws {
        let nodes = try Self.nodes(2, lease: 30)
        let (a, b) = (nodes[0], nodes[1])
        let ids = try Self.due(a, reminders: 1)
        let claim = try a.claim(ids, now: Self.t0)[0]
        var retry = DeliveryOutcome()
        retry.retrying = [(claim.id, Self.t0.addingTimeInterval(60), "timeout")]
        retry.fences = [claim.id: claim.fence]
        #expect(try a.record(retry, now: Self.t0).isEmpty)
        #expect(try b.claim(ids, now: Self.t0.addingTimeInterval(30)).isEmpty, "due at t0 + 60")
        let again = try b.claim(ids, now: Self.t0.addingTimeInterval(61))
        #expect(again.count == 1)
        // A second accepted attempt of the same channel (a bug, or a race) stays out of the log.
        var twice = Self.delivered(claim.id, fence: again[0].fence)
        twice.attempts += twice.attempts
        #expect(try b.record(twice, now: Self.t0).isEmpty)
        #expect(try b.deliveryLog(occurrence: claim.id).filter { $0.error == nil }.count == 1)
    }

    @Test("heartbeat rows: every node, how long since each was seen, what each holds")
    func heartbeats() throws {
        let nodes = try Self.nodes(2, lease: 30)
        let ids = try Self.due(nodes[0], reminders: 2)
        _ = try nodes[1].claim(ids, now: Self.t0)
        _ = try nodes[0].heartbeat(now: Self.t0)
        let seen = try nodes[1].heartbeat(now: Self.t0)
        #expect(seen.map(\.name) == ["node-0", "node-1"])
        #expect(seen.allSatisfy { $0.silentFor < 5 })
        #expect(seen.map(\.holding) == [0, 2])
    }
}
