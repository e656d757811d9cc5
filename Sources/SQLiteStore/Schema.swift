import DeadlineStore
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
        m.registerMigration("v2: keys, plans, meeting and deadline fields, item state, holidays") { db in
            try db.alter(table: "item") { t in
                t.add(column: "key", .text)
                t.add(column: "date_only", .text)          // YYYY-MM-DD when the item is a whole day
                t.add(column: "end_ms", .integer)
                t.add(column: "organisation", .text).notNull().defaults(to: "")
                t.add(column: "chair", .text)
                t.add(column: "attendees", .text).notNull().defaults(to: "[]")   // JSON arrays
                t.add(column: "working_group", .text)
                t.add(column: "follow_up_of", .text)
                t.add(column: "plan", .text)
                t.add(column: "recipient", .text)
                t.add(column: "tags", .text).notNull().defaults(to: "[]")
                t.add(column: "remind", .text).notNull().defaults(to: "[]")
                t.add(column: "escalation", .text).notNull().defaults(to: "[]")
                t.add(column: "rule", .text)
                t.add(column: "leads", .text)                // JSON array, NULL: the rule's
                t.add(column: "state", .text).notNull().defaults(to: "open")
                t.add(column: "state_changed_ms", .integer)
                t.add(column: "state_changed_by", .text)
            }
            try db.execute(sql: "UPDATE item SET key = CASE kind WHEN 'meeting' THEN 'm' ELSE 'd' END || id")
            try db.create(index: "item_by_key", on: "item", columns: ["key"], unique: true)
            try db.alter(table: "occurrence") { t in
                t.add(column: "label", .text).notNull().defaults(to: "0")
            }
            try db.create(table: "plan") { t in
                t.primaryKey("key", .text)
                t.column("name", .text).notNull()
                t.column("agency", .text)
                t.column("period", .text)
            }
            // Holiday years imported at run time; they override the files of the same year.
            try db.create(table: "holiday_year") { t in
                t.primaryKey("year", .integer)
                t.column("data", .text).notNull()            // JSON of HolidayYear
                t.column("imported_ms", .integer).notNull()
            }
        }
        m.registerMigration("v3: retries, delivery log, daemon state") { db in
            try db.alter(table: "occurrence") { t in
                t.add(column: "last_error", .text)
            }
            // Every attempt on every channel, with the key the channel was given.
            try db.create(table: "delivery_log") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("occurrence_id", .integer).notNull().indexed().references("occurrence", onDelete: .cascade)
                t.column("channel", .text).notNull()
                t.column("idempotency_key", .text).notNull()
                t.column("attempt", .integer).notNull()
                t.column("at_ms", .integer).notNull()
                t.column("outcome", .text).notNull().check(sql: "outcome IN ('delivered', 'failed')")
                t.column("error", .text)
            }
            // Small facts about the daemon itself: when it was last alive, the last downtime.
            try db.create(table: "daemon_state") { t in
                t.primaryKey("key", .text)
                t.column("value", .text).notNull()
            }
        }
        m.registerMigration("v4: counters kept by triggers") { db in
            // Status is asked often (monitoring, every deadlinectl call); counting rows each
            // time is O(n). Triggers keep exact counts as rows change, in the same transaction.
            try db.execute(sql: """
                CREATE TABLE counter (name TEXT PRIMARY KEY NOT NULL, n INTEGER NOT NULL) WITHOUT ROWID;
                INSERT INTO counter SELECT 'occurrence:' || state, COUNT(*) FROM occurrence GROUP BY state;
                INSERT INTO counter SELECT 'item', COUNT(*) FROM item;
                CREATE TRIGGER occurrence_counted_insert AFTER INSERT ON occurrence BEGIN
                    INSERT INTO counter (name, n) VALUES ('occurrence:' || NEW.state, 1)
                        ON CONFLICT(name) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER occurrence_counted_update AFTER UPDATE OF state ON occurrence WHEN OLD.state <> NEW.state BEGIN
                    UPDATE counter SET n = n - 1 WHERE name = 'occurrence:' || OLD.state;
                    INSERT INTO counter (name, n) VALUES ('occurrence:' || NEW.state, 1)
                        ON CONFLICT(name) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER occurrence_counted_delete AFTER DELETE ON occurrence BEGIN
                    UPDATE counter SET n = n - 1 WHERE name = 'occurrence:' || OLD.state;
                END;
                CREATE TRIGGER item_counted_insert AFTER INSERT ON item BEGIN
                    INSERT INTO counter (name, n) VALUES ('item', 1) ON CONFLICT(name) DO UPDATE SET n = n + 1;
                END;
                CREATE TRIGGER item_counted_delete AFTER DELETE ON item BEGIN
                    UPDATE counter SET n = n - 1 WHERE name = 'item';
                END;
                """)
        }
        m.registerMigration("v5: per-channel retries") { db in
            // Each channel retries on its own schedule: a failed attempt says when that channel
            // tries next (NULL: it gave up), and what the channel answered (exit status, HTTP status).
            try db.alter(table: "delivery_log") { t in
                t.add(column: "retry_at_ms", .integer)
                t.add(column: "detail", .text)
            }
            // Status lists the latest problems; a partial index keeps that cheap with a million rows.
            try db.execute(sql: "CREATE INDEX occurrence_problems ON occurrence(updated_ms) WHERE state IN ('retrying', 'failed')")
        }
        m.registerMigration("v6: audit trail") { db in
            try db.create(table: "audit") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("at_ms", .integer).notNull()
                t.column("uid", .integer).notNull()
                t.column("pid", .integer).notNull()
                t.column("command", .text).notNull()
                t.column("method", .text).notNull()
                t.column("target", .text).notNull()
                t.column("before", .text)
                t.column("after", .text)
            }
        }
        m.registerMigration("v7: repeating meetings and iCalendar identity") { db in
            try db.alter(table: "item") { t in
                t.add(column: "rrule", .text)
                t.add(column: "exdates", .text)
                t.add(column: "uid", .text)
                t.add(column: "sequence", .integer).notNull().defaults(to: 0)
                // A series' reminders exist for instances starting up to here; later ones are
                // planned as the window moves on (never the whole series).
                t.add(column: "planned_through_ms", .integer)
                t.add(column: "updated_ms", .integer)
            }
            try db.execute(sql: "UPDATE item SET uid = key || '@deadlined', updated_ms = created_ms")
            try db.execute(sql: "CREATE UNIQUE INDEX item_uid ON item(uid)")
            try db.alter(table: "occurrence") { t in t.add(column: "instance_ms", .integer) }
        }
        m.registerMigration("v8: added dates and changed instances of a series") { db in
            try db.alter(table: "item") { t in
                // A series' RDATEs, as exdates: a JSON list of millisecond instants.
                t.add(column: "rdates", .text)
                // A meeting that replaces one instance of a series (iCalendar's RECURRENCE-ID):
                // the start of that instance. It shares the series' UID, so the UID alone no
                // longer names one item.
                t.add(column: "recurrence_id_ms", .integer)
            }
            try db.execute(sql: "DROP INDEX item_uid")
            try db.execute(sql: "CREATE UNIQUE INDEX item_uid ON item(uid, ifnull(recurrence_id_ms, -1))")
        }
        m.registerMigration("v9: organisations registry") { db in
            // By code (the Department of Local Administration's): a re-import updates by it.
            try db.create(table: "organisation") { t in
                t.primaryKey("code", .text)
                t.column("name", .text).notNull()
                t.column("type", .text).notNull()
                    .check(sql: "type IN ('pao', 'city', 'town', 'subdistrict_municipality', 'sao', 'bangkok', 'pattaya')")
                t.column("province", .text).notNull()
                t.column("district", .text).notNull().defaults(to: "")
                t.column("person", .text)
                t.column("email", .text)
                t.column("chat", .text)
                t.column("phone", .text)
                t.column("created_ms", .integer).notNull()
                t.column("updated_ms", .integer).notNull()
            }
            // The center lists and assigns by province and district.
            try db.create(index: "organisation_by_place", on: "organisation", columns: ["province", "district"])
        }
        m.registerMigration("v10: assignments and obligations") { db in
            // A deadline assigned to the organisations of a scope; kept so that organisations
            // added later get it too. `codes` is a JSON list, NULL for no list.
            try db.create(table: "assignment") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("item_id", .integer).notNull().indexed().references("item", onDelete: .cascade)
                t.column("province", .text)
                t.column("district", .text)
                t.column("type", .text)
                t.column("codes", .text)
                t.column("created_ms", .integer).notNull()
            }
            try db.create(table: "obligation") { t in
                t.column("item_id", .integer).notNull().references("item", onDelete: .cascade)
                t.column("org_code", .text).notNull().references("organisation", column: "code")
                t.column("state", .text).notNull().defaults(to: "open").check(sql: "state IN ('open', 'submitted', 'exempted')")
                t.column("reference", .text)
                t.column("received_ms", .integer)
                t.column("sha256", .text)
                t.column("reason", .text)
                t.column("by", .text)
                t.column("updated_ms", .integer).notNull()
                t.primaryKey(["item_id", "org_code"])
            }
            try db.create(index: "obligation_by_org", on: "obligation", columns: ["org_code"])
        }
        m.registerMigration("v11: reminders of obligations") { db in
            // An obligation's reminders are the item's occurrences with the organisation's code:
            // the timer core, the delivery log and the misfire policy treat them as any other.
            try db.alter(table: "occurrence") { t in t.add(column: "org_code", .text) }
            try db.create(index: "occurrence_by_obligation", on: "occurrence", columns: ["item_id", "org_code"])
        }
        m.registerMigration("v12: escalation contacts by province and district") { db in
            try db.create(table: "escalation_contact") { t in
                t.column("province", .text).notNull()
                t.column("district", .text).notNull().defaults(to: "")
                t.column("name", .text).notNull()
                t.column("person", .text)
                t.column("email", .text)
                t.column("chat", .text)
                t.column("phone", .text)
                t.column("updated_ms", .integer).notNull()
                t.primaryKey(["province", "district"])
            }
        }
        m.registerMigration("v13: the audit trail as a hash chain") { db in
            try db.alter(table: "audit") { t in
                t.add(column: "seq", .integer)
                t.add(column: "prev_hash", .text)
                t.add(column: "hash", .text)
            }
            // What was written before the chain is linked now, in the order written.
            var prev = AuditChain.genesis
            var seq: Int64 = 0
            for row in try Row.fetchAll(db, sql: "SELECT * FROM audit ORDER BY id") {
                seq += 1
                let e = SQLiteStore.auditEntry(row)
                let hash = AuditChain.hash(e, seq: seq, prev: prev)
                try db.execute(sql: "UPDATE audit SET seq = ?, prev_hash = ?, hash = ? WHERE id = ?", arguments: [seq, prev, hash, e.id])
                prev = hash
            }
        }
        m.registerMigration("v14: signed checkpoints of the audit chain") { db in
            try db.create(table: "audit_checkpoint") { t in
                t.autoIncrementedPrimaryKey("id")
                t.column("seq", .integer).notNull()
                t.column("hash", .text).notNull()
                t.column("at_ms", .integer).notNull()
                t.column("key", .text).notNull()
                t.column("signature", .text).notNull()
            }
            // An item's history (`audit log KEY`) without reading the whole trail.
            try db.create(index: "audit_target", on: "audit", columns: ["target"])
            try db.create(index: "audit_method", on: "audit", columns: ["method"])
        }
        m.registerMigration("v15: the audit trail by time") { db in
            // An export from a day on, and a reminder's sends in its item's history, from the
            // instant they can have been written on, without reading the trail before it.
            try db.execute(sql: "DROP INDEX audit_method")
            try db.create(index: "audit_method_at", on: "audit", columns: ["method", "at_ms"])
            try db.create(index: "audit_at", on: "audit", columns: ["at_ms"])
        }
        return m
    }
}
