import DeadlineCore
import DeadlineStore
import Delivery
import Foundation
@_spi(Testing) import Scheduler
import Synchronization
import Testing

/// A channel that refuses the first `failures` sends of each occurrence, then accepts.
final class FlakyChannel: Channel {
    let name: String
    let failures: Int
    private let seen = Mutex<[Int64: Int]>([:])
    private let accepted = Mutex<[String]>([])

    let policy: ChannelPolicy

    init(name: String = "flaky", failures: Int, maxAttempts: Int = 6) {
        self.name = name
        self.failures = failures
        self.policy = ChannelPolicy(retry: RetryPolicy(maxAttempts: maxAttempts))
    }

    var acceptedKeys: [String] { accepted.withLock { $0 } }

    struct Refused: Error, CustomStringConvertible { var description: String { "HTTP 500" } }

    func deliver(_ reminder: Reminder) async throws -> String? {
        let n = seen.withLock { $0[reminder.occurrence.id, default: 0] += 1; return $0[reminder.occurrence.id]! }
        if n <= failures { throw Refused() }
        accepted.withLock { $0.append(reminder.idempotencyKey(channel: name)) }
        return "accepted"
    }
}

@Suite("Timer core: retries, misfires, clock steps")
struct DurabilityTests {
    let t0 = Harness.t0

    @Test("a failing channel is retried with backoff; the channel that accepted is not sent again")
    func retry() async throws {
        let flaky = FlakyChannel(failures: 1)
        let h = try Harness(channels: [flaky])
        _ = try h.core.start(watchClock: false)
        let o = try h.add("a", at: 10)
        h.settle()
        h.clock.advance(to: t0.addingTimeInterval(10))
        await h.core.fireNowAndSettle()
        var row = try #require(try h.store.occurrences(ofItem: o.itemID).first)
        #expect(row.state == .retrying)
        #expect(row.lastError == "flaky: HTTP 500")
        // First retry after 30 s ± 20 %.
        let wait = row.fireAt.timeIntervalSince(t0.addingTimeInterval(10))
        #expect(wait >= 24 && wait <= 36, "retry in \(wait) s")
        #expect(h.core.armedInstant() == row.fireAt)

        h.clock.advance(to: row.fireAt)
        await h.core.fireNowAndSettle()
        row = try #require(try h.store.occurrences(ofItem: o.itemID).first)
        #expect(row.state == .delivered)
        #expect(row.attempts == 2)
        #expect(h.channel.reminders.count == 1, "the recording channel accepted on the first attempt and is not sent again")
        #expect(flaky.acceptedKeys == ["deadlined-\(o.id)-flaky"])
        let log = try h.store.deliveryLog(occurrence: o.id)
        let lines = log.map { "\($0.channel) \($0.attempt) \($0.error == nil ? "ok" : "failed")" }
        // The two channels of the first round run side by side: their order is not fixed.
        #expect(Set(lines.prefix(2)) == ["record 1 ok", "flaky 1 failed"])
        #expect(lines.dropFirst(2) == ["flaky 2 ok"])
        #expect(log.contains { $0.error != nil && $0.retryAt != nil }, "the failure says when its channel tries again")
        #expect(Set(log.map(\.idempotencyKey)) == ["deadlined-\(o.id)-record", "deadlined-\(o.id)-flaky"])
    }

    @Test("after the last attempt the reminder is failed, with its error")
    func failsAfterMaxAttempts() async throws {
        let h = try Harness(channels: [FlakyChannel(failures: 100, maxAttempts: 3)])
        _ = try h.core.start(watchClock: false)
        let o = try h.add("a", at: 1)
        for _ in 0..<3 {
            h.settle()
            h.clock.advance(to: h.clock.now().addingTimeInterval(7200))
            await h.core.fireNowAndSettle()
        }
        let row = try #require(try h.store.occurrences(ofItem: o.itemID).first)
        #expect(row.state == .failed)
        #expect(row.attempts == 3)
        #expect(row.lastError == "flaky: HTTP 500")
        #expect(h.core.snapshot().pending == 0)
        #expect(h.core.snapshot().failedSinceStart == 1)
    }

