import DeadlineCore
import Foundation

/// What an import did, and what the timer core must now add and drop.
public struct ImportOutcome: Sendable, Equatable {
    public var added: [String] = []
    public var updated: [String] = []
    public var unchanged: [String] = []
    public var plans = 0
    public var newOccurrences: [Occurrence] = []
    public var cancelledOccurrences: [Int64] = []
    /// Keys moved out of `open` by `close`.
    public var closed: [String] = []
    /// Open items whose timing changed (date, zone, rule, leads): their own reminders were
    /// replanned here; their obligations' reminders are for the caller to replan.
    public var retimed: [Int64] = []

    public init() {}
}
