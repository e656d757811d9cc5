import DeadlineCore
import Foundation

/// What one import writes, by key: the plans and items, and what is known of each from where
/// it came (an invitation's UID, the instance it replaces, its SEQUENCE, a cancellation).
public struct ImportBatch: Sendable {
    public var plans: [Plan]
    public var items: [NewItem]
    /// Keys that must exist (in the import or the store).
    public var references: [Reference]
    /// The iCalendar UID of a new item (an imported invitation's).
    public var uids: [String: String]
    /// For a new item that replaces one instance of a series (sharing its UID), that instance's start.
    public var recurrenceIDs: [String: Date]
    /// The iCalendar SEQUENCE a new item starts from.
    public var sequences: [String: Int]
    /// Open items to move to another state (a cancelled invitation).
    public var close: [String: ItemState]
    /// Who closes them, for the item's `state_changed_by`.
    public var closedBy: String

    public init(plans: [Plan] = [], items: [NewItem], references: [Reference] = [], uids: [String: String] = [:],
                recurrenceIDs: [String: Date] = [:], sequences: [String: Int] = [:], close: [String: ItemState] = [:],
                closedBy: String = "import") {
        self.plans = plans
        self.items = items
        self.references = references
        self.uids = uids
        self.recurrenceIDs = recurrenceIDs
        self.sequences = sequences
        self.close = close
        self.closedBy = closedBy
    }
}
