import Application
import Control
import DeadlineCore
import DeadlineStore
import Foundation
import Logging
import Scheduler
import Synchronization
import Varlink

/// The `io.deadlined` adapter: decodes a call's parameters, runs the use case or query of the
/// application layer as the caller, and encodes the answer; application and store errors
/// become the interface's errors here and nowhere else.
final class DaemonControl: ControlHandler {
    let app: Application
    let core: TimerCore
    /// The config in force; read once per call (`config` is a snapshot).
    let current: CurrentConfig
    var config: DaemonConfig { current.config }
    /// Set once the daemon is wired: the `Reload` method runs it.
    let reloader = Mutex<Reloader?>(nil)
    let startedAt: Date
    let watchdogUsec: UInt64?
    /// Signs the audit chain's checkpoints.
    let auditKey: AuditSigningKey
    let logger: Logger

    init(app: Application, core: TimerCore, config: CurrentConfig, startedAt: Date, watchdogUsec: UInt64?, auditKey: AuditSigningKey,
         logger: Logger = Logger(label: "deadlined")) {
        self.app = app
        self.auditKey = auditKey
        self.core = core
        self.current = config
        self.startedAt = startedAt
        self.watchdogUsec = watchdogUsec
        self.logger = logger
    }

    var store: any Store { app.store }
    var zone: TimeZone { TimeZone(identifier: config.timeZone)! }

    /// Who is calling, as the kernel says; the daemon itself outside a call.
    var requester: Requester {
        Caller.current.map { Requester(uid: $0.uid, pid: $0.pid, command: $0.command) } ?? .daemon
    }

    /// Lets a pipelined call's connection start its next call once this one's change is in line.
    var inLine: @Sendable () -> Void {
        let place = PlaceInLine.current
        return { place?.taken() }
    }

    func addItem(_ p: ControlAPI.AddItemParameters) async throws -> ControlAPI.ItemReply {
        try await answering {
            reply(try await app.run(AddItem(try newItem(p, now: app.clock.now())), by: requester, queued: inLine), warnings: true)
        }
    }

    func addItems(_ p: ControlAPI.AddItemsParameters) async throws -> ControlAPI.AddItemsReply {
        try await answering {
            let now = app.clock.now()
            let items: [NewItem] = try p.items.map { try newItem($0, now: now) }
            let added: [ItemOutcome] = try await app.run(AddItems(items), by: requester, queued: inLine).added
            let warnings: [String] = added.flatMap { $0.warnings ?? [] }
            let reminders: Int = added.reduce(0) { $0 + $1.occurrences.count }
            return ControlAPI.AddItemsReply(keys: added.map(\.item.key), reminders: reminders, warnings: warnings.isEmpty ? nil : warnings)
        }
    }

    /// An item to add from its wire parameters; an `at` without an offset is read in its zone.
    private func newItem(_ p: ControlAPI.AddItemParameters, now: Date) throws -> NewItem {
        let zoneName = p.timeZone ?? config.timeZone
        guard let itemZone = TimeZone(identifier: zoneName) else { throw RequestError.invalidParameter("timeZone") }
        let when = try TextInput.date(p.at, zone: itemZone, now: now)
        return NewItem(
            kind: p.kind, key: p.key ?? "", title: p.title, when: when, end: try p.end.map { try TextInput.end($0, zone: itemZone, now: now) },
            timeZone: zoneName, organisation: p.organisation ?? config.organisation, location: p.location, notes: p.notes, chair: p.chair,
            attendees: p.attendees ?? [], workingGroup: p.workingGroup, followUpOf: p.followUpOf, plan: p.plan,
            recipient: p.recipient, tags: p.tags ?? [], remind: p.remind ?? [], escalation: p.escalation ?? [], rule: p.rule,
            leads: try p.leads.map(TextInput.leads),
            recurrence: try p.recurrence.map { try TextInput.recurrence($0, when: when, zone: itemZone) }
        )
    }

    func update(_ p: ControlAPI.UpdateParameters) async throws -> ControlAPI.ItemReply {
        try await answering {
            var patch = UpdateItem.Patch()
            patch.title = p.title
            patch.at = p.at
            patch.end = p.end
            patch.location = p.location
            patch.notes = p.notes
            patch.recipient = p.recipient
            patch.tags = p.tags
            patch.remind = p.remind
            patch.escalation = p.escalation
            patch.leads = p.leads
            patch.rule = p.rule
            patch.recurrence = p.recurrence
            patch.skip = p.skip
            return reply(try await app.run(UpdateItem(key: p.key, patch: patch), by: requester, queued: inLine), warnings: true)
        }
    }

    func acknowledge(_ p: ControlAPI.AcknowledgeParameters) async throws -> ControlAPI.ItemReply {
        try await answering {
            // Who said so: what the caller gave, else who the kernel says it is.
            let by = p.by ?? Caller.current.map { "uid \($0.uid) (\($0.command))" } ?? "unknown"
            return reply(try await app.run(AcknowledgeItem(key: p.key, state: p.state.itemState, by: by), by: requester, queued: inLine))
        }
    }

