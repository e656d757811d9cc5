import Foundation

/// How far an item is from today: the day it counts to (a series' first instance on or after
/// today, its last once it is over), and the calendar and working days until then. One
/// definition for `list`, `get`, the center's board and scripts.
public struct Countdown: Sendable, Equatable {
    /// A series' instance counted to; nil for a single item.
    public var instance: When?
    public var day: LocalDate
    /// Negative: past.
    public var days: Int
    public var workingDays: Int

    public init(_ fields: NewItem, today: LocalDate, calendar: WorkingCalendar) {
        let zone = TimeZone(identifier: fields.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        day = fields.when.localDate(in: zone)
        if let r = fields.recurrence {
            var upcoming: Date?
            // Bounded: a series of a hundred thousand instances is no agenda.
            for start in r.instances(from: fields.seriesStart, zone: zone).prefix(100_000) {
                upcoming = start
                if LocalDate(start, in: zone) >= today { break }
            }
            if let upcoming {
                day = LocalDate(upcoming, in: zone)
                instance = fields.instanceWhen(upcoming)
            }
        }
        days = day.dayNumber - today.dayNumber
        workingDays = calendar.workingDays(from: today, to: day)
    }

    /// The count to a given day (a reminder's own instance, whose day is known).
    public init(to day: LocalDate, today: LocalDate, calendar: WorkingCalendar) {
        self.day = day
        days = day.dayNumber - today.dayNumber
        workingDays = calendar.workingDays(from: today, to: day)
    }
}
