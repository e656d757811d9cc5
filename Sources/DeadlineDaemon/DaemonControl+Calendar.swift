import Control
import DeadlineCore
import DeadlineStore
import Foundation
import ICalendar

/// iCalendar in and out: Export, ListInstances, and Import of an `.ics` text.
extension DaemonControl {
    /// An `.ics` file, or any text that starts as one.
    static func isICalendar(name: String, _ text: String) -> Bool {
        name.lowercased().hasSuffix(".ics")
            || text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).prefix(15).uppercased() == "BEGIN:VCALENDAR"
    }

    /// An RRULE from a caller, its UNTIL made the type of `when`; a changed rule keeps the
    /// series' exceptions and added dates.
    func parseRecurrence(_ text: String, when: When, zone: TimeZone, keeping old: Recurrence? = nil) throws -> Recurrence {
        do {
            var r = try Recurrence(rrule: text, zone: zone)
            r.exceptions = old?.exceptions ?? []
            r.additions = old?.additions ?? []
            return r.untilMatching(when, zone: zone)
        } catch {
            throw ControlAPI.invalidRecurrence(text, reason: error.description)
        }
    }

    /// Leaves the meeting of a series on the day of `text` (or at its date and time) out.
    func skip(_ text: String, in fields: inout NewItem, zone: TimeZone, now: Date) throws {
        guard var r = fields.recurrence else { throw ControlAPI.invalidRecurrence(text, reason: "only a repeating meeting has meetings to skip") }
        let when = try parseDate(text, zone: zone, now: now)
        let (from, to): (Date, Date) = switch when {
        case .instant(let d): (d, d.addingTimeInterval(1))
        case .day(let d): (d.at(hour: 0, minute: 0, in: zone), d.adding(days: 1).at(hour: 0, minute: 0, in: zone))
        }
        let hits = planner.instances(of: fields, from: from, to: to, limit: 10)
        guard !hits.isEmpty else { throw ControlAPI.invalidRecurrence(text, reason: "no meeting of this series is then") }
        for hit in hits { r.exceptions.insert(hit.instant(zone: zone, dayTime: TimeOfDay(hour: 0, minute: 0)!)) }
        fields.recurrence = r
    }

    func export(_ p: ControlAPI.ExportParameters) async throws -> ControlAPI.ExportReply {
        guard (p.format ?? "ics").lowercased() == "ics" else { throw VarlinkError.invalidParameter("format") }
        let now = clock.now()
        let from = try p.from.map { try parseDate($0, zone: zone, now: now).instant(zone: zone, dayTime: TimeOfDay(hour: 0, minute: 0)!) }
        let to = try p.to.map { endOfRange(try parseDate($0, zone: zone, now: now)) }
        if let from, let to, from > to { throw VarlinkError.invalidParameter("to") }
        let items = try await offload { [store] in try store.items() }
        let kept = items.filter { item in
            guard from != nil || to != nil else { return true }
            let lower = from ?? .distantPast, upper = to ?? .distantFuture
            return !planner.instances(of: item.fields, from: lower, to: upper, limit: 1).isEmpty
        }
        let text = CalendarExport.calendar(kept.map(calendarEntry), now: now, name: config.organisation.isEmpty ? "deadlined" : config.organisation)
        return ControlAPI.ExportReply(format: "ics", items: kept.count, text: text)
    }

    /// An item and its reminder leads as offsets before its (first) instance's start as the
    /// calendar sees it: the instant, or for an all-day item midnight (a reminder at 09:00 on
    /// the day is then PT9H after the start).
    func calendarEntry(_ item: Item) -> CalendarExport.Entry {
        let start = item.fields.seriesStart
        let alarms = planner.plan(when: item.fields.when, zone: item.zone, rule: config.rules.rule(for: item.fields), now: nil)
            .compactMap { r -> CalendarExport.Alarm? in
                guard case .lead(let lead) = r.purpose else { return nil }
                return CalendarExport.Alarm(lead: lead, secondsBefore: Int(start.timeIntervalSince(r.fireAt).rounded()))
            }
        return CalendarExport.Entry(item: item, alarms: alarms)
    }

    func instances(_ p: ControlAPI.InstancesParameters) async throws -> ControlAPI.InstancesReply {
        let now = clock.now()
        guard let item = try await offload({ [store] in try store.item(key: p.key) }) else { throw ControlAPI.noSuchItem(p.key) }
        let from = try parseDate(p.from, zone: item.zone, now: now).instant(zone: item.zone, dayTime: TimeOfDay(hour: 0, minute: 0)!)
        let to = endOfRange(try parseDate(p.to, zone: item.zone, now: now))
        guard from <= to else { throw VarlinkError.invalidParameter("to") }
        let limit = min(max(p.limit ?? 1000, 1), 100_000)
        // A series' moved meetings are items of their own; they are its meetings still.
        let replacements = item.recurrenceID == nil && item.fields.recurrence != nil
            ? try await offload { [store] in try store.replacements(ofUID: item.uid) }.filter { $0.state != .cancelled } : []
        var found: [(at: Date, text: String)] = []
        for one in [item] + replacements {
            found += planner.instances(of: one.fields, from: from, to: to, limit: limit).map {
                ($0.instant(zone: one.zone, dayTime: config.dayTime), DateOutput.text($0, timeZone: one.zone))
            }
        }
        let list = found.sorted { $0.at < $1.at }.prefix(limit).map(\.text)
        return ControlAPI.InstancesReply(key: item.key, recurrence: item.fields.recurrence?.rrule, instances: Array(list))
    }

    /// Imports the VEVENTs of an iCalendar text, by UID, in one transaction.
    func importCalendar(_ p: ControlAPI.FileParameters) async throws -> ControlAPI.ImportReply {
        let now = clock.now()
        let parsed: CalendarImport
        do {
            parsed = try CalendarImport.read(p.content, file: p.name, defaultZone: config.timeZone, organisation: config.organisation)
        } catch {
            throw ControlAPI.invalidFile(location: error.location, message: error.message)
        }
        // Changes to meetings of series imported before: the series, changed, is imported too.
        var events = parsed.events
        var seriesOfStore: [String: Int] = [:]
        var applied = parsed.instanceChanges.filter { $0.instance != nil }
        for var change in parsed.instanceChanges where change.instance == nil {
            if seriesOfStore[change.uid] == nil {
                let uid = change.uid
                guard let stored = try await offload({ [store] in try store.item(uid: uid) }) else {
                    throw ControlAPI.invalidFile(location: "\(p.name):\(change.line)", message: "RECURRENCE-ID names a meeting of the series with UID "
                        + "\(uid), which is neither in this file nor imported before")
                }
                seriesOfStore[uid] = events.count
                events.append(CalendarImport.Event(uid: uid, item: stored.fields, cancelled: false, state: nil, sequence: stored.sequence,
                                                   line: change.line, keyGiven: true))
            }
            let i = seriesOfStore[change.uid]!
            do {
                try CalendarImport.apply(&change, to: &events[i].item, series: events[i].item.key, file: p.name)
            } catch {
                throw ControlAPI.invalidFile(location: error.location, message: error.message)
            }
            if let replacement = change.replacement { events.append(replacement) }
            applied.append(change)
        }
        // A cancelled meeting that was moved before: its moved meeting is cancelled too.
        let cancelledInstances = applied.filter { $0.replacement == nil }
        let movedBefore: [String] = try await offload { [store] in
            try cancelledInstances.compactMap { c in try store.key(forUID: c.uid, recurrenceID: c.instance) }
        }
        // A UID seen before keeps the key it was given then; a new one must not take the key
        // of another item.
        let toLookUp = events
        let known: [(byUID: String?, ownerOfKey: String?)] = try await offload { [store] in
            try toLookUp.map { e in
                (try store.key(forUID: e.uid, recurrenceID: e.recurrenceID), try store.item(key: e.item.key)?.uid)
            }
        }
        var items: [NewItem] = [], uids: [String: String] = [:], recurrenceIDs: [String: Date] = [:], sequences: [String: Int] = [:]
        var close: [String: ItemState] = [:], notes = parsed.notes
        for key in movedBefore { close[key] = .cancelled }
        var keys = Set<String>()
        for (event, known) in zip(events, known) {
            var item = event.item
            if let key = known.byUID {
                item.key = key
            } else if let owner = known.ownerOfKey {
                throw ControlAPI.invalidFile(location: "\(p.name):\(event.line)",
                                             message: "key '\(item.key)' belongs to another item (UID \(owner)) already")
            }
            guard keys.insert(item.key).inserted else {
                throw ControlAPI.invalidFile(location: "\(p.name):\(event.line)", message: "key '\(item.key)' is used by two events of this file")
            }
            if let problem = config.rules.unknownRule(item) {
                throw ControlAPI.invalidFile(location: "\(p.name):\(event.line)", message: "\(item.key): \(problem)")
            }
            if event.cancelled || (event.state.map { $0 != .open } ?? false) {
                close[item.key] = event.cancelled ? .cancelled : event.state!
                if known.byUID == nil && event.cancelled {
                    notes.append("\(p.name):\(event.line): \(item.key) is cancelled: added as cancelled, with no reminders")
                }
            }
            uids[item.key] = event.uid
            recurrenceIDs[item.key] = event.recurrenceID
            sequences[item.key] = event.sequence
            items.append(item)
        }
        // A follow-up must point at a meeting in this file or in the store.
        let references = items.compactMap { item in
            item.followUpOf.map { Reference(key: $0, target: .meeting, location: p.name, message: "\(item.key): no meeting has key '\($0)' in this file or in the store") }
        }.filter { !keys.contains($0.key) }
        let by = Caller.current.map { "import by uid \($0.uid) (\($0.command))" } ?? "import"
        let closing = close
        let toImport = items
        let newUIDs = uids
        let newRecurrenceIDs = recurrenceIDs
        let newSequences = sequences
        let outcome = try await offload { [store, config] in
            try store.importAgenda(plans: [], items: toImport, references: references, uids: newUIDs, recurrenceIDs: newRecurrenceIDs, sequences: newSequences, close: closing, closedBy: by,
                                   dayTime: config.dayTime, now: now, plan: { item in
                                       closing[item.key] != nil ? .init(reminders: [], plannedThrough: nil) : self.plan(item, now: now)
                                   })
        }
        core.remove(occurrenceIDs: outcome.cancelledOccurrences)
        core.schedule(outcome.newOccurrences)
        let reply = ControlAPI.ImportReply(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged, plans: 0,
                                           cancelled: outcome.closed, notes: notes,
                                           warnings: await holidayWarnings(forNew: outcome.newOccurrences))
        await audit("Import", target: p.name, before: nil as ControlAPI.ImportReply?, after: reply)
        for key in outcome.added { changed(key, state: "open", detail: "imported") }
        for key in outcome.updated { changed(key, state: "open", detail: "updated by import") }
        for key in outcome.closed { changed(key, state: close[key]?.rawValue ?? "cancelled", detail: "closed by import") }
        return reply
    }
}

extension DaemonControl {
    /// Plans the instances of every open series that have entered its window since it was last
    /// planned; returns how many reminders were added.
    func extendSeries() async throws -> Int {
        let now = clock.now()
        let added = try await offload { [store] in
            try store.extendSeries(now: now) { item, after in self.plan(item.fields, now: now, after: after) }
        }
        core.schedule(added)
        if !added.isEmpty { feed?.changed() }
        return added.count
    }
}
