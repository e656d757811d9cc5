import Agenda
import Control
import DeadlineCore
import DeadlineStore
import Delivery
import Foundation
import Logging
import NIOPosix
import Scheduler
import Synchronization

/// Answers `io.deadlined` calls from the store, the planner and the timer core.
final class DaemonControl: ControlHandler {
    let store: Store
    let core: TimerCore
    /// The config in force; read once per call (`config` is a snapshot).
    let current: CurrentConfig
    var config: DaemonConfig { current.config }
    /// Set once the daemon is wired: the `Reload` method runs it.
    let reloader = Mutex<Reloader?>(nil)
    let startedAt: Date
    let watchdogUsec: UInt64?
    let clock: any WallClock
    let logger: Logger
    /// Every `Watch` call's events.
    let events = EventHub<ControlAPI.WatchReply>()
    /// The iCalendar feed, told of every change; nil when `calendar.feed` is off.
    let feedBox = Mutex<CalendarFeed?>(nil)
    /// What `Status` last found on holidays not announced, and when (see `holidayCaveats()`).
    private let caveatCache = Mutex<(at: Date, caveats: [HolidayCaveat])?>(nil)
    var feed: CalendarFeed? { feedBox.withLock { $0 } }
    /// Replaced by ImportHolidays; read by every call that plans or counts working days, and
    /// by the message templates.
    private let calendar: SharedCalendar

    init(store: Store, core: TimerCore, config: CurrentConfig, calendar: SharedCalendar, startedAt: Date,
         watchdogUsec: UInt64?, clock: any WallClock, logger: Logger = Logger(label: "deadlined")) {
        self.logger = logger
        let zone = TimeZone(identifier: config.config.timeZone)!
        core.setEventSink { [events] event in
            switch event {
            case .sent(let occurrence, let key, let at):
                events.publish(.init(event: .init(kind: .reminderSent, at: DateOutput.iso8601(at, timeZone: zone), item: key,
                                                  reminder: occurrence, state: "delivered")))
            case .failed(let occurrence, let key, let channel, let error, let final, let at):
                events.publish(.init(event: .init(kind: .deliveryFailed, at: DateOutput.iso8601(at, timeZone: zone), item: key,
                                                  reminder: occurrence, channel: channel, state: final ? "failed" : "retrying",
                                                  detail: error, final: final)))
            }
        }
        self.store = store
        self.core = core
        self.current = config
        self.calendar = calendar
        self.startedAt = startedAt
        self.watchdogUsec = watchdogUsec
        self.clock = clock
    }

    var zone: TimeZone { TimeZone(identifier: config.timeZone)! }
    var planner: ReminderPlanner { ReminderPlanner(calendar: calendar.withLock { $0 }, dayTime: config.dayTime) }

    /// An item's reminders from `now` on; for a series, those of the instances in its window.
    func plan(_ item: NewItem, now: Date, after: Date? = nil) -> ReminderPlanner.ItemPlan {
        planner.plan(item: item, rule: config.rules.rule(for: item), now: now, after: after)
    }

