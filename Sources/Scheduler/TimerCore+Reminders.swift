import DeadlineCore
import Delivery
import Foundation
import DeadlineStore
import Logging

/// What the core tells of a reminder beyond sending it: whom it is for, and its failures.
extension TimerCore {
    /// The organisations that obligations' reminders are for, read once per batch.
    /// Due again in a second. What this node claimed and will not send now is let go, so its
    /// lease lapses and whoever claims next takes it: renewed while nothing sends it, a claim
    /// would hold the reminder back for good.
    func retryLater(_ ids: [Int64], now: Date) {
        claims.remove(ids.filter { inFlight[$0] == nil })
        for id in ids { heap.insert(id: id, fireAt: now.addingTimeInterval(1)) }
    }

    func organisations(of occurrences: [Occurrence]) throws -> [String: Organisation] {
        let codes = Set(occurrences.compactMap(\.organisation))
        guard !codes.isEmpty else { return [:] }
        return Dictionary(try store.organisations(in: OrganisationScope(codes: Array(codes))).map { ($0.code, $0) },
                          uniquingKeysWith: { a, _ in a })
    }

    /// The escalation contacts, read only for a batch that escalates an obligation (a small table).
    func escalationContacts(for occurrences: [Occurrence]) throws -> [EscalationContact] {
        guard occurrences.contains(where: { $0.organisation != nil && $0.label.hasPrefix("escalate") }) else { return [] }
        return try store.escalationContacts()
    }

    /// A refused send in the journal, with its own MESSAGE_ID for a retry and for giving up, and
    /// the organisation's code for an obligation's reminder.
    func logFailure(_ job: ChannelLanes.Job, error text: String, retryAt: Date?) {
        let item = job.reminder.item, name = job.channel.name
        var fields: Logger.Metadata = ["channel": "\(name)", "occurrence_id": "\(job.occurrenceID)", "item_key": "\(item.key)"]
        if let org = job.reminder.organisation { fields["organisation_code"] = "\(org.code)" }
        if let retryAt {
            fields["message_id"] = "\(JournalMessageID.deliveryRetry)"
            logger.warning("reminder \(job.occurrenceID) of \(item.key) failed on \(name) (attempt \(job.attempt)), retrying at \(DateOutput.iso8601(retryAt, timeZone: item.zone)): \(text)",
                           metadata: fields)
        } else {
            fields["message_id"] = "\(JournalMessageID.deliveryFailed)"
            logger.error("reminder \(job.occurrenceID) of \(item.key) failed on \(name) after \(job.attempt) attempt(s): \(text)", metadata: fields)
        }
    }
}
