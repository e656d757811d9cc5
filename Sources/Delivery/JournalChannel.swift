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
        let item = reminder.item
        let due = switch item.fields.when {
        case .instant(let date): DateOutput.iso8601(date, timeZone: item.zone)
        case .day(let day): day.description
        }
        logger.notice(
            "reminder: \(item.kind.rawValue) '\(item.title)' at \(due)",
            metadata: [
                "message_id": "\(Self.reminderMessageID)",
                "item_id": "\(item.id)",
                "item_key": "\(item.key)",
                "occurrence_id": "\(reminder.occurrence.id)",
                "kind": "\(item.kind.rawValue)",
                "due": "\(due)",
                "lead": "\(reminder.occurrence.label)",
                "organisation": "\(item.fields.organisation)",
                "idempotency_key": "\(reminder.idempotencyKey(channel: name))",
            ]
        )
    }
}
