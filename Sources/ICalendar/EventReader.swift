import Crypto
import DeadlineCore
import Foundation

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
        "UID", "DTSTAMP", "DTSTART", "DTEND", "DURATION", "RRULE", "EXDATE", "RDATE", "RECURRENCE-ID", "SUMMARY", "LOCATION", "DESCRIPTION", "ORGANIZER",
        "ATTENDEE", "CATEGORIES", "STATUS", "TRANSP", "SEQUENCE", "LAST-MODIFIED", "CREATED", "CLASS",
    ]
    /// Properties that would change when the meeting happens: refusing them is safer than a
    /// reminder at the wrong time.
    static let timingUnsupported: [String: String] = [
        "EXRULE": "EXRULE is not supported (it is deprecated; use EXDATE)",
    ]

    func fail(_ line: Int, _ message: String) -> ICalendarError {
        ICalendarError(location: "\(file):\(line)", message: message)
    }

    /// A VEVENT with RECURRENCE-ID: a cancelled meeting of a series, or one changed (moved,
    /// retitled, elsewhere), alone or with every later one (`RANGE=THISANDFUTURE`).
    mutating func instanceChange(cancelAll: Bool) throws(ICalendarError) -> CalendarImport.InstanceChange {
        let recurrenceID = event.first("RECURRENCE-ID")!
        if event.all("RECURRENCE-ID").count > 1 { throw fail(event.all("RECURRENCE-ID")[1].line, "RECURRENCE-ID appears twice in one event") }
        let range = recurrenceID.parameter("RANGE")?.uppercased()
        guard range == nil || range == "THISANDFUTURE" else {
            throw fail(recurrenceID.line, "RANGE=\(range!) is not one RFC 5545 knows (only THISANDFUTURE)")
        }
        guard let uidLine = event.first("UID"), !uidLine.value.isEmpty else {
            throw fail(event.line, "the changed meeting (RECURRENCE-ID) has no UID, so its series cannot be found")
        }
        let (when, _) = try time(recurrenceID)
        var replacement: CalendarImport.Event?
        if !(cancelAll || event.first("STATUS")?.value.uppercased() == "CANCELLED") {
            replacement = try read()
        }
        return CalendarImport.InstanceChange(uid: ContentLine.unescape(uidLine.value), recurrenceID: when, thisAndFuture: range != nil,
                                             replacement: replacement, line: recurrenceID.line)
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
        }
        let additions = try dates("RDATE", of: when, zone: zone)
        if !additions.isEmpty {
            // Dates alone (no RRULE) are a series too: its start and those dates.
            if recurrence == nil { recurrence = .dates([]) }
            let start = when.instant(zone: zone, dayTime: TimeOfDay(hour: 0, minute: 0)!)
            if let early = additions.first(where: { $0 < start }), let line = event.first("RDATE")?.line {
                throw fail(line, "RDATE \(DateOutput.iso8601(early, timeZone: zone)) is before DTSTART: the first meeting must be DTSTART's")
            }
            recurrence!.additions = additions.filter { $0 > start }
        }
        let exceptions = try dates("EXDATE", of: when, zone: zone)
        if recurrence == nil, let ex = event.first("EXDATE") {
            throw fail(ex.line, "EXDATE without an RRULE or RDATE")
        }
        recurrence?.exceptions = exceptions

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
                                    state: x("STATE").flatMap(ItemState.init(rawValue:)), sequence: sequence, line: event.line,
                                    keyGiven: x("KEY").map(NewItem.isValidKey) ?? false)
    }

    /// The instants an EXDATE or RDATE names, each line a list of dates or date-times; a
    /// date names the series' meeting that day. RDATE's periods (VALUE=PERIOD) are refused:
    /// a meeting's length is the series' own.
    func dates(_ name: String, of start: When, zone: TimeZone) throws(ICalendarError) -> Set<Date> {
        var out = Set<Date>()
        for line in event.all(name) {
            if line.parameter("VALUE")?.uppercased() == "PERIOD" || line.value.contains("/") {
                throw fail(line.line, "\(name) with periods (VALUE=PERIOD) is not supported: give the start of each meeting")
            }
            for value in line.value.split(separator: ",") {
                var one = line
                one.value = String(value)
                let (at, _) = try time(one)
                out.insert(Self.instance(at, ofSeriesStartingAt: start, zone: zone))
            }
        }
        return out
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
