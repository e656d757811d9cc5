import DeadlineCore
import Synchronization

/// The working calendar in force, shared by the use cases (which plan and count working days
/// with it, and replace a year on a holiday import) and the message templates.
public final class SharedCalendar: Sendable {
    private let calendar: Mutex<WorkingCalendar>

    public init(_ calendar: WorkingCalendar) { self.calendar = Mutex(calendar) }

    public var current: WorkingCalendar { calendar.withLock { $0 } }

    public func withLock<T>(_ body: (inout WorkingCalendar) -> T) -> T { calendar.withLock { body(&$0) } }
}
