import DeadlineCore
import DeadlineStore
import Foundation

/// Changes the fields given of an item; a new date, zone, rule or recurrence replans its
/// reminders still to be sent. Dates are read in the item's own zone.
public struct UpdateItem: UseCase {
    /// The fields to change, as typed; nil leaves a field as it is, an empty text clears it.
    public struct Patch: Sendable {
        public var title: String?
        public var at: String?
        public var end: String?
        public var location: String?
        public var notes: String?
        public var recipient: String?
        public var tags: [String]?
        public var remind: [String]?
        public var escalation: [String]?
        public var leads: [String]?
        public var rule: String?
        /// A new RRULE; empty: the meeting stops repeating.
        public var recurrence: String?
        /// Meetings of a series to leave out, each a date or a date and time of one of them.
        public var skip: [String]?

        public init() {}
    }

    public let key: String
    public let patch: Patch

    public init(key: String, patch: Patch) {
        self.key = key
        self.patch = patch
    }

    public func change(_ c: UseCaseContext) async throws -> Change<ItemOutcome> {
        let key = self.key
        // Read and patched in the transaction: an earlier change of the same item, committed
        // just before in the same group, is seen.
        return Change { txn in
            guard let before = try txn.item(key: key) else { throw StoreError.noSuchItem(key) }
            let fields = try patched(before, c)
            let outcome = try txn.importItems(ImportBatch(items: [fields]), dayTime: c.settings.dayTime, now: c.now, plan: { c.plan($0) })
            guard let item = try txn.item(key: key) else { throw StoreError.noSuchItem(key) }
            let occurrences = try txn.occurrences(ofItem: item.id)
            let changed = !outcome.updated.isEmpty
            // The organisations assigned this deadline are reminded at its new date.
            let obligations = try ObligationReminders.replan(retimed: outcome.retimed, txn, c)
            return Written(
                value: ItemOutcome(item: item, occurrences: occurrences, warnings: c.holidayWarnings(WorkingDaySpan.of(occurrences, item: item.fields))),
                schedule: outcome.newOccurrences + obligations.added,
                cancel: outcome.cancelledOccurrences + obligations.cancelled,
                audit: changed ? AuditNote(method: "Update", target: key, before: AuditedItem(before, []), after: AuditedItem(item, occurrences)) : nil,
                events: changed ? [.item(key: key, state: item.state.rawValue, detail: "updated", at: c.now)] : [])
        }
    }

    /// The item's fields with the patch applied, validated.
    private func patched(_ before: Item, _ c: UseCaseContext) throws -> NewItem {
        var fields = before.fields
        let zone = before.zone, now = c.now, p = patch
        if let title = p.title { fields.title = title }
        if let at = p.at { fields.when = try TextInput.date(at, zone: zone, now: now) }
        if let e = p.end { fields.end = try TextInput.end(e, zone: zone, now: now) }
        if let v = p.location { fields.location = v.isEmpty ? nil : v }
        if let v = p.notes { fields.notes = v.isEmpty ? nil : v }
        if let v = p.recipient { fields.recipient = v.isEmpty ? nil : v }
        if let v = p.tags { fields.tags = v }
        if let v = p.remind { fields.remind = v }
        if let v = p.escalation { fields.escalation = v }
        if let v = p.rule { fields.rule = v.isEmpty ? nil : v }
        if let list = p.leads { fields.leads = list.isEmpty ? nil : try TextInput.leads(list) }
        if let r = p.recurrence {
            fields.recurrence = r.isEmpty ? nil : try TextInput.recurrence(r, when: fields.when, zone: zone, keeping: fields.recurrence)
        } else if let r = fields.recurrence, p.at != nil {
            fields.recurrence = r.untilMatching(fields.when, zone: zone)
        }
        for text in p.skip ?? [] { try skip(text, in: &fields, zone: zone, c) }
        try c.validate(fields)
        return fields
    }

    /// Leaves the meeting of a series on the day of `text` (or at its date and time) out.
    private func skip(_ text: String, in fields: inout NewItem, zone: TimeZone, _ c: UseCaseContext) throws {
        guard var r = fields.recurrence else { throw RequestError.invalidRecurrence(text, reason: "only a repeating meeting has meetings to skip") }
        let when = try TextInput.date(text, zone: zone, now: c.now)
        let (from, to): (Date, Date) = switch when {
        case .instant(let d): (d, d.addingTimeInterval(1))
        case .day: (TextInput.startOfRange(when, zone: zone), TextInput.endOfRange(when, zone: zone))
        }
        let hits = c.planner.instances(of: fields, from: from, to: to, limit: 10)
        guard !hits.isEmpty else { throw RequestError.invalidRecurrence(text, reason: "no meeting of this series is then") }
        for hit in hits { r.exceptions.insert(TextInput.startOfRange(hit, zone: zone)) }
        fields.recurrence = r
    }
}
