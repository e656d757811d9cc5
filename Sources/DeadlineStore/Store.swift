import DeadlineCore
import Foundation

/// The daemon's durable state, in domain types: what the use cases, the queries and the timer
/// core need of it, and nothing of how it is kept. `SQLiteStore` (one file, one node) is the
/// implementation today; the store tests run against this protocol so that another (PostgreSQL,
/// several nodes) can run the same suite.
///
/// The store is the truth: the timer core's heap is a cache of its unfinished occurrences,
/// rebuilt from them at start, and every state change is written here before it is acted on.
/// Implementations are thread-safe and block the calling thread (run them off the cooperative pool).
public protocol Store: Sendable {
    /// Where the store is, for people (a file's path; a URL without its password).
    var location: String { get }
    /// Since when writes have been refused because the store has no room; nil once one goes through.
    var fullSince: Date? { get }
    /// What the store takes on disk, in bytes (0 when not known).
    var bytesOnDisk: Int { get }
    /// Grows with every write this process commits: two equal readings mean nothing was written
    /// between them, so what was read from the store in between still holds.
    var changeCount: UInt64 { get }

    /// One transaction: `body`'s writes are all there afterwards, or none of them.
    func transaction<T>(_ body: (any StoreTransaction) throws -> T) throws -> T
    /// A consistent read of several things at once.
    func read<T>(_ body: (any StoreReading) throws -> T) throws -> T

    // MARK: Reads for the queries

    /// Every item in order of its instant, with its occurrences.
    func listItems() throws -> [(Item, [Occurrence])]
    func plans() throws -> [Plan]
    /// The meetings that replace instances of the series with this UID, by the start of the
    /// instance each replaces.
    func replacements(ofUID uid: String) throws -> [Item]
    /// Holiday years imported at run time (they take precedence over the files).
    func holidayYears() throws -> [HolidayYear]
    /// The spans of every pending or retrying reminder counted in working days (`3wd`, an
    /// escalation by working days, `overdue-N`), in each item's own zone.
    func workingDaySpans() throws -> [WorkingDaySpan]
    /// The latest audit entries, newest first.
    func auditLog(limit: Int) throws -> [AuditEntry]
    /// The entries about item `key` in the order written: those it is the target of (or its
    /// obligations, `key/code`), and imports that name it; the first `limit`.
    func auditHistory(of key: String, limit: Int) throws -> [AuditChain.Link]
    /// The reminders' entries (method `Reminders`) written from `instant` on that may name one
    /// of the occurrences `ids` (the caller reads each entry to be sure); the first `limit`.
    func auditReminderEntries(mentioning ids: [Int64], since instant: Date, limit: Int) throws -> [AuditChain.Link]
    /// Audit entries with their links, in the order written (by id), from after `afterID`.
    func auditLinks(afterID: Int64, limit: Int) throws -> [AuditChain.Link]
    /// The first entry written at or after `instant`; nil when none is.
    func auditFirstID(atOrAfter instant: Date) throws -> Int64?
    /// Every signed checkpoint of the audit chain, oldest first.
    func auditCheckpoints() throws -> [AuditCheckpoint]
    /// Signs the chain's head and keeps the checkpoint, in one transaction that holds the head
    /// still; the newest checkpoint as it is when it already signs the head with this key, and
    /// nil for an empty trail.
    func checkpointAudit(signingWith key: AuditSigningKey, at now: Date) throws -> AuditCheckpoint?

    // MARK: Counts and health

    /// Occurrences in each state (states with none are absent), without counting rows.
    func countsByState() throws -> [OccurrenceState: Int]
    func itemCount() throws -> Int
    /// What `Status` needs, in one read.
    func statusFigures(problemLimit: Int) throws -> StatusFigures
    /// A cheap read that proves the store is still there and readable; the watchdog asks it.
    func checkHealth() throws
    /// The applied schema migrations, oldest first.
    func appliedMigrations() throws -> [String]
    /// A small fact about the daemon (`last_alive_ms`, `last_downtime`).
    func daemonState(_ key: String) throws -> String?
    func setDaemonState(_ key: String, _ value: String) throws
    /// A consistent copy of the whole store at `path`, never half-written.
    func backup(to path: String) throws

    // MARK: The timer core's claims and settlements

    /// Occurrences still owed to someone: `pending`, `retrying`, and `firing` ones that a
    /// crash interrupted.
    func unfinishedOccurrences() throws -> [Occurrence]
    /// Just what the timer core's heap needs of every unfinished occurrence: when it may be
    /// claimed. That is its instant, except for a `firing` one: at once where a crash left it,
    /// when its lease ends where another node holds it.
    func unfinishedSchedule() throws -> [(id: Int64, fireAt: Date)]
    /// Pending occurrences due before `instant`.
    func pendingCount(before instant: Date) throws -> Int
    /// Claims occurrences for sending: moves them to `firing` and counts the attempt, before any
    /// channel sees them. Only rows still owed move (pending or retrying and due by `now`, or
    /// firing and free: after a crash, or a lease that ran out): a reminder cancelled or moved
    /// later meanwhile, or one that another node holds, is not sent.
    /// - Returns: what did move, each with the fencing token its later writes must carry.
    func claim(_ ids: [Int64], now: Date) throws -> [Claim]
    /// Claims up to `limit` of whatever is owed by `now`, soonest first, as `claim` does, and
    /// skipping rows another node has locked this instant: nodes sharing a store take
    /// different reminders at once, not the same ones in turns.
    func claimDue(now: Date, limit: Int) throws -> [Claim]
    /// Writes a batch's attempts and the occurrences' new states in one transaction: the log
    /// and the states never disagree. What carries a fence (`outcome.fences`) is written only
    /// while that fence still holds.
    /// - Returns: the occurrences whose fence no longer held: another node claimed them, so
    ///   nothing of theirs was written and this node must not act on them.
    @discardableResult
    func record(_ outcome: DeliveryOutcome, now: Date) throws -> [Int64]