    @Test("catch-up: late within the grace is sent, beyond it is missed")
    func catchUp() async throws {
        let h = try Harness(misfire: .catchUp(grace: 3 * 3600))
        _ = try h.core.start(watchClock: false)
        let old = try h.add("four hours ago", at: 0)
        let recent = try h.add("one hour ago", at: 3 * 3600)
        h.settle()
        h.clock.advance(to: t0.addingTimeInterval(4 * 3600))
        await h.core.fireNowAndSettle()
        #expect(h.channel.reminders.map(\.item.title) == ["one hour ago"])
        #expect(try h.store.occurrences(ofItem: old.itemID).map(\.state) == [.missed])
        #expect(try h.store.occurrences(ofItem: recent.itemID).map(\.state) == [.delivered])
        #expect(h.core.snapshot().missedSinceStart == 1)
        #expect(h.core.snapshot().caughtUpSinceStart == 1)
    }

    @Test("skip: nothing late is sent; on time still is")
    func skip() async throws {
        let h = try Harness(misfire: .skip)
        _ = try h.core.start(watchClock: false)
        try h.add("late", at: 0)
        try h.add("on time", at: 7200 - 30)
        h.settle()
        h.clock.advance(to: t0.addingTimeInterval(7200))
        await h.core.fireNowAndSettle()
        #expect(h.channel.reminders.map(\.item.title) == ["on time"])
        #expect(try h.store.countsByState() == [.missed: 1, .delivered: 1])
    }

    @Test("coalesce: of an item's several late reminders, only the latest is sent")
    func coalesce() async throws {
        let h = try Harness(misfire: .coalesce(grace: 24 * 3600))
        _ = try h.core.start(watchClock: false)
        let item = NewItem(kind: .deadline, key: "d", title: "ส่งแผน", when: .instant(t0.addingTimeInterval(3600)), timeZone: "Asia/Bangkok")
        let plan = [0, 600, 1200].map { PlannedReminder(fireAt: t0.addingTimeInterval(Double($0)), purpose: .lead("r\($0)")) }
        let (_, occ) = try h.store.add(item, reminders: plan, dayTime: nineOClock, now: t0)
        h.core.schedule(occ)
        try h.add("other", at: 300)
        h.settle()
        h.clock.advance(to: t0.addingTimeInterval(5 * 3600))
        await h.core.fireNowAndSettle()
        #expect(h.channel.reminders.map(\.occurrence.label).sorted() == ["0", "r1200"])
        #expect(try h.store.occurrences(ofItem: occ[0].itemID).map(\.state) == [.missed, .missed, .delivered])
    }

    @Test("wall clock steps forward then back: nothing due is skipped, nothing delivered is sent again")
    func clockSteps() async throws {
        let h = try Harness()
        _ = try h.core.start(watchClock: false)
        for offset in [10.0, 20, 30] { try h.add("at \(Int(offset))", at: offset) }
        h.settle()
        // Forward past two of them: both go out at once (late by less than a minute).
        h.clock.advance(to: t0.addingTimeInterval(25))
        h.core.clockStepped(); await h.core.settled(limit: .seconds(30))
        #expect(h.channel.reminders.map(\.item.title) == ["at 10", "at 20"])
        #expect(h.core.armedInstant() == t0.addingTimeInterval(30))
        // Back before all of them: nothing is sent again, nothing fires early.
        h.clock.advance(to: t0.addingTimeInterval(5))
        h.core.clockStepped(); await h.core.settled(limit: .seconds(30))
        #expect(h.channel.reminders.count == 2)
        #expect(h.core.armedInstant() == t0.addingTimeInterval(30))
        h.clock.advance(to: t0.addingTimeInterval(30))
        await h.core.fireNowAndSettle()
        #expect(h.channel.reminders.map(\.item.title) == ["at 10", "at 20", "at 30"])
        #expect(try h.store.countsByState() == [.delivered: 3])
    }

    @Test("a forward step of hours: the misfire policy decides, as after a suspend")
    func bigForwardStep() async throws {
        let h = try Harness(misfire: .catchUp(grace: 3600))
        _ = try h.core.start(watchClock: false)
        try h.add("two hours late", at: 10)
        try h.add("ten minutes late", at: 7200 - 600)
        h.settle()
        h.clock.advance(to: t0.addingTimeInterval(7200))
        h.core.clockStepped(); await h.core.settled(limit: .seconds(30))
        #expect(h.channel.reminders.map(\.item.title) == ["ten minutes late"])
        #expect(try h.store.countsByState() == [.missed: 1, .delivered: 1])
    }

