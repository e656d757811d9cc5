import DeadlineCore
import Foundation

/// The agenda as an iCalendar feed (RFC 5545) that calendar programs subscribe to or import.
///
/// Meetings and deadlines are both VEVENTs: a deadline is an all-day event on its due date
/// (or a moment, when it has a time), marked free (`TRANSP:TRANSPARENT`). VTODO would be the
/// closer fit, but Google Calendar and Outlook's subscribed calendars do not show to-dos, and
/// staff must see due dates beside their meetings. Each reminder lead becomes a VALARM.
/// What iCalendar has no field for goes in `X-DEADLINED-…` properties, so that an export
/// imported again gives the same items.
public enum CalendarExport {
    /// One item and its reminders, as offsets before its start.
    public struct Entry: Sendable {
        public var item: Item
        public var alarms: [Alarm]

        public init(item: Item, alarms: [Alarm]) {
            self.item = item
            self.alarms = alarms
        }
    }

    /// A reminder lead (`1wd@09:00`) and how long before the start it fires, for the
    /// first instance (calendar programs repeat it for every instance of a series).
    public struct Alarm: Sendable, Equatable {
        public var lead: String
        public var secondsBefore: Int

        public init(lead: String, secondsBefore: Int) {
            self.lead = lead
            self.secondsBefore = secondsBefore
        }
    }

    public static let productID = "-//deadlined//deadlined//TH"

    /// The whole calendar text, folded, with CRLF line ends.
    public static func calendar(_ entries: [Entry], now: Date, name: String = "deadlined") -> String {
        var cal = Component("VCALENDAR", properties: [
            ContentLine("VERSION", "2.0"),
            ContentLine("PRODID", productID),
            ContentLine("CALSCALE", "GREGORIAN"),
            ContentLine("METHOD", "PUBLISH"),
            ContentLine("X-WR-CALNAME", ContentLine.escape(name)),
        ])
        // One VTIMEZONE per zone used by a timed item, covering the instants the feed holds.
        var spans: [String: (from: Date, to: Date)] = [:]
        for e in entries {
            guard case .instant(let start) = e.item.fields.when else { continue }
            var last = e.item.fields.end ?? start
            if let r = e.item.fields.recurrence {
                if let added = r.additions.max() { last = max(last, added) }
                switch r.until {
                case .instant(let u)?: last = max(last, u)
                case .day(let d)?: last = max(last, d.adding(days: 1).at(hour: 0, minute: 0, in: e.item.zone))
                case nil:
                    // A series with COUNT ends at most COUNT periods (a month, a year) after its start.
                    let period: Double = r.frequency == .yearly ? 366 : 31
                    last = max(last, r.count == nil ? now.addingTimeInterval(5 * 365 * 86_400)
                        : start.addingTimeInterval(Double(r.count!) * period * 86_400 * Double(r.interval)))
                }
            }
            let span = spans[e.item.timeZone] ?? (start, last)
            spans[e.item.timeZone] = (min(span.from, start), max(span.to, last))
        }
        for zone in spans.keys.sorted() {
            if let tz = TimeZone(identifier: zone) { cal.components.append(timeZone(tz, id: zone, from: spans[zone]!.from, to: spans[zone]!.to)) }
        }
        // A meeting moved out of a series is its RECURRENCE-ID, not an EXDATE of the series
        // as well: calendar programs would drop it.
        var replaced: [String: Set<Date>] = [:]
        for e in entries where e.item.fields.recurrence == nil { if let id = e.item.recurrenceID { replaced[e.item.uid, default: []].insert(id) } }
        cal.components += entries.map { event($0, now: now, replaced: $0.item.recurrenceID == nil ? replaced[$0.item.uid] ?? [] : []) }
        return cal.text
    }

