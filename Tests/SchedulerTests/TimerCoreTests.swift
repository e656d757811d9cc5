import DeadlineCore
import DeadlineStore
import SQLiteStore
import Delivery
import Dispatch
import Foundation
import Logging
@_spi(Testing) import Scheduler
import Synchronization
import Testing

let nineOClock = TimeOfDay(hour: 9, minute: 0)!

/// A clock the test moves by hand.
final class ManualClock: WallClock {
    private let current: Mutex<Date>
    init(_ start: Date) { current = Mutex(start) }
    func now() -> Date { current.withLock { $0 } }
    func advance(to date: Date) { current.withLock { $0 = date } }
}

/// An alarm that records how it was armed and never fires by itself.
final class RecordingAlarm: Alarm, @unchecked Sendable {
    // Touched only on the core's queue, like a real alarm.
    private(set) var armings: [Date?] = []
    func arm(at instant: Date) { armings.append(instant) }
    func disarm() { armings.append(nil) }
}

/// A channel that remembers what it was given, in order.
final class RecordingChannel: Channel {
    let name = "record"
    private let received = Mutex<[Reminder]>([])
    var reminders: [Reminder] { received.withLock { $0 } }
    func deliver(_ reminder: Reminder) async throws -> String? { received.withLock { $0.append(reminder) }; return nil }
}

/// A store in a temporary file, a core over it with a manual clock and alarm.
struct Harness {
    let dir: String
    let store: any Store
    let clock: ManualClock
    let channel = RecordingChannel()
    let core: TimerCore
    let alarmBox = AlarmBox()

    final class AlarmBox: @unchecked Sendable {
        var alarm: RecordingAlarm?
        var armings: [Date?] { alarm?.armings ?? [] }
    }

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)

    init(dir: String? = nil, clockAt: Date = Harness.t0, channels extra: [any Channel] = [], options: TimerCore.Options = .init(),
         misfire: MisfirePolicy = .default) throws {
        let d = dir ?? FileManager.default.temporaryDirectory.appendingPathComponent("deadlined-core-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: d, withIntermediateDirectories: true)
        self.dir = d
        store = try SQLiteStore(path: d + "/s.sqlite")
        clock = ManualClock(clockAt)
        let box = alarmBox
        var opts = options
        opts.heartbeat = 0
        core = TimerCore(store: store, channels: ChannelSet([channel] + extra), clock: clock, logger: Logger(label: "test"), options: opts,
                         misfirePolicy: { _ in misfire },
                         makeAlarm: { _, _ in
                             let a = RecordingAlarm()
                             box.alarm = a
                             return a
                         })
    }

    @discardableResult
    func add(_ title: String, at offset: TimeInterval, key: String = "") throws -> Occurrence {
        let at = Harness.t0.addingTimeInterval(offset)
        let item = NewItem(kind: .meeting, key: key, title: title, when: .instant(at), timeZone: "Asia/Bangkok")
        let (_, occ) = try store.add(item, reminders: [PlannedReminder(fireAt: at, purpose: .lead("0"))], dayTime: nineOClock, now: clock.now())
        core.schedule(occ)
        return occ[0]
    }

    /// Waits for the core's queue to finish what was sent to it.
    func settle() { _ = core.snapshot() }
}

@Suite("Timer core")
struct TimerCoreTests {
    @Test("fires in due order, only what is due, and marks it delivered")
    func ordering() async throws {
        let h = try Harness()
        _ = try h.core.start(watchClock: false)
        try h.add("third", at: 30)
        try h.add("first", at: 10)
        try h.add("second", at: 20)
        try h.add("later", at: 3600)
        h.settle()

        h.clock.advance(to: Harness.t0.addingTimeInterval(30))
        await h.core.fireNowAndSettle()
        #expect(h.channel.reminders.map(\.item.title) == ["first", "second", "third"])
        #expect(try h.store.countsByState() == [.delivered: 3, .pending: 1])
        #expect(h.core.snapshot().pending == 1)
        #expect(h.core.armedInstant() == Harness.t0.addingTimeInterval(3600))
    }

