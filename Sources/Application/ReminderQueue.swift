import DeadlineCore

/// What the commit path tells the timer core once a change is durable: reminders to add to
/// its heap, and reminders that are no longer owed.
public protocol ReminderQueue: Sendable {
    func schedule(_ occurrences: [Occurrence])
    func remove(occurrenceIDs: [Int64])
}