    func remove(_ p: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply {
        try await answering { reply(try await app.run(RemoveItem(key: p.key), by: requester, queued: inLine)) }
    }

    func get(_ p: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply {
        try await answering { reply(try await app.item(key: p.key)) }
    }

    func listItems(_ p: ControlAPI.ListParameters) async throws -> ControlAPI.ListItemsReply {
        try await answering {
            let found = try await app.items(ItemFilter(kind: p.kind, state: p.state, from: p.from, to: p.to, tag: p.tag, overdue: p.overdue))
            // Today and the calendar once per reply, not once per item.
            let (today, calendar) = (LocalDate(app.clock.now(), in: zone), app.calendar.current)
            return ControlAPI.ListItemsReply(items: found.map { ControlAPI.Item($0.item, occurrences: $0.occurrences, today: today, calendar: calendar) })
        }
    }

    func importAgenda(_ p: ControlAPI.FileParameters) async throws -> ControlAPI.ImportReply {
        try await answering {
            let summary = ImportCalendarFile.isICalendar(name: p.name, p.content)
                ? try await app.run(ImportCalendarFile(name: p.name, content: p.content,
                                                       by: Caller.current.map { "import by uid \($0.uid) (\($0.command))" } ?? "import"), by: requester)
                : try await app.run(ImportAgendaFile(name: p.name, content: p.content), by: requester)
            return ControlAPI.ImportReply(added: summary.added, updated: summary.updated, unchanged: summary.unchanged, plans: summary.plans,
                                          cancelled: summary.cancelled, notes: summary.notes, warnings: summary.warnings)
        }
    }

    func importHolidays(_ p: ControlAPI.FileParameters) async throws -> ControlAPI.ImportHolidaysReply {
        try await answering {
            let outcome = try await app.run(ImportHolidays(name: p.name, content: p.content), by: requester)
            return ControlAPI.ImportHolidaysReply(year: outcome.year, holidays: outcome.holidays)
        }
    }

    func listHolidays(_ p: ControlAPI.YearParameters) async throws -> ControlAPI.HolidaysReply {
        try await answering { ControlAPI.HolidaysReply(try app.holidayYear(p.year)) }
    }

    func simulate(_ p: ControlAPI.SimulateParameters) async throws -> ControlAPI.SimulateReply {
        try await answering {
            let found = try await app.simulate(from: p.from, to: p.to)
            return ControlAPI.SimulateReply(reminders: found.map {
                ControlAPI.PlannedReminder(fireAt: DateOutput.iso8601($0.fireAt, timeZone: $0.item.zone), key: $0.item.key, kind: $0.item.kind,
                                           title: $0.item.title, label: $0.label)
            })
        }
    }

    func export(_ p: ControlAPI.ExportParameters) async throws -> ControlAPI.ExportReply {
        try await answering {
            guard (p.format ?? "ics").lowercased() == "ics" else { throw RequestError.invalidParameter("format") }
            let (count, text) = try await app.exportCalendar(from: p.from, to: p.to)
            return ControlAPI.ExportReply(format: "ics", items: count, text: text)
        }
    }

    func instances(_ p: ControlAPI.InstancesParameters) async throws -> ControlAPI.InstancesReply {
        try await answering {
            let (item, list) = try await app.instances(key: p.key, from: p.from, to: p.to, limit: min(max(p.limit ?? 1000, 1), 100_000))
            return ControlAPI.InstancesReply(key: item.key, recurrence: item.fields.recurrence?.rrule, instances: list)
        }
    }

    func reload() async throws -> ControlAPI.ReloadReply {
        guard let reloader = reloader.withLock({ $0 }) else { throw ControlAPI.internalError("reload is not wired") }
        let s: Reloader.Summary
        do {
            s = try await reloader.reload()
        } catch let error as ConfigError {
            throw ControlAPI.invalidConfig(location: error.location, message: error.message)
        } catch {
            throw ControlAPI.invalidConfig(location: config.sourceFile ?? "config", message: "\(error)")
        }
        let reply = ControlAPI.ReloadReply(source: s.source, channels: s.channels, holidayYears: s.holidayYears)
        await record(AuditNote(method: "Reload", target: s.source, before: nil as ControlAPI.ReloadReply?, after: reply))
        return reply
    }

    func backup(_ p: ControlAPI.BackupParameters) async throws -> ControlAPI.BackupReply {
        guard p.path.hasPrefix("/"), !p.path.hasSuffix("/") else { throw VarlinkError.invalidParameter("path") }
        do {
            try await app.read { try $0.backup(to: p.path) }
        } catch let error as StoreError {
            throw Self.interfaceError(error)
        } catch {
            throw ControlAPI.storeFailure("backup to \(p.path): \(error)")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: p.path)[.size] as? Int) ?? 0
        let reply = ControlAPI.BackupReply(path: p.path, bytes: bytes)
        await record(AuditNote(method: "Backup", target: p.path, before: nil as ControlAPI.BackupReply?, after: reply))
        return reply
    }

    func watch() async throws -> AsyncStream<ControlAPI.WatchReply> {
        let events = app.events.subscribe()
        let zone = self.zone
        let (stream, continuation) = AsyncStream<ControlAPI.WatchReply>.makeStream(bufferingPolicy: .bufferingNewest(1000))
        let relay = Task {
            for await event in events { if let wired = Self.wire(event, zone: zone) { continuation.yield(wired) } }
            continuation.finish()
        }
        continuation.onTermination = { _ in relay.cancel() }
        return stream
    }

    /// A domain event as `Watch` tells it; nil for those it does not tell.
    static func wire(_ event: DomainEvent, zone: TimeZone) -> ControlAPI.WatchReply? {
        let e: ControlAPI.Event
        switch event {
        case .item(let key, let state, let detail, let at):
            e = .init(kind: .itemChanged, at: DateOutput.iso8601(at, timeZone: zone), item: key, state: state, detail: detail)
        case .sent(let occurrence, let key, let at):
            e = .init(kind: .reminderSent, at: DateOutput.iso8601(at, timeZone: zone), item: key, reminder: occurrence, state: "delivered")
        case .failed(let occurrence, let key, let channel, let error, let final, let at):
            e = .init(kind: .deliveryFailed, at: DateOutput.iso8601(at, timeZone: zone), item: key, reminder: occurrence, channel: channel,
                      state: final ? "failed" : "retrying", detail: error, final: final)
        case .obligation(let key, let code, let standing, let detail, let at):
            e = .init(kind: .obligationChanged, at: DateOutput.iso8601(at, timeZone: zone), item: key, state: standing.rawValue, detail: detail,
                      organisation: code)
        case .seriesPlanned, .holidaysChanged, .organisations:
            return nil
        }
        return ControlAPI.WatchReply(event: e)
    }

    /// Puts on record what changed nothing in the store; a failure to write the entry is
    /// logged, not turned into a failed call for something already done.
    func record(_ note: AuditNote) async {
        let requester = self.requester
        do { try await app.record(note, by: requester) }
        catch { logger.error("cannot record the audit entry for \(note.method) \(note.target) by \(requester): \(error)") }
    }

    func reply(_ outcome: ItemOutcome, warnings: Bool = false) -> ControlAPI.ItemReply {
        ControlAPI.ItemReply(item: ControlAPI.Item(outcome.item, occurrences: outcome.occurrences, today: LocalDate(app.clock.now(), in: zone),
                                                   calendar: app.calendar.current),
                             warnings: warnings ? outcome.warnings : nil)
    }

    /// Runs a call's body; what the application and the store refuse becomes the interface's error.
    func answering<T>(_ body: () async throws -> T) async throws -> T {
        do { return try await body() }
        catch let error as VarlinkError { throw error }
        catch let error as RequestError { throw Self.interfaceError(error) }
        catch let error as StoreError { throw Self.interfaceError(error) }
        catch { throw ControlAPI.storeFailure(String(describing: error)) }
    }

    static func interfaceError(_ error: RequestError) -> VarlinkError {
        switch error {
        case .invalidParameter(let name): VarlinkError.invalidParameter(name)
        case .invalidDate(let e): ControlAPI.invalidDate(e)
        case .invalidLead(let text): ControlAPI.invalidLead(text)
        case .invalidRecurrence(let text, let reason): ControlAPI.invalidRecurrence(text, reason: reason)
        case .invalidFile(let location, let message): ControlAPI.invalidFile(location: location, message: message)
        case .noHolidayData(let year): ControlAPI.noHolidayData(year)
        case .noSuchOrganisation(let code): ControlAPI.noSuchOrganisation(code)
        case .duplicateOrganisation(let code): ControlAPI.duplicateOrganisation(code)
        case .notAssignable(let key, let reason): ControlAPI.notAssignable(key, reason: reason)
        case .noSuchObligation(let key, let code): ControlAPI.noSuchObligation(key, code: code)
        case .ambiguousKey(let key, let candidates): ControlAPI.ambiguousKey(key, candidates: candidates)
        }
    }

    static func interfaceError(_ error: StoreError) -> VarlinkError {
        switch error {
        case .duplicateKey(let key): ControlAPI.duplicateKey(key)
        case .noSuchItem(let key): ControlAPI.noSuchItem(key)
        case .notOpen(let key, let state): ControlAPI.notOpen(key, state)
        case .unknownReference(let location, let message): ControlAPI.invalidFile(location: location, message: message)
        case .duplicateUID(let uid): ControlAPI.duplicateKey(uid)
        case .cannotOpen, .corrupt, .full, .unavailable: ControlAPI.storeFailure(error.description)
        }
    }
}
