import DeadlineCore
import Synchronization

/// The working calendar, shared by the control handler (which replaces years on
/// `ImportHolidays`) and the message templates (which count working days).
final class SharedCalendar: Sendable {
    private let calendar: Mutex<WorkingCalendar>

    init(_ calendar: WorkingCalendar) { self.calendar = Mutex(calendar) }

    var current: WorkingCalendar { calendar.withLock { $0 } }

    func withLock<T>(_ body: (inout WorkingCalendar) -> T) -> T { calendar.withLock { body(&$0) } }
}
