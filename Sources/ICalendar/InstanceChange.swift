import DeadlineCore
import Foundation

/// Changes to one meeting of a series: what they are, and how one changes its series.
extension CalendarImport {
    /// A cancelled or changed meeting of a series, or (`thisAndFuture`) of it and every later one.
    public struct InstanceChange: Sendable, Equatable {
        public var uid: String
        /// The RECURRENCE-ID as written: a date names the series' meeting that day.
        public var recurrenceID: When
        /// `RANGE=THISANDFUTURE`: the change holds for every later meeting too.
        public var thisAndFuture: Bool
        /// The changed meeting; nil when it is cancelled.
        public var replacement: Event?
        public var line: Int
        /// The start of the series' meeting it changes, once applied.
        public var instance: Date?
    }

    /// Applies a change to its series: the meeting it names leaves the series (an EXDATE) and
    /// the changed meeting, if any, replaces it (its `recurrenceID`); or, with `thisAndFuture`,
    /// the series ends before it and the changed meeting is the rest, a series of its own that
    /// (without an RRULE of its own) repeats as the rest would have. Either is keyed after the
    /// series' key and that day.
    /// - Parameter series: how to name the series in an error ("the event of line 12", "m4").
    public static func apply(_ change: inout InstanceChange, to item: inout NewItem, series: String, file: String) throws(ICalendarError) {
        func fail(_ message: String) -> ICalendarError { ICalendarError(location: "\(file):\(change.line)", message: message) }
        guard var rule = item.recurrence, let zone = TimeZone(identifier: item.timeZone) else {
            throw fail("RECURRENCE-ID names a meeting of \(series), which does not repeat")
        }
        let instance = EventReader.instance(change.recurrenceID, ofSeriesStartingAt: item.when, zone: zone)
        let start = item.seriesStart
        var raw = rule
        raw.exceptions = []
        if change.thisAndFuture {
            guard instance > start else {
                throw fail("RANGE=THISANDFUTURE from the first meeting of \(series): that changes the whole series, so change the series itself")
            }
            // Idempotent: importing the same change again cuts the series where it is already cut.
            // COUNT counts the rule's meetings, not the added dates.
            var ruleOnly = raw
            ruleOnly.additions = []
            let before = ruleOnly.instances(from: start, zone: zone).prefix(100_000).prefix { $0 < instance }
            let remaining = rule.count.map { max(1, $0 - before.count) }
            if rule.count != nil {
                rule.count = before.count
            } else {
                rule.until = item.when.hasTime ? .instant(instance.addingTimeInterval(-1)) : .day(LocalDate(instance, in: zone).adding(days: -1))
            }
            rule.additions = rule.additions.filter { $0 < instance }
            if var replacement = change.replacement, replacement.item.recurrence == nil {
                // The rest of the series, moved as the changed meeting moved.
                let shift = replacement.item.seriesStart.timeIntervalSince(instance)
                var rest = item.recurrence!
                rest.count = remaining
                rest.exceptions = Set(rest.exceptions.filter { $0 > instance }.map { $0.addingTimeInterval(shift) })
                rest.additions = Set(rest.additions.filter { $0 > instance }.map { $0.addingTimeInterval(shift) })
                replacement.item.recurrence = rest.untilMatching(replacement.item.when, zone: zone)
                change.replacement = replacement
            }
        } else {
            guard raw.instances(from: start, zone: zone).prefix(100_000).prefix(while: { $0 <= instance }).contains(instance) else {
                throw fail("RECURRENCE-ID \(DateOutput.iso8601(instance, timeZone: zone)) is not a meeting of \(series)")
            }
            rule.exceptions.insert(instance)
        }
        item.recurrence = rule
        change.instance = instance
        if var replacement = change.replacement {
            if change.thisAndFuture {
                // The rest is a series of its own, as Google Calendar makes one when "this and
                // following" meetings change: a UID of its own, so that calendar programs (which
                // apply RANGE to the series' own meetings only) see it in the export.
                replacement.uid = change.uid + "_R" + ICalDateTime.utc(instance)
                guard replacement.uid.count <= 1000 else { throw fail("the UID is too long to name the rest of the series after it") }
            } else {
                replacement.recurrenceID = instance
            }
            if !replacement.keyGiven { replacement.item.key = replacementKey(seriesKey: item.key, uid: change.uid, instance: instance, zone: zone) }
            do { try replacement.item.validate() } catch { throw fail("\(error)") }
            change.replacement = replacement
        }
    }

    /// The key of a changed meeting: the series' key and the day of the meeting it replaces
    /// (`wg-20170516`), or a hash when that is no key.
    static func replacementKey(seriesKey: String, uid: String, instance: Date, zone: TimeZone) -> String {
        let day = LocalDate(instance, in: zone)
        let key = seriesKey + "-" + String(format: "%04d%02d%02d", day.year, day.month, day.day)
        return NewItem.isValidKey(key) ? key : EventReader.key(forUID: uid + "@" + ICalDateTime.utc(instance))
    }
}
