import DeadlineCore
import DeadlineStore
import Foundation

/// What a use case decided, to be applied by the commit path: its writes (run inside the
/// commit path's transaction, in a savepoint of their own), and from what they wrote, the
/// audit entry, the reminders for the timer core and the events.
public struct Change<Value: Sendable>: Sendable {
    /// Runs in the transaction.
    let write: @Sendable (any StoreTransaction) throws -> Written<Value>

    public init(_ write: @escaping @Sendable (any StoreTransaction) throws -> Written<Value>) {
        self.write = write
    }
}

/// What one change wrote, and what follows once it is durable.
public struct Written<Value: Sendable>: Sendable {
    /// The answer for the caller.
    public var value: Value
    /// New reminders for the timer core.
    public var schedule: [Occurrence] = []
    /// Reminders the timer core must drop.
    public var cancel: [Int64] = []
    /// Written in the same transaction as the change: there is no change without its entries
    /// (one per thing changed; a batch has several).
    public var audits: [AuditNote]
    public var events: [DomainEvent] = []
    /// State kept in memory that follows the store (the working calendar), changed once durable.
    public var inMemory: (@Sendable () -> Void)?

    public init(value: Value, schedule: [Occurrence] = [], cancel: [Int64] = [], audit: AuditNote? = nil, events: [DomainEvent] = [],
                inMemory: (@Sendable () -> Void)? = nil) {
        self.value = value
        self.schedule = schedule
        self.cancel = cancel
        self.audits = audit.map { [$0] } ?? []
        self.events = events
        self.inMemory = inMemory
    }
}

/// An audit entry before it has a time and a requester: the method (as the interface names it),
/// what it was done to, and the JSON of the before and after.
public struct AuditNote: Sendable, Equatable {
    public var method: String
    public var target: String
    public var before: String?
    public var after: String?

    public init(method: String, target: String, before: (any Encodable)?, after: (any Encodable)?) {
        self.method = method
        self.target = target
        self.before = before.flatMap { AuditEntry.json($0) }
        self.after = after.flatMap { AuditEntry.json($0) }
    }
}
