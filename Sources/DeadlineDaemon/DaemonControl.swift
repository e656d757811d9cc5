import Control
import DeadlineCore
import DeadlineStore
import NIOPosix
import Foundation
import Scheduler

/// Answers `io.deadlined` calls from the store and the timer core.
struct DaemonControl: ControlHandler {
    let store: Store
    let core: TimerCore
    let config: DaemonConfig
    let startedAt: Date
    let watchdogUsec: UInt64?
    let clock: any WallClock

    func status() async throws -> ControlAPI.StatusReply {
        let (counts, items) = try await offload { (try store.countsByState(), try store.itemCount()) }
        let snapshot = core.snapshot()
        let zone = TimeZone(identifier: config.timeZone)!
        return ControlAPI.StatusReply(
            version: Daemon.version,
            uptimeSeconds: Int(clock.now().timeIntervalSince(startedAt)),
            store: store.path,
            items: items,
            pending: counts[.pending] ?? 0,
            firing: counts[.firing] ?? 0,
            delivered: counts[.delivered] ?? 0,
            nextReminder: snapshot.next.map { DateOutput.iso8601($0, timeZone: zone) },
            watchdogUsec: Int(watchdogUsec ?? 0)
        )
    }

    func addItem(_ p: ControlAPI.AddItemParameters) async throws -> ControlAPI.AddItemReply {
        let zoneName = p.timeZone ?? config.timeZone
        guard let zone = TimeZone(identifier: zoneName) else { throw VarlinkError.invalidParameter("timeZone") }
        let when: When
        do { when = try DateInput.parse(p.at, timeZone: zone, now: clock.now()) }
        catch { throw ControlAPI.invalidDate(error) }
        let at = when.instant(zone: zone, dayTime: config.dayTime)
        let new = NewItem(kind: p.kind, title: p.title, at: at, timeZone: zoneName, location: p.location, notes: p.notes)
        do { try new.validate() }
        catch { throw VarlinkError.invalidParameter(error.parameter) }
        let now = clock.now()
        let (item, occurrences) = try await offload {
            try store.add(new, reminders: [new.at], now: now)
        }
        core.schedule(occurrences)
        return ControlAPI.AddItemReply(item: ControlAPI.Item(item, occurrences: occurrences))
    }

    func listItems() async throws -> ControlAPI.ListItemsReply {
        let rows = try await offload { try store.listItems() }
        return ControlAPI.ListItemsReply(items: rows.map { ControlAPI.Item($0.0, occurrences: $0.1) })
    }

    /// Runs blocking store work on NIO's thread pool, never on the cooperative pool (nor on
    /// Dispatch's global queues, which back it on Linux), so an fsync never holds up the
    /// socket's tasks; store errors become the interface's `StoreFailure`.
    private func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive {
            do { return try body() }
            catch { throw ControlAPI.storeFailure(String(describing: error)) }
        }
    }
}
