import Crypto
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
    }

    public var events: [Event] = []
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
        // Instances of a series cancelled one by one (RECURRENCE-ID, STATUS:CANCELLED): with
        // the uid of their series, they become its EXDATEs once every series is read.
        var cancelledInstances: [(uid: String, recurrenceID: ContentLine, reader: EventReader)] = []
        var withoutUID: [Int] = []
        for c in calendar.components {
            switch c.name {
            case "VEVENT" where c.first("RECURRENCE-ID") != nil:
                guard cancelledInstances.count < maxEvents else {
                    throw ICalendarError(location: "\(file):\(c.line)", message: "more than \(maxEvents) cancelled instances in one file")
                }
                let reader = EventReader(event: c, file: file, zones: zones, defaultZone: defaultZone, organisation: organisation)
                let (uid, recurrenceID) = try reader.cancelledInstance(cancelAll: cancelAll)
                cancelledInstances.append((uid, recurrenceID, reader))
            case "VEVENT":
                guard out.events.count < maxEvents else {
                    throw ICalendarError(location: "\(file):\(c.line)", message: "more than \(maxEvents) events in one file")
                }
                var reader = EventReader(event: c, file: file, zones: zones, defaultZone: defaultZone, organisation: organisation)
                var event = try reader.read()
                if cancelAll { event.cancelled = true }
                if let first = uids[event.uid] {
                    throw ICalendarError(location: "\(file):\(c.line)", message: reader.derivedUID
                        ? "the event has no UID and the same start, title and place as the event of line \(first): give each a UID"
                        : "UID \(event.uid) is used by the event of line \(first) too (a changed instance, RECURRENCE-ID, is not supported)")
                }
                if reader.derivedUID { withoutUID.append(c.line) }
                uids[event.uid] = c.line
                out.events.append(event)
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
        for (uid, recurrenceID, reader) in cancelledInstances {
            guard let i = index[uid] else {
                throw reader.fail(recurrenceID.line, "a cancelled instance (RECURRENCE-ID) of a series that is not in this file: cancelling one "
                    + "meeting of a series imported before is not supported (skip it with deadlinectl update KEY --skip DATE)")
            }
            let series = out.events[i].item
            guard series.recurrence != nil, let zone = TimeZone(identifier: series.timeZone) else {
                throw reader.fail(recurrenceID.line, "RECURRENCE-ID names an instance of the event of line \(out.events[i].line), which does not repeat")
            }
            let (when, _) = try reader.time(recurrenceID)
            out.events[i].item.recurrence!.exceptions.insert(EventReader.instance(when, ofSeriesStartingAt: series.when, zone: zone))
        }
        if !ignored.isEmpty {
            out.notes.append("ignored properties with no field in deadlined: "
                + ignored.sorted { $0.value < $1.value }.map { "\($0.key) (line \($0.value))" }.joined(separator: ", "))
        }
        return out
    }
}

/// Reads one VEVENT.
struct EventReader {
    let event: Component
    let file: String
    let zones: ZoneTable
    let defaultZone: String
    let organisation: String
    var ignored: [String: Int] = [:]
    /// The event had no UID: it was made from its content (`derivedUID(_:)`).
    var derivedUID = false

    init(event: Component, file: String, zones: ZoneTable, defaultZone: String, organisation: String) {
        self.event = event
        self.file = file
        self.zones = zones
        self.defaultZone = defaultZone
        self.organisation = organisation
    }

    static let used: Set<String> = [
        "UID", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "RRULE", "EXDATE", "SUMMARY", "LOCATION", "DESCRIPTION", "ORGANIZER",
        "ATTENDEE", "CATEGORIES", "STATUS", "TRANSP", "SEQUENCE", "LAST-MODIFIED", "CREATED", "CLASS",
    ]
    /// Properties that would change when the meeting happens: refusing them is safer than a
    /// reminder at the wrong time.
    static let timingUnsupported: [String: String] = [
        "RDATE": "extra dates (RDATE) are not supported",
        "EXRULE": "EXRULE is not supported (it is deprecated; use EXDATE)",
    ]

