import DeadlineCore
import DeadlineStore

/// Many new items at once, all or none: each is checked and planned as `AddItem` does, and they
/// are written in one transaction, each with its audit entry. For scripts and other programs
/// that add hundreds: one commit instead of one per item.
public struct AddItems: UseCase {
    public let items: [NewItem]

    public init(_ items: [NewItem]) { self.items = items }

    /// What was added, in the order asked.
    public struct Outcome: Sendable {
        public var added: [ItemOutcome] = []
    }

    public func change(_ c: UseCaseContext) async throws -> Change<Outcome> {
        var changes: [Change<ItemOutcome>] = []
        changes.reserveCapacity(items.count)
        for item in items { changes.append(try await AddItem(item).change(c)) }
        return Change { [changes] txn in
            var out = Written(value: Outcome())
            out.value.added.reserveCapacity(changes.count)
            for change in changes {
                let one = try change.write(txn)
                out.value.added.append(one.value)
                out.schedule += one.schedule
                out.audits += one.audits
                out.events += one.events
            }
            return out
        }
    }
}