    @Test("nothing fires early, even when the alarm goes off early")
    func noEarlyFire() async throws {
        let h = try Harness()
        _ = try h.core.start(watchClock: false)
        try h.add("a", at: 10)
        h.settle()
        h.clock.advance(to: Harness.t0.addingTimeInterval(9.999))
        await h.core.fireNowAndSettle()
        #expect(h.channel.reminders.isEmpty)
        #expect(h.core.armedInstant() == Harness.t0.addingTimeInterval(10))
    }

    @Test("re-arms only when the head changes")
    func rearmOnNewHead() throws {
        let h = try Harness()
        _ = try h.core.start(watchClock: false)
        try h.add("a", at: 100)
        h.settle()
        #expect(h.alarmBox.armings == [Harness.t0.addingTimeInterval(100)])
        try h.add("later, same head", at: 200)
        h.settle()
        #expect(h.alarmBox.armings.count == 1)
        try h.add("earlier: new head", at: 50)
        h.settle()
        #expect(h.alarmBox.armings == [Harness.t0.addingTimeInterval(100), Harness.t0.addingTimeInterval(50)])
    }

    @Test("removal drops an occurrence and re-arms for the next one")
    func removal() async throws {
        let h = try Harness()
        _ = try h.core.start(watchClock: false)
        let a = try h.add("a", at: 10)
        try h.add("b", at: 20)
        h.core.remove(occurrenceIDs: [a.id])
        h.settle()
        #expect(h.core.snapshot().pending == 1)
        #expect(h.core.armedInstant() == Harness.t0.addingTimeInterval(20))
        h.clock.advance(to: Harness.t0.addingTimeInterval(60))
        await h.core.fireNowAndSettle()
        #expect(h.channel.reminders.map(\.item.title) == ["b"])
        h.core.remove(occurrenceIDs: [a.id]) // removing twice is harmless
        h.settle()
        #expect(h.alarmBox.armings.last == .some(nil))
    }

    @Test("start rebuilds the heap from the store and re-sends what a crash left firing")
    func rebuildFromStore() async throws {
        let first = try Harness()
        let stuck = try first.add("interrupted", at: -5)
        try first.add("future", at: 100)
        try first.store.markFiring([stuck.id], now: Harness.t0)   // the crash happened here

        let second = try Harness(dir: first.dir)
        let snapshot = try second.core.start(watchClock: false)
        #expect(snapshot.pending == 2)
        await second.core.fireNowAndSettle()
        #expect(second.channel.reminders.map(\.item.title) == ["interrupted"])
        #expect(second.channel.reminders[0].idempotencyKey(channel: "record") == "deadlined-\(stuck.id)-record")
        #expect(try second.store.occurrences(ofItem: stuck.itemID).map(\.attempts) == [2])
        #expect(second.core.armedInstant() == Harness.t0.addingTimeInterval(100))
    }

    @Test("a burst larger than one batch is delivered completely, in order")
    func burst() async throws {
        let h = try Harness()
        _ = try h.core.start(watchClock: false)
        for i in 0..<600 { try h.add("r\(String(format: "%04d", i))", at: Double(i) / 1000) }
        h.settle()
        h.clock.advance(to: Harness.t0.addingTimeInterval(10))
        await h.core.fireNowAndSettle()   // one batch, the rest queued on the core
        h.settle()
        h.settle()
        let titles = h.channel.reminders.map(\.item.title)
        #expect(titles.count == 600)
        #expect(titles == titles.sorted())
    }