    func fail(_ line: Int, _ message: String) -> ICalendarError {
        ICalendarError(location: "\(file):\(line)", message: message)
    }

    /// A VEVENT with RECURRENCE-ID that cancels one instance of its series: its UID and that
    /// line. One that changes an instance (a new time, title or place) or a range of them
    /// would need the store to keep instances of their own: refused.
    func cancelledInstance(cancelAll: Bool) throws(ICalendarError) -> (uid: String, recurrenceID: ContentLine) {
        let recurrenceID = event.first("RECURRENCE-ID")!
        if event.all("RECURRENCE-ID").count > 1 { throw fail(event.all("RECURRENCE-ID")[1].line, "RECURRENCE-ID appears twice in one event") }
        if recurrenceID.parameter("RANGE")?.uppercased() == "THISANDFUTURE" {
            throw fail(recurrenceID.line, "RECURRENCE-ID;RANGE=THISANDFUTURE (a change to this and every later instance) is not supported")
        }
        guard cancelAll || event.first("STATUS")?.value.uppercased() == "CANCELLED" else {
            throw fail(recurrenceID.line, "a changed instance of a series (RECURRENCE-ID) is not supported; only a cancelled one (STATUS:CANCELLED)")
        }
        guard let uidLine = event.first("UID"), !uidLine.value.isEmpty else {
            throw fail(event.line, "the cancelled instance (RECURRENCE-ID) has no UID, so its series cannot be found")
        }
        return (ContentLine.unescape(uidLine.value), recurrenceID)
    }

    /// The start of the instance an EXDATE or RECURRENCE-ID value names in a series that
    /// starts at `start`: a date names the instance on that day at the series' clock time
    /// (midnight for an all-day series), a date-time on an all-day series its day.
    static func instance(_ value: When, ofSeriesStartingAt start: When, zone: TimeZone) -> Date {
        switch (start, value) {
        case (.instant, .instant(let t)): return t
        case (.day, .instant(let t)): return LocalDate(t, in: zone).at(hour: 0, minute: 0, in: zone)
        case (.day, .day(let d)): return d.at(hour: 0, minute: 0, in: zone)
        case (.instant(let s), .day(let d)):
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            let c = cal.dateComponents([.hour, .minute, .second], from: s)
            return d.at(hour: c.hour!, minute: c.minute!, in: zone).addingTimeInterval(Double(c.second!))
        }
    }

