import DeadlineCore
import DeadlineStore
import Foundation
import GRDB

/// Row of `item`. Kept apart from the domain's `Item` so the table can change shape
/// without the domain noticing. Lists are JSON text.
struct ItemRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "item"
    var id: Int64?
    var key: String
    var kind: String
    var title: String
    var at_ms: Int64
    var date_only: String?
    var end_ms: Int64?
    var time_zone: String
    var organisation: String
    var location: String?
    var notes: String?
    var chair: String?
    var attendees: String
    var working_group: String?
    var follow_up_of: String?
    var plan: String?
    var recipient: String?
    var tags: String
    var remind: String
    var escalation: String
    var rule: String?
    var leads: String?
    var state: String
    var state_changed_ms: Int64?
    var state_changed_by: String?
    var created_ms: Int64
    var rrule: String?
    var exdates: String?
    var rdates: String?
    var uid: String
    var recurrence_id_ms: Int64?
    var sequence: Int
    var planned_through_ms: Int64?
    var updated_ms: Int64?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    // Hand-written row coding: GRDB's Codable path costs several times more, and a burst of
    // a hundred thousand reminders reads this record for every one.
    init(row: Row) {
        id = row["id"]
        key = row["key"]
        kind = row["kind"]
        title = row["title"]
        at_ms = row["at_ms"]
        date_only = row["date_only"]
        end_ms = row["end_ms"]
        time_zone = row["time_zone"]
        organisation = row["organisation"]
        location = row["location"]
        notes = row["notes"]
        chair = row["chair"]
        attendees = row["attendees"]
        working_group = row["working_group"]
        follow_up_of = row["follow_up_of"]
        plan = row["plan"]
        recipient = row["recipient"]
        tags = row["tags"]
        remind = row["remind"]
        escalation = row["escalation"]
        rule = row["rule"]
        leads = row["leads"]
        state = row["state"]
        state_changed_ms = row["state_changed_ms"]
        state_changed_by = row["state_changed_by"]
        created_ms = row["created_ms"]
        rrule = row["rrule"]
        exdates = row["exdates"]
        rdates = row["rdates"]
        uid = row["uid"]
        recurrence_id_ms = row["recurrence_id_ms"]
        sequence = row["sequence"]
        planned_through_ms = row["planned_through_ms"]
        updated_ms = row["updated_ms"]
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["key"] = key
        container["kind"] = kind
        container["title"] = title
        container["at_ms"] = at_ms
        container["date_only"] = date_only
        container["end_ms"] = end_ms
        container["time_zone"] = time_zone
        container["organisation"] = organisation
        container["location"] = location
        container["notes"] = notes
        container["chair"] = chair
        container["attendees"] = attendees
        container["working_group"] = working_group
        container["follow_up_of"] = follow_up_of
        container["plan"] = plan
        container["recipient"] = recipient
        container["tags"] = tags
        container["remind"] = remind
        container["escalation"] = escalation
        container["rule"] = rule
        container["leads"] = leads
        container["state"] = state
        container["state_changed_ms"] = state_changed_ms
        container["state_changed_by"] = state_changed_by
        container["created_ms"] = created_ms
        container["rrule"] = rrule
        container["exdates"] = exdates
        container["rdates"] = rdates
        container["uid"] = uid
        container["recurrence_id_ms"] = recurrence_id_ms
        container["sequence"] = sequence
        container["planned_through_ms"] = planned_through_ms
        container["updated_ms"] = updated_ms
    }

    init(_ new: NewItem, instant: Date, createdAt: Date, uid: String, recurrenceID: Date? = nil) {
        self.uid = uid
        recurrence_id_ms = recurrenceID.map(Millis.from)
        sequence = 0
        updated_ms = Millis.from(createdAt)
        key = new.key
        kind = new.kind.rawValue
        title = new.title
        at_ms = Millis.from(instant)
        time_zone = new.timeZone
        organisation = new.organisation
        created_ms = Millis.from(createdAt)
        attendees = "[]"
        tags = "[]"
        remind = "[]"
        escalation = "[]"
        state = ItemState.open.rawValue
        setFields(new, instant: instant)
    }

    /// Writes every field an update may change.
    mutating func setFields(_ new: NewItem, instant: Date) {
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

    func domain() throws -> Item {
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

/// Row of `occurrence`.
struct OccurrenceRecord: FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "occurrence"
    var id: Int64?
    var item_id: Int64
    var fire_at_ms: Int64
    var state: String
    var attempts: Int
    var updated_ms: Int64
    var label: String
    var last_error: String?
    var instance_ms: Int64?
    var org_code: String?

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(id: Int64?, item_id: Int64, fire_at_ms: Int64, state: String, attempts: Int, updated_ms: Int64, label: String, last_error: String?,
         instance_ms: Int64? = nil, org_code: String? = nil) {
        self.org_code = org_code
        self.instance_ms = instance_ms
        self.id = id
        self.item_id = item_id
        self.fire_at_ms = fire_at_ms
        self.state = state
        self.attempts = attempts
        self.updated_ms = updated_ms
        self.label = label
        self.last_error = last_error
    }

    init(row: Row) {
        id = row["id"]
        item_id = row["item_id"]
        fire_at_ms = row["fire_at_ms"]
        state = row["state"]
        attempts = row["attempts"]
        updated_ms = row["updated_ms"]
        label = row["label"]
        last_error = row["last_error"]
        instance_ms = row["instance_ms"]
        org_code = row["org_code"]
    }

    func encode(to container: inout PersistenceContainer) {
        container["id"] = id
        container["item_id"] = item_id
        container["fire_at_ms"] = fire_at_ms
        container["state"] = state
        container["attempts"] = attempts
        container["updated_ms"] = updated_ms
        container["label"] = label
        container["last_error"] = last_error
        container["instance_ms"] = instance_ms
        container["org_code"] = org_code
    }

    func domain() throws -> Occurrence {
        guard let id, let s = OccurrenceState(rawValue: state) else {
            throw StoreError.corrupt("occurrence \(id ?? -1) has state '\(state)'")
        }
        return Occurrence(id: id, itemID: item_id, fireAt: Millis.date(fire_at_ms), state: s, attempts: attempts, label: label,
                          lastError: last_error, instance: instance_ms.map(Millis.date), organisation: org_code)
    }
}

struct PlanRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "plan"
    var key: String
    var name: String
    var agency: String?
    var period: String?
}

/// Instants in the store are whole milliseconds since the epoch.
enum Millis {
    static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}

enum JSONList {
    /// Most lists are empty; a `JSONEncoder` for each would dominate a large import.
    static func encode(_ list: [String]) -> String {
        if list.isEmpty { return "[]" }
        return String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }
    static func decode(_ text: String) throws -> [String] {
        if text == "[]" { return [] }
        do { return try JSONDecoder().decode([String].self, from: Data(text.utf8)) }
        catch { throw StoreError.corrupt("a list column holds '\(text)'") }
    }
}