    func status() async throws -> ControlAPI.StatusReply {
        // A store that cannot be read still gets an answer: the daemon is up, and says what is wrong.
        var storeHealth = "ok"
        var figures: (counts: [OccurrenceState: Int], items: Int, downtime: String?, problems: [(occurrence: Occurrence, itemKey: String)])
        do {
            figures = try await offload { [store] in try store.statusFigures(problemLimit: 10) }
        } catch let error as VarlinkError {
            storeHealth = error.parameters["reason"]?.stringValue ?? error.name
            figures = ([:], 0, nil, [])
        }
        if storeHealth == "ok", let since = store.fullSinceDate {
            storeHealth = "the store's file system is full since \(DateOutput.iso8601(since, timeZone: zone)): changes are refused, "
                + "reminders cannot be marked sent"
        }
        let (counts, items, downtime, problems) = figures
        let holidays = calendar.current
        let caveats = await holidayCaveats()
        let storeBytes = ["", "-wal"].reduce(0) { sum, suffix in
            sum + ((try? FileManager.default.attributesOfItem(atPath: store.path + suffix)[.size] as? Int) ?? 0)
        }
        let channels = core.channels.channels.values.sorted { $0.name < $1.name }.map { c in
            ControlAPI.ChannelInfo(name: c.name, type: config.channels.first { $0.name == c.name }?.type ?? "custom",
                                   concurrency: c.policy.concurrency, maxAttempts: c.policy.retry.maxAttempts,
                                   timeoutSeconds: Int(c.policy.timeout.components.seconds))
        }
        return ControlAPI.StatusReply(
            version: Daemon.version,
            uptimeSeconds: Int(clock.now().timeIntervalSince(startedAt)),
            store: store.path,
            storeHealth: storeHealth,
            storeBytes: storeBytes,
            language: config.language.rawValue,
            timeZone: config.timeZone,
            items: items,
            pending: counts[.pending] ?? 0,
            firing: counts[.firing] ?? 0,
            delivered: counts[.delivered] ?? 0,
            retrying: counts[.retrying] ?? 0,
            failed: counts[.failed] ?? 0,
            missed: counts[.missed] ?? 0,
            cancelled: counts[.cancelled] ?? 0,
            nextReminder: core.snapshot().next.map { DateOutput.iso8601($0, timeZone: zone) },
            watchdogUsec: Int(watchdogUsec ?? 0),
            lastDowntime: downtime,
            channels: channels,
            problems: problems.map { p in
                ControlAPI.Problem(reminder: p.occurrence.id, item: p.itemKey, fireAt: DateOutput.iso8601(p.occurrence.fireAt, timeZone: zone),
                                   state: p.occurrence.state, attempts: p.occurrence.attempts, error: p.occurrence.lastError ?? "")
            },
            holidayYears: holidays.years.values.sorted { $0.year < $1.year }.map(ControlAPI.HolidayYearInfo.init),
            holidayCaveats: caveats.map(ControlAPI.HolidayCaveatInfo.init)
        )
    }

    func addItem(_ p: ControlAPI.AddItemParameters) async throws -> ControlAPI.ItemReply {
        let zoneName = p.timeZone ?? config.timeZone
        guard let itemZone = TimeZone(identifier: zoneName) else { throw VarlinkError.invalidParameter("timeZone") }
        let now = clock.now()
        let when = try parseDate(p.at, zone: itemZone, now: now)
        let end = try p.end.map { try parseEnd($0, zone: itemZone, now: now) }
        let leads = try p.leads.map(parseLeads)
        let item = NewItem(
            kind: p.kind, key: p.key ?? "", title: p.title, when: when, end: end, timeZone: zoneName,
            organisation: p.organisation ?? config.organisation, location: p.location, notes: p.notes, chair: p.chair,
            attendees: p.attendees ?? [], workingGroup: p.workingGroup, followUpOf: p.followUpOf, plan: p.plan,
            recipient: p.recipient, tags: p.tags ?? [], remind: p.remind ?? [], escalation: p.escalation ?? [], rule: p.rule, leads: leads,
            recurrence: try p.recurrence.map { try parseRecurrence($0, when: when, zone: itemZone) }
        )
        do { try item.validate() } catch { throw VarlinkError.invalidParameter(error.parameter) }
        if config.rules.unknownRule(item) != nil { throw VarlinkError.invalidParameter("rule") }
        let planned = plan(item, now: now)
        let (stored, occurrences) = try await offload { [store, config] in
            if let earlier = item.followUpOf {
                guard let m = try store.item(key: earlier), m.kind == .meeting else { throw StoreError.noSuchItem(earlier) }
            }
            return try store.add(item, reminders: planned.reminders, plannedThrough: planned.plannedThrough, dayTime: config.dayTime, now: now)
        }
        core.schedule(occurrences)
        let reply = ControlAPI.ItemReply(item: wire(stored, occurrences),
                                         warnings: holidayWarnings(WorkingDaySpan.of(occurrences, item: stored.fields)))
        await audit("AddItem", target: stored.key, before: nil as ControlAPI.Item?, after: reply.item)
        changed(stored.key, state: stored.state.rawValue, detail: "added")
        return reply
    }