    mutating func read() throws(ICalendarError) -> CalendarImport.Event {
        for p in event.properties {
            if let why = Self.timingUnsupported[p.name] { throw fail(p.line, why) }
            if !Self.used.contains(p.name) && !p.name.hasPrefix("X-DEADLINED-") && ignored[p.name] == nil { ignored[p.name] = p.line }
        }
        for name in ["UID", "DTSTART", "DTEND", "DURATION", "RRULE", "SUMMARY"] where event.all(name).count > 1 {
            throw fail(event.all(name)[1].line, "\(name) appears twice in one event")
        }
        guard let startLine = event.first("DTSTART") else { throw fail(event.line, "the event has no DTSTART") }
        guard let summary = event.first("SUMMARY") else { throw fail(event.line, "the event has no SUMMARY (its title)") }
        if event.first("DTEND") != nil && event.first("DURATION") != nil {
            throw fail(event.first("DURATION")!.line, "DTEND and DURATION together (RFC 5545 allows one)")
        }

        let (when, startZone) = try time(startLine)
        let event = self.event
        let x = { (name: String) in event.first("X-DEADLINED-" + name).map { ContentLine.unescape($0.value) } }
        let xList = { (name: String) in event.first("X-DEADLINED-" + name).map { ContentLine.splitList($0.value) } ?? [] }
        // A series starting in UTC repeats in UTC (its weekdays are UTC's); anything else
        // keeps its own zone.
        let zoneName = startZone ?? x("TIME-ZONE") ?? (event.first("RRULE") != nil && startLine.value.hasSuffix("Z") ? "UTC" : defaultZone)
        guard let zone = TimeZone(identifier: zoneName) else { throw fail(startLine.line, "time zone '\(zoneName)' is not known") }

        var end: Date?
        if let e = event.first("DTEND") {
            let (endWhen, _) = try time(e)
            switch (when, endWhen) {
            case (.instant(let s), .instant(let t)):
                guard t > s else { throw fail(e.line, "DTEND is not after DTSTART") }
                end = t
            case (.day(let s), .day(let t)):
                guard t > s else { throw fail(e.line, "DTEND is not after DTSTART") }
                if t > s.adding(days: 1) { end = t.at(hour: 0, minute: 0, in: zone) }
            default:
                throw fail(e.line, "DTSTART and DTEND must both be dates or both date-times")
            }
        } else if let d = event.first("DURATION") {
            guard let seconds = Self.duration(d.value), seconds > 0 else { throw fail(d.line, "DURATION '\(d.value)' is not a positive duration (PT1H30M)") }
            switch when {
            case .instant(let s): end = s.addingTimeInterval(Double(seconds))
            case .day(let s): if seconds > 86_400 { end = s.adding(days: seconds / 86_400).at(hour: 0, minute: 0, in: zone) }
            }
        }

        var recurrence: Recurrence?
        if let r = event.first("RRULE") {
            do {
                recurrence = try Recurrence(rrule: r.value, zone: zone).untilMatching(when, zone: zone)
            } catch {
                throw fail(r.line, error.description)
            }
            for ex in event.all("EXDATE") {
                for value in ex.value.split(separator: ",") {
                    var one = ex
                    one.value = String(value)
                    let (exWhen, _) = try time(one)
                    recurrence!.exceptions.insert(Self.instance(exWhen, ofSeriesStartingAt: when, zone: zone))
                }
            }
        } else if let ex = event.first("EXDATE") {
            throw fail(ex.line, "EXDATE without an RRULE")
        }

        let uid: String
        if let uidLine = event.first("UID") {
            uid = ContentLine.unescape(uidLine.value)
            guard !uid.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw fail(uidLine.line, "the UID is empty, so importing it again could not find it")
            }
            guard uid.count <= 1000, !uid.unicodeScalars.contains(where: { $0.isControl }) else {
                throw fail(uidLine.line, "the UID is longer than 1000 characters or holds a control character")
            }
        } else {
            // Some programs (web pages' "add to calendar" links, hand-written files) leave it out.
            uid = Self.derivedUID(start: startLine, summary: summary, location: event.first("LOCATION"))
            derivedUID = true
        }
        let kind: ItemKind = x("KIND") == "deadline" ? .deadline : .meeting
        let key = x("KEY").flatMap { NewItem.isValidKey($0) ? $0 : nil } ?? Self.key(forUID: uid)
        var chair = x("CHAIR")
        if chair == nil, let o = event.first("ORGANIZER") { chair = Self.person(o) }
        // In the file's order: our export writes an attendee with an address as ATTENDEE and
        // one without as X-DEADLINED-ATTENDEE.
        let attendees = event.properties.compactMap { p -> String? in
            switch p.name {
            case "ATTENDEE": Self.person(p)
            case "X-DEADLINED-ATTENDEE": ContentLine.unescape(p.value)
            default: nil
            }
        }
        let leads: [Lead]?
        if event.first("X-DEADLINED-KEY") != nil {
            leads = try xList("LEADS").isEmpty ? nil : xList("LEADS").map { text throws(ICalendarError) in
                guard let l = Lead(text) else { throw fail(event.first("X-DEADLINED-LEADS")!.line, "'\(text)' is not a lead time (\(Lead.forms))") }
                return l
            }
        } else {
            leads = try alarmLeads()
        }
        let item = NewItem(
            kind: kind, key: key, title: ContentLine.unescape(summary.value).trimmingCharacters(in: .whitespacesAndNewlines), when: when,
            end: end, timeZone: zoneName, organisation: x("ORGANISATION") ?? organisation,
            location: event.first("LOCATION").map { ContentLine.unescape($0.value) }.flatMap { $0.isEmpty ? nil : $0 },
            notes: event.first("DESCRIPTION").map { ContentLine.unescape($0.value) }.flatMap { $0.isEmpty ? nil : $0 },
            chair: kind == .meeting ? chair : nil, attendees: kind == .meeting ? attendees : [], workingGroup: x("WORKING-GROUP"),
            followUpOf: kind == .meeting ? x("FOLLOW-UP-OF") : nil, plan: x("PLAN"), recipient: x("RECIPIENT"),
            tags: event.all("CATEGORIES").flatMap { ContentLine.splitList($0.value) }, remind: xList("REMIND"), escalation: xList("ESCALATION"),
            rule: x("RULE"), leads: leads, recurrence: recurrence
        )
        do { try item.validate() } catch { throw fail(event.line, "\(error)") }
        let status = event.first("STATUS")?.value.uppercased()
        guard let sequence = Int(event.first("SEQUENCE")?.value ?? "0"), sequence >= 0 else {
            throw fail(event.first("SEQUENCE")!.line, "SEQUENCE '\(event.first("SEQUENCE")!.value)' is not a number")
        }
        return CalendarImport.Event(uid: uid, item: item, cancelled: status == "CANCELLED",
                                    state: x("STATE").flatMap(ItemState.init(rawValue:)), sequence: sequence, line: event.line)
    }

    /// A DTSTART/DTEND/EXDATE value: a day, or an instant and the zone it was given in.
    func time(_ p: ContentLine) throws(ICalendarError) -> (When, String?) {
        let isDate = p.parameter("VALUE")?.uppercased() == "DATE" || p.value.count == 8
        if isDate {
            guard let d = ICalDateTime.parseDate(p.value) else { throw fail(p.line, "\(p.name) '\(p.value)' is not a date (20170516)") }
            return (.day(d), nil)
        }
        var zone = TimeZone(identifier: defaultZone) ?? TimeZone(secondsFromGMT: 0)!
        var zoneName: String?
        if let tzid = p.parameter("TZID"), !p.value.hasSuffix("Z") {
            guard let resolved = zones.resolve(tzid) else {
                throw fail(p.line, "TZID '\(tzid)' is neither an IANA zone (Asia/Bangkok) nor a fixed-offset VTIMEZONE of this file")
            }
            zone = TimeZone(identifier: resolved)!
            zoneName = resolved
        }
        guard let instant = ICalDateTime.parse(p.value, zone: zone) else {
            throw fail(p.line, "\(p.name) '\(p.value)' is not a date-time (20170516T140000, or …Z for UTC)")
        }
        return (.instant(instant), zoneName)
    }

    /// Lead times from the event's alarms (relative to its start); alarms that cannot be one
    /// are reported.
    mutating func alarmLeads() throws(ICalendarError) -> [Lead]? {
        var leads: [Lead] = []
        for alarm in event.components where alarm.name == "VALARM" {
            guard let trigger = alarm.first("TRIGGER") else { throw fail(alarm.line, "VALARM has no TRIGGER") }
            if let own = alarm.first("X-DEADLINED-LEAD"), let lead = Lead(own.value) { leads.append(lead); continue }
            guard trigger.parameter("VALUE")?.uppercased() != "DATE-TIME", trigger.parameter("RELATED")?.uppercased() != "END",
                  let seconds = Self.duration(trigger.value), seconds <= 0 else {
                if ignored["VALARM TRIGGER:\(trigger.value)"] == nil { ignored["VALARM TRIGGER:\(trigger.value)"] = trigger.line }
                continue
            }
            let s = -seconds
            let text = s == 0 ? "0" : s % 86_400 == 0 && s / 86_400 <= 999 ? "\(s / 86_400)d"
                : s % 3600 == 0 && s / 3600 <= 999 ? "\(s / 3600)h" : s / 60 <= 999 ? "\(max(1, s / 60))m" : "\(min(999, s / 3600))h"
            if let lead = Lead(text), !leads.contains(lead) { leads.append(lead) }
        }
        for other in event.components where other.name != "VALARM" {
            ignored["\(other.name) in VEVENT"] = other.line
        }
        return leads.isEmpty ? nil : leads
    }

    /// `CN=Name:mailto:a@b` → `Name <a@b>`.
    static func person(_ p: ContentLine) -> String? {
        // A name and an address are one line each: no control character survives.
        func clean(_ s: String) -> String {
            String(String.UnicodeScalarView(s.unicodeScalars.filter { !$0.isControl })).trimmingCharacters(in: .whitespaces)
        }
        var address = clean(p.value)
        // By scalars: "mailto:" followed by a combining mark ends in one Character ":ุ".
        if address.lowercased().unicodeScalars.starts(with: "mailto:".unicodeScalars) {
            address = clean(String(String.UnicodeScalarView(address.unicodeScalars.dropFirst(7))))
        }
        // Google Calendar writes the address as the name of a person it has no name for.
        let name = p.parameter("CN").map(clean).flatMap { $0.isEmpty || $0.lowercased() == address.lowercased() ? nil : $0 }
        guard !address.isEmpty else { return name }
        return MailboxText.text(name: name, address: address)
    }

    /// A UID for an event without one, from what identifies it: its DTSTART (value and zone),
    /// SUMMARY and LOCATION as written, so that the same file imported again finds the same
    /// item. A SHA-256 of them, shortened to 128 bits.
    static func derivedUID(start: ContentLine, summary: ContentLine, location: ContentLine?) -> String {
        let parts = [start.parameter("TZID") ?? "", start.value, ContentLine.unescape(summary.value).trimmingCharacters(in: .whitespacesAndNewlines),
                     location.map { ContentLine.unescape($0.value) } ?? ""]
        let digest = SHA256.hash(data: Array(parts.joined(separator: "\u{1F}").utf8))
        return digest.prefix(16).map { String(format: "%02x", $0) }.joined() + "@deadlined.invalid"
    }

    /// A typeable key for a UID from elsewhere: the UID itself if it is one, else `ics-` and a
    /// stable hash of it (FNV-1a, 64 bits).
    static func key(forUID uid: String) -> String {
        if NewItem.isValidKey(uid), uid.count <= 40 { return uid }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in uid.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "ics-" + String(hash, radix: 16)
    }

    /// RFC 5545 durations: `PT1H30M`, `-P1D`, `P2W`, `-PT15M`. Seconds, signed.
    static func duration(_ text: String) -> Int? {
        var t = Substring(text.uppercased())
        var sign = 1
        if t.hasPrefix("-") { sign = -1; t = t.dropFirst() } else if t.hasPrefix("+") { t = t.dropFirst() }
        guard t.hasPrefix("P") else { return nil }
        t = t.dropFirst()
        var total = 0, number = "", inTime = false, any = false
        for c in t {
            if c.isNumber { number.append(c); continue }
            if c == "T" { guard number.isEmpty, !inTime else { return nil }; inTime = true; continue }
            guard let n = Int(number), n < 1_000_000 else { return nil }
            number = ""
            any = true
            switch (c, inTime) {
            case ("W", false): total += n * 7 * 86_400
            case ("D", false): total += n * 86_400
            case ("H", true): total += n * 3600
            case ("M", true): total += n * 60
            case ("S", true): total += n
            default: return nil
            }
        }
        return number.isEmpty && any ? sign * total : nil
    }
}

