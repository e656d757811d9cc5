import DeadlineCore
import Foundation
import GRDB

/// Row of `item`. Kept apart from the domain's `Item` so the table can change shape
/// without the domain noticing.
struct ItemRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "item"
    var id: Int64?
    var kind: String
    var title: String
    var at_ms: Int64
    var time_zone: String
    var location: String?
    var notes: String?
    var created_ms: Int64

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    init(_ new: NewItem, createdAt: Date) {
        kind = new.kind.rawValue
        title = new.title
        at_ms = Millis.from(new.at)
        time_zone = new.timeZone
        location = new.location
        notes = new.notes
        created_ms = Millis.from(createdAt)
    }

    func domain() throws -> Item {
        guard let id, let k = ItemKind(rawValue: kind) else { throw StoreError.corrupt("item \(id ?? -1) has kind '\(kind)'") }
        return Item(id: id, kind: k, title: title, at: Millis.date(at_ms), timeZone: time_zone, location: location, notes: notes)
    }
}

/// Row of `occurrence`.
struct OccurrenceRecord: Codable, FetchableRecord, MutablePersistableRecord {
    static let databaseTableName = "occurrence"
    var id: Int64?
    var item_id: Int64
    var fire_at_ms: Int64
    var state: String
    var attempts: Int
    var updated_ms: Int64

    mutating func didInsert(_ inserted: InsertionSuccess) { id = inserted.rowID }

    func domain() throws -> Occurrence {
        guard let id, let s = OccurrenceState(rawValue: state) else {
            throw StoreError.corrupt("occurrence \(id ?? -1) has state '\(state)'")
        }
        return Occurrence(id: id, itemID: item_id, fireAt: Millis.date(fire_at_ms), state: s, attempts: attempts)
    }
}

/// Instants in the store are whole milliseconds since the epoch.
enum Millis {
    static func from(_ date: Date) -> Int64 { Int64((date.timeIntervalSince1970 * 1000).rounded()) }
    static func date(_ ms: Int64) -> Date { Date(timeIntervalSince1970: Double(ms) / 1000) }
}
