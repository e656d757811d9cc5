import DeadlineCore
import Foundation

/// Meetings read from an iCalendar file (an invitation, another calendar's export, our own
/// feed). All or nothing: a problem anywhere is an error naming its line, and nothing is
/// imported. What has no place in an item is reported in `notes`, never dropped unseen.
public struct CalendarImport: Sendable {
    /// One VEVENT as an item.
    public struct Event: Sendable, Equatable {
        public var uid: String
        public var item: NewItem
        /// `STATUS:CANCELLED`, or the file is a `METHOD:CANCEL`.
        public var cancelled: Bool
        /// Our own export's `X-DEADLINED-STATE` (submitted, held), kept on import.
        public var state: ItemState?
        /// Its SEQUENCE: a new item starts from it, so that our feed never goes back.
        public var sequence: Int
        public var line: Int
        /// The file gave its key (our export's X-DEADLINED-KEY).
        public var keyGiven = false
        /// A changed meeting of a series (RECURRENCE-ID): the start of the meeting it replaces.
        public var recurrenceID: Date?

        public init(uid: String, item: NewItem, cancelled: Bool, state: ItemState?, sequence: Int, line: Int, keyGiven: Bool = false,
                    recurrenceID: Date? = nil) {
            self.uid = uid
            self.item = item
            self.cancelled = cancelled
            self.state = state
            self.sequence = sequence
            self.line = line
            self.keyGiven = keyGiven
            self.recurrenceID = recurrenceID
        }
    }

    public var events: [Event] = []
    /// Changes to one meeting of a series (VEVENTs with RECURRENCE-ID). Those whose series is
    /// in this file are applied to it already (`instance` is set, the changed meeting is in
    /// `events`); the others name a series imported before, for the caller to `apply`.
    public var instanceChanges: [InstanceChange] = []
    /// Skipped components and properties that were not used, one line each.
    public var notes: [String] = []

    /// Most events one file may hold.
    public static let maxEvents = 100_000

    /// Reads `text`. Floating times (no zone) and items without one take `defaultZone`.
    public static func read(_ text: String, file: String, defaultZone: String, organisation: String) throws(ICalendarError) -> CalendarImport {
        let calendar = try Component.parse(text, file: file)
        let zones = try ZoneTable(calendar, file: file)
        // Google Calendar names the calendar's own zone: floating times and dates are in it.
        var defaultZone = defaultZone
        if let wr = calendar.first("X-WR-TIMEZONE").map({ ContentLine.unescape($0.value) }), let zone = zones.resolve(wr) { defaultZone = zone }
        let cancelAll = calendar.first("METHOD")?.value.uppercased() == "CANCEL"
        var out = CalendarImport()
        var ignored: [String: Int] = [:]
        var uids: [String: Int] = [:]
        var changes: [InstanceChange] = []
        var withoutUID: [Int] = []
        for c in calendar.components {
            switch c.name {
            case "VEVENT":
                guard out.events.count + changes.count < maxEvents else {
                    throw ICalendarError(location: "\(file):\(c.line)", message: "more than \(maxEvents) events in one file")
                }
                var reader = EventReader(event: c, file: file, zones: zones, defaultZone: defaultZone, organisation: organisation)
                if c.first("RECURRENCE-ID") != nil {
                    changes.append(try reader.instanceChange(cancelAll: cancelAll))
                } else {
                    var event = try reader.read()
                    if cancelAll { event.cancelled = true }
                    if let first = uids[event.uid] {
                        throw ICalendarError(location: "\(file):\(c.line)", message: reader.derivedUID
                            ? "the event has no UID and the same start, title and place as the event of line \(first): give each a UID"
                            : "UID \(event.uid) is used by the event of line \(first) too (a changed meeting of a series has a RECURRENCE-ID)")
                    }
                    if reader.derivedUID { withoutUID.append(c.line) }
                    uids[event.uid] = c.line
                    out.events.append(event)
                }
                for (name, line) in reader.ignored where ignored[name] == nil { ignored[name] = line }
            case "VTIMEZONE":
                break
            default:
                out.notes.append("\(file):\(c.line): skipped \(c.name): only VEVENT is imported")
            }
        }
        if let first = withoutUID.first {
            out.notes.append("\(file):\(first): " + (withoutUID.count == 1 ? "the event has no UID" : "\(withoutUID.count) events have no UID (lines "
                + withoutUID.prefix(10).map(String.init).joined(separator: ", ") + (withoutUID.count > 10 ? ", …)" : ")"))
                + ": each is known by one made from its start, title and place (importing the same file again finds it; "
                + "a changed start, title or place makes a new event)")
        }
        let index = Dictionary(out.events.enumerated().map { ($0.element.uid, $0.offset) }, uniquingKeysWith: { first, _ in first })
        var changed: [String: Int] = [:]
        for var change in changes {
            if let i = index[change.uid] {
                try apply(&change, to: &out.events[i].item, series: "the event of line \(out.events[i].line)", file: file)
                let id = "\(change.uid) \(change.instance!.timeIntervalSince1970)"
                if let first = changed[id] {
                    throw ICalendarError(location: "\(file):\(change.line)", message: "the event of line \(first) changes the same meeting of the series")
                }
                changed[id] = change.line
                if let replacement = change.replacement {
                    // The rest of a series changed from one meeting on has a UID of its own.
                    if replacement.recurrenceID == nil {
                        if let first = uids[replacement.uid] {
                            throw ICalendarError(location: "\(file):\(change.line)", message: "the rest of the series from here on would take UID "
                                + "\(replacement.uid), which the event of line \(first) has")
                        }
                        uids[replacement.uid] = change.line
                    }
                    out.events.append(replacement)
                }
            }
            out.instanceChanges.append(change)
        }
        if !ignored.isEmpty {
            out.notes.append("ignored properties with no field in deadlined: "
                + ignored.sorted { $0.value < $1.value }.map { "\($0.key) (line \($0.value))" }.joined(separator: ", "))
        }
        return out
    }
}
