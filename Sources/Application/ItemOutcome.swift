import DeadlineCore

/// An item and its reminders as a change left them, with the caveats of the working days they
/// count through.
public struct ItemOutcome: Sendable {
    public var item: Item
    public var occurrences: [Occurrence]
    /// One line per year not announced that its working-day reminders count through.
    public var warnings: [String]?

    public init(item: Item, occurrences: [Occurrence], warnings: [String]? = nil) {
        self.item = item
        self.occurrences = occurrences
        self.warnings = warnings
    }
}