    func listItems(_ p: ControlAPI.ListParameters) async throws -> ControlAPI.ListItemsReply {
        let now = clock.now()
        // The window bounds the item's own instant; a whole day as `to` counts to its end.
        let from = try p.from.map { try parseDate($0, zone: zone, now: now).instant(zone: zone, dayTime: TimeOfDay(hour: 0, minute: 0)!) }
        let to = try p.to.map { endOfRange(try parseDate($0, zone: zone, now: now)) }
        let rows = try await offload { [store] in try store.listItems() }
        // Today and the calendar once per reply, not once per item.
        let (today, cal) = (LocalDate(now, in: zone), calendar.withLock { $0 })
        let dayTime = config.dayTime
        let planner = self.planner
        let kept = rows.filter { item, _ in
            let at = item.fields.instant(dayTime: dayTime)
            // A series is in the window when one of its instances is.
            let inWindow = from == nil && to == nil ? true
                : item.fields.recurrence != nil ? !planner.instances(of: item.fields, from: from ?? .distantPast, to: to ?? .distantFuture, limit: 1).isEmpty
                : (from.map { at >= $0 } ?? true) && (to.map { at < $0 } ?? true)
            return (p.kind.map { item.kind == $0 } ?? true)
                && (p.state.map { item.state == $0 } ?? true)
                && (p.tag.map { item.fields.tags.contains($0) } ?? true)
                && inWindow
        }
        // Overdue: open and past its day (a series: past its last instance).
        let wired = kept.map { ($0.0, ControlAPI.Item($0.0, occurrences: $0.1, today: today, calendar: cal)) }.filter { item, w in
            let past = item.fields.recurrence != nil ? w.daysLeft < 0 : item.fields.when.localDate(in: item.zone) < LocalDate(now, in: item.zone)
            return p.overdue.map { $0 == (item.state == .open && past) } ?? true
        }
        return ControlAPI.ListItemsReply(items: wired.map(\.1))
    }

    func acknowledge(_ p: ControlAPI.AcknowledgeParameters) async throws -> ControlAPI.ItemReply {
        guard p.state != .open else { throw VarlinkError.invalidParameter("state") }
        let now = clock.now()
        // Who said so: what the caller gave, else who the kernel says it is.
        let by = p.by ?? Caller.current.map { "uid \($0.uid) (\($0.command))" } ?? "unknown"
        let (before, item, occurrences) = try await offload { [store] in
            let before = try store.item(key: p.key)
            // Marking one meeting of a series held would end the whole series.
            if p.state == .held, before?.fields.recurrence != nil {
                throw ControlAPI.invalidRecurrence(p.key, reason: "a repeating meeting is not held as a whole: its reminders move on "
                    + "to the next meeting by themselves; cancel ends the series, update --repeat \"\" makes it a single meeting")
            }
            let (item, cancelled) = try store.setState(key: p.key, to: p.state, by: by, now: now)
            self.core.remove(occurrenceIDs: cancelled)
            return (before, item, try store.occurrences(ofItem: item.id))
        }
        let reply = ControlAPI.ItemReply(item: wire(item, occurrences))
        changed(item.key, state: item.state.rawValue, detail: "acknowledged")
        await audit("Acknowledge", target: item.key, before: before.map { ["state": $0.state.rawValue] }, after: ["state": item.state.rawValue])
        return reply
    }

