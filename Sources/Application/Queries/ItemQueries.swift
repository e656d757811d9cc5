import DeadlineCore
import DeadlineStore
import Foundation

/// Which items a list shows; nil matches all.
public struct ItemFilter: Sendable {
    public var kind: ItemKind?
    public var state: ItemState?
    /// The window the item's instant (a series: one of its instances) falls in, as typed.
    public var from: String?
    public var to: String?
    public var tag: String?
    /// Open and past its day (a series: past its last instance), or the opposite.
    public var overdue: Bool?

    public init(kind: ItemKind? = nil, state: ItemState? = nil, from: String? = nil, to: String? = nil, tag: String? = nil, overdue: Bool? = nil) {
        self.kind = kind
        self.state = state
        self.from = from
        self.to = to
        self.tag = tag
        self.overdue = overdue
    }
}

extension Application {
    /// An item and its reminders, or `StoreError.noSuchItem`.
    public func item(key: String) async throws -> ItemOutcome {
        try await read { store in
            guard let item = try store.item(key: key) else { throw StoreError.noSuchItem(key) }
            return ItemOutcome(item: item, occurrences: try store.occurrences(ofItem: item.id))
        }
    }

    /// The items the filter keeps, in order of their instant, with their reminders.
    public func items(_ filter: ItemFilter) async throws -> [ItemOutcome] {
        let c = context()
        let (zone, now) = (c.zone, c.now)
        // The window bounds the item's own instant; a whole day as `to` counts to its end.
        let from = try filter.from.map { TextInput.startOfRange(try TextInput.date($0, zone: zone, now: now), zone: zone) }
        let to = try filter.to.map { TextInput.endOfRange(try TextInput.date($0, zone: zone, now: now), zone: zone) }
        let rows = try await read { try $0.listItems() }
        let (today, planner, dayTime) = (LocalDate(now, in: zone), c.planner, c.settings.dayTime)
        return rows.filter { item, _ in
            let at = item.fields.instant(dayTime: dayTime)
            // A series is in the window when one of its instances is.
            let inWindow = from == nil && to == nil ? true
                : item.fields.recurrence != nil ? !planner.instances(of: item.fields, from: from ?? .distantPast, to: to ?? .distantFuture, limit: 1).isEmpty
                : (from.map { at >= $0 } ?? true) && (to.map { at < $0 } ?? true)
            guard (filter.kind.map { item.kind == $0 } ?? true), (filter.state.map { item.state == $0 } ?? true),
                  (filter.tag.map { item.fields.tags.contains($0) } ?? true), inWindow else { return false }
            guard let overdue = filter.overdue else { return true }
            let past = item.fields.recurrence != nil ? Countdown(item.fields, today: today, calendar: c.calendar).days < 0
                : item.fields.when.localDate(in: item.zone) < LocalDate(now, in: item.zone)
            return overdue == (item.state == .open && past)
        }.map { ItemOutcome(item: $0.0, occurrences: $0.1) }
    }

    /// The start of each instance of a series (its moved meetings included) in [from, to], as
    /// text in the item's zone, at most `limit`.
    public func instances(key: String, from: String, to: String, limit: Int) async throws -> (item: Item, instances: [String]) {
        let c = context()
        guard let item = try await read({ try $0.item(key: key) }) else { throw StoreError.noSuchItem(key) }
        let start = TextInput.startOfRange(try TextInput.date(from, zone: item.zone, now: c.now), zone: item.zone)
        let end = TextInput.endOfRange(try TextInput.date(to, zone: item.zone, now: c.now), zone: item.zone)
        guard start <= end else { throw RequestError.invalidParameter("to") }
        // A series' moved meetings are items of their own; they are its meetings still.
        let replacements = item.recurrenceID == nil && item.fields.recurrence != nil
            ? try await read { try $0.replacements(ofUID: item.uid) }.filter { $0.state != .cancelled } : []
        var found: [(at: Date, text: String)] = []
        for one in [item] + replacements {
            found += c.planner.instances(of: one.fields, from: start, to: end, limit: limit).map {
                ($0.instant(zone: one.zone, dayTime: c.settings.dayTime), DateOutput.text($0, timeZone: one.zone))
            }
        }
        return (item, found.sorted { $0.at < $1.at }.prefix(limit).map(\.text))
    }
}