    @Test("the watchdog pings from the core, and stops while the core is stalled")
    func watchdogStopsOnStall() async throws {
        let h = try Harness()
        _ = try h.core.start(watchClock: false)
        let pings = Mutex<[Date]>([])
        h.core.startWatchdog(intervalMicroseconds: 40_000) { pings.withLock { $0.append(Date()) } }
        try await Task.sleep(for: .milliseconds(200))
        let before = pings.withLock { $0.count }
        #expect(before >= 4, "expected a ping about every 20 ms, got \(before) in 200 ms")

        // The stall runs on the core's queue; a snapshot queued after it returns only once the
        // stall is over. So the stall lies inside [enqueued, returned], and the pings in that
        // window must leave a gap at least as long as the stall.
        let enqueued = Date()
        h.core.stall(seconds: 0.5)
        _ = h.core.snapshot()
        let returned = Date()
        let inside = pings.withLock { $0 }.filter { $0 > enqueued && $0 < returned }
        let marks = [enqueued] + inside + [returned]
        let longestGap = zip(marks, marks.dropFirst()).map { $1.timeIntervalSince($0) }.max() ?? 0
        #expect(longestGap >= 0.49, "a ping came while the core was stalled; longest gap \(longestGap) s")

        try await Task.sleep(for: .milliseconds(300))
        #expect(pings.withLock { $0 }.contains { $0 > returned }, "pings resume once the core is free")
        h.core.stopTimers()
    }

    @Test("a channel that may leave no send unrecorded starts each send only once the one before is in the store")
    func recordedBeforeTheNext() async throws {
        // What the store held for the previous send when each send began.
        final class Checking: Channel, @unchecked Sendable {
            let name = "checked"
            let policy = ChannelPolicy(concurrency: 1, unrecorded: 1)
            var store: (any Store)?
            let seen = Mutex<[(previous: Int64?, logged: Int)]>([])
            let last = Mutex<Int64?>(nil)
            func deliver(_ reminder: Reminder) async throws -> String? {
                let previous = last.withLock { $0 }
                let logged = try previous.map { try store!.deliveryLog(occurrence: $0).filter { $0.channel == "checked" }.count } ?? 1
                seen.withLock { $0.append((previous, logged)) }
                last.withLock { $0 = reminder.occurrence.id }
                return nil
            }
        }
        let checking = Checking()
        let h = try Harness(channels: [checking])
        checking.store = h.store
        _ = try h.core.start(watchClock: false)
        for i in 0..<200 { try h.add("ประชุม \(i)", at: -1) }
        #expect(await h.core.fireNowAndSettle())
        let seen = checking.seen.withLock { $0 }
        #expect(seen.count == 200)
        #expect(seen.allSatisfy { $0.logged >= 1 }, "sends began before the one before was recorded: \(seen.filter { $0.logged == 0 }.count)")
    }

    @Test("with a real wall-clock timer, what a crash left firing is sent at start, not when the next reminder comes due")
    func realTimerResendsAtStart() async throws {
        let first = try Harness()
        let stuck = try first.add("interrupted", at: -5)
        try first.add("far", at: 3600)
        try first.store.markFiring([stuck.id], now: Harness.t0)
        let channel = RecordingChannel()
        let core = TimerCore(store: first.store, channels: ChannelSet([channel]), logger: Logger(label: "test"))
        _ = try core.start(watchClock: false)
        defer { core.stopTimers() }
        for _ in 0..<40 where channel.reminders.isEmpty { try await Task.sleep(for: .milliseconds(25)) }
        #expect(channel.reminders.map(\.item.title) == ["interrupted"])
    }

    @Test("a real wall-clock timer fires on time")
    func realTimer() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("deadlined-real-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let channel = RecordingChannel()
        let stamps = Mutex<[Date]>([])
        struct Stamping: Channel {
            let name = "stamp"
            let record: @Sendable () -> Void
            func deliver(_ reminder: Reminder) async throws -> String? { record(); return nil }
        }
        let core = TimerCore(store: store, channels: ChannelSet([channel, Stamping(record: { stamps.withLock { $0.append(Date()) } })]),
                             logger: Logger(label: "test"))
        _ = try core.start()
        let due = Date().addingTimeInterval(0.3)
        let (_, occ) = try store.add(NewItem(kind: .deadline, title: "d", when: .instant(due), timeZone: "UTC"),
                                     reminders: [PlannedReminder(fireAt: due, purpose: .lead("0"))], dayTime: nineOClock, now: Date())
        core.schedule(occ)
        for _ in 0..<40 where stamps.withLock({ $0.isEmpty }) { try await Task.sleep(for: .milliseconds(25)) }
        let fired = try #require(stamps.withLock { $0.first })
        #expect(fired >= due)
        #expect(fired.timeIntervalSince(due) < 0.1)
        core.stopTimers()
    }
}
