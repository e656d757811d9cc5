import Foundation

/// Where one reminder stands. The skeleton uses pending → firing → delivered; the
/// durable timer core adds retrying, failed, missed and cancelled.
public enum OccurrenceState: String, Codable, Sendable, CaseIterable {
    /// Waiting for its instant.
    case pending
    /// Taken off the heap and being handed to channels. An occurrence found in this state
    /// at start-up was interrupted by a crash and is sent again (at-least-once).
    case firing
    /// Every channel accepted it.
    case delivered
    /// Dropped before it fired: its item was submitted, held, cancelled or moved.
    case cancelled
}

/// One reminder of one item, at one instant.
public struct Occurrence: Codable, Sendable, Equatable, Identifiable {
    public var id: Int64
    public var itemID: Int64
    public var fireAt: Date
    public var state: OccurrenceState
    public var attempts: Int
    /// What it is for, from the plan: `1wd@09:00`, `catch-up`, `overdue-3`, `escalate@3wd@09:00`.
    public var label: String

    public init(id: Int64, itemID: Int64, fireAt: Date, state: OccurrenceState, attempts: Int = 0, label: String = "0") {
        self.id = id
        self.itemID = itemID
        self.fireAt = fireAt
        self.state = state
        self.attempts = attempts
        self.label = label
    }
}