/// The file's VTIMEZONEs, to read a TZID that is not an IANA name.
struct ZoneTable {
    /// TZID → IANA or fixed-offset zone identifier.
    private var known: [String: String] = [:]

    /// Zones that Outlook and Exchange name their own way: Windows' ids and, as Office 365
    /// writes them, display names.
    static let windowsNames: [String: String] = [
        "(UTC+07:00) Bangkok, Hanoi, Jakarta": "Asia/Bangkok", "(GMT+07:00) Bangkok, Hanoi, Jakarta": "Asia/Bangkok",
        "(UTC) Coordinated Universal Time": "UTC", "(UTC+08:00) Kuala Lumpur, Singapore": "Asia/Singapore",
        "(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi": "Asia/Shanghai", "(UTC+09:00) Osaka, Sapporo, Tokyo": "Asia/Tokyo",
        "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi": "Asia/Kolkata", "(UTC+06:30) Yangon (Rangoon)": "Asia/Yangon",
        "SE Asia Standard Time": "Asia/Bangkok", "UTC": "UTC", "GMT Standard Time": "Europe/London",
        "W. Europe Standard Time": "Europe/Berlin", "Romance Standard Time": "Europe/Paris",
        "Eastern Standard Time": "America/New_York", "Pacific Standard Time": "America/Los_Angeles",
        "Tokyo Standard Time": "Asia/Tokyo", "Singapore Standard Time": "Asia/Singapore", "China Standard Time": "Asia/Shanghai",
        "India Standard Time": "Asia/Kolkata", "Myanmar Standard Time": "Asia/Yangon",
    ]

