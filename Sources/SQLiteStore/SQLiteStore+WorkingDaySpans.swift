import DeadlineCore
import DeadlineStore
import Foundation
import GRDB

extension SQLiteStore {
    /// `WorkingDaySpan.countsWorkingDays(label:)` in SQL.
    public func workingDaySpans() throws -> [WorkingDaySpan] {
        try readDB { db in
            // Items share a few zones: each is looked up once, not once a row.
            var zones: [String: TimeZone] = [:]
            return try Row.fetchAll(db, sql: """
                SELECT i.key, i.time_zone, o.fire_at_ms, COALESCE(o.instance_ms, i.at_ms) AS item_ms
                FROM occurrence o JOIN item i ON i.id = o.item_id
                WHERE o.state IN ('pending', 'retrying') AND (o.label LIKE '%wd%' OR o.label LIKE 'overdue-%')
                """).map { row in
                let name: String = row["time_zone"]
                let zone = zones[name] ?? {
                    let z = TimeZone(identifier: name) ?? TimeZone(secondsFromGMT: 0)!
                    zones[name] = z
                    return z
                }()
                return WorkingDaySpan(itemKey: row["key"], from: LocalDate(Millis.date(row["fire_at_ms"]), in: zone),
                                      to: LocalDate(Millis.date(row["item_ms"]), in: zone))
            }
        }
    }
}
