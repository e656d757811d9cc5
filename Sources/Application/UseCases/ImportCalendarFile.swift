import DeadlineCore
import DeadlineStore
import Foundation
import ICalendar

/// The VEVENTs of an iCalendar text imported by UID in one transaction: an invitation seen
/// before updates the item it made, a cancelled one closes it, a changed meeting of a series
/// (RECURRENCE-ID) changes the series or becomes an item of its own.
public struct ImportCalendarFile: UseCase {
    public let name: String
    public let content: String
    /// Who imports, for the `state_changed_by` of what the file closes.
    public let by: String

    public init(name: String, content: String, by: String) {
        self.name = name
        self.content = content
        self.by = by
    }

    /// An `.ics` file, or any text that starts as one.
    public static func isICalendar(name: String, _ text: String) -> Bool {
        name.lowercased().hasSuffix(".ics")
            || text.drop(while: { $0.isWhitespace || $0 == "\u{FEFF}" }).prefix(15).uppercased() == "BEGIN:VCALENDAR"
    }

    public func change(_ c: UseCaseContext) async throws -> Change<ImportSummary> {
        let parsed: CalendarImport
        do {
            parsed = try CalendarImport.read(content, file: name, defaultZone: c.settings.timeZone, organisation: c.settings.organisation)
        } catch {
            throw RequestError.invalidFile(location: error.location, message: error.message)
        }
        let (name, by) = (self.name, self.by)
        return Change { txn in
            let (batch, notes) = try Self.batch(parsed, file: name, by: by, rules: c.settings.rules, txn)
            let outcome = try txn.importItems(batch, dayTime: c.settings.dayTime, now: c.now, plan: { item in
                batch.close[item.key] != nil ? .init(reminders: [], plannedThrough: nil) : c.plan(item)
            })
            let summary = ImportSummary(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged, plans: 0,
                                        cancelled: outcome.closed, notes: notes,
                                        warnings: try c.holidayWarnings(forNew: outcome.newOccurrences, txn))
            let moved = try ObligationReminders.replan(retimed: outcome.retimed, txn, c)
            return Written(value: summary, schedule: outcome.newOccurrences + moved.added, cancel: outcome.cancelledOccurrences + moved.cancelled,
                           audit: AuditNote(method: "Import", target: name, before: nil as ImportSummary?, after: summary),
                           events: outcome.added.map { .item(key: $0, state: "open", detail: "imported", at: c.now) }
                               + outcome.updated.map { .item(key: $0, state: "open", detail: "updated by import", at: c.now) }
                               + outcome.closed.map { .item(key: $0, state: batch.close[$0]?.rawValue ?? "cancelled", detail: "closed by import", at: c.now) })
        }
    }

    /// The file's events as an import batch, with what the store already knows of their UIDs
    /// (read in the same transaction as the import, so nothing changes between).
    static func batch(_ parsed: CalendarImport, file: String, by: String, rules: RuleBook, _ txn: StoreTransaction) throws -> (ImportBatch, notes: [String]) {
        // Changes to meetings of series imported before: the series, changed, is imported too.
        var events = parsed.events
        var seriesOfStore: [String: Int] = [:]
        var applied = parsed.instanceChanges.filter { $0.instance != nil }
        for var change in parsed.instanceChanges where change.instance == nil {
            if seriesOfStore[change.uid] == nil {
                guard let stored = try txn.item(uid: change.uid) else {
                    throw RequestError.invalidFile(location: "\(file):\(change.line)", message: "RECURRENCE-ID names a meeting of the series with UID "
                        + "\(change.uid), which is neither in this file nor imported before")
                }
                seriesOfStore[change.uid] = events.count
                events.append(CalendarImport.Event(uid: change.uid, item: stored.fields, cancelled: false, state: nil, sequence: stored.sequence,
                                                   line: change.line, keyGiven: true))
            }
            let i = seriesOfStore[change.uid]!
            do {
                try CalendarImport.apply(&change, to: &events[i].item, series: events[i].item.key, file: file)
            } catch {
                throw RequestError.invalidFile(location: error.location, message: error.message)
            }
            if let replacement = change.replacement { events.append(replacement) }
            applied.append(change)
        }
        var batch = ImportBatch(items: [], closedBy: by)
        var notes = parsed.notes
        // A cancelled meeting that was moved before: its moved meeting is cancelled too.
        for c in applied where c.replacement == nil {
            if let key = try txn.key(forUID: c.uid, recurrenceID: c.instance) { batch.close[key] = .cancelled }
        }
        var keys = Set<String>()
        for event in events {
            var item = event.item
            // A UID seen before keeps the key it was given then; a new one must not take the
            // key of another item.
            let knownKey = try txn.key(forUID: event.uid, recurrenceID: event.recurrenceID)
            if let knownKey {
                item.key = knownKey
            } else if let owner = try txn.item(key: item.key)?.uid {
                throw RequestError.invalidFile(location: "\(file):\(event.line)", message: "key '\(item.key)' belongs to another item (UID \(owner)) already")
            }
            guard keys.insert(item.key).inserted else {
                throw RequestError.invalidFile(location: "\(file):\(event.line)", message: "key '\(item.key)' is used by two events of this file")
            }
            if let problem = rules.unknownRule(item) {
                throw RequestError.invalidFile(location: "\(file):\(event.line)", message: "\(item.key): \(problem)")
            }
            if event.cancelled || (event.state.map { $0 != .open } ?? false) {
                batch.close[item.key] = event.cancelled ? .cancelled : event.state!
                if knownKey == nil && event.cancelled {
                    notes.append("\(file):\(event.line): \(item.key) is cancelled: added as cancelled, with no reminders")
                }
            }
            batch.uids[item.key] = event.uid
            batch.recurrenceIDs[item.key] = event.recurrenceID
            batch.sequences[item.key] = event.sequence
            batch.items.append(item)
        }
        // A follow-up must point at a meeting in this file or in the store.
        batch.references = batch.items.compactMap { item in
            item.followUpOf.map { Reference(key: $0, target: .meeting, location: file, message: "\(item.key): no meeting has key '\($0)' in this file or in the store") }
        }.filter { !keys.contains($0.key) }
        return (batch, notes)
    }
}
