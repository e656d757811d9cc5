import DeadlineCore
import Foundation

/// A row of the `item` table as every SQL backend keeps it, and its mapping to and from the
/// domain's `Item`. Kept apart from `Item` so the table can change shape without the domain
/// noticing; each backend only reads and writes these columns. Lists are JSON text, instants
/// whole milliseconds (`Millis`).
package struct ItemRow: Sendable {
    package var id: Int64?
    package var key: String
    package var kind: String
    package var title: String
    package var at_ms: Int64
    package var date_only: String?
    package var end_ms: Int64?
    package var time_zone: String
    package var organisation: String
    package var location: String?
    package var notes: String?
    package var chair: String?
    package var attendees: String
    package var working_group: String?
    package var follow_up_of: String?
    package var plan: String?
    package var recipient: String?
    package var tags: String
    package var remind: String
    package var escalation: String
    package var rule: String?
    package var leads: String?
    package var state: String
    package var state_changed_ms: Int64?
    package var state_changed_by: String?
    package var created_ms: Int64
    package var rrule: String?
    package var exdates: String?
    package var rdates: String?
    package var uid: String
    package var recurrence_id_ms: Int64?
    package var sequence: Int
    package var planned_through_ms: Int64?
    package var updated_ms: Int64?

    /// Every column, as a backend reads them.
    package init(id: Int64?, key: String, kind: String, title: String, at_ms: Int64, date_only: String?, end_ms: Int64?,
                 time_zone: String, organisation: String, location: String?, notes: String?, chair: String?, attendees: String,
                 working_group: String?, follow_up_of: String?, plan: String?, recipient: String?, tags: String, remind: String,
                 escalation: String, rule: String?, leads: String?, state: String, state_changed_ms: Int64?,
                 state_changed_by: String?, created_ms: Int64, rrule: String?, exdates: String?, rdates: String?, uid: String,
                 recurrence_id_ms: Int64?, sequence: Int, planned_through_ms: Int64?, updated_ms: Int64?) {
        self.id = id
        self.key = key
        self.kind = kind
        self.title = title
        self.at_ms = at_ms
        self.date_only = date_only
        self.end_ms = end_ms
        self.time_zone = time_zone
        self.organisation = organisation
        self.location = location
        self.notes = notes
        self.chair = chair
        self.attendees = attendees
        self.working_group = working_group
        self.follow_up_of = follow_up_of
        self.plan = plan
        self.recipient = recipient
        self.tags = tags
        self.remind = remind
        self.escalation = escalation
        self.rule = rule
        self.leads = leads
        self.state = state
        self.state_changed_ms = state_changed_ms
        self.state_changed_by = state_changed_by
        self.created_ms = created_ms
        self.rrule = rrule
        self.exdates = exdates
        self.rdates = rdates
        self.uid = uid
        self.recurrence_id_ms = recurrence_id_ms
        self.sequence = sequence
        self.planned_through_ms = planned_through_ms
        self.updated_ms = updated_ms
    }

    /// A new item's row, before it has an id.
    package init(_ new: NewItem, instant: Date, createdAt: Date, uid: String, recurrenceID: Date? = nil) {
        self.init(id: nil, key: new.key, kind: new.kind.rawValue, title: new.title, at_ms: Millis.from(instant), date_only: nil,
                  end_ms: nil, time_zone: new.timeZone, organisation: new.organisation, location: nil, notes: nil, chair: nil,
                  attendees: "[]", working_group: nil, follow_up_of: nil, plan: nil, recipient: nil, tags: "[]", remind: "[]",
                  escalation: "[]", rule: nil, leads: nil, state: ItemState.open.rawValue, state_changed_ms: nil,
                  state_changed_by: nil, created_ms: Millis.from(createdAt), rrule: nil, exdates: nil, rdates: nil, uid: uid,
                  recurrence_id_ms: recurrenceID.map(Millis.from), sequence: 0, planned_through_ms: nil,
                  updated_ms: Millis.from(createdAt))
        setFields(new, instant: instant)
    }

    /// Writes every field an update may change.
    package mutating func setFields(_ new: NewItem, instant: Date) {
        key = new.key
        kind = new.kind.rawValue
        title = new.title
        at_ms = Millis.from(instant)
        if case .day(let d) = new.when { date_only = d.description } else { date_only = nil }
        end_ms = new.end.map(Millis.from)
        time_zone = new.timeZone
        organisation = new.organisation
        location = new.location
        notes = new.notes
        chair = new.chair
        attendees = JSONList.encode(new.attendees)
        working_group = new.workingGroup
        follow_up_of = new.followUpOf
        plan = new.plan
        recipient = new.recipient
        tags = JSONList.encode(new.tags)
        remind = JSONList.encode(new.remind)
        escalation = JSONList.encode(new.escalation)
        rule = new.rule
        leads = new.leads.map { JSONList.encode($0.map(\.description)) }
        rrule = new.recurrence?.rrule
        exdates = new.recurrence.map { r in Self.instants(r.exceptions) }
        rdates = new.recurrence.flatMap { r in r.additions.isEmpty ? nil : Self.instants(r.additions) }
    }

    package func domain() throws -> Item {
        guard let id, let k = ItemKind(rawValue: kind), let s = ItemState(rawValue: state) else {
            throw StoreError.corrupt("item \(id ?? -1) has kind '\(kind)', state '\(state)'")
        }
        let when: When
        if let date_only {
            guard let d = LocalDate(iso: date_only) else { throw StoreError.corrupt("item \(id) has date '\(date_only)'") }
            when = .day(d)
        } else {
            when = .instant(Millis.date(at_ms))
        }
        let fields = NewItem(
            kind: k, key: key, title: title, when: when, end: end_ms.map(Millis.date), timeZone: time_zone,
            organisation: organisation, location: location, notes: notes, chair: chair,
            attendees: try JSONList.decode(attendees), workingGroup: working_group, followUpOf: follow_up_of, plan: plan,
            recipient: recipient, tags: try JSONList.decode(tags), remind: try JSONList.decode(remind),
            escalation: try JSONList.decode(escalation), rule: rule,
            leads: try leads.map { try JSONList.decode($0).compactMap { Lead($0) } },
            recurrence: try recurrence()
        )
        return Item(id: id, fields: fields, state: s, stateChangedAt: state_changed_ms.map(Millis.date), stateChangedBy: state_changed_by,
                    uid: uid, sequence: sequence, updatedAt: updated_ms.map(Millis.date), recurrenceID: recurrence_id_ms.map(Millis.date))
    }

    /// Instants as exdates and rdates keep them: a JSON list of milliseconds, ascending.
    static func instants(_ dates: Set<Date>) -> String {
        JSONList.encode(dates.map(Millis.from).sorted().map(String.init))
    }

    static func instants(_ text: String?) throws -> Set<Date> {
        Set(try JSONList.decode(text ?? "[]").compactMap { Int64($0).map(Millis.date) })
    }

    private func recurrence() throws -> Recurrence? {
        guard let rrule else { return nil }
        do {
            var r = try Recurrence(rrule: rrule, zone: TimeZone(identifier: time_zone) ?? TimeZone(secondsFromGMT: 0)!, stored: true)
            r.exceptions = try Self.instants(exdates)
            r.additions = try Self.instants(rdates)
            return r
        } catch {
            throw StoreError.corrupt("item \(id ?? -1) has recurrence '\(rrule)': \(error)")
        }
    }
}