    /// One item as a VEVENT.
    /// - Parameter replaced: instances of this series that other entries replace.
    public static func event(_ e: Entry, now: Date, replaced: Set<Date> = []) -> Component {
        let item = e.item, f = item.fields, zone = item.zone
        var p: [ContentLine] = [
            ContentLine("UID", ContentLine.escape(item.uid)),
            ContentLine("DTSTAMP", ICalDateTime.utc(now)),
            ContentLine("SEQUENCE", String(item.sequence)),
        ]
        if let updated = item.updatedAt { p.append(ContentLine("LAST-MODIFIED", ICalDateTime.utc(updated))) }
        switch f.when {
        case .instant(let start):
            p.append(ContentLine("DTSTART", [("TZID", [item.timeZone])], ICalDateTime.local(start, zone: zone)))
            if let end = f.end { p.append(ContentLine("DTEND", [("TZID", [item.timeZone])], ICalDateTime.local(end, zone: zone))) }
        case .day(let d):
            p.append(ContentLine("DTSTART", [("VALUE", ["DATE"])], ICalDateTime.date(d)))
            // A date has no zone in iCalendar; the item's is where its reminders are timed.
            p.append(ContentLine("X-DEADLINED-TIME-ZONE", item.timeZone))
            let endDay = f.end.map { max(LocalDate($0, in: zone), d.adding(days: 1)) } ?? d.adding(days: 1)
            p.append(ContentLine("DTEND", [("VALUE", ["DATE"])], ICalDateTime.date(endDay)))
        }
        if let id = item.recurrenceID {
            // A date names the series' meeting that day at the series' clock time: only a
            // midnight start is sure to read back the same.
            let day = LocalDate(id, in: zone)
            if case .day = f.when, day.at(hour: 0, minute: 0, in: zone) == id {
                p.append(ContentLine("RECURRENCE-ID", [("VALUE", ["DATE"])], ICalDateTime.date(day)))
            } else {
                p.append(ContentLine("RECURRENCE-ID", [("TZID", [item.timeZone])], ICalDateTime.local(id, zone: zone)))
            }
        }
        if let r = f.recurrence {
            // Dates alone are written as such, with no rule.
            if !r.isDatesOnly || r.additions.isEmpty { p.append(ContentLine("RRULE", r.rrule)) }
            for (name, dates) in [("EXDATE", r.exceptions.subtracting(replaced)), ("RDATE", r.additions)] {
                for x in dates.sorted() {
                    switch f.when {
                    case .instant: p.append(ContentLine(name, [("TZID", [item.timeZone])], ICalDateTime.local(x, zone: zone)))
                    case .day: p.append(ContentLine(name, [("VALUE", ["DATE"])], ICalDateTime.date(LocalDate(x, in: zone))))
                    }
                }
            }
        }
        p.append(ContentLine("SUMMARY", ContentLine.escape(f.title)))
        if let v = f.location { p.append(ContentLine("LOCATION", ContentLine.escape(v))) }
        if let v = f.notes { p.append(ContentLine("DESCRIPTION", ContentLine.escape(v))) }
        if let chair = f.chair {
            if let address = MailboxText(chair) {
                p.append(ContentLine("ORGANIZER", address.name.map { [("CN", [$0])] } ?? [], "mailto:" + address.address))
            }
            p.append(ContentLine("X-DEADLINED-CHAIR", ContentLine.escape(chair)))
        }
        for a in f.attendees {
            if let address = MailboxText(a) {
                p.append(ContentLine("ATTENDEE", (address.name.map { [("CN", [$0])] } ?? []) + [("ROLE", ["REQ-PARTICIPANT"])],
                                     "mailto:" + address.address))
            } else {
                p.append(ContentLine("X-DEADLINED-ATTENDEE", ContentLine.escape(a)))
            }
        }
        if !f.tags.isEmpty { p.append(ContentLine("CATEGORIES", f.tags.map(ContentLine.escape).joined(separator: ","))) }
        p.append(ContentLine("STATUS", item.state == .cancelled ? "CANCELLED" : "CONFIRMED"))
        p.append(ContentLine("TRANSP", f.kind == .deadline ? "TRANSPARENT" : "OPAQUE"))
        p.append(ContentLine("X-DEADLINED-KEY", ContentLine.escape(f.key)))
        p.append(ContentLine("X-DEADLINED-KIND", f.kind.rawValue))
        p.append(ContentLine("X-DEADLINED-STATE", item.state.rawValue))
        let extras: [(String, String?)] = [
            ("X-DEADLINED-ORGANISATION", f.organisation.isEmpty ? nil : f.organisation), ("X-DEADLINED-WORKING-GROUP", f.workingGroup),
            ("X-DEADLINED-FOLLOW-UP-OF", f.followUpOf), ("X-DEADLINED-PLAN", f.plan), ("X-DEADLINED-RECIPIENT", f.recipient),
            ("X-DEADLINED-RULE", f.rule),
        ]
        for (name, value) in extras { if let value { p.append(ContentLine(name, ContentLine.escape(value))) } }
        let lists: [(String, [String])] = [("X-DEADLINED-REMIND", f.remind), ("X-DEADLINED-ESCALATION", f.escalation),
                                           ("X-DEADLINED-LEADS", f.leads?.map(\.description) ?? [])]
        for (name, values) in lists where !values.isEmpty {
            p.append(ContentLine(name, values.map(ContentLine.escape).joined(separator: ",")))
        }
        let alarms = e.alarms.map { a in
            Component("VALARM", properties: [
                ContentLine("ACTION", "DISPLAY"),
                ContentLine("DESCRIPTION", ContentLine.escape(f.title)),
                ContentLine("TRIGGER", duration(-a.secondsBefore)),
                ContentLine("X-DEADLINED-LEAD", a.lead),
            ])
        }
        return Component("VEVENT", properties: p, components: alarms)
    }

