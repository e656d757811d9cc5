import Application
import DeadlineCore
import DeadlineStore
import SQLiteStore
import Foundation
import Synchronization
import Testing

/// The timer core as a list of what it was told.
final class RecordingQueue: ReminderQueue {
    let told = Mutex<(scheduled: [Int64], removed: [Int64])>(([], []))
    func schedule(_ occurrences: [Occurrence]) { told.withLock { $0.scheduled += occurrences.map(\.id) } }
    func remove(occurrenceIDs: [Int64]) { told.withLock { $0.removed += occurrenceIDs } }
}

/// Store work on a thread of its own per call, as the daemon's thread pool would run it.
struct ThreadExecutor: BlockingExecutor {
    func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            Thread { continuation.resume(with: Result { try body() }) }.start()
        }
    }

    func submit(_ work: @escaping @Sendable () -> Void) { Thread { work() }.start() }
}

struct FixedClock: WallClock {
    let instant: Date
    func now() -> Date { instant }
}

/// An application over a real SQLite file in a directory removed afterwards.
final class Fixture: Sendable {
    let directory: String
    let store: any Store
    let queue = RecordingQueue()
    let app: Application
    static let now = Date(timeIntervalSince1970: 1_494_000_000)   // 5 May 2017, 22:00 in Bangkok
    static let someone = Requester(uid: 1000, pid: 42, command: "deadlinectl")

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("deadlined-app-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        store = try SQLiteStore(path: directory + "/store.sqlite")
        let settings = Settings(timeZone: "Asia/Bangkok", organisation: "อบต. ทดสอบ", dayTime: TimeOfDay(hour: 9, minute: 0)!, rules: RuleBook())
        app = Application(store: store, queue: queue, calendar: SharedCalendar(WorkingCalendar()), settings: { settings },
                          clock: FixedClock(instant: Self.now), executor: ThreadExecutor())
    }
    deinit { try? FileManager.default.removeItem(atPath: directory) }

    func deadline(_ key: String, followUpOf: String? = nil) -> NewItem {
        NewItem(kind: followUpOf == nil ? .deadline : .meeting, key: key, title: "ส่งแผน \(key)",
                when: followUpOf == nil ? .day(LocalDate(year: 2017, month: 5, day: 24)!) : .instant(Self.now.addingTimeInterval(86_400 * 3)),
                timeZone: "Asia/Bangkok", organisation: "อบต. ทดสอบ", followUpOf: followUpOf)
    }
}

@Suite("Application: the commit path")
struct CommitPathTests {
    @Test("concurrent changes share transactions; one that fails is rolled back alone, with no audit entry")
    func groupCommit() async throws {
        let f = try Fixture()
        // 40 adds at once, two of which want the same key: exactly one of those two may win.
        let keys = (0..<39).map { "d\($0)" } + ["d7"]
        let results = await withTaskGroup(of: Result<String, any Error>.self) { group in
            for key in keys {
                group.addTask {
                    do { return .success(try await f.app.run(AddItem(f.deadline(key)), by: Fixture.someone).item.key) } catch { return .failure(error) }
                }
            }
            return await group.reduce(into: []) { $0.append($1) }
        }
        let failures = results.compactMap { r -> (any Error)? in if case .failure(let e) = r { e } else { nil } }
        #expect(failures.count == 1)
        #expect(failures.first as? StoreError == .duplicateKey("d7"))
        #expect(try f.store.itemCount() == 39)
        let audit = try f.store.auditLog(limit: 100)
        #expect(audit.count == 39 && Set(audit.map(\.target)) == Set(keys))
        #expect(audit.allSatisfy { $0.method == "AddItem" && $0.uid == 1000 && $0.command == "deadlinectl" })
        // The timer core heard of every reminder stored, and of none that was rolled back.
        let stored = try f.store.unfinishedOccurrences().map(\.id)
        #expect(Set(f.queue.told.withLock { $0.scheduled }) == Set(stored) && !stored.isEmpty)
    }