    func importAgenda(_ p: ControlAPI.FileParameters) async throws -> ControlAPI.ImportReply {
        if Self.isICalendar(name: p.name, p.content) { return try await importCalendar(p) }
        let now = clock.now()
        let agenda: Agenda
        do {
            agenda = try AgendaFile.read(yaml: p.content, file: p.name,
                                         defaults: AgendaDefaults(timeZone: config.timeZone, organisation: config.organisation, now: now))
        } catch {
            throw ControlAPI.invalidFile(location: error.location, message: error.message)
        }
        for item in agenda.items {
            if let problem = config.rules.unknownRule(item) {
                throw ControlAPI.invalidFile(location: agenda.locations[item.key] ?? p.name, message: "\(item.key): \(problem)")
            }
        }
        let references = agenda.externalReferences.map { ref in
            Reference(key: ref.key, target: ref.target == .plan ? .plan : .meeting, location: ref.location,
                      message: "no \(ref.target.rawValue) has key '\(ref.key)' in this file or in the store")
        }
        let outcome = try await offload { [store, config] in
            try store.importAgenda(plans: agenda.plans, items: agenda.items, references: references, dayTime: config.dayTime,
                                   now: now, plan: { self.plan($0, now: now) })
        }
        core.remove(occurrenceIDs: outcome.cancelledOccurrences)
        core.schedule(outcome.newOccurrences)
        let reply = ControlAPI.ImportReply(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged, plans: outcome.plans,
                                           warnings: await holidayWarnings(forNew: outcome.newOccurrences))
        await audit("Import", target: p.name, before: nil as ControlAPI.ImportReply?, after: reply)
        for key in outcome.added { changed(key, state: "open", detail: "imported") }
        for key in outcome.updated { changed(key, state: "open", detail: "updated by import") }
        return reply
    }

    func simulate(_ p: ControlAPI.SimulateParameters) async throws -> ControlAPI.SimulateReply {
        let now = clock.now()
        let from = try parseDate(p.from, zone: zone, now: now)
        let to = try parseDate(p.to, zone: zone, now: now)
        let start = from.instant(zone: zone, dayTime: TimeOfDay(hour: 0, minute: 0)!)
        let end = endOfRange(to)
        guard start <= end else { throw VarlinkError.invalidParameter("to") }
        let rows = try await offload { [store] in try store.items() }
        var out: [(Date, ControlAPI.PlannedReminder)] = []
        for item in rows where item.state == .open {
            let rule = config.rules.rule(for: item.fields)
            for one in instances(of: item, reachingInto: start, end) {
                for r in planner.plan(when: one.when, zone: item.zone, rule: rule, now: nil) where r.fireAt >= start && r.fireAt < end {
                    out.append((r.fireAt, ControlAPI.PlannedReminder(fireAt: DateOutput.iso8601(r.fireAt, timeZone: item.zone), key: item.key,
                                                                     kind: item.kind, title: item.title, label: r.label)))
                }
            }
        }
        out.sort { ($0.0, $0.1.key, $0.1.label) < ($1.0, $1.1.key, $1.1.label) }
        return ControlAPI.SimulateReply(reminders: out.map(\.1))
    }

    /// The item itself, or for a series each instance that may have a reminder in [start, end):
    /// those starting in it or up to three series windows after it (leads reach back no further).
    private func instances(of item: Item, reachingInto start: Date, _ end: Date) -> [NewItem] {
        guard item.fields.recurrence != nil else { return [item.fields] }
        return planner.instances(of: item.fields, from: start, to: end.addingTimeInterval(ReminderPlanner.seriesWindow * 3), limit: 5_000)
            .map { item.fields.instance(at: $0.instant(zone: item.zone, dayTime: TimeOfDay(hour: 0, minute: 0)!)) }
    }

    func listHolidays(_ p: ControlAPI.YearParameters) async throws -> ControlAPI.HolidaysReply {
        // Accept a Gregorian year too: 2017 means 2560.
        let year = p.year < 2400 ? p.year + 543 : p.year
        guard let data = calendar.withLock({ $0.year(year) }) else { throw ControlAPI.noHolidayData(year) }
        return ControlAPI.HolidaysReply(data)
    }

