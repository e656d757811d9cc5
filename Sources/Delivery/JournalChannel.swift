import DeadlineCore
import Foundation
import Logging

/// Writes each reminder as a structured journal entry (or a stderr line outside journald),
/// at priority notice, with the item and occurrence as fields that `journalctl` can match:
/// `journalctl -u deadlined ITEM_ID=12`.
public struct JournalChannel: Channel {
    public let name: String
    let logger: Logger

    /// Marks every reminder entry, so `journalctl MESSAGE_ID=…` finds them all.
    public static let reminderMessageID = "5d2f4c2a8e0b4d7f9a61c3e1b7a04f12"

    public init(name: String = "journal", logger: Logger) {
        self.name = name
        self.logger = logger
    }

    public func deliver(_ reminder: Reminder) throws {
        let zone = TimeZone(identifier: reminder.item.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        let due = DateOutput.iso8601(reminder.item.at, timeZone: zone)
        logger.notice(
            "reminder: \(reminder.item.kind.rawValue) '\(reminder.item.title)' at \(due)",
            metadata: [
                "message_id": "\(Self.reminderMessageID)",
                "item_id": "\(reminder.item.id)",
                "occurrence_id": "\(reminder.occurrence.id)",
                "kind": "\(reminder.item.kind.rawValue)",
                "due": "\(due)",
                "idempotency_key": "\(reminder.idempotencyKey(channel: name))",
            ]
        )
    }
}