    @Test("a change refused in its transaction leaves neither the item nor an audit entry, and tells no one")
    func refusedChange() async throws {
        let f = try Fixture()
        let events = f.app.events.subscribe()
        await #expect(throws: StoreError.noSuchItem("m0")) {
            try await f.app.run(AddItem(f.deadline("follow", followUpOf: "m0")), by: Fixture.someone)
        }
        #expect(try f.store.itemCount() == 0 && f.store.auditLog(limit: 10).isEmpty)
        #expect(f.queue.told.withLock { $0.scheduled.isEmpty })
        // The next change is the first event anyone hears.
        _ = try await f.app.run(AddItem(f.deadline("plan")), by: Fixture.someone)
        var iterator = events.makeAsyncIterator()
        #expect(await iterator.next() == .item(key: "plan", state: "open", detail: "added", at: Fixture.now))
    }

    @Test("acknowledging cancels what was owed, in the store and in the timer core, and audits the state before and after")
    func acknowledge() async throws {
        let f = try Fixture()
        let added = try await f.app.run(AddItem(f.deadline("plan")), by: Fixture.someone)
        let before = f.app.generation
        let done = try await f.app.run(AcknowledgeItem(key: "plan", state: .submitted, by: "สมชาย"), by: Fixture.someone)
        #expect(done.item.state == .submitted && done.item.stateChangedBy == "สมชาย")
        let owed = added.occurrences.filter { $0.state == .pending }.map(\.id)
        #expect(!owed.isEmpty && f.queue.told.withLock { $0.removed } == owed)
        #expect(done.occurrences.filter { owed.contains($0.id) }.allSatisfy { $0.state == .cancelled })
        #expect(f.app.generation == before + 1)
        let entry = try #require(try f.store.auditLog(limit: 1).first)
        #expect(entry.method == "Acknowledge" && entry.before == #"{"state":"open"}"# && entry.after == #"{"state":"submitted"}"#)
        await #expect(throws: StoreError.notOpen(key: "plan", state: .submitted)) {
            try await f.app.run(AcknowledgeItem(key: "plan", state: .cancelled, by: "x"), by: Fixture.someone)
        }
    }

    @Test("an update that changes nothing writes no audit entry; one that moves the date replans and records the date before")
    func update() async throws {
        let f = try Fixture()
        _ = try await f.app.run(AddItem(f.deadline("plan")), by: Fixture.someone)
        var same = UpdateItem.Patch()
        same.title = "ส่งแผน plan"
        _ = try await f.app.run(UpdateItem(key: "plan", patch: same), by: Fixture.someone)
        #expect(try f.store.auditLog(limit: 10).count == 1)
        var moved = UpdateItem.Patch()
        moved.at = "31 พฤษภาคม 2560"
        let out = try await f.app.run(UpdateItem(key: "plan", patch: moved), by: Fixture.someone)
        #expect(out.item.fields.when == .day(LocalDate(year: 2017, month: 5, day: 31)!))
        let entry = try #require(try f.store.auditLog(limit: 1).first)
        #expect(entry.method == "Update" && entry.before?.contains("\"at\":\"2017-05-24\"") == true && entry.after?.contains("\"at\":\"2017-05-31\"") == true,
                "\(entry)")
        #expect(!f.queue.told.withLock { $0.removed }.isEmpty)
        var bad = UpdateItem.Patch()
        bad.at = "never"
        await #expect(throws: RequestError.self) { try await f.app.run(UpdateItem(key: "plan", patch: bad), by: Fixture.someone) }
    }

    @Test("a holiday import is stored, replans in the same transaction, and only then changes the calendar in memory")
    func holidays() async throws {
        let f = try Fixture()
        _ = try await f.app.run(AddItem(f.deadline("plan")), by: Fixture.someone)
        let file = """
            year: 2560
            status: announced
            source: "test"
            holidays:
              - { date: 2017-05-22, name: "วันหยุดทดสอบ" }
            """
        let outcome = try await f.app.run(ImportHolidays(name: "h.yaml", content: file), by: Fixture.someone)
        #expect(outcome == .init(year: 2560, holidays: 1))
        #expect(f.app.calendar.current.year(2560)?.holidays.map(\.date) == [LocalDate(year: 2017, month: 5, day: 22)!])
        #expect(try f.store.holidayYears().map(\.year) == [2560])
        #expect(try f.store.auditLog(limit: 1).first?.method == "ImportHolidays")
        await #expect(throws: RequestError.self) { try await f.app.run(ImportHolidays(name: "bad.yaml", content: "year: x"), by: Fixture.someone) }
        #expect(try f.store.auditLog(limit: 10).count == 2)
    }
}
