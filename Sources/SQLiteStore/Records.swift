import DeadlineCore
import DeadlineStore
import Foundation
import GRDB

/// `item` rows through GRDB.
typealias ItemRecord = ItemRow

extension ItemRow: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "item"

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    // Hand-written row coding: GRDB's Codable path costs several times more, and a burst of
    // a hundred thousand reminders reads this record for every one.
    public init(row: Row) {
        self.init(id: row["id"], key: row["key"], kind: row["kind"], title: row["title"], at_ms: row["at_ms"],
                  date_only: row["date_only"], end_ms: row["end_ms"], time_zone: row["time_zone"],
                  organisation: row["organisation"], location: row["location"], notes: row["notes"], chair: row["chair"],
                  attendees: row["attendees"], working_group: row["working_group"], follow_up_of: row["follow_up_of"],
                  plan: row["plan"], recipient: row["recipient"], tags: row["tags"], remind: row["remind"],
                  escalation: row["escalation"], rule: row["rule"], leads: row["leads"], state: row["state"],
                  state_changed_ms: row["state_changed_ms"], state_changed_by: row["state_changed_by"],
                  created_ms: row["created_ms"], rrule: row["rrule"], exdates: row["exdates"], rdates: row["rdates"],
                  uid: row["uid"], recurrence_id_ms: row["recurrence_id_ms"], sequence: row["sequence"],
                  planned_through_ms: row["planned_through_ms"], updated_ms: row["updated_ms"])
    }

    public func encode(to container: inout PersistenceContainer) {
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

}

/// `occurrence` rows through GRDB.
typealias OccurrenceRecord = OccurrenceRow

extension OccurrenceRow: FetchableRecord, MutablePersistableRecord {
    public static let databaseTableName = "occurrence"

    public mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    public init(row: Row) {
        self.init(id: row["id"], item_id: row["item_id"], fire_at_ms: row["fire_at_ms"], state: row["state"],
                  attempts: row["attempts"], updated_ms: row["updated_ms"], label: row["label"], last_error: row["last_error"],
                  instance_ms: row["instance_ms"], org_code: row["org_code"])
    }

    public func encode(to container: inout PersistenceContainer) {
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
}

struct PlanRecord: Codable, FetchableRecord, PersistableRecord {
    static let databaseTableName = "plan"
    var key: String
    var name: String
    var agency: String?
    var period: String?
}
