import DeadlineCore
import DeadlineStore
import CLinux
import Foundation

/// The application layer: use cases plan changes, the commit path applies them, and queries
/// read what the store and the working calendar say. It knows nothing of Varlink, NIO or
/// GRDB: the API adapter calls it, and so do the daemon's own background services.
public final class Application: Sendable {
    public let store: any Store
    public let calendar: SharedCalendar
    public let clock: any WallClock
    /// Everything that happens, for `Watch` calls and the calendar feed.
    public let events: EventHub<DomainEvent>
    let commitPath: CommitPath
    let executor: any BlockingExecutor
    let caveats = DerivedValue<UInt64, HolidayCaveats>()
    let figures = DerivedValue<StatusFiguresKey, StatusFigures>()
    private let settingsSource: @Sendable () -> Settings

    public init(store: any Store, queue: any ReminderQueue, calendar: SharedCalendar, settings: @escaping @Sendable () -> Settings,
                clock: any WallClock, executor: any BlockingExecutor, events: EventHub<DomainEvent> = EventHub()) {
        self.store = store
        self.calendar = calendar
        self.clock = clock
        self.events = events
        self.executor = executor
        self.settingsSource = settings
        commitPath = CommitPath(store: store, queue: queue, events: events, clock: clock, executor: executor)
    }

    /// The config's part the use cases need, as it is now.
    public var settings: Settings { settingsSource() }

    /// How many changes have been committed (a cache of derived state is fresh while it stays).
    public var generation: UInt64 { commitPath.generation }

    /// Plans the use case's change and commits it; answers once it is durable.
    /// - Parameter queued: called once the change is in line for a transaction (see `CommitPath`).
    public func run<U: UseCase>(_ useCase: U, by requester: Requester, queued: (@Sendable () -> Void)? = nil) async throws -> U.Outcome {
        let change = try await useCase.change(context())
        return try await commitPath.commit(change, by: requester, queued: queued)
    }

    /// Writes an audit entry alone: for what changes nothing in the store (a reload, a backup,
    /// a channel test) but must be on record.
    public func record(_ note: AuditNote, by requester: Requester) async throws {
        try await commitPath.commit(Change { _ in Written(value: (), audit: note) }, by: requester)
    }

    /// A snapshot of what a use case plans with.
    public func context() -> UseCaseContext {
        UseCaseContext(settings: settings, calendar: calendar.current, now: clock.now(), application: self)
    }

    /// Runs blocking store reads on the executor.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        let store = self.store
        return try await executor.run { try body(store) }
    }

    /// A read that takes seconds (verifying a whole audit trail) on a thread of its own: the
    /// executor's few threads stay free for the reads and writes people and reminders wait on.
    public func longRead<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        let store = self.store
        return try await withCheckedThrowingContinuation { continuation in
            Thread {
                // At most 15 bytes: the kernel's limit for a thread's name (ps, top, gdb show it).
                // Named by the kernel call itself: Foundation's `Thread.current.name` was seen
                // not to take on a loaded machine.
                _ = deadlined_name_this_thread("long-read")
                continuation.resume(with: Result { try body(store) })
            }.start()
        }
    }
}

/// A change that something asks for: it reads what it needs, validates, plans with
/// `DeadlineCore`, and says what to write.
public protocol UseCase: Sendable {
    associatedtype Outcome: Sendable
    func change(_ context: UseCaseContext) async throws -> Change<Outcome>
}

/// What a use case plans with: one config, one working calendar and one instant throughout.
public struct UseCaseContext: Sendable {
    public let settings: Settings
    public let calendar: WorkingCalendar
    public let now: Date
    let application: Application

    public var zone: TimeZone { settings.zone }

    /// The same, planning on another working calendar (one a holiday import is about to make current).
    func with(calendar: WorkingCalendar) -> UseCaseContext {
        UseCaseContext(settings: settings, calendar: calendar, now: now, application: application)
    }
    public var planner: ReminderPlanner { ReminderPlanner(calendar: calendar, dayTime: settings.dayTime) }

    /// An item's reminders from `now` on; for a series, those of the instances in its window.
    public func plan(_ item: NewItem, after: Date? = nil) -> ReminderPlanner.ItemPlan {
        planner.plan(item: item, rule: settings.rules.rule(for: item), now: now, after: after)
    }

    /// Reads the store off the caller's thread.
    public func read<T: Sendable>(_ body: @escaping @Sendable (Store) throws -> T) async throws -> T {
        try await application.read(body)
    }

    /// Refuses an item whose fields break a rule, or that names a rule set the config lacks.
    func validate(_ item: NewItem) throws(RequestError) {
        do { try item.validate() } catch { throw .invalidParameter(error.parameter) }
        if settings.rules.unknownRule(item) != nil { throw .invalidParameter("rule") }
    }

    /// One line per year not announced that these working-day reminders count through; nil when none.
    public func holidayWarnings(_ spans: [WorkingDaySpan]) -> [String]? {
        let lines = calendar.caveats(spans).map(\.sentence)
        return lines.isEmpty ? nil : lines
    }

    /// The same for reminders an import just planned, of whichever items they belong to.
    func holidayWarnings(forNew occurrences: [Occurrence], _ txn: StoreTransaction) throws -> [String]? {
        let relevant = occurrences.filter { WorkingDaySpan.countsWorkingDays(label: $0.label) }
        guard !relevant.isEmpty else { return nil }
        let spans = try Dictionary(grouping: relevant, by: \.itemID).flatMap { id, list in
            try txn.item(id: id).map { WorkingDaySpan.of(list, item: $0.fields) } ?? []
        }
        return holidayWarnings(spans)
    }
}
