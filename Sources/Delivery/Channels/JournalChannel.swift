import DeadlineCore
import Foundation
import Logging

/// Writes each reminder as a structured journal entry (or a stderr line outside journald),
/// at priority notice: the subject as MESSAGE, the body as REMINDER_BODY, and the item and
/// occurrence as fields that `journalctl` can match: `journalctl -u deadlined ITEM_ID=12`.
/// Each event has its own MESSAGE_ID, explained by the shipped catalog (`journalctl -x`).
public struct JournalChannel: Channel {
    public let name: String
    public let policy: ChannelPolicy
    let logger: Logger
    let renderer: MessageRenderer
    let language: Language

    public init(name: String = "journal", logger: Logger, renderer: MessageRenderer, language: Language = .thai,
                policy: ChannelPolicy = ChannelPolicy()) {
        self.name = name
        self.logger = logger
        self.renderer = renderer
        self.language = language
        self.policy = policy
    }

    public func deliver(_ reminder: Reminder) async throws -> String? {
        let item = reminder.item
        let message = renderer.render(reminder, channel: name, language: language, now: Date())
        let due = reminder.dueText
        var fields: Logger.Metadata = [
            "message_id": "\(JournalMessageID.of(message.event))",
            "reminder_body": "\(message.body)",
            "event": "\(message.event.rawValue)",
            "item_id": "\(item.id)",
            "item_key": "\(item.key)",
            "occurrence_id": "\(reminder.occurrence.id)",
            "kind": "\(item.kind.rawValue)",
            "due": "\(due)",
            "lead": "\(reminder.occurrence.label)",
            "organisation": "\(reminder.organisation?.name ?? item.fields.organisation)",
            "idempotency_key": "\(reminder.idempotencyKey(channel: name))",
        ]
        // An obligation's reminder names its organisation, for `journalctl ORGANISATION_CODE=…`.
        if let org = reminder.organisation { fields["organisation_code"] = "\(org.code)" }
        logger.notice("\(message.subject)", metadata: fields)
        return nil
    }
}

/// The journal's MESSAGE_IDs, one per kind of entry, as `units/deadlined.catalog` explains them.
public enum JournalMessageID {
    /// A reminder of a meeting or a deadline ahead.
    public static let reminder = "5d2f4c2a8e0b4d7f9a61c3e1b7a04f12"
    /// A deadline due today.
    public static let dueToday = "8b0e6f1d2c3a4e5f9a7b6c5d4e3f2a10"
    /// A deadline past due and still open.
    public static let overdue = "c41f7a9e2b6d4c8e8f3a1b2c3d4e5f60"
    /// An escalation to the escalation contacts.
    public static let escalation = "e7a3c1b5d9f24e6a8c0b2d4f6a8c0e21"
    /// A channel refused a reminder; it will be tried again.
    public static let deliveryRetry = "2a9c4e6f8b1d4a3c9e5f7a1b3c5d7e92"
    /// A reminder failed on every attempt.
    public static let deliveryFailed = "f1e2d3c4b5a64978a1b2c3d4e5f60713"
    /// Reminders let go by the misfire policy, or a downtime summary.
    public static let missed = "9d8c7b6a5f4e4d3c8b2a1f0e9d8c7b64"

    public static func of(_ event: MessageEvent) -> String {
        switch event {
        case .meeting, .deadline: reminder
        case .dueToday: dueToday
        case .overdue: overdue
        case .escalation: escalation
        }
    }
}
