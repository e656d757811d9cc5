import DeadlineCore
import Foundation

/// What the use cases take from the config: the office's zone and name, the time a date-only
/// item counts at, and the reminder rules. A snapshot per use case, so a reload mid-change
/// never mixes two configs.
public struct Settings: Sendable, Equatable {
    /// IANA name of the office's zone, for input without a zone and for output.
    public var timeZone: String
    /// The organisation an item belongs to when it names none.
    public var organisation: String
    public var dayTime: TimeOfDay
    public var rules: RuleBook

    public init(timeZone: String, organisation: String, dayTime: TimeOfDay, rules: RuleBook) {
        self.timeZone = timeZone
        self.organisation = organisation
        self.dayTime = dayTime
        self.rules = rules
    }

    public var zone: TimeZone { TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)! }
}
