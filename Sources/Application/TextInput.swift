import DeadlineCore
import Foundation

/// Dates, leads and recurrence rules as people type them, read into domain values; every
/// refusal says which input and why.
public enum TextInput {
    public static func date(_ text: String, zone: TimeZone, now: Date) throws(RequestError) -> When {
        do { return try DateInput.parse(text, timeZone: zone, now: now) }
        catch { throw .invalidDate(error) }
    }

    /// A meeting's end: an instant, never a whole day.
    public static func end(_ text: String, zone: TimeZone, now: Date) throws(RequestError) -> Date {
        guard case .instant(let d) = try date(text, zone: zone, now: now) else { throw .invalidParameter("end") }
        return d
    }

    public static func leads(_ list: [String]) throws(RequestError) -> [Lead] {
        var out: [Lead] = []
        for text in list {
            guard let lead = Lead(text) else { throw .invalidLead(text) }
            out.append(lead)
        }
        return out
    }

    /// An RRULE, its UNTIL made the type of `when`; a changed rule keeps the series' exceptions
    /// and added dates.
    public static func recurrence(_ text: String, when: When, zone: TimeZone, keeping old: Recurrence? = nil) throws(RequestError) -> Recurrence {
        do {
            var r = try Recurrence(rrule: text, zone: zone)
            r.exceptions = old?.exceptions ?? []
            r.additions = old?.additions ?? []
            return r.untilMatching(when, zone: zone)
        } catch {
            throw .invalidRecurrence(text, reason: error.description)
        }
    }

    /// The start of a range given as `from`: an instant as it is, a whole day from its midnight.
    public static func startOfRange(_ when: When, zone: TimeZone) -> Date {
        when.instant(zone: zone, dayTime: TimeOfDay(hour: 0, minute: 0)!)
    }

    /// The end of a range given as `to`: an instant as it is, a whole day to its end.
    public static func endOfRange(_ when: When, zone: TimeZone) -> Date {
        switch when {
        case .instant(let d): d
        case .day(let d): d.adding(days: 1).at(hour: 0, minute: 0, in: zone)
        }
    }
}
