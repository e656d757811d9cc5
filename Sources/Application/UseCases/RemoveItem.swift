import DeadlineCore
import DeadlineStore

/// An item deleted with its reminders and their delivery log; the answer shows it as it was.
public struct RemoveItem: UseCase {
    public let key: String

    public init(key: String) { self.key = key }

    public func change(_ c: UseCaseContext) async throws -> Change<ItemOutcome> {
        let key = self.key
        return Change { txn in
            guard let item = try txn.item(key: key) else { throw StoreError.noSuchItem(key) }
            let occurrences = try txn.occurrences(ofItem: item.id)
            let (_, unfinished) = try txn.remove(key: key)
            return Written(
                value: ItemOutcome(item: item, occurrences: occurrences),
                cancel: unfinished,
                audit: AuditNote(method: "Remove", target: key, before: AuditedItem(item, occurrences), after: nil as AuditedItem?),
                events: [.item(key: key, state: "removed", detail: "removed", at: c.now)])
        }
    }
}
