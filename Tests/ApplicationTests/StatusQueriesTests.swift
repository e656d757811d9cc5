import Application
import DeadlineCore
import DeadlineStore
import Foundation
import SQLiteStore
import Synchronization
import Testing

/// Store work counted: how many reads a query made; each takes at least `slowness`.
final class CountingExecutor: BlockingExecutor {
    let runs = Atomic<Int>(0)
    let slowness: Duration
    init(slowness: Duration = .zero) { self.slowness = slowness }
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        runs.add(1, ordering: .relaxed)
        try await Task.sleep(for: slowness)
        return try await ThreadExecutor().run(body)
    }
    func submit(_ work: @escaping @Sendable () -> Void) { ThreadExecutor().submit(work) }
}

@Suite("Application: Status figures")
struct StatusQueriesTests {
    @Test("read once while nothing is written, and again after any write, even one outside the commit path")
    func cachedUntilWritten() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deadlined-status-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let store = try SQLiteStore(path: directory + "/store.sqlite")
        let executor = CountingExecutor()
        let settings = Settings(timeZone: "Asia/Bangkok", organisation: "อบต. ทดสอบ", dayTime: TimeOfDay(hour: 9, minute: 0)!, rules: RuleBook())
        let app = Application(store: store, queue: RecordingQueue(), calendar: SharedCalendar(WorkingCalendar()), settings: { settings },
                              clock: FixedClock(instant: Fixture.now), executor: executor)

        #expect(try await app.statusFigures(problemLimit: 10, maxAge: .seconds(3600)).items == 0)
        #expect(try await app.statusFigures(problemLimit: 10, maxAge: .seconds(3600)).items == 0)
        #expect(executor.runs.load(ordering: .relaxed) == 1, "the second Status read the store again")

        // As the timer core writes: straight to the store.
        let due = Fixture.now.addingTimeInterval(3600)
        _ = try store.add(NewItem(kind: .deadline, key: "d1", title: "ส่งแผน", when: .instant(due), timeZone: "Asia/Bangkok"),
                          reminders: [PlannedReminder(fireAt: due, purpose: .lead("0"))], dayTime: settings.dayTime, now: Fixture.now)
        let after = try await app.statusFigures(problemLimit: 10, maxAge: .seconds(3600))
        #expect(after.items == 1 && after.counts[.pending] == 1)
        #expect(executor.runs.load(ordering: .relaxed) == 2)
    }

    @Test("read again once older than its age, though nothing was written")
    func readAgainWhenOld() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deadlined-status-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let executor = CountingExecutor()
        let settings = Settings(timeZone: "Asia/Bangkok", organisation: "อบต. ทดสอบ", dayTime: TimeOfDay(hour: 9, minute: 0)!, rules: RuleBook())
        let app = Application(store: try SQLiteStore(path: directory + "/store.sqlite"), queue: RecordingQueue(),
                              calendar: SharedCalendar(WorkingCalendar()), settings: { settings },
                              clock: FixedClock(instant: Fixture.now), executor: executor)
        _ = try await app.statusFigures(problemLimit: 10, maxAge: .zero)
        _ = try await app.statusFigures(problemLimit: 10, maxAge: .zero)
        #expect(executor.runs.load(ordering: .relaxed) == 2)
    }

    @Test("twenty Status calls at once, none cached: one read of the store, every call answered with it")
    func oneReadForCallsAtOnce() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("deadlined-status-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let executor = CountingExecutor(slowness: .milliseconds(200))
        let settings = Settings(timeZone: "Asia/Bangkok", organisation: "อบต. ทดสอบ", dayTime: TimeOfDay(hour: 9, minute: 0)!, rules: RuleBook())
        let app = Application(store: try SQLiteStore(path: directory + "/store.sqlite"), queue: RecordingQueue(),
                              calendar: SharedCalendar(WorkingCalendar()), settings: { settings },
                              clock: FixedClock(instant: Fixture.now), executor: executor)
        let answers = try await withThrowingTaskGroup(of: Int.self) { group in
            for _ in 0..<20 { group.addTask { try await app.statusFigures(problemLimit: 10).items } }
            return try await group.reduce(into: [Int]()) { $0.append($1) }
        }
        #expect(answers == Array(repeating: 0, count: 20))
        #expect(executor.runs.load(ordering: .relaxed) == 1)
    }
}
