import Foundation

/// One attempt on one channel.
public struct DeliveryAttempt: Sendable, Equatable {
    public var occurrenceID: Int64
    public var channel: String
    public var idempotencyKey: String
    public var attempt: Int
    public var at: Date
    /// nil: the channel accepted it.
    public var error: String?
    /// After a failure: when this channel tries again; nil when it gave up.
    public var retryAt: Date?
    /// What the receiver answered (`exit 0`, `HTTP 202`), failure or not.
    public var detail: String?

    public init(occurrenceID: Int64, channel: String, idempotencyKey: String, attempt: Int, at: Date, error: String?,
                retryAt: Date? = nil, detail: String? = nil) {
        self.occurrenceID = occurrenceID
        self.channel = channel
        self.idempotencyKey = idempotencyKey
        self.attempt = attempt
        self.at = at
        self.error = error
        self.retryAt = retryAt
        self.detail = detail
    }
}

/// Where one channel stands with one occurrence, from the delivery log.
public struct ChannelDeliveryState: Sendable, Equatable {
    public var delivered = false
    /// Failed attempts so far.
    public var failures = 0
    /// The latest failure's error.
    public var lastError: String?
    /// When the latest failure said to try again; nil with failures > 0: it gave up.
    public var retryAt: Date?

    public init(delivered: Bool = false, failures: Int = 0, lastError: String? = nil, retryAt: Date? = nil) {
        self.delivered = delivered
        self.failures = failures
        self.lastError = lastError
        self.retryAt = retryAt
    }
}

/// What a batch of sends came to, written in one transaction.
public struct DeliveryOutcome: Sendable, Equatable {
    public var attempts: [DeliveryAttempt] = []
    /// Every channel has it now.
    public var delivered: [Int64] = []
    /// To be tried again at the instant given.
    public var retrying: [(id: Int64, at: Date, error: String)] = []
    /// Attempts used up.
    public var failed: [(id: Int64, error: String)] = []
    /// Let go by the misfire policy.
    public var missed: [Int64] = []

    public init(delivered: [Int64] = []) { self.delivered = delivered }

    public static func == (a: DeliveryOutcome, b: DeliveryOutcome) -> Bool {
        a.attempts == b.attempts && a.delivered == b.delivered && a.missed == b.missed
            && a.retrying.map { "\($0.id) \($0.at) \($0.error)" } == b.retrying.map { "\($0.id) \($0.at) \($0.error)" }
            && a.failed.map { "\($0.id) \($0.error)" } == b.failed.map { "\($0.id) \($0.error)" }
    }
}