    func importHolidays(_ p: ControlAPI.FileParameters) async throws -> ControlAPI.ImportHolidaysReply {
        let year: HolidayYear
        do { year = try HolidayFile.read(yaml: p.content, file: p.name) }
        catch { throw ControlAPI.invalidFile(location: error.location, message: error.message) }
        let now = clock.now()
        try await offload { [store] in try store.saveHolidayYear(year, now: now) }
        calendar.withLock { $0.replace(year) }
        caveatCache.withLock { $0 = nil }
        // Working-day reminders of open items move with the holidays. Only reminders still
        // ahead are replanned: nothing already sent is sent again as a catch-up.
        let planner = self.planner
        let (cancelled, added) = try await offload { [store, config] in
            var cancelled: [Int64] = [], added: [Occurrence] = []
            for item in try store.items() where item.state == .open {
                var rule = config.rules.rule(for: item.fields)
                rule.past = .skip
                let plan = planner.plan(item: item.fields, rule: rule, now: now)
                let change = try store.replan(itemID: item.id, reminders: plan.reminders, plannedThrough: plan.plannedThrough, now: now)
                cancelled += change.cancelled
                added += change.added
            }
            return (cancelled, added)
        }
        core.remove(occurrenceIDs: cancelled)
        core.schedule(added)
        let reply = ControlAPI.ImportHolidaysReply(year: year.year, holidays: year.holidays.count)
        await audit("ImportHolidays", target: String(year.year), before: nil as ControlAPI.ImportHolidaysReply?, after: reply)
        return reply
    }

    /// The years not announced that open items' working-day reminders count through, for `Status`
    /// (and so `check`). Finding them reads every reminder still to be sent, so the answer is kept
    /// a minute and dropped by every change of items or holidays: a warning a minute late after a
    /// reminder went out costs nothing, a scan per `Status` at a million reminders would.
    func holidayCaveats() async -> [HolidayCaveat] {
        let now = clock.now()
        if let cached = caveatCache.withLock({ $0 }), abs(now.timeIntervalSince(cached.at)) < 60 { return cached.caveats }
        let spans = (try? await offload { [store] in try store.workingDaySpans() }) ?? []
        let caveats = calendar.current.caveats(spans)
        caveatCache.withLock { $0 = (now, caveats) }
        return caveats
    }

    /// One line per year, not announced, that these working-day reminders count through; nil when none.
    func holidayWarnings(_ spans: [WorkingDaySpan]) -> [String]? {
        let lines = calendar.current.caveats(spans).map(\.sentence)
        return lines.isEmpty ? nil : lines
    }

    /// The same for reminders an import just planned, of whichever items they belong to.
    func holidayWarnings(forNew occurrences: [Occurrence]) async -> [String]? {
        let relevant = occurrences.filter { WorkingDaySpan.countsWorkingDays(label: $0.label) }
        guard !relevant.isEmpty, let items = try? await offload({ [store] in try store.items() }) else { return nil }
        let byID = Dictionary(uniqueKeysWithValues: items.map { ($0.id, $0) })
        let spans = Dictionary(grouping: relevant, by: \.itemID).flatMap { id, list in
            byID[id].map { WorkingDaySpan.of(list, item: $0.fields) } ?? []
        }
        return holidayWarnings(spans)
    }

    func audit(_ p: ControlAPI.AuditParameters) async throws -> ControlAPI.AuditReply {
        let limit = min(max(p.limit ?? 50, 1), 10_000)
        let entries = try await offload { [store] in try store.auditLog(limit: limit) }
        return ControlAPI.AuditReply(entries: entries.map {
            ControlAPI.AuditReply.Entry(at: DateOutput.iso8601($0.at, timeZone: self.zone), uid: Int($0.uid), pid: Int($0.pid),
                                        command: $0.command, method: $0.method, target: $0.target, before: $0.before, after: $0.after)
        })
    }

