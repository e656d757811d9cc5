import DeadlineCore
import DeadlineStore
import Foundation
import GRDB

/// The organisations registry in SQL: one row per code.
extension SQLiteTransaction {
    func organisation(code: String) throws -> Organisation? {
        try Row.fetchOne(db.cachedStatement(sql: "SELECT * FROM organisation WHERE code = ?"), arguments: [code]).map(Self.organisation)
    }

    func organisations(in scope: OrganisationScope) throws -> [Organisation] {
        var conditions: [String] = [], arguments: [(any DatabaseValueConvertible)?] = []
        if let province = scope.province { conditions.append("province = ?"); arguments.append(PlaceName.province(province)) }
        if let district = scope.district { conditions.append("district = ?"); arguments.append(PlaceName.district(district)) }
        if let type = scope.type { conditions.append("type = ?"); arguments.append(type.rawValue) }
        if let codes = scope.codes {
            // A burst's reminders name a few hundred organisations at most: one IN list.
            conditions.append("code IN (" + codes.map { _ in "?" }.joined(separator: ",") + ")")
            arguments += codes
        }
        var sql = "SELECT * FROM organisation"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY province, district, code"
        return try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.organisation)
    }

    func saveOrganisations(_ organisations: [Organisation], now: Date) throws -> [OrganisationSave] {
        let ms = Millis.from(now)
        let insert = try db.cachedStatement(sql: """
            INSERT INTO organisation (code, name, type, province, district, person, email, chat, phone, created_ms, updated_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        let update = try db.cachedStatement(sql: """
            UPDATE organisation SET name = ?, type = ?, province = ?, district = ?, person = ?, email = ?, chat = ?, phone = ?,
            updated_ms = ? WHERE code = ?
            """)
        return try organisations.map { o in
            let c = o.contact
            switch try organisation(code: o.code) {
            case nil:
                try insert.execute(arguments: [o.code, o.name, o.type.rawValue, o.province, o.district, c.person, c.email, c.chat, c.phone, ms, ms])
                return .added
            case o?:
                return .unchanged
            case _?:
                try update.execute(arguments: [o.name, o.type.rawValue, o.province, o.district, c.person, c.email, c.chat, c.phone, ms, o.code])
                return .updated
            }
        }
    }

    /// A row of `organisation` (its type is one of `OrganisationType`'s: the table checks it).
    static func organisation(_ row: Row) -> Organisation {
        Organisation(code: row["code"], name: row["name"], type: OrganisationType(rawValue: row["type"]) ?? .subdistrictAdministration,
                     province: row["province"], district: row["district"],
                     contact: OrganisationContact(person: row["person"], email: row["email"], chat: row["chat"], phone: row["phone"]))
    }
}

/// Assignments and obligations in SQL.
extension SQLiteTransaction {
    func assignments() throws -> [(itemID: Int64, scope: OrganisationScope)] {
        try Row.fetchAll(db, sql: "SELECT * FROM assignment ORDER BY id").map { row in
            let codes: String? = row["codes"]
            return (row["item_id"], OrganisationScope(province: row["province"], district: row["district"],
                                                      type: (row["type"] as String?).flatMap(OrganisationType.init(rawValue:)),
                                                      codes: try codes.map { try JSONDecoder().decode([String].self, from: Data($0.utf8)) }))
        }
    }

    func addAssignment(itemID: Int64, scope: OrganisationScope, now: Date) throws {
        let codes = try scope.codes.map { String(decoding: try JSONEncoder().encode($0), as: UTF8.self) }
        try db.execute(sql: "INSERT INTO assignment (item_id, province, district, type, codes, created_ms) VALUES (?, ?, ?, ?, ?, ?)",
                       arguments: [itemID, scope.province.map(PlaceName.province), scope.district.map(PlaceName.district),
                                   scope.type?.rawValue, codes, Millis.from(now)])
    }

    func obligations(ofItem itemID: Int64) throws -> [Obligation] {
        try Row.fetchAll(db, sql: """
            SELECT o.*, i.key FROM obligation o JOIN item i ON i.id = o.item_id WHERE o.item_id = ? ORDER BY o.org_code
            """, arguments: [itemID]).map(Self.obligation)
    }

    func obligation(itemID: Int64, code: String) throws -> Obligation? {
        try Row.fetchOne(db, sql: "SELECT o.*, i.key FROM obligation o JOIN item i ON i.id = o.item_id WHERE o.item_id = ? AND o.org_code = ?",
                         arguments: [itemID, code]).map(Self.obligation)
    }

    func ensureObligations(itemID: Int64, codes: [String], now: Date) throws -> [String] {
        let insert = try db.cachedStatement(sql: "INSERT OR IGNORE INTO obligation (item_id, org_code, state, updated_ms) VALUES (?, ?, 'open', ?)")
        let ms = Millis.from(now)
        return try codes.filter { code in
            try insert.execute(arguments: [itemID, code, ms])
            return db.changesCount > 0
        }
    }

    func saveObligation(itemID: Int64, _ o: Obligation) throws {
        let s = o.submission
        try db.execute(sql: """
            UPDATE obligation SET state = ?, reference = ?, received_ms = ?, sha256 = ?, reason = ?, by = ?, updated_ms = ?
            WHERE item_id = ? AND org_code = ?
            """, arguments: [o.state.rawValue, s?.reference, s.map { Millis.from($0.received) }, s?.sha256, o.reason, o.by,
                             Millis.from(o.updated), itemID, o.code])
        if db.changesCount == 0 { throw StoreError.unavailable(reason: "no obligation of item \(itemID) for \(o.code)") }
    }

    static func obligation(_ row: Row) -> Obligation {
        let reference: String? = row["reference"], received: Int64? = row["received_ms"]
        let submission = zip(reference, received).map { Submission(reference: $0, received: Millis.date($1), sha256: row["sha256"]) }
        return Obligation(itemKey: row["key"], code: row["org_code"], state: ObligationState(rawValue: row["state"]) ?? .open,
                          submission: submission, reason: row["reason"], by: row["by"], updated: Millis.date(row["updated_ms"]))
    }
}

/// Both or neither.
private func zip<A, B>(_ a: A?, _ b: B?) -> (A, B)? {
    guard let a, let b else { return nil }
    return (a, b)
}

/// Escalation contacts in SQL: one per province and district.
extension SQLiteTransaction {
    func escalationContacts() throws -> [EscalationContact] {
        try Row.fetchAll(db, sql: "SELECT * FROM escalation_contact ORDER BY province, district").map { row in
            EscalationContact(province: row["province"], district: row["district"], name: row["name"],
                              contact: OrganisationContact(person: row["person"], email: row["email"], chat: row["chat"], phone: row["phone"]))
        }
    }

    func saveEscalationContact(_ e: EscalationContact, now: Date) throws {
        let c = e.contact
        try db.execute(sql: """
            INSERT OR REPLACE INTO escalation_contact (province, district, name, person, email, chat, phone, updated_ms)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [e.province, e.district, e.name, c.person, c.email, c.chat, c.phone, Millis.from(now)])
    }
}
