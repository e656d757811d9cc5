import DeadlineCore
import Foundation
import ICalendar

extension Application {
    /// The items with an instance in [from, to] (all when neither is given) as one iCalendar
    /// text, each with its reminder leads as alarms: `Export` and the calendar feed.
    public func exportCalendar(from: String? = nil, to: String? = nil) async throws -> (items: Int, text: String) {
        let c = context()
        let lower = try from.map { TextInput.startOfRange(try TextInput.date($0, zone: c.zone, now: c.now), zone: c.zone) }
        let upper = try to.map { TextInput.endOfRange(try TextInput.date($0, zone: c.zone, now: c.now), zone: c.zone) }
        if let lower, let upper, lower > upper { throw RequestError.invalidParameter("to") }
        // Rendered on the store's threads with the read: thousands of items take a core for
        // seconds, which on the cooperative pool (as wide as the machine has cores) made every
        // other call wait behind the feed.
        return try await read { store in
            let kept = try store.items().filter { item in
                guard lower != nil || upper != nil else { return true }
                return !c.planner.instances(of: item.fields, from: lower ?? .distantPast, to: upper ?? .distantFuture, limit: 1).isEmpty
            }
            let name = c.settings.organisation.isEmpty ? "deadlined" : c.settings.organisation
            return (kept.count, CalendarExport.calendar(kept.map { Self.calendarEntry($0, c) }, now: c.now, name: name))
        }
    }

    /// An item and its reminder leads as offsets before its (first) instance's start as the
    /// calendar sees it: the instant, or for an all-day item midnight (a reminder at 09:00 on
    /// the day is then PT9H after the start).
    static func calendarEntry(_ item: Item, _ c: UseCaseContext) -> CalendarExport.Entry {
        let start = item.fields.seriesStart
        let alarms = c.planner.plan(when: item.fields.when, zone: item.zone, rule: c.settings.rules.rule(for: item.fields), now: nil)
            .compactMap { r -> CalendarExport.Alarm? in
                guard case .lead(let lead) = r.purpose else { return nil }
                return CalendarExport.Alarm(lead: lead, secondsBefore: Int(start.timeIntervalSince(r.fireAt).rounded()))
            }
        return CalendarExport.Entry(item: item, alarms: alarms)
    }
}
