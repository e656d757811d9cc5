import DeadlineCore
import DeadlineStore

/// An item moved out of `open` (submitted, held, cancelled): its reminders still owed are cancelled.
public struct AcknowledgeItem: UseCase {
    public let key: String
    public let state: ItemState
    /// Who says so, for the item's record.
    public let by: String

    public init(key: String, state: ItemState, by: String) {
        self.key = key
        self.state = state
        self.by = by
    }

    public func change(_ c: UseCaseContext) async throws -> Change<ItemOutcome> {
        guard state != .open else { throw RequestError.invalidParameter("state") }
        let (key, state, by) = (self.key, self.state, self.by)
        return Change { txn in
            let before = try txn.item(key: key)
            // Marking one meeting of a series held would end the whole series.
            if state == .held, before?.fields.recurrence != nil {
                throw RequestError.invalidRecurrence(key, reason: "a repeating meeting is not held as a whole: its reminders move on "
                    + "to the next meeting by themselves; cancel ends the series, update --repeat \"\" makes it a single meeting")
            }
            let (item, cancelled) = try txn.setState(key: key, to: state, by: by, now: c.now)
            return Written(
                value: ItemOutcome(item: item, occurrences: try txn.occurrences(ofItem: item.id)),
                cancel: cancelled,
                audit: AuditNote(method: "Acknowledge", target: item.key, before: before.map { ["state": $0.state.rawValue] },
                                 after: ["state": item.state.rawValue]),
                events: [.item(key: item.key, state: item.state.rawValue, detail: "acknowledged", at: c.now)])
        }
    }
}
