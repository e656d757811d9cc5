import DeadlineCore
import Foundation

/// One reminder to hand to people: the item, which occurrence of it, and a key that names
/// this delivery so that a receiver can drop a repeat (delivery is at-least-once).
public struct Reminder: Sendable, Equatable {
    public let item: Item
    public let occurrence: Occurrence
    /// For an obligation's reminder: the organisation it reminds, through its own contacts.
    public let organisation: Organisation?
    /// For an obligation's escalation: whom it goes to (the district's or province's office);
    /// nil: to the organisation itself.
    public let escalateTo: EscalationContact?
    /// What the idempotency key starts with: `deadlined-<occurrence>`, or a test's own.
    public let tag: String

    public init(item: Item, occurrence: Occurrence, organisation: Organisation? = nil, escalateTo: EscalationContact? = nil,
                tag: String? = nil) {
        self.item = item
        self.occurrence = occurrence
        self.organisation = organisation
        self.escalateTo = escalateTo
        self.tag = tag ?? "deadlined-\(occurrence.id)"
    }

    /// Stable per occurrence and channel: a re-send after a crash carries the same key.
    public func idempotencyKey(channel: String) -> String {
        "\(tag)-\(channel)"
    }

    /// An escalation reminder goes to the item's escalation contacts as well as its people.
    public var isEscalation: Bool { occurrence.label.hasPrefix("escalate") }

    /// The item's due instant in ISO 8601, or its day (`2017-05-24`) for a date-only item.
    public var dueText: String {
        switch item.fields.when {
        case .instant(let date): DateOutput.iso8601(date, timeZone: item.zone)
        case .day(let day): day.description
        }
    }
}

/// How the timer core treats one channel: how often it may try, how many sends may run at
/// once, and how long one may take.
public struct ChannelPolicy: Sendable, Equatable {
    /// Attempts before the reminder is `failed` on this channel.
    public var retry: RetryPolicy
    /// Sends in flight at once; 1 keeps reminders in due order on this channel.
    public var concurrency: Int
    /// How long one send may take before it counts as failed (and a command is killed).
    public var timeout: Duration
    /// Sends a slot may make before the outcomes of the earlier ones are in the store: what a
    /// kill can repeat, per slot. 1 for channels whose repeat reaches a person (e-mail, a
    /// webhook, a command); more for local ones that are cheap to repeat and fast to send.
    public var unrecorded: Int

    public init(retry: RetryPolicy = RetryPolicy(), concurrency: Int = 1, timeout: Duration = .seconds(30), unrecorded: Int = 1) {
        self.retry = retry
        self.concurrency = max(1, concurrency)
        self.timeout = timeout
        self.unrecorded = max(1, unrecorded)
    }
}

/// A way to reach people: the journal, a file, a command, e-mail, a webhook.
///
/// Contract: `deliver` returns only once the channel has accepted the reminder (the journal
/// wrote it, the MTA took it, the HTTP peer answered 2xx) and throws otherwise, within
/// `policy.timeout`. It may be called again for the same reminder after a failure or a
/// crash, with the same idempotency key. Errors it throws are shown to admins and stored: they
/// must not carry secrets (see `Redactor`).
public protocol Channel: Sendable {
    /// The instance name from the config, used in the idempotency key and the delivery log.
    var name: String { get }
    var policy: ChannelPolicy { get }
    /// Returns what the receiver answered (`exit 0`, `HTTP 202`), for the delivery log.
    func deliver(_ reminder: Reminder) async throws -> String?
    /// Releases what the channel holds (an HTTP client); called once, when it is replaced or
    /// the daemon stops, after its last `deliver`.
    func shutdown() async
    /// Whether it can reach whom an obligation's reminder is for (an e-mail channel needs an
    /// address): such a reminder goes only through channels that reach its recipient.
    func reaches(_ reminder: Reminder) -> Bool
}

extension Channel {
    public var policy: ChannelPolicy { ChannelPolicy() }
    public func shutdown() async {}
    public func reaches(_ reminder: Reminder) -> Bool { true }
}

/// A channel error meant for an admin's eyes: one line, saying what failed.
public struct ChannelError: Error, CustomStringConvertible, Sendable, Equatable {
    public let description: String
    public init(_ description: String) { self.description = description }
}