    /// `-P1DT2H`, `PT0S`, `PT15M` (RFC 5545 §3.3.6).
    public static func duration(_ seconds: Int) -> String {
        var s = abs(seconds)
        let days = s / 86_400; s %= 86_400
        let (h, m, sec) = (s / 3600, s % 3600 / 60, s % 60)
        var out = seconds < 0 ? "-P" : "P"
        if days > 0 { out += "\(days)D" }
        if h + m + sec > 0 || days == 0 {
            out += "T"
            if h > 0 { out += "\(h)H" }
            if m > 0 { out += "\(m)M" }
            if sec > 0 || (h == 0 && m == 0) { out += "\(sec)S" }
        }
        return out
    }

    /// A VTIMEZONE for `zone` with its real offset changes between `from` and `to` (a year
    /// of margin each side): one observance per change, so no rule has to be inferred.
    public static func timeZone(_ zone: TimeZone, id: String, from: Date, to: Date) -> Component {
        let start = from.addingTimeInterval(-366 * 86_400)
        let end = to.addingTimeInterval(366 * 86_400)
        func offset(_ seconds: Int) -> String {
            let a = abs(seconds)
            return (seconds < 0 ? "-" : "+") + String(format: "%02d%02d", a / 3600, a % 3600 / 60)
        }
        func observance(at instant: Date, before: Int, after: Int) -> Component {
            Component(zone.isDaylightSavingTime(for: instant) ? "DAYLIGHT" : "STANDARD", properties: [
                ContentLine("DTSTART", ICalDateTime.local(instant, zone: TimeZone(secondsFromGMT: before)!)),
                ContentLine("TZOFFSETFROM", offset(before)),
                ContentLine("TZOFFSETTO", offset(after)),
            ] + (zone.abbreviation(for: instant).map { [ContentLine("TZNAME", ContentLine.escape($0))] } ?? []))
        }
        var tz = Component("VTIMEZONE", properties: [ContentLine("TZID", id)])
        let initial = zone.secondsFromGMT(for: start)
        tz.components.append(observance(at: start, before: initial, after: initial))
        var t = start
        for _ in 0..<400 {
            guard let next = zone.nextDaylightSavingTimeTransition(after: t), next < end else { break }
            tz.components.append(observance(at: next, before: zone.secondsFromGMT(for: next.addingTimeInterval(-1)),
                                            after: zone.secondsFromGMT(for: next)))
            t = next
        }
        return tz
    }
}

/// `Name <a@b>` or a bare `a@b`: the e-mail address in what a person typed, if there is one.
struct MailboxText {
    var name: String?
    var address: String

    init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        if let open = t.lastIndex(of: "<"), t.hasSuffix(">") {
            let address = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
            guard Self.isAddress(address) else { return nil }
            let name = t[..<open].trimmingCharacters(in: .whitespaces)
            // A CN parameter cannot hold a double quote or a control character: such a name
            // stays text (X-DEADLINED-ATTENDEE), which keeps it exactly.
            guard !name.unicodeScalars.contains(where: { $0 == "\"" || $0.isControl }) else { return nil }
            self.name = name.isEmpty ? nil : name
            self.address = address
        } else if Self.isAddress(t) {
            self.address = t
        } else {
            return nil
        }
        // Only a text that reads back the same (one space before `<`, nothing around) becomes
        // ORGANIZER/ATTENDEE; anything else stays text, exactly as typed.
        guard Self.text(name: name, address: address) == text else { return nil }
    }

    /// Something with an `@` and no space, angle bracket or control character.
    static func isAddress(_ text: String) -> Bool {
        text.contains("@") && !text.unicodeScalars.contains {
            $0 == "<" || $0 == ">" || $0.properties.isWhitespace || $0.isControl
        }
    }

    /// Back to what a person types.
    static func text(name: String?, address: String) -> String {
        name.map { "\($0) <\(address)>" } ?? address
    }
}
