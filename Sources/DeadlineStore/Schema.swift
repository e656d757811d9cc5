import GRDB

/// The versioned schema. Migrations are append-only: a released migration is never edited,
/// a change is a new one, so every store ever written can be opened by every later daemon.
///
/// Instants are INTEGER milliseconds since the Unix epoch (UTC): exact, sortable, indexable,
/// and the same in every zone. Each item keeps its IANA zone for display.
enum Schema {
    static var migrator: DatabaseMigrator {
        var m = DatabaseMigrator()
        m.registerMigration("v1: items and reminder occurrences") { db in
            try db.create(table: "item") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("kind", .text).notNull().check(sql: "kind IN ('meeting', 'deadline')")
                t.column("title", .text).notNull()
                t.column("at_ms", .integer).notNull()
                t.column("time_zone", .text).notNull()
                t.column("location", .text)
                t.column("notes", .text)
                t.column("created_ms", .integer).notNull()
            }
            try db.create(table: "occurrence") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("item_id", .integer).notNull().indexed().references("item", onDelete: .cascade)
                t.column("fire_at_ms", .integer).notNull()
                t.column("state", .text).notNull()
                t.column("attempts", .integer).notNull().defaults(to: 0)
                t.column("updated_ms", .integer).notNull()
            }
            // The timer core loads pending work by state and instant.
            try db.create(index: "occurrence_by_state", on: "occurrence", columns: ["state", "fire_at_ms"])
        }
        return m
    }
}
