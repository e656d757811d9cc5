import DeadlineCore
import DeadlineStore

/// A new meeting or due date, with its reminders planned from now on.
public struct AddItem: UseCase {
    public let item: NewItem

    public init(_ item: NewItem) { self.item = item }

    public func change(_ c: UseCaseContext) async throws -> Change<ItemOutcome> {
        try c.validate(item)
        let planned = c.plan(item)
        let item = self.item
        return Change { txn in
            if let earlier = item.followUpOf {
                guard let meeting = try txn.item(key: earlier), meeting.kind == .meeting else { throw StoreError.noSuchItem(earlier) }
            }
            let (stored, occurrences) = try txn.add(item, reminders: planned.reminders, plannedThrough: planned.plannedThrough, uid: nil,
                                                    dayTime: c.settings.dayTime, now: c.now)
            return Written(
                value: ItemOutcome(item: stored, occurrences: occurrences, warnings: c.holidayWarnings(WorkingDaySpan.of(occurrences, item: stored.fields))),
                schedule: occurrences,
                audit: AuditNote(method: "AddItem", target: stored.key, before: nil as AuditedItem?, after: AuditedItem(stored, occurrences)),
                events: [.item(key: stored.key, state: stored.state.rawValue, detail: "added", at: c.now)])
        }
    }
}
