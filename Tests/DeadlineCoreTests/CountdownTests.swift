import DeadlineCore
import Foundation
import Testing

@Suite("Countdown: the day an item counts to, and the days left")
struct CountdownTests {
    let bangkok = TimeZone(identifier: "Asia/Bangkok")!
    let calendar = WorkingCalendar(missingYears: .weekendsOnly)
    let today = LocalDate(year: 2027, month: 1, day: 8)!   // a Friday

    func meeting(_ start: String, rule: String? = nil) throws -> NewItem {
        NewItem(kind: .meeting, title: "ประชุม", when: .instant(ICalDateTime.parse(start, zone: bangkok)!), timeZone: "Asia/Bangkok",
                recurrence: try rule.map { try Recurrence(rrule: $0, zone: bangkok) })
    }

    @Test func single() throws {
        let c = Countdown(try meeting("20270113T100000"), today: today, calendar: calendar)
        #expect(c.instance == nil && c.day == LocalDate(year: 2027, month: 1, day: 13)!)
        // Friday to Wednesday: 5 days, 3 working days (Mon, Tue, Wed) under weekends only.
        #expect(c.days == 5 && c.workingDays == calendar.workingDays(from: today, to: c.day))
    }

    @Test("a series counts to its first instance on or after today; a finished one to its last")
    func series() throws {
        let weekly = Countdown(try meeting("20261207T100000", rule: "FREQ=WEEKLY"), today: today, calendar: calendar)
        #expect(weekly.day == LocalDate(year: 2027, month: 1, day: 11)! && weekly.days == 3)
        #expect(weekly.instance == .instant(ICalDateTime.parse("20270111T100000", zone: bangkok)!))
        let over = Countdown(try meeting("20261207T100000", rule: "FREQ=WEEKLY;COUNT=3"), today: today, calendar: calendar)
        #expect(over.day == LocalDate(year: 2026, month: 12, day: 21)! && over.days == -18)
    }
}
