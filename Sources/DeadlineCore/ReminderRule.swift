import Foundation

/// How long before an item a reminder goes out. Written as people say it:
///
/// | text | means |
/// |---|---|
/// | `0` | at the item's own time |
/// | `0@09:00` | on the item's day at 09:00 |
/// | `2h`, `30m` | that long before the item's instant |
/// | `1d`, `2d@17:00` | calendar days before, at the item's clock time or the one given |
/// | `3wd`, `1wd@09:00` | working days before, at the rule's time of day or the one given |
public struct Lead: Hashable, TextCodable, Sendable {
    public enum Amount: Hashable, Sendable {
        case duration(seconds: Int)
        case days(Int, at: TimeOfDay?)
        case workingDays(Int, at: TimeOfDay?)
    }

    public let amount: Amount

    public init(_ amount: Amount) { self.amount = amount }

    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces).lowercased()
        let parts = t.split(separator: "@", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        let at: TimeOfDay?
        if parts.count == 2 {
            guard let time = TimeOfDay(parts[1]) else { return nil }
            at = time
        } else {
            at = nil
        }
        let head = parts.first ?? ""
        if head == "0" {
            amount = at.map { .days(0, at: $0) } ?? .duration(seconds: 0)
            return
        }
        // 1–3 digits, then the unit. Scanned by hand: every item read from the store parses its
        // leads, and a regex per lead was a fifth of reading a whole agenda.
        let digits = head.prefix { $0.isASCII && $0.isNumber }
        guard (1...3).contains(digits.count), let n = Int(digits), n > 0 else { return nil }
        let unit = head.dropFirst(digits.count)
        switch unit {
        case "wd": amount = .workingDays(n, at: at)
        case "d": amount = .days(n, at: at)
        case "h" where at == nil: amount = .duration(seconds: n * 3600)
        case "m" where at == nil: amount = .duration(seconds: n * 60)
        default: return nil
        }
    }

    public var description: String {
        switch amount {
        case .duration(let s): s == 0 ? "0" : s % 3600 == 0 ? "\(s / 3600)h" : "\(s / 60)m"
        case .days(let n, let at): "\(n == 0 ? "0" : "\(n)d")" + (at.map { "@\($0)" } ?? "")
        case .workingDays(let n, let at): "\(n)wd" + (at.map { "@\($0)" } ?? "")
        }
    }

    public init?(text: String) { self.init(text) }
    public static let kindOfText = "a lead time (\(forms))"

    /// The accepted forms, for error messages.
    public static let forms = "0, 0@09:00, 2h, 30m, 1d, 2d@17:00, 3wd, 1wd@09:00"
}

/// What to do with a reminder that lands on a weekend or public holiday (like remind's
/// BEFORE/AFTER/SKIP). Reminders on the item's own day are never moved.
public enum NonWorkingDayShift: String, Codable, Sendable, CaseIterable {
    /// To the working day before, same clock time.
    case before
    /// To the working day after (but never past the item itself).
    case after
    /// Dropped.
    case skip
    /// Sent on the non-working day anyway.
    case keep
}

/// What to do, when an item is added or changed, with leads whose time has already passed.
public enum PastLeadPolicy: String, Codable, Sendable, CaseIterable {
    /// They are dropped: only reminders still ahead are kept.
    case skip
    /// One reminder goes out at once in place of the latest one already past (if the item
    /// itself is still ahead), so that a late entry still alerts someone.
    case fireLatest = "fire-latest"
}

/// A named set of reminders for a kind of item.
public struct ReminderRule: Hashable, Sendable {
    public var name: String
    public var leads: [Lead]
    /// Time of day for `Nwd` leads that name none.
    public var time: TimeOfDay
    public var shift: NonWorkingDayShift
    public var past: PastLeadPolicy
    /// For deadlines: remind every working day after the due day until it is submitted.
    public var overdue: Overdue?
    /// For deadlines: if still open at this lead, remind the escalation contacts too.
    public var escalate: Lead?
    /// What to do with a reminder that comes due while it cannot be sent (daemon down,
    /// machine suspended, clock stepped forward).
    public var misfire: MisfirePolicy = .default

    public struct Overdue: Hashable, Sendable {
        public var time: TimeOfDay
        /// The most overdue reminders kept ahead (a bound: an open deadline is never
        /// reminded without end; after these, `list` and `status` still show it overdue).
        public var maxReminders: Int

        public init(time: TimeOfDay, maxReminders: Int) {
            self.time = time
            self.maxReminders = maxReminders
        }
    }

    public init(name: String, leads: [Lead], time: TimeOfDay = TimeOfDay(hour: 9, minute: 0)!,
                shift: NonWorkingDayShift = .before, past: PastLeadPolicy = .fireLatest,
                overdue: Overdue? = nil, escalate: Lead? = nil) {
        self.name = name
        self.leads = leads
        self.time = time
        self.shift = shift
        self.past = past
        self.overdue = overdue
        self.escalate = escalate
    }

    /// Meetings: the working day before at 09:00, and 2 hours before.
    public static let meetingDefault = ReminderRule(name: "meeting", leads: [Lead("1wd@09:00")!, Lead("2h")!])

    /// Deadlines: 14, 7, 3 and 1 working days before at 09:00 and on the day; then every working
    /// day at 09:00 until submitted; the escalation contacts at 3 working days before.
    public static let deadlineDefault = ReminderRule(
        name: "deadline",
        leads: ["14wd@09:00", "7wd@09:00", "3wd@09:00", "1wd@09:00", "0@09:00"].map { Lead($0)! },
        overdue: Overdue(time: TimeOfDay(hour: 9, minute: 0)!, maxReminders: 20),
        escalate: Lead("3wd@09:00")!
    )
}