    // MARK: -

    /// Keeps who changed what. A change is made before its audit entry is written; a failure
    /// to write the entry is logged, not turned into a failed call for a change already made.
    func update(_ p: ControlAPI.UpdateParameters) async throws -> ControlAPI.ItemReply {
        let now = clock.now()
        guard let before = try await offload({ [store] in try store.item(key: p.key) }) else { throw ControlAPI.noSuchItem(p.key) }
        var fields = before.fields
        let itemZone = before.zone
        if let title = p.title { fields.title = title }
        if let at = p.at { fields.when = try parseDate(at, zone: itemZone, now: now) }
        if let e = p.end { fields.end = try parseEnd(e, zone: itemZone, now: now) }
        if let v = p.location { fields.location = v.isEmpty ? nil : v }
        if let v = p.notes { fields.notes = v.isEmpty ? nil : v }
        if let v = p.recipient { fields.recipient = v.isEmpty ? nil : v }
        if let v = p.tags { fields.tags = v }
        if let v = p.remind { fields.remind = v }
        if let v = p.escalation { fields.escalation = v }
        if let v = p.rule { fields.rule = v.isEmpty ? nil : v }
        if let list = p.leads { fields.leads = list.isEmpty ? nil : try parseLeads(list) }
        if let r = p.recurrence {
            fields.recurrence = r.isEmpty ? nil : try parseRecurrence(r, when: fields.when, zone: itemZone, keeping: fields.recurrence)
        } else if let r = fields.recurrence, p.at != nil {
            fields.recurrence = r.untilMatching(fields.when, zone: itemZone)
        }
        for text in p.skip ?? [] { try skip(text, in: &fields, zone: itemZone, now: now) }
        do { try fields.validate() } catch { throw VarlinkError.invalidParameter(error.parameter) }
        if config.rules.unknownRule(fields) != nil { throw VarlinkError.invalidParameter("rule") }
        let updated = fields
        let outcome = try await offload { [store, config] in
            try store.importAgenda(plans: [], items: [updated], references: [], dayTime: config.dayTime, now: now,
                                   plan: { self.plan($0, now: now) })
        }
        core.remove(occurrenceIDs: outcome.cancelledOccurrences)
        core.schedule(outcome.newOccurrences)
        let (item, occurrences) = try await offload { [store] in
            guard let item = try store.item(key: p.key) else { throw StoreError.noSuchItem(p.key) }
            return (item, try store.occurrences(ofItem: item.id))
        }
        let reply = ControlAPI.ItemReply(item: wire(item, occurrences), warnings: holidayWarnings(WorkingDaySpan.of(occurrences, item: item.fields)))
        if !outcome.updated.isEmpty {
            changed(item.key, state: item.state.rawValue, detail: "updated")
            await audit("Update", target: item.key, before: wire(before, []), after: reply.item)
        }
        return reply
    }

    func reload() async throws -> ControlAPI.ReloadReply {
        guard let reloader = reloader.withLock({ $0 }) else { throw ControlAPI.internalError("reload is not wired") }
        do {
            let s = try await reloader.reload()
            caveatCache.withLock { $0 = nil }
            let reply = ControlAPI.ReloadReply(source: s.source, channels: s.channels, holidayYears: s.holidayYears)
            await audit("Reload", target: s.source, before: nil as ControlAPI.ReloadReply?, after: reply)
            return reply
        } catch let error as ConfigError {
            throw ControlAPI.invalidConfig(location: error.location, message: error.message)
        } catch {
            throw ControlAPI.invalidConfig(location: config.sourceFile ?? "config", message: "\(error)")
        }
    }

