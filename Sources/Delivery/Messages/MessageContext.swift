import DeadlineCore
import Foundation

/// The variables a template sees. A value that an item lacks is absent, so that
/// `{{#location}}…{{/location}}` leaves its line out.
///
/// | name | what |
/// |---|---|
/// | `title`, `key`, `id`, `kind` | the item |
/// | `organisation`, `location`, `notes`, `chair`, `attendees`, `working_group`, `plan`, `recipient` | its fields, if set |
/// | `people` | whom it reminds (`remind:`), comma-separated |
/// | `due` | its date and time as a letter writes it, in the message's language |
/// | `due_iso` | the same instant in ISO 8601 |
/// | `relative` | `tomorrow`, `in 2 hours`, `in 3 days` (`พรุ่งนี้`, `อีก 2 ชั่วโมง`, …) |
/// | `days`, `working_days` | calendar and working days from today to its day |
/// | `overdue_days` | calendar days past its day (0 if not overdue) |
/// | `lead`, `occurrence`, `idempotency_key` | which reminder this is |
/// | `escalation` | true for an escalation reminder |
/// | `organisation_code`, `province`, `district`, `contact_person`, `contact_chat`, `contact_phone` | for an organisation's obligation: who it reminds (`organisation` is then its name, `people` its responsible person) |
/// | `escalate_to` | for an obligation's escalation: the office it goes to |
struct MessageContext {
    let reminder: Reminder
    /// The channel it goes through, for its idempotency key.
    let channel: String
    let language: Language
    let now: Date
    let dayTime: TimeOfDay
    let calendar: WorkingCalendar

    var values: [String: Any] {
        let item = reminder.item
        let f = item.fields
        let zone = item.zone
        // A series' reminder carries its own instance in `when`: the count is to that day.
        let countdown = Countdown(to: f.when.localDate(in: zone), today: LocalDate(now, in: zone), calendar: calendar)
        let days = countdown.days
        var v: [String: Any] = [
            "title": f.title,
            "key": item.key,
            "id": String(item.id),
            "kind": item.kind.rawValue,
            "due": DateText.when(f.when, zone: zone, language: language),
            "due_iso": DateOutput.iso8601(f.instant(dayTime: dayTime), timeZone: zone),
            "relative": relative(days: days),
            "days": String(days),
            "working_days": String(countdown.workingDays),
            "overdue_days": String(max(0, -days)),
            "lead": reminder.occurrence.label,
            "occurrence": String(reminder.occurrence.id),
            "idempotency_key": reminder.idempotencyKey(channel: channel),
            "escalation": reminder.isEscalation,
            "language": language.rawValue,
        ]
        func put(_ key: String, _ value: String?) {
            if let value, !value.isEmpty { v[key] = value }
        }
        put("organisation", f.organisation)
        put("location", f.location)
        put("notes", f.notes)
        put("chair", f.chair)
        put("attendees", f.attendees.joined(separator: ", "))
        put("working_group", f.workingGroup)
        put("plan", f.plan)
        put("recipient", f.recipient)
        put("people", f.remind.joined(separator: ", "))
        if let org = reminder.organisation {
            put("organisation", org.name)
            put("organisation_code", org.code)
            put("province", org.province)
            put("district", org.district)
            put("contact_person", org.contact.person)
            put("contact_chat", org.contact.chat)
            put("contact_phone", org.contact.phone)
            // Whom the escalation tells, and who is responsible at the office that is late.
            put("people", org.contact.person)
            put("escalate_to", reminder.escalateTo?.name)
        }
        return v
    }

    /// How far off the item is, as people say it.
    func relative(days: Int) -> String {
        let thai = language == .thai
        if days == 0 {
            guard case .instant(let at) = reminder.item.fields.when else { return thai ? "วันนี้" : "today" }
            let minutes = Int((at.timeIntervalSince(now) / 60).rounded())
            if minutes <= 0 { return thai ? "ขณะนี้" : "now" }
            if minutes < 60 { return thai ? "อีก \(minutes) นาที" : "in \(minutes) minute\(minutes == 1 ? "" : "s")" }
            let hours = Int((Double(minutes) / 60).rounded())
            return thai ? "อีก \(hours) ชั่วโมง" : "in \(hours) hour\(hours == 1 ? "" : "s")"
        }
        if days == 1 { return thai ? "พรุ่งนี้" : "tomorrow" }
        if days == 2 && thai { return "มะรืนนี้" }
        if days > 1 { return thai ? "อีก \(days) วัน" : "in \(days) days" }
        return thai ? "เมื่อ \(-days) วันก่อน" : "\(-days) day\(days == -1 ? "" : "s") ago"
    }
}
