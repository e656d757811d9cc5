import DeadlineCore
import DeadlineStore
import Foundation
import PostgresNIO

/// The organisations registry, assignments, obligations and escalation contacts in PostgreSQL.
extension PostgresTransaction {
    func organisation(code: String) throws -> Organisation? {
        try session.rows("SELECT * FROM organisation WHERE code = \(code)").first.map(RegistryRows.organisation)
    }

    func organisations(in scope: OrganisationScope) throws -> [Organisation] {
        var conditions: [String] = [], binds = PostgresBindings()
        func bind(_ condition: String, _ value: String) {
            binds.append(value)
            conditions.append(condition.replacingOccurrences(of: "?", with: "$\(binds.count)"))
        }
        if let province = scope.province { bind("province = ?", PlaceName.province(province)) }
        if let district = scope.district { bind("district = ?", PlaceName.district(district)) }
        if let type = scope.type { bind("type = ?", type.rawValue) }
        if let codes = scope.codes {
            binds.append(codes)
            conditions.append("code = ANY($\(binds.count)::text[])")
        }
        var sql = "SELECT * FROM organisation"
        if !conditions.isEmpty { sql += " WHERE " + conditions.joined(separator: " AND ") }
        sql += " ORDER BY province, district, code"
        return try session.rows(PostgresQuery(unsafeSQL: sql, binds: binds)).map(RegistryRows.organisation)
    }

    /// The registry is read once, by code, and only what is new or changed is written.
    func saveOrganisations(_ organisations: [Organisation], now: Date) throws -> [OrganisationSave] {
        let ms = Millis.from(now)
        let known = Dictionary(try session.rows("SELECT * FROM organisation WHERE code = ANY(\(organisations.map(\.code))::text[])")
            .map(RegistryRows.organisation).map { ($0.code, $0) }, uniquingKeysWith: { first, _ in first })
        var seen: [String: Organisation] = [:]
        return try organisations.map { o in
            let c = o.contact
            switch seen[o.code] ?? known[o.code] {
            case nil:
                try session.query("""
                    INSERT INTO organisation (code, name, type, province, district, person, email, chat, phone, created_ms, updated_ms)
                    VALUES (\(o.code), \(o.name), \(o.type.rawValue), \(o.province), \(o.district), \(c.person), \(c.email),
                            \(c.chat), \(c.phone), \(ms), \(ms))
                    """)
                seen[o.code] = o
                return .added
            case o?:
                return .unchanged
            case _?:
                try session.query("""
                    UPDATE organisation SET name = \(o.name), type = \(o.type.rawValue), province = \(o.province),
                        district = \(o.district), person = \(c.person), email = \(c.email), chat = \(c.chat), phone = \(c.phone),
                        updated_ms = \(ms)
                    WHERE code = \(o.code)
                    """)
                seen[o.code] = o
                return .updated
            }
        }
    }

    func assignments() throws -> [(itemID: Int64, scope: OrganisationScope)] {
        try session.rows("SELECT * FROM assignment ORDER BY id").map { r in
            let codes = try r["codes"].decode(String?.self)
            return (try r["item_id"].decode(Int64.self),
                    OrganisationScope(province: try r["province"].decode(String?.self), district: try r["district"].decode(String?.self),
                                      type: try r["type"].decode(String?.self).flatMap(OrganisationType.init(rawValue:)),
                                      codes: try codes.map { try JSONList.decode($0) }))
        }
    }

    func addAssignment(itemID: Int64, scope: OrganisationScope, now: Date) throws {
        try session.query("""
            INSERT INTO assignment (item_id, province, district, type, codes, created_ms)
            VALUES (\(itemID), \(scope.province.map(PlaceName.province)), \(scope.district.map(PlaceName.district)),
                    \(scope.type?.rawValue), \(scope.codes.map(JSONList.encode)), \(Millis.from(now)))
            """)
    }

    func obligations(ofItem itemID: Int64) throws -> [Obligation] {
        try session.rows("""
            SELECT o.*, i.key FROM obligation o JOIN item i ON i.id = o.item_id WHERE o.item_id = \(itemID) ORDER BY o.org_code
            """).map(RegistryRows.obligation)
    }

    func obligation(itemID: Int64, code: String) throws -> Obligation? {
        try session.rows("""
            SELECT o.*, i.key FROM obligation o JOIN item i ON i.id = o.item_id WHERE o.item_id = \(itemID) AND o.org_code = \(code)
            """).first.map(RegistryRows.obligation)
    }

    func ensureObligations(itemID: Int64, codes: [String], now: Date) throws -> [String] {
        guard !codes.isEmpty else { return [] }
        let added = Set(try session.rows("""
            INSERT INTO obligation (item_id, org_code, state, updated_ms)
            SELECT \(itemID), code, 'open', \(Millis.from(now)) FROM unnest(\(codes)::text[]) AS c(code)
            ON CONFLICT DO NOTHING RETURNING org_code
            """).map { try $0["org_code"].decode(String.self) })
        return codes.filter(added.contains)
    }

    func saveObligation(itemID: Int64, _ o: Obligation) throws {
        let s = o.submission
        let result = try session.query("""
            UPDATE obligation SET state = \(o.state.rawValue), reference = \(s?.reference), received_ms = \(s.map { Millis.from($0.received) }),
                sha256 = \(s?.sha256), reason = \(o.reason), by = \(o.by), updated_ms = \(Millis.from(o.updated))
            WHERE item_id = \(itemID) AND org_code = \(o.code)
            """)
        if result.metadata.rows == 0 { throw StoreError.unavailable(reason: "no obligation of item \(itemID) for \(o.code)") }
    }

    func escalationContacts() throws -> [EscalationContact] {
        try session.rows("SELECT * FROM escalation_contact ORDER BY province, district").map(RegistryRows.escalationContact)
    }

    func saveEscalationContact(_ e: EscalationContact, now: Date) throws {
        let c = e.contact
        try session.query("""
            INSERT INTO escalation_contact (province, district, name, person, email, chat, phone, updated_ms)
            VALUES (\(e.province), \(e.district), \(e.name), \(c.person), \(c.email), \(c.chat), \(c.phone), \(Millis.from(now)))
            ON CONFLICT (province, district) DO UPDATE SET name = excluded.name, person = excluded.person, email = excluded.email,
                chat = excluded.chat, phone = excluded.phone, updated_ms = excluded.updated_ms
            """)
    }
}
