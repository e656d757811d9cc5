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
    /// The fencing token of each claimed occurrence in the batch (a shared store writes nothing
    /// for one whose token no longer holds); empty for a store of one node.
    public var fences: [Int64: Int64] = [:]

    public init(delivered: [Int64] = []) { self.delivered = delivered }

    public static func == (a: DeliveryOutcome, b: DeliveryOutcome) -> Bool {
        a.attempts == b.attempts && a.delivered == b.delivered && a.missed == b.missed
            && a.retrying.map { "\($0.id) \($0.at) \($0.error)" } == b.retrying.map { "\($0.id) \($0.at) \($0.error)" }
            && a.failed.map { "\($0.id) \($0.error)" } == b.failed.map { "\($0.id) \($0.error)" }
    }
}

/// An occurrence this node claimed, with the fencing token every later write of it carries.
public struct Claim: Sendable, Hashable {
    public var id: Int64
    public var fence: Int64
    public init(id: Int64, fence: Int64) {
        self.id = id
        self.fence = fence
    }
}

/// Who this node is among the nodes of a shared store, and how long its claims hold.
public struct NodeIdentity: Sendable, Equatable {
    public var name: String
    /// A claim not renewed for this long may be taken by another node.
    public var lease: TimeInterval
    public init(name: String, lease: TimeInterval = 10) {
        self.name = name
        self.lease = lease
    }
    /// The machine's name: nodes on several machines differ without configuration.
    public static var host: String { ProcessInfo.processInfo.hostName }
}

/// One node's heartbeat row, read on the database's clock.
public struct NodeHeartbeat: Sendable, Equatable {
    public var name: String
    public var startedAt: Date
    public var lastSeen: Date
    /// Seconds since it was last seen, by the database's clock.
    public var silentFor: TimeInterval
    /// Occurrences it holds as firing.
    public var holding: Int
    public init(name: String, startedAt: Date, lastSeen: Date, silentFor: TimeInterval, holding: Int) {
        self.name = name
        self.startedAt = startedAt
        self.lastSeen = lastSeen
        self.silentFor = silentFor
        self.holding = holding
    }
}
