import DeadlineCore
import Foundation

/// What happened, for whoever listens: `Watch` calls, the calendar feed.
public enum DomainEvent: Sendable, Equatable {
    /// An item was added, changed, closed or removed (`state` is `removed` for the last).
    case item(key: String, state: String, detail: String, at: Date)
    /// The hourly pass planned reminders of repeating meetings.
    case seriesPlanned(reminders: Int, at: Date)
    /// A holiday year was imported; working-day reminders were replanned.
    case holidaysChanged(year: Int, at: Date)
    /// Organisations were added to the registry or changed (`detail`: added, updated, imported).
    case organisations(codes: [String], detail: String, at: Date)
    /// An organisation's obligation to meet an item's due date changed (assigned, submitted,
    /// exempted, reopened); `standing` is where it stands now.
    case obligation(itemKey: String, code: String, standing: ObligationStanding, detail: String, at: Date)
    /// A reminder was delivered to every channel it goes to.
    case sent(occurrence: Int64, itemKey: String, at: Date)
    /// A channel failed; `final` when no retry follows.
    case failed(occurrence: Int64, itemKey: String, channel: String, error: String, final: Bool, at: Date)

    /// Whether what a center's board shows changed.
    public var changesBoards: Bool {
        switch self {
        case .obligation, .organisations, .item: true
        case .sent, .failed, .seriesPlanned, .holidaysChanged: false
        }
    }

    /// Whether what items say changed (the feed is rewritten for these), not only a reminder's state.
    public var changesItems: Bool {
        switch self {
        case .item, .seriesPlanned, .holidaysChanged: true
        case .sent, .failed, .organisations, .obligation: false
        }
    }
}