    init(_ calendar: Component, file: String) throws(ICalendarError) {
        for tz in calendar.components where tz.name == "VTIMEZONE" {
            // TZID's value is TEXT, escaped (`Bangkok\, Hanoi`); the TZID parameter that names it
            // is quoted instead (RFC 5545 §3.2, §3.8.3.1).
            guard let id = tz.first("TZID").map({ ContentLine.unescape($0.value) }) else {
                throw ICalendarError(location: "\(file):\(tz.line)", message: "VTIMEZONE has no TZID")
            }
            // A zone that never changes its offset can be used whatever it is called. Exchange
            // writes a DAYLIGHT observance with the standard offset for zones without daylight
            // saving time: every observance at one offset is still a fixed offset.
            let offsets = Set(tz.components.filter { $0.name == "STANDARD" || $0.name == "DAYLIGHT" }.compactMap { $0.first("TZOFFSETTO")?.value })
            // Offsets on Earth run from -12:00 to +14:00; anything else is left unresolved, and
            // the TZID that names it is then an error.
            if offsets.count == 1, let seconds = Self.offset(offsets.first!),
               (-12 * 3600...14 * 3600).contains(seconds), let fixed = TimeZone(secondsFromGMT: seconds) {
                let whole = "Etc/GMT\(seconds > 0 ? "-" : "+")\(abs(seconds) / 3600)"
                known[id] = seconds % 3600 == 0 && seconds != 0 && TimeZone(identifier: whole) != nil ? whole : fixed.identifier
            }
        }
    }

