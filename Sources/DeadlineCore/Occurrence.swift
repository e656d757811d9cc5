import Foundation

/// Where one reminder stands:
///
///     pending → firing → delivered
///                      → retrying (next attempt at `fireAt`) → firing → …
///                      → failed (attempts used up)
///     pending → missed (late beyond the misfire grace, or skipped/coalesced by policy)
///     pending | retrying → cancelled (its item was closed or moved)
public enum OccurrenceState: String, Codable, Sendable, CaseIterable {
    /// Waiting for its instant.
    case pending
    /// Taken off the heap and being handed to channels. An occurrence found in this state
    /// at start-up was interrupted by a crash and is sent again (at-least-once).
    case firing
    /// Every channel accepted it.
    case delivered
    /// A channel refused it; it is tried again at its (new) `fireAt`.
    case retrying
    /// A channel refused it on every attempt; the last error is kept.
    case failed
    /// It came due while the daemon could not send it, and the misfire policy let it go.
    case missed
    /// Dropped before it fired: its item was submitted, held, cancelled or moved.
    case cancelled

    /// States from which the timer core still owes a send.
    public static let unfinished: [OccurrenceState] = [.pending, .firing, .retrying]
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
    /// The last channel error, for `failed` and `retrying`.
    public var lastError: String?
    /// For a repeating meeting: the start of the instance it is for.
    public var instance: Date?
    /// For a deadline assigned to organisations: the code of the one it reminds (its own
    /// contacts, its own state); nil for the item's own reminders.
    public var organisation: String?

    public init(id: Int64, itemID: Int64, fireAt: Date, state: OccurrenceState, attempts: Int = 0, label: String = "0",
                lastError: String? = nil, instance: Date? = nil, organisation: String? = nil) {
        self.organisation = organisation
        self.lastError = lastError
        self.instance = instance
        self.id = id
        self.itemID = itemID
        self.fireAt = fireAt
        self.state = state
        self.attempts = attempts
        self.label = label
    }
}
