import Foundation

/// One reminder the planner decided on.
public struct PlannedReminder: Hashable, Sendable {
    public enum Purpose: Hashable, Sendable {
        /// A lead before the item (its text, e.g. `1wd@09:00`).
        case lead(String)
        /// In place of leads already past when the item was planned.
        case catchUp(String)
        /// The nth working day after a deadline that is still open.
        case overdue(Int)
        /// To the escalation contacts: still open this close to the due date.
        case escalation(String)
        /// Sent now on request (`deadlinectl remind`), not planned.
        case nudge
    }

    public var fireAt: Date
    public var purpose: Purpose
    /// For a repeating meeting: the start of the instance it is for.
    public var instance: Date?

    public init(fireAt: Date, purpose: Purpose, instance: Date? = nil) {
        self.fireAt = fireAt
        self.purpose = purpose
        self.instance = instance
    }

    public static let catchUpLabel = "catch-up"

    /// A short stable label: `1wd@09:00`, `catch-up`, `overdue-3`, `escalate@3wd@09:00`.
    public var label: String {
        switch purpose {
        case .lead(let l): l
        case .catchUp: Self.catchUpLabel
        case .overdue(let n): "overdue-\(n)"
        case .escalation(let l): "escalate@\(l)"
        case .nudge: "nudge"
        }
    }
}

/// Turns an item, its rule and the working calendar into reminder instants. Pure: the same
/// inputs give the same plan, which is what `simulate` shows and what the daemon stores.
public struct ReminderPlanner: Sendable {
    public let calendar: WorkingCalendar
    /// When a date-only item counts (its "instant" for `Nh` and `0` leads).
    public let dayTime: TimeOfDay

    public init(calendar: WorkingCalendar, dayTime: TimeOfDay = TimeOfDay(hour: 9, minute: 0)!) {
        self.calendar = calendar
        self.dayTime = dayTime
    }

    /// The reminders for an item at `when` in `zone`, soonest first.
    /// - Parameter now: when planning happens. Leads before it follow the rule's `past`
    ///   policy; nil plans as if the daemon had run all along (what `simulate` shows).
    public func plan(when: When, zone: TimeZone, rule: ReminderRule, now: Date?) -> [PlannedReminder] {
        let itemInstant = when.instant(zone: zone, dayTime: dayTime)
        let itemDay = when.localDate(in: zone)
        var out: [PlannedReminder] = []
        for lead in rule.leads {
            if let at = instant(of: lead, itemInstant: itemInstant, itemDay: itemDay, zone: zone, rule: rule, clockTime: clockTime(when, zone)) {
                out.append(PlannedReminder(fireAt: at, purpose: .lead(lead.description)))
            }
        }
        if let escalate = rule.escalate,
           let at = instant(of: escalate, itemInstant: itemInstant, itemDay: itemDay, zone: zone, rule: rule, clockTime: clockTime(when, zone)) {
            out.append(PlannedReminder(fireAt: at, purpose: .escalation(escalate.description)))
        }
        if let overdue = rule.overdue {
            var day = itemDay
            for n in 1...max(overdue.maxReminders, 1) where overdue.maxReminders > 0 {
                day = calendar.workingDay(1, after: day)
                out.append(PlannedReminder(fireAt: day.at(hour: overdue.time.hour, minute: overdue.time.minute, in: zone),
                                           purpose: .overdue(n)))
            }
        }
        out.sort { ($0.fireAt, $0.label) < ($1.fireAt, $1.label) }
        guard let now else { return dedupe(out) }

        let (past, ahead) = (out.filter { $0.fireAt < now }, out.filter { $0.fireAt >= now })
        var kept = ahead
        if rule.past == .fireLatest, itemInstant > now,
           let latest = past.last(where: { if case .lead = $0.purpose { true } else { false } }) {
            kept.insert(PlannedReminder(fireAt: now, purpose: .catchUp(latest.label)), at: 0)
        }
        return dedupe(kept)
    }

    /// Two purposes at the same instant stay two reminders (a lead and an escalation go to
    /// different people); the very same reminder twice is one.
    private func dedupe(_ reminders: [PlannedReminder]) -> [PlannedReminder] {
        var seen = Set<PlannedReminder>()
        return reminders.filter { seen.insert($0).inserted }
    }

    private func clockTime(_ when: When, _ zone: TimeZone) -> TimeOfDay {
        switch when {
        case .day: return dayTime
        case .instant(let d):
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            let c = cal.dateComponents([.hour, .minute], from: d)
            return TimeOfDay(hour: c.hour!, minute: c.minute!)!
        }
    }

