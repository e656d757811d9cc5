import Foundation

/// The days a reminder counted in working days depends on: from the day it fires to the day of
/// the item (or the instance) it is for. Holidays anywhere in it move the reminder.
public struct WorkingDaySpan: Hashable, Sendable {
    public var itemKey: String
    public var from: LocalDate
    public var to: LocalDate

    public init(itemKey: String, from: LocalDate, to: LocalDate) {
        self.itemKey = itemKey
        self.from = from
        self.to = to
    }

    /// The spans of an item's reminders still to be sent that were counted in working days.
    public static func of(_ occurrences: [Occurrence], item: NewItem) -> [WorkingDaySpan] {
        let zone = TimeZone(identifier: item.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        let itemDay: LocalDate = switch item.when {
        case .day(let d): d
        case .instant(let t): LocalDate(t, in: zone)
        }
        return occurrences.filter { [.pending, .retrying].contains($0.state) && countsWorkingDays(label: $0.label) }.map { o in
            WorkingDaySpan(itemKey: item.key, from: LocalDate(o.fireAt, in: zone), to: o.instance.map { LocalDate($0, in: zone) } ?? itemDay)
        }
    }

    /// Whether holidays decided a reminder's instant, by its label (`PlannedReminder.label`): a
    /// working-day lead or escalation (`3wd`, `escalate@1wd@09:00`), or an overdue nudge (the nth
    /// working day after). The store's `workingDaySpans()` asks the same of its rows in SQL.
    public static func countsWorkingDays(label: String) -> Bool { label.contains("wd") || label.hasPrefix("overdue-") }
}

/// A year whose holidays are not announced although working-day reminders count through it:
/// those reminders may land a day early or late. Made visible wherever such a reminder is
/// planned or looked at (status, check, add, import, the journal), never silent.
public struct HolidayCaveat: Hashable, Sendable {
    /// Buddhist Era year.
    public var year: Int
    /// How the year is known; nil: not at all (weekends only).
    public var status: HolidayStatus?
    /// The items whose reminders count through it, sorted.
    public var items: [String]

    public init(year: Int, status: HolidayStatus?, items: [String]) {
        self.year = year
        self.status = status
        self.items = items
    }

    /// What the year's data lacks, in a few words.
    public var what: String {
        switch status {
        case .announced: "announced"
        case .provisional: "provisional (not checked against the Cabinet's announcement)"
        case .computed: "computed by deadlined (no Royal Ploughing Day, no special days)"
        case nil: "unknown (weekends only)"
        }
    }

    /// One line for a person on the year alone, whatever items rest on it.
    public var yearSentence: String {
        "\(year)'s holidays are \(what): working days counted in it may be a day off until its announcement is "
            + "loaded (deadlinectl holidays import)"
    }

    /// One line for a person: which items, which year, what to do.
    public var sentence: String {
        let shown = items.prefix(5).joined(separator: ", ") + (items.count > 5 ? " and \(items.count - 5) more" : "")
        return "working-day reminders of \(shown) count through \(year), whose holidays are \(what): they may land "
            + "a day early or late until the year's announcement is loaded (deadlinectl holidays import)"
    }
}

extension WorkingCalendar {
    /// The years not announced that these spans count through, by year, with the items of each.
    public func caveats(_ spans: [WorkingDaySpan]) -> [HolidayCaveat] {
        var byYear: [Int: Set<String>] = [:]
        var statusOf: [Int: HolidayStatus?] = [:]
        for span in spans {
            let (a, b) = span.from <= span.to ? (span.from, span.to) : (span.to, span.from)
            for year in a.buddhistYear...b.buddhistYear {
                let status = statusOf[year] ?? self.status(ofYear: year)
                statusOf[year] = status
                if status != .announced { byYear[year, default: []].insert(span.itemKey) }
            }
        }
        return byYear.keys.sorted().map { HolidayCaveat(year: $0, status: statusOf[$0] ?? nil, items: byYear[$0]!.sorted()) }
    }
}
