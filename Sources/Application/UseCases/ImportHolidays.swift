import Agenda
import DeadlineCore
import DeadlineStore

/// A year of holidays as the Cabinet announced it: stored (it wins over the shipped files),
/// and every open item's working-day reminders still ahead replanned on it, in one transaction.
public struct ImportHolidays: UseCase {
    /// The year (Buddhist Era) and how many holidays it has.
    public struct Outcome: Sendable, Encodable, Equatable {
        public var year: Int
        public var holidays: Int

        public init(year: Int, holidays: Int) {
            self.year = year
            self.holidays = holidays
        }
    }

    public let name: String
    public let content: String

    public init(name: String, content: String) {
        self.name = name
        self.content = content
    }

    public func change(_ c: UseCaseContext) async throws -> Change<Outcome> {
        let year: HolidayYear
        do { year = try HolidayFile.read(yaml: content, file: name) }
        catch { throw RequestError.invalidFile(location: error.location, message: error.message) }
        var calendar = c.calendar
        calendar.replace(year)
        let planner = ReminderPlanner(calendar: calendar, dayTime: c.settings.dayTime)
        let shared = c.application.calendar
        let onNewCalendar = c.with(calendar: calendar)
        return Change { txn in
            try txn.saveHolidayYear(year, now: c.now)
            var cancelled: [Int64] = [], added: [Occurrence] = []
            for item in try txn.items() where item.state == .open {
                // Only reminders still ahead: nothing already sent is sent again as a catch-up.
                var rule = c.settings.rules.rule(for: item.fields)
                rule.past = .skip
                let plan = planner.plan(item: item.fields, rule: rule, now: c.now)
                let change = try txn.replan(itemID: item.id, reminders: plan.reminders, plannedThrough: plan.plannedThrough, now: c.now)
                cancelled += change.cancelled
                added += change.added
                // Its obligations' working-day reminders move with the holidays too.
                let obligations = try ObligationReminders.replan(itemID: item.id, txn, onNewCalendar)
                cancelled += obligations.cancelled
                added += obligations.added
            }
            let outcome = Outcome(year: year.year, holidays: year.holidays.count)
            return Written(value: outcome, schedule: added, cancel: cancelled,
                           audit: AuditNote(method: "ImportHolidays", target: String(year.year), before: nil as Outcome?, after: outcome),
                           events: [.holidaysChanged(year: year.year, at: c.now)],
                           inMemory: { shared.withLock { $0.replace(year) } })
        }
    }
}