    // MARK: Several nodes (a store that `isShared`; a store of one node does nothing here)

    /// Whether other nodes write to this store too: the timer core then polls it, renews its
    /// leases and checks its claim before each send.
    var isShared: Bool { get }
    /// This node's name (`cluster.node`) and how long a claim holds without renewal.
    var node: NodeIdentity { get }
    /// Makes what this node held before it restarted free to claim again at once.
    func releaseClaims() throws
    /// Extends the leases of claims in flight. - Returns: the ids still held.
    func renewLeases(_ claims: [Claim]) throws -> [Int64]
    /// Which of the claims still hold, each with at least `margin` of its lease left (the
    /// database's clock). - Returns: their ids.
    func holding(_ claims: [Claim], margin: TimeInterval) throws -> [Int64]
    /// Calls `onChange` soon after another writer made a reminder owed (added, moved, to be
    /// retried), until the returned closure is called: a node then need not wait for its poll.
    /// Nil where this process is the only writer.
    func watchSchedule(_ onChange: @escaping @Sendable () -> Void) -> (@Sendable () -> Void)?
    /// Unfinished occurrences due before `instant`, for the timer core's look-ahead.
    func unfinishedSchedule(before instant: Date) throws -> [(id: Int64, fireAt: Date)]
    /// Records that this node is alive (its heartbeat row) and reads every node's.
    func heartbeat(now: Date) throws -> [NodeHeartbeat]
    /// Since when the oldest reminder due by `now` has waited for a claim (due and not claimed,
    /// or held by a lease that ran out); nil when none waits.
    func oldestUnclaimed(now: Date) throws -> Date?
    /// Where each channel stands with each occurrence, from the delivery log: a retry or a
    /// re-send after a crash skips the channels that accepted, and each failing channel keeps
    /// its own count and schedule.
    func channelStates(for ids: [Int64]) throws -> [Int64: [String: ChannelDeliveryState]]
    /// The item and occurrence for each id, in the order of `ids`; unknown ids are skipped. A
    /// series' item speaks of the occurrence's own instance.
    func reminders(forOccurrences ids: [Int64]) throws -> [(item: Item, occurrence: Occurrence)]
    /// The delivery log of one occurrence, oldest first.
    func deliveryLog(occurrence id: Int64) throws -> [DeliveryAttempt]
}

/// One-call forms of the transaction's operations, each in a transaction (or read) of its own.
extension Store {
    public func add(_ item: NewItem, reminders: [PlannedReminder], plannedThrough: Date? = nil, uid: String? = nil,
                    dayTime: TimeOfDay, now: Date) throws -> (Item, [Occurrence]) {
        try transaction { try $0.add(item, reminders: reminders, plannedThrough: plannedThrough, uid: uid, dayTime: dayTime, now: now) }
    }

    public func importItems(_ batch: ImportBatch, dayTime: TimeOfDay, now: Date,
                            plan: (NewItem) -> ReminderPlanner.ItemPlan) throws -> ImportOutcome {
        try transaction { try $0.importItems(batch, dayTime: dayTime, now: now, plan: plan) }
    }

    public func setState(key: String, to state: ItemState, by who: String, now: Date) throws -> (Item, cancelled: [Int64]) {
        try transaction { try $0.setState(key: key, to: state, by: who, now: now) }
    }

    public func extendSeries(now: Date, plan: (Item, _ after: Date) -> ReminderPlanner.ItemPlan) throws -> [Occurrence] {
        try transaction { try $0.extendSeries(now: now, plan: plan) }
    }

    public func markDelivered(_ ids: [Int64], now: Date) throws {
        try record(DeliveryOutcome(delivered: ids), now: now)
    }

    /// `claim` for callers that need only the ids (a store of one node, tests).
    @discardableResult
    public func markFiring(_ ids: [Int64], now: Date) throws -> [Int64] { try claim(ids, now: now).map(\.id) }

    public func item(key: String) throws -> Item? { try read { try $0.item(key: key) } }
    public func item(id: Int64) throws -> Item? { try read { try $0.item(id: id) } }
    public func item(uid: String) throws -> Item? { try read { try $0.item(uid: uid) } }
    public func key(forUID uid: String, recurrenceID: Date? = nil) throws -> String? {
        try read { try $0.key(forUID: uid, recurrenceID: recurrenceID) }
    }
    /// Every item in order of its instant, without its occurrences.
    public func items() throws -> [Item] { try read { try $0.items() } }
    public func occurrences(ofItem itemID: Int64) throws -> [Occurrence] { try read { try $0.occurrences(ofItem: itemID) } }
    public func organisation(code: String) throws -> Organisation? { try read { try $0.organisation(code: code) } }
    public func organisations(in scope: OrganisationScope = OrganisationScope()) throws -> [Organisation] {
        try read { try $0.organisations(in: scope) }
    }
    public func escalationContacts() throws -> [EscalationContact] { try read { try $0.escalationContacts() } }
    public func saveOrganisations(_ organisations: [Organisation], now: Date) throws -> [OrganisationSave] {
        try transaction { try $0.saveOrganisations(organisations, now: now) }
    }
}