    /// An IANA name as it is (or at the end of a longer TZID, as in
    /// `/mozilla.org/20050126_1/Asia/Bangkok` or `/Asia/Bangkok`), a Windows name, or a
    /// fixed-offset VTIMEZONE.
    func resolve(_ tzid: String) -> String? {
        if NewItem.isZoneName(tzid) {
            if Self.isIANA(tzid) { return tzid }
            // The longest tail that is a zone: America/Argentina/Buenos_Aires has three parts.
            let parts = tzid.split(separator: "/")
            for n in stride(from: min(3, parts.count), through: 1, by: -1) {
                let tail = parts.suffix(n).joined(separator: "/")
                if Self.isIANA(tail) { return tail }
            }
        }
        if let found = Self.windowsNames[tzid] ?? known[tzid] { return found }
        // A parameter cannot be backslash-escaped, but some programs do it as in the TZID value.
        let unescaped = ContentLine.unescape(tzid)
        return unescaped == tzid ? nil : Self.windowsNames[unescaped] ?? known[unescaped]
    }

    /// A zone Foundation knows by that very name (`Asia/Bangkok`, `UTC`; not `Bangkok` or
    /// `/Asia/Bangkok`, which Foundation may read as a path).
    static func isIANA(_ name: String) -> Bool {
        guard name == "UTC" || name.contains("/"), !name.hasPrefix("/"), !name.hasSuffix("/"), !name.contains("//"), !name.contains(".."),
              let zone = TimeZone(identifier: name) else { return false }
        // Foundation calls UTC "GMT".
        return name == "UTC" || zone.identifier == name
    }

    static func offset(_ text: String) -> Int? {
        let t = Array(text)
        guard t.count == 5 || t.count == 7, t[0] == "+" || t[0] == "-", let h = Int(String(t[1...2])), let m = Int(String(t[3...4])) else { return nil }
        let s = t.count == 7 ? Int(String(t[5...6])) ?? 0 : 0
        return (t[0] == "-" ? -1 : 1) * (h * 3600 + m * 60 + s)
    }
}
