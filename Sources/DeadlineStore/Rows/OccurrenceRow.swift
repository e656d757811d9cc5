import DeadlineCore
import Foundation

/// A row of the `occurrence` table as every SQL backend keeps it.
package struct OccurrenceRow: Sendable {
    package var id: Int64?
    package var item_id: Int64
    package var fire_at_ms: Int64
    package var state: String
    package var attempts: Int
    package var updated_ms: Int64
    package var label: String
    package var last_error: String?
    package var instance_ms: Int64?
    package var org_code: String?

    package init(id: Int64?, item_id: Int64, fire_at_ms: Int64, state: String, attempts: Int, updated_ms: Int64, label: String,
                 last_error: String?, instance_ms: Int64? = nil, org_code: String? = nil) {
        self.id = id
        self.item_id = item_id
        self.fire_at_ms = fire_at_ms
        self.state = state
        self.attempts = attempts
        self.updated_ms = updated_ms
        self.label = label
        self.last_error = last_error
        self.instance_ms = instance_ms
        self.org_code = org_code
    }

    package func domain() throws -> Occurrence {
        guard let id, let s = OccurrenceState(rawValue: state) else {
            throw StoreError.corrupt("occurrence \(id ?? -1) has state '\(state)'")
        }
        return Occurrence(id: id, itemID: item_id, fireAt: Millis.date(fire_at_ms), state: s, attempts: attempts, label: label,
                          lastError: last_error, instance: instance_ms.map(Millis.date), organisation: org_code)
    }

    /// What a replan compares: a reminder is the same when its instant, label and instance
    /// are. A catch-up's instant is only when it was planned, so a catch-up is one per instance.
    package var planIdentity: String { Self.planIdentity(fireAt: fire_at_ms, label: label, instance: instance_ms) }
    package static func planIdentity(_ r: PlannedReminder) -> String {
        planIdentity(fireAt: Millis.from(r.fireAt), label: r.label, instance: r.instance.map(Millis.from))
    }
    private static func planIdentity(fireAt: Int64, label: String, instance: Int64?) -> String {
        label == PlannedReminder.catchUpLabel ? "\(label) \(instance ?? 0)" : "\(fireAt) \(label) \(instance ?? 0)"
    }
}

/// Instants in the store are whole milliseconds since the epoch.
package enum Millis {
    package static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    package static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}

/// The lists an item keeps (attendees, tags, leads), as JSON text in one column.
package enum JSONList {
    /// Most lists are empty; a `JSONEncoder` for each would dominate a large import.
    package static func encode(_ list: [String]) -> String {
        if list.isEmpty { return "[]" }
        return String(decoding: (try? JSONEncoder().encode(list)) ?? Data("[]".utf8), as: UTF8.self)
    }
    package static func decode(_ text: String) throws -> [String] {
        if text == "[]" { return [] }
        do { return try JSONDecoder().decode([String].self, from: Data(text.utf8)) }
        catch { throw StoreError.corrupt("a list column holds '\(text)'") }
    }
}
