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
        var sql = "SELECT * FROM organisation"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY province, district, code"
        let found = try Row.fetchAll(db, sql: sql, arguments: StatementArguments(arguments)).map(Self.organisation)
        guard let codes = scope.codes else { return found }
        let wanted = Set(codes)
        return found.filter { wanted.contains($0.code) }
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
