/// The reminder rule for each kind of item: the built-in defaults with the config's changes,
/// and an item's own lead times in place of the rule's when it gives some.
public struct RuleBook: Sendable, Equatable {
    public var meeting: ReminderRule
    public var deadline: ReminderRule
    /// Named lead sets from `rule_sets:`, chosen per item with `rule:`.
    public var named: [String: [Lead]]

    public init(meetingLeads: [Lead]? = nil, deadlineLeads: [Lead]? = nil, time: TimeOfDay? = nil,
                shift: NonWorkingDayShift? = nil, past: PastLeadPolicy? = nil, escalate: Lead?? = nil,
                overdueTime: TimeOfDay? = nil, overdueMax: Int? = nil, misfire: MisfirePolicy? = nil,
                named: [String: [Lead]] = [:]) {
        self.named = named
        var m = ReminderRule.meetingDefault
        var d = ReminderRule.deadlineDefault
        if let meetingLeads { m.leads = meetingLeads }
        if let deadlineLeads { d.leads = deadlineLeads }
        for i in [0, 1] {
            var r = i == 0 ? m : d
            if let time { r.time = time }
            if let shift { r.shift = shift }
            if let past { r.past = past }
            if let misfire { r.misfire = misfire }
            if i == 0 { m = r } else { d = r }
        }
        if let escalate { d.escalate = escalate }
        if let overdueTime { d.overdue?.time = overdueTime }
        if let overdueMax { d.overdue?.maxReminders = overdueMax }
        meeting = m
        deadline = d
    }

    /// The item's rule: its kind's, with the named set's leads if it names one, and its own
    /// leads if it gives some (those win).
    public func rule(for item: NewItem) -> ReminderRule {
        var r = item.kind == .meeting ? meeting : deadline
        if let name = item.rule, let leads = named[name] {
            r.name = name
            r.leads = leads
        }
        if let leads = item.leads { r.leads = leads }
        return r
    }

    /// nil if the item's rule name is known (or it names none), else the names there are.
    public func unknownRule(_ item: NewItem) -> String? {
        guard let name = item.rule, named[name] == nil else { return nil }
        return "no rule set is named '\(name)'; the config has: " + (named.isEmpty ? "none" : named.keys.sorted().joined(separator: ", "))
    }

    /// `1wd@09:00, 2h` → leads (the text was validated with the config).
    public static func leads(_ text: String) -> [Lead] {
        text.split(separator: ",").compactMap { Lead($0.trimmingCharacters(in: .whitespaces)) }
    }
}