    private func instant(of lead: Lead, itemInstant: Date, itemDay: LocalDate, zone: TimeZone,
                         rule: ReminderRule, clockTime: TimeOfDay) -> Date? {
        switch lead.amount {
        case .duration(let seconds):
            return shifted(itemInstant.addingTimeInterval(-Double(seconds)), itemInstant: itemInstant, itemDay: itemDay, zone: zone, rule: rule)
        case .days(let n, let at):
            let t = at ?? clockTime
            let instant = itemDay.adding(days: -n).at(hour: t.hour, minute: t.minute, in: zone)
            return shifted(instant, itemInstant: itemInstant, itemDay: itemDay, zone: zone, rule: rule)
        case .workingDays(let n, let at):
            let t = at ?? rule.time
            return calendar.workingDay(n, before: itemDay).at(hour: t.hour, minute: t.minute, in: zone)
        }
    }

    /// Applies the rule's non-working-day shift. Reminders on the item's own day stay.
    private func shifted(_ instant: Date, itemInstant: Date, itemDay: LocalDate, zone: TimeZone, rule: ReminderRule) -> Date? {
        let day = LocalDate(instant, in: zone)
        if day == itemDay || calendar.isWorkingDay(day) { return instant }
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        let c = cal.dateComponents([.hour, .minute], from: instant)
        switch rule.shift {
        case .keep:
            return instant
        case .skip:
            return nil
        case .before:
            return calendar.nearestWorkingDay(day, forward: false).at(hour: c.hour!, minute: c.minute!, in: zone)
        case .after:
            let moved = calendar.nearestWorkingDay(day, forward: true).at(hour: c.hour!, minute: c.minute!, in: zone)
            return moved <= itemInstant ? moved : nil
        }
    }
}

// MARK: - Repeating meetings

extension ReminderPlanner {
    /// How far past the rule's longest lead a series is planned ahead. The daemon extends
    /// every series at least daily, so this leaves weeks of margin for a stopped daemon.
    public static let seriesWindow: TimeInterval = 35 * 86_400

    /// The reminders of an item and, for a series, the end of the window they cover.
    public struct ItemPlan: Sendable, Equatable {
        public var reminders: [PlannedReminder]
        /// Instances starting up to here are planned (nil: not a series).
        public var plannedThrough: Date?

        public init(reminders: [PlannedReminder], plannedThrough: Date?) {
            self.reminders = reminders
            self.plannedThrough = plannedThrough
        }
    }

    /// The reminders of `item`: for a single item `plan(when:…)`; for a series those of its
    /// instances that start after `after` (default `now`) and no later than the window's end
    /// (`now` + `seriesWindow` + the rule's longest lead). An unbounded series costs only
    /// what falls in the window.
    public func plan(item: NewItem, rule: ReminderRule, now: Date, after: Date? = nil) -> ItemPlan {
        let zone = TimeZone(identifier: item.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        guard let recurrence = item.recurrence else {
            return ItemPlan(reminders: plan(when: item.when, zone: zone, rule: rule, now: now), plannedThrough: nil)
        }
        let through = now.addingTimeInterval(Self.seriesWindow + leadSpan(item: item, rule: rule, zone: zone))
        let floor = after ?? now
        var out: [PlannedReminder] = []
        for start in recurrence.instances(from: item.seriesStart, zone: zone) {
            if start > through { break }
            if start <= floor { continue }
            let when = item.instanceWhen(start)
            out += plan(when: when, zone: zone, rule: rule, now: now).map {
                PlannedReminder(fireAt: $0.fireAt, purpose: $0.purpose, instance: start)
            }
        }
        out.sort { ($0.fireAt, $0.label) < ($1.fireAt, $1.label) }
        return ItemPlan(reminders: out, plannedThrough: max(through, after ?? through))
    }

    /// The instances of a series that start in [from, to), as `When`s (what `ListInstances`
    /// shows); a single item's own `when` if it falls there. At most `limit`.
    public func instances(of item: NewItem, from: Date, to: Date, limit: Int = 10_000) -> [When] {
        let zone = TimeZone(identifier: item.timeZone) ?? TimeZone(secondsFromGMT: 0)!
        guard let recurrence = item.recurrence else {
            let at = item.instant(dayTime: dayTime)
            return at >= from && at < to ? [item.when] : []
        }
        var out: [When] = []
        for start in recurrence.instances(from: item.seriesStart, zone: zone) {
            if start >= to || out.count >= limit { break }
            if start >= from { out.append(item.instanceWhen(start)) }
        }
        return out
    }

    /// How long before an instance its earliest reminder fires (0 if none is before it).
    private func leadSpan(item: NewItem, rule: ReminderRule, zone: TimeZone) -> TimeInterval {
        let at = item.instant(dayTime: dayTime)
        let earliest = plan(when: item.when, zone: zone, rule: rule, now: nil).map(\.fireAt).min() ?? at
        return max(0, at.timeIntervalSince(earliest))
    }
}
