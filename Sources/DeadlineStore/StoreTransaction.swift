import DeadlineCore
import Foundation

/// The reads a change depends on, inside its transaction (or a consistent read).
public protocol StoreReading {
    func item(key: String) throws -> Item?
    func item(id: Int64) throws -> Item?
    /// The series (or single item) with this iCalendar UID, if any.
    func item(uid: String) throws -> Item?
    /// The key of the item with this iCalendar UID, if any: the series (or single item) for a
    /// nil `recurrenceID`, else the meeting that replaces that instance of it.
    func key(forUID uid: String, recurrenceID: Date?) throws -> String?
    func occurrences(ofItem itemID: Int64) throws -> [Occurrence]
    /// Every item in order of its instant, without its occurrences.
    func items() throws -> [Item]
    func organisation(code: String) throws -> Organisation?
    /// The organisations in `scope`, by province, district and code.
    func organisations(in scope: OrganisationScope) throws -> [Organisation]
    /// Every assignment: the item it is of and its scope.
    func assignments() throws -> [(itemID: Int64, scope: OrganisationScope)]
    /// The obligations of one item, by organisation code.
    func obligations(ofItem itemID: Int64) throws -> [Obligation]
    func obligation(itemID: Int64, code: String) throws -> Obligation?
    /// The reminders of one organisation's obligation, in order.
    func obligationReminders(itemID: Int64, code: String) throws -> [Occurrence]
    /// Every escalation contact, by province and district.
    func escalationContacts() throws -> [EscalationContact]
}

/// The writes of one transaction, in domain types. Only `Store.transaction` hands one out, so
/// nothing is written outside a transaction; the commit path runs several changes in one, each
/// in a savepoint of its own. Errors are `StoreError`s.
public protocol StoreTransaction: StoreReading {
    /// Runs `body` in a savepoint: if it throws, what it wrote is rolled back and the rest of
    /// the transaction stands.
    func savepoint<T>(_ body: (any StoreTransaction) throws -> T) throws -> T

    /// Stores an item and its reminders. An empty key is made from the kind and row id (`m12`, `d7`).
    /// - Parameters:
    ///   - plannedThrough: for a series, the end of the window `reminders` cover.
    ///   - uid: its iCalendar UID (an imported invitation's); a new one is made when nil.
    func add(_ item: NewItem, reminders: [PlannedReminder], plannedThrough: Date?, uid: String?,
             dayTime: TimeOfDay, now: Date) throws -> (Item, [Occurrence])
    /// Imports plans and items by key: a new key is added, a known key with other fields is
    /// updated in place, the same fields change nothing. When an item's timing changes (its
    /// date, zone, rule or leads), its pending reminders are replaced by `plan(item)`; reminders
    /// already delivered stay as they are.
    func importItems(_ batch: ImportBatch, dayTime: TimeOfDay, now: Date,
                     plan: (NewItem) -> ReminderPlanner.ItemPlan) throws -> ImportOutcome
    /// Closes (or reopens) an item; closing cancels its pending reminders, its obligations' too.
    func setState(key: String, to state: ItemState, by who: String, now: Date) throws -> (Item, cancelled: [Int64])
    /// Replaces an item's pending reminders by `reminders` when they differ.
    func replan(itemID: Int64, reminders: [PlannedReminder], plannedThrough: Date?, now: Date) throws -> (cancelled: [Int64], added: [Occurrence])
    /// Plans every open series on from where it was planned through.
    func extendSeries(now: Date, plan: (Item, _ after: Date) -> ReminderPlanner.ItemPlan) throws -> [Occurrence]
    /// Deletes an item and its reminders; its follow-ups keep theirs.
    func remove(key: String) throws -> (item: Item, unfinished: [Int64])
    func saveHolidayYear(_ year: HolidayYear, now: Date) throws
    /// Saves organisations by code: a new code is added, a known one takes the new fields.
    /// - Returns: what happened to each, in order.
    func saveOrganisations(_ organisations: [Organisation], now: Date) throws -> [OrganisationSave]
    /// Keeps `scope` as an assignment of the item (organisations added later get it too).
    func addAssignment(itemID: Int64, scope: OrganisationScope, now: Date) throws
    /// An open obligation of the item for each code that has none yet.
    /// - Returns: the codes that got one.
    func ensureObligations(itemID: Int64, codes: [String], now: Date) throws -> [String]
    /// Writes an obligation's state, evidence and who recorded it (the row must exist).
    func saveObligation(itemID: Int64, _ obligation: Obligation) throws
    /// Saves the contact of its province and district, replacing the one it had.
    func saveEscalationContact(_ contact: EscalationContact, now: Date) throws
    /// Stores reminders of one organisation's obligation.
    func addObligationReminders(itemID: Int64, code: String, reminders: [PlannedReminder], now: Date) throws -> [Occurrence]
    /// Cancels what is still owed of one organisation's obligation reminders, or (nil) of every
    /// obligation of the item; returns their ids for the timer core to drop.
    func cancelObligationReminders(itemID: Int64, code: String?, now: Date) throws -> [Int64]
    func recordAudit(_ entry: AuditEntry) throws
}

extension StoreReading {
    public func key(forUID uid: String) throws -> String? { try key(forUID: uid, recurrenceID: nil) }
}
