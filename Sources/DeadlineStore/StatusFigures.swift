import DeadlineCore

/// What `Status` needs from the store, read at once.
public struct StatusFigures: Sendable {
    public var counts: [OccurrenceState: Int]
    public var items: Int
    /// The last downtime, as recorded at start.
    public var downtime: String?
    /// The latest reminders retrying or failed (only read when there are any).
    public var problems: [(occurrence: Occurrence, itemKey: String)]

    public init(counts: [OccurrenceState: Int], items: Int, downtime: String?, problems: [(occurrence: Occurrence, itemKey: String)]) {
        self.counts = counts
        self.items = items
        self.downtime = downtime
        self.problems = problems
    }
}
