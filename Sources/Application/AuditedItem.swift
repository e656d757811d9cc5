import DeadlineCore
import Foundation

/// An item as the audit trail keeps it, before or after a change: its fields as written, and
/// its reminders' instants and states.
struct AuditedItem: Encodable {
    struct Reminder: Encodable {
        var id: Int64
        var fireAt: String
        var label: String
        var state: OccurrenceState
    }

    var key: String
    var kind: ItemKind
    var title: String
    var at: String
    var end: String?
    var timeZone: String
    var organisation: String
    var location: String?
    var notes: String?
    var recipient: String?
    var followUpOf: String?
    var plan: String?
    var tags: [String]
    var remind: [String]
    var escalation: [String]
    var rule: String?
    var leads: [String]?
    var recurrence: String?
    var state: ItemState
    var uid: String
    var reminders: [Reminder]

    init(_ item: Item, _ occurrences: [Occurrence]) {
        let f = item.fields, zone = item.zone
        key = f.key
        kind = f.kind
        title = f.title
        at = DateOutput.text(f.when, timeZone: zone)
        end = f.end.map { DateOutput.iso8601($0, timeZone: zone) }
        timeZone = f.timeZone
        organisation = f.organisation
        location = f.location
        notes = f.notes
        recipient = f.recipient
        followUpOf = f.followUpOf
        plan = f.plan
        tags = f.tags
        remind = f.remind
        escalation = f.escalation
        rule = f.rule
        leads = f.leads?.map(\.description)
        recurrence = f.recurrence?.rrule
        state = item.state
        uid = item.uid
        reminders = occurrences.map { Reminder(id: $0.id, fireAt: DateOutput.iso8601($0.fireAt, timeZone: zone), label: $0.label, state: $0.state) }
    }
}
