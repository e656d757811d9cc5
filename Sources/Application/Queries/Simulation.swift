import DeadlineCore
import Foundation

/// A reminder that would be sent, as `Simulate` shows it.
public struct SimulatedReminder: Sendable, Equatable {
    public var fireAt: Date
    public var item: Item
    public var label: String
}

extension Application {
    /// Every reminder of an open item that falls in [from, to], planned as if the daemon had
    /// run all along (`now = nil`): a preview and what is sent come from the same planner.
    public func simulate(from: String, to: String) async throws -> [SimulatedReminder] {
        let c = context()
        let start = TextInput.startOfRange(try TextInput.date(from, zone: c.zone, now: c.now), zone: c.zone)
        let end = TextInput.endOfRange(try TextInput.date(to, zone: c.zone, now: c.now), zone: c.zone)
        guard start <= end else { throw RequestError.invalidParameter("to") }
        let rows = try await read { try $0.items() }
        var out: [SimulatedReminder] = []
        for item in rows where item.state == .open {
            let rule = c.settings.rules.rule(for: item.fields)
            for one in Self.instances(of: item, reachingInto: start, end, planner: c.planner) {
                for r in c.planner.plan(when: one.when, zone: item.zone, rule: rule, now: nil) where r.fireAt >= start && r.fireAt < end {
                    out.append(SimulatedReminder(fireAt: r.fireAt, item: item, label: r.label))
                }
            }
        }
        return out.sorted { ($0.fireAt, $0.item.key, $0.label) < ($1.fireAt, $1.item.key, $1.label) }
    }

    /// The item itself, or for a series each instance that may have a reminder in [start, end):
    /// those starting in it or up to three series windows after it (leads reach back no further).
    private static func instances(of item: Item, reachingInto start: Date, _ end: Date, planner: ReminderPlanner) -> [NewItem] {
        guard item.fields.recurrence != nil else { return [item.fields] }
        return planner.instances(of: item.fields, from: start, to: end.addingTimeInterval(ReminderPlanner.seriesWindow * 3), limit: 5_000)
            .map { item.fields.instance(at: $0.instant(zone: item.zone, dayTime: TimeOfDay(hour: 0, minute: 0)!)) }
    }
}
