import DeadlineCore
import DeadlineStore
import Foundation
import PostgresNIO

/// The shared rows (`ItemRow`, `OccurrenceRow`) and the registry's rows, read from and written
/// to PostgreSQL by column name.
extension ItemRow {
    /// The columns an INSERT or UPDATE writes, in the order of `binds`.
    static let writtenColumns = [
        "key", "kind", "title", "at_ms", "date_only", "end_ms", "time_zone", "organisation", "location", "notes", "chair",
        "attendees", "working_group", "follow_up_of", "plan", "recipient", "tags", "remind", "escalation", "rule", "leads",
        "state", "state_changed_ms", "state_changed_by", "created_ms", "rrule", "exdates", "rdates", "uid",
        "recurrence_id_ms", "sequence", "planned_through_ms", "updated_ms",
    ]

    init(postgres r: PostgresRandomAccessRow) throws {
        self.init(id: try r["id"].decode(Int64.self), key: try r["key"].decode(String.self), kind: try r["kind"].decode(String.self),
                  title: try r["title"].decode(String.self), at_ms: try r["at_ms"].decode(Int64.self),
                  date_only: try r["date_only"].decode(String?.self), end_ms: try r["end_ms"].decode(Int64?.self),
                  time_zone: try r["time_zone"].decode(String.self), organisation: try r["organisation"].decode(String.self),
                  location: try r["location"].decode(String?.self), notes: try r["notes"].decode(String?.self),
                  chair: try r["chair"].decode(String?.self), attendees: try r["attendees"].decode(String.self),
                  working_group: try r["working_group"].decode(String?.self), follow_up_of: try r["follow_up_of"].decode(String?.self),
                  plan: try r["plan"].decode(String?.self), recipient: try r["recipient"].decode(String?.self),
                  tags: try r["tags"].decode(String.self), remind: try r["remind"].decode(String.self),
                  escalation: try r["escalation"].decode(String.self), rule: try r["rule"].decode(String?.self),
                  leads: try r["leads"].decode(String?.self), state: try r["state"].decode(String.self),
                  state_changed_ms: try r["state_changed_ms"].decode(Int64?.self),
                  state_changed_by: try r["state_changed_by"].decode(String?.self), created_ms: try r["created_ms"].decode(Int64.self),
                  rrule: try r["rrule"].decode(String?.self), exdates: try r["exdates"].decode(String?.self),
                  rdates: try r["rdates"].decode(String?.self), uid: try r["uid"].decode(String.self),
                  recurrence_id_ms: try r["recurrence_id_ms"].decode(Int64?.self), sequence: try r["sequence"].decode(Int.self),
                  planned_through_ms: try r["planned_through_ms"].decode(Int64?.self),
                  updated_ms: try r["updated_ms"].decode(Int64?.self))
    }

    /// The values of `writtenColumns`, in order.
    var binds: PostgresBindings {
        var b = PostgresBindings(capacity: Self.writtenColumns.count + 1)
        b.append(key); b.append(kind); b.append(title); b.append(at_ms); b.append(date_only); b.append(end_ms)
        b.append(time_zone); b.append(organisation); b.append(location); b.append(notes); b.append(chair)
        b.append(attendees); b.append(working_group); b.append(follow_up_of); b.append(plan); b.append(recipient)
        b.append(tags); b.append(remind); b.append(escalation); b.append(rule); b.append(leads)
        b.append(state); b.append(state_changed_ms); b.append(state_changed_by); b.append(created_ms); b.append(rrule)
        b.append(exdates); b.append(rdates); b.append(uid); b.append(recurrence_id_ms); b.append(sequence)
        b.append(planned_through_ms); b.append(updated_ms)
        return b
    }

}

extension OccurrenceRow {
    init(postgres r: PostgresRandomAccessRow) throws {
        self.init(id: try r["id"].decode(Int64.self), item_id: try r["item_id"].decode(Int64.self),
                  fire_at_ms: try r["fire_at_ms"].decode(Int64.self), state: try r["state"].decode(String.self),
                  attempts: try r["attempts"].decode(Int.self), updated_ms: try r["updated_ms"].decode(Int64.self),
                  label: try r["label"].decode(String.self), last_error: try r["last_error"].decode(String?.self),
                  instance_ms: try r["instance_ms"].decode(Int64?.self), org_code: try r["org_code"].decode(String?.self))
    }

    static func occurrence(_ r: PostgresRandomAccessRow) throws -> Occurrence { try OccurrenceRow(postgres: r).domain() }
}

enum RegistryRows {
    static func contact(_ r: PostgresRandomAccessRow) throws -> OrganisationContact {
        OrganisationContact(person: try r["person"].decode(String?.self), email: try r["email"].decode(String?.self),
                            chat: try r["chat"].decode(String?.self), phone: try r["phone"].decode(String?.self))
    }

    /// A row of `organisation` (its type is one of `OrganisationType`'s: the table checks it).
    static func organisation(_ r: PostgresRandomAccessRow) throws -> Organisation {
        Organisation(code: try r["code"].decode(String.self), name: try r["name"].decode(String.self),
                     type: OrganisationType(rawValue: try r["type"].decode(String.self)) ?? .subdistrictAdministration,
                     province: try r["province"].decode(String.self), district: try r["district"].decode(String.self),
                     contact: try contact(r))
    }

    static func obligation(_ r: PostgresRandomAccessRow) throws -> Obligation {
        let reference = try r["reference"].decode(String?.self), received = try r["received_ms"].decode(Int64?.self)
        var submission: Submission?
        if let reference, let received {
            submission = Submission(reference: reference, received: Millis.date(received), sha256: try r["sha256"].decode(String?.self))
        }
        return Obligation(itemKey: try r["key"].decode(String.self), code: try r["org_code"].decode(String.self),
                          state: ObligationState(rawValue: try r["state"].decode(String.self)) ?? .open, submission: submission,
                          reason: try r["reason"].decode(String?.self), by: try r["by"].decode(String?.self),
                          updated: Millis.date(try r["updated_ms"].decode(Int64.self)))
    }

    static func escalationContact(_ r: PostgresRandomAccessRow) throws -> EscalationContact {
        EscalationContact(province: try r["province"].decode(String.self), district: try r["district"].decode(String.self),
                          name: try r["name"].decode(String.self), contact: try contact(r))
    }
}
