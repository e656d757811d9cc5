import DeadlineCore

/// The reminder rule for each kind of item: the built-in defaults with the config's changes,
/// and an item's own lead times in place of the rule's when it gives some.
public struct RuleBook: Sendable, Equatable {
    public var meeting: ReminderRule
    public var deadline: ReminderRule

    public init(meetingLeads: [Lead]? = nil, deadlineLeads: [Lead]? = nil, time: TimeOfDay? = nil,
                shift: NonWorkingDayShift? = nil, past: PastLeadPolicy? = nil, escalate: Lead?? = nil,
                overdueTime: TimeOfDay? = nil, overdueMax: Int? = nil) {
        var m = ReminderRule.meetingDefault
        var d = ReminderRule.deadlineDefault
        if let meetingLeads { m.leads = meetingLeads }
        if let deadlineLeads { d.leads = deadlineLeads }
        for i in [0, 1] {
            var r = i == 0 ? m : d
            if let time { r.time = time }
            if let shift { r.shift = shift }
            if let past { r.past = past }
            if i == 0 { m = r } else { d = r }
        }
        if let escalate { d.escalate = escalate }
        if let overdueTime { d.overdue?.time = overdueTime }
        if let overdueMax { d.overdue?.maxReminders = overdueMax }
        meeting = m
        deadline = d
    }

    public func rule(for item: NewItem) -> ReminderRule {
        var r = item.kind == .meeting ? meeting : deadline
        if let leads = item.leads { r.leads = leads }
        return r
    }

    /// `1wd@09:00, 2h` → leads (the text was validated with the config).
    static func leads(_ text: String) -> [Lead] {
        text.split(separator: ",").compactMap { Lead($0.trimmingCharacters(in: .whitespaces)) }
    }
}
