import DeadlineCore
import Foundation

/// One reminder to hand to people: the item, which occurrence of it, and a key that names
/// this delivery so that a receiver can drop a repeat (delivery is at-least-once).
public struct Reminder: Sendable, Equatable {
    public let item: Item
    public let occurrence: Occurrence

    public init(item: Item, occurrence: Occurrence) {
        self.item = item
        self.occurrence = occurrence
    }

    /// Stable per occurrence and channel: a re-send after a crash carries the same key.
    public func idempotencyKey(channel: String) -> String {
        "deadlined-\(occurrence.id)-\(channel)"
    }
}

/// A way to reach people: the journal, a command, e-mail, a webhook.
///
/// Contract: `deliver` returns only once the channel has accepted the reminder (the journal
/// wrote it, the MTA took it, the HTTP peer answered 2xx) and throws otherwise. It may be
/// called again for the same reminder after a crash, with the same idempotency key.
public protocol Channel: Sendable {
    /// The instance name from the config, used in the idempotency key and the delivery log.
    var name: String { get }
    func deliver(_ reminder: Reminder) throws
}
