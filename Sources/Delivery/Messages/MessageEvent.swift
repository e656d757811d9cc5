import DeadlineCore
import Foundation

/// What a reminder is about, which picks its template: each event has its own wording in
/// each language.
public enum MessageEvent: String, Sendable, CaseIterable {
    /// A meeting ahead: tomorrow, in 2 hours, in 3 days.
    case meeting
    /// A deadline ahead: due in N working days.
    case deadline
    /// A deadline due today.
    case dueToday = "due-today"
    /// A deadline past its date and still open.
    case overdue
    /// A deadline still open close to its date: told to the escalation contacts.
    case escalation

    /// Which event a reminder is, sent at `now`.
    public static func of(_ reminder: Reminder, now: Date) -> MessageEvent {
        let item = reminder.item
        if item.kind == .meeting { return .meeting }
        if reminder.isEscalation { return .escalation }
        let zone = item.zone
        let due = item.fields.when.localDate(in: zone)
        let today = LocalDate(now, in: zone)
        if today > due || reminder.occurrence.label.hasPrefix("overdue") { return .overdue }
        return today == due ? .dueToday : .deadline
    }
}