    func get(_ p: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply {
        let (item, occurrences) = try await offload { [store] in
            guard let item = try store.item(key: p.key) else { throw StoreError.noSuchItem(p.key) }
            return (item, try store.occurrences(ofItem: item.id))
        }
        return ControlAPI.ItemReply(item: wire(item, occurrences))
    }

    func remove(_ p: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply {
        let (before, occurrences) = try await offload { [store] in
            guard let item = try store.item(key: p.key) else { throw StoreError.noSuchItem(p.key) }
            return (item, try store.occurrences(ofItem: item.id))
        }
        let (_, unfinished) = try await offload { [store] in try store.remove(key: p.key) }
        core.remove(occurrenceIDs: unfinished)
        let reply = ControlAPI.ItemReply(item: wire(before, occurrences))
        changed(p.key, state: "removed", detail: "removed")
        await audit("Remove", target: p.key, before: reply.item, after: nil as ControlAPI.Item?)
        return reply
    }

    func backup(_ p: ControlAPI.BackupParameters) async throws -> ControlAPI.BackupReply {
        guard p.path.hasPrefix("/"), !p.path.hasSuffix("/") else { throw VarlinkError.invalidParameter("path") }
        do {
            try await offload { [store] in try store.backup(to: p.path) }
        } catch let error as VarlinkError {
            throw error
        } catch {
            throw ControlAPI.storeFailure("backup to \(p.path): \(error)")
        }
        let bytes = (try? FileManager.default.attributesOfItem(atPath: p.path)[.size] as? Int) ?? 0
        let reply = ControlAPI.BackupReply(path: p.path, bytes: bytes)
        await audit("Backup", target: p.path, before: nil as ControlAPI.BackupReply?, after: reply)
        return reply
    }

    func watch() async throws -> AsyncStream<ControlAPI.WatchReply> {
        events.subscribe()
    }

    /// An item was added or changed: watchers hear of it.
    func changed(_ key: String, state: String, detail: String) {
        feed?.changed()
        caveatCache.withLock { $0 = nil }
        events.publish(.init(event: .init(kind: .itemChanged, at: DateOutput.iso8601(clock.now(), timeZone: zone), item: key,
                                          state: state, detail: detail)))
    }

    func audit(_ method: String, target: String, before: (some Encodable & Sendable)?, after: (some Encodable & Sendable)?) async {
        let caller = Caller.current ?? Caller(uid: getuid(), gid: getgid(), pid: getpid(), command: "deadlined", mayChange: true)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let entry = AuditEntry(at: clock.now(), uid: Int64(caller.uid), pid: Int64(caller.pid), command: caller.command, method: method,
                               target: target, before: before.flatMap { try? String(decoding: encoder.encode($0), as: UTF8.self) },
                               after: after.flatMap { try? String(decoding: encoder.encode($0), as: UTF8.self) })
        do { try await offload { [store] in try store.recordAudit(entry) } }
        catch { logger.error("cannot record the audit entry for \(method) \(target) by \(caller): \(error)") }
    }

    func wire(_ item: Item, _ occurrences: [Occurrence]) -> ControlAPI.Item {
        ControlAPI.Item(item, occurrences: occurrences, today: LocalDate(clock.now(), in: zone), calendar: calendar.withLock { $0 })
    }

    /// A meeting's end: an instant, never a whole day.
    func parseEnd(_ text: String, zone: TimeZone, now: Date) throws -> Date {
        guard case .instant(let d) = try parseDate(text, zone: zone, now: now) else { throw VarlinkError.invalidParameter("end") }
        return d
    }

    func parseLeads(_ list: [String]) throws -> [Lead] {
        try list.map { text in
            guard let lead = Lead(text) else { throw ControlAPI.invalidLead(text) }
            return lead
        }
    }

    /// The end of a range given as `to`: an instant as it is, a whole day to its end.
    func endOfRange(_ when: When) -> Date {
        switch when {
        case .instant(let d): d
        case .day(let d): d.adding(days: 1).at(hour: 0, minute: 0, in: zone)
        }
    }

    func parseDate(_ text: String, zone: TimeZone, now: Date) throws -> When {
        do { return try DateInput.parse(text, timeZone: zone, now: now) }
        catch { throw ControlAPI.invalidDate(error) }
    }

    /// Runs blocking store work on NIO's thread pool, never on the cooperative pool (nor on
    /// Dispatch's global queues, which back it on Linux), so an fsync never holds up the
    /// socket's tasks. Store errors become the interface's errors.
    func testChannel(_ p: ControlAPI.TestChannelParameters) async throws -> ControlAPI.TestChannelReply {
        let set = core.channels
        guard let channel = set.channels[p.channel] else {
            throw ControlAPI.noSuchChannel(p.channel, known: set.channels.keys.sorted())
        }
        let reminder = Self.sampleReminder(kind: p.kind ?? .deadline, now: clock.now(), config: config)
        let started = ContinuousClock.now
        // The channel's own timeout, and a backstop in case it overruns it.
        let outcome: Result<String?, any Error> = await withTaskGroup(of: Result<String?, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await channel.deliver(reminder)) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: channel.policy.timeout + .seconds(5))
                return nil
            }
            let first = await group.next()!
            group.cancelAll()
            return first ?? .failure(ChannelError("no answer within \(channel.policy.timeout + .seconds(5))"))
        }
        let ms = Int((ContinuousClock.now - started).components.seconds * 1000
            + (ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000)
        let reply: ControlAPI.TestChannelReply = switch outcome {
        case .success(let detail): .init(channel: p.channel, delivered: true, detail: detail, error: nil, milliseconds: ms)
        case .failure(let error): .init(channel: p.channel, delivered: false, detail: nil, error: "\(error)", milliseconds: ms)
        }
        await audit("TestChannel", target: p.channel, before: nil as ControlAPI.TestChannelReply?, after: reply)
        return reply
    }