    @Test("a reminder cancelled in the store while still on the heap is not sent")
    func cancelRace() async throws {
        let h = try Harness()
        _ = try h.core.start(watchClock: false)
        try h.add("closed", at: 10, key: "k1")
        try h.add("open", at: 10, key: "k2")
        h.settle()
        _ = try h.store.setState(key: "k1", to: .cancelled, by: "test", now: t0)   // the core was not told
        h.clock.advance(to: t0.addingTimeInterval(10))
        await h.core.fireNowAndSettle()
        #expect(h.channel.reminders.map(\.item.title) == ["open"])
        #expect(try h.store.countsByState() == [.cancelled: 1, .delivered: 1])
    }

    @Test("misfire policies read and write back", arguments: ["catch-up:1d", "catch-up:12h", "skip", "coalesce:2h", "coalesce:1d"])
    func policyText(text: String) throws {
        #expect(try #require(MisfirePolicy(text)).description == text)
    }

    @Test("bad misfire policies are refused", arguments: ["", "later", "skip:1h", "catch-up:", "catch-up:0h", "coalesce:1y"])
    func badPolicy(text: String) {
        #expect(MisfirePolicy(text) == nil)
    }

    @Test("backoff doubles up to the ceiling, with bounded jitter")
    func backoff() {
        let p = RetryPolicy(maxAttempts: 10, baseDelay: 30, maxDelay: 3600, jitter: 0.2)
        #expect(p.delay(afterAttempt: 1, random: 0.5) == 30)
        #expect(p.delay(afterAttempt: 2, random: 0.5) == 60)
        #expect(p.delay(afterAttempt: 5, random: 0.5) == 480)
        #expect(p.delay(afterAttempt: 9, random: 0.5) == 3600)
        #expect(p.delay(afterAttempt: 1, random: 0) == 24)
        #expect(p.delay(afterAttempt: 1, random: 1) == 36)
    }
}

/// Accepts at once, except for reminders titled "busy" (0.3 s) and "slow" (`delay`). Just
/// before the slow one is accepted, `beforeSlowReturns` runs: the test looks at the store then.
final class SometimesSlowChannel: Channel {
    let name = "sometimes-slow"
    let delay: Duration
    let beforeSlowReturns: @Sendable () -> Void
    init(delay: Duration, beforeSlowReturns: @escaping @Sendable () -> Void) {
        self.delay = delay
        self.beforeSlowReturns = beforeSlowReturns
    }
    func deliver(_ reminder: Reminder) async throws -> String? {
        if reminder.item.title == "busy" { try await Task.sleep(for: .milliseconds(300)) }
        if reminder.item.title == "slow" {
            try await Task.sleep(for: delay)
            beforeSlowReturns()
        }
        return nil
    }
}

/// Where the test can read its harness's store from inside a channel.
final class StoreBox: @unchecked Sendable {
    // Set once before the core fires, read after.
    var store: (any Store)?
    var quickItem: Int64 = 0
}

@Suite("Timer core: lanes")
struct LaneTests {
    @Test("a quick send is recorded at once even when the next one in its lane is slow")
    func quickBeforeSlow() async throws {
        let box = StoreBox()
        let seen = Mutex<OccurrenceState?>(nil)
        let channel = SometimesSlowChannel(delay: .seconds(3)) {
            let state = try? box.store?.occurrences(ofItem: box.quickItem).first?.state
            seen.withLock { $0 = state ?? nil }
        }
        let h = try Harness(channels: [channel])
        box.store = h.store
        _ = try h.core.start(watchClock: false)
        // "busy" holds the lane's one slot, so "quick" and "slow" wait and then go as one batch.
        try h.add("busy", at: 0.5)
        let quick = try h.add("quick", at: 1)
        let slow = try h.add("slow", at: 2)
        box.quickItem = quick.itemID
        h.settle()
        h.clock.advance(to: Harness.t0.addingTimeInterval(10))
        h.core.fireNow()
        await h.core.settled(limit: .seconds(30))
        // Seen from inside the slow send, 3 s after the quick one was accepted: its outcome was
        // already written, not held back behind the slow one.
        #expect(seen.withLock { $0 } == .delivered, "the quick reminder's outcome waited for the slow one")
        #expect(try h.store.occurrences(ofItem: slow.itemID).first?.state == .delivered)
    }
}