    /// A made-up item due a few working days ahead, marked as a test in its title and key.
    static func sampleReminder(kind: ItemKind, now: Date, config: DaemonConfig) -> Reminder {
        let zone = TimeZone(identifier: config.timeZone)!
        let thai = config.language == .thai
        let when: When = kind == .meeting ? .instant(now.addingTimeInterval(2 * 3600)) : .day(LocalDate(now, in: zone).adding(days: 7))
        let title = kind == .meeting
            ? (thai ? "ทดสอบช่องทางแจ้งเตือน: ประชุมคณะทำงาน" : "Channel test: working-group meeting")
            : (thai ? "ทดสอบช่องทางแจ้งเตือน: ส่งแผนปฏิบัติการป้องกันการทุจริต" : "Channel test: anti-corruption plan submission")
        let fields = NewItem(kind: kind, key: "test-channel", title: title, when: when, timeZone: config.timeZone,
                             organisation: config.organisation, location: kind == .meeting ? (thai ? "ห้องประชุม" : "Meeting room") : nil)
        let stamp = Int64(now.timeIntervalSince1970 * 1000)
        let occurrence = Occurrence(id: 0, itemID: 0, fireAt: now, state: .firing, attempts: 1, label: kind == .meeting ? "2h" : "7d")
        return Reminder(item: Item(id: 0, fields: fields), occurrence: occurrence, tag: "deadlined-test-\(stamp)")
    }

    func offload<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await NIOThreadPool.singleton.runIfActive {
            do { return try body() }
            catch let error as VarlinkError { throw error }
            catch let error as StoreError {
                switch error {
                case .duplicateKey(let key): throw ControlAPI.duplicateKey(key)
                case .noSuchItem(let key): throw ControlAPI.noSuchItem(key)
                case .notOpen(let key, let state): throw ControlAPI.notOpen(key, state)
                case .unknownReference(let location, let message):
                    throw ControlAPI.invalidFile(location: location, message: message)
                case .duplicateUID(let uid): throw ControlAPI.duplicateKey(uid)
                case .cannotOpen, .corrupt, .full, .unavailable: throw ControlAPI.storeFailure(error.description)
                }
            } catch {
                throw ControlAPI.storeFailure(String(describing: error))
            }
        }
    }
}
