import Foundation

/// A local administrative organisation (อปท.) that the center follows: who it is, where, and
/// whom to remind there. Identified by its code (the Department of Local Administration's code
/// for it), which a re-import matches on.
public struct Organisation: Codable, Sendable, Hashable {
    public var code: String
    /// As its letters write it: `เทศบาลนครขอนแก่น`, `องค์การบริหารส่วนตำบลบ้านฝาง`.
    public var name: String
    public var type: OrganisationType
    public var province: String
    /// The district (อำเภอ, in Bangkok เขต); empty for one that covers a whole province.
    public var district: String
    public var contact: OrganisationContact

    public init(code: String, name: String, type: OrganisationType, province: String, district: String = "",
                contact: OrganisationContact = OrganisationContact()) {
        self.code = code
        self.name = name
        self.type = type
        self.province = province
        self.district = district
        self.contact = contact
    }

    /// The same record as the registry keeps it: spaces trimmed, empty contact fields absent, and
    /// place names without their prefixes (`จังหวัดขอนแก่น` and `ขอนแก่น` are one province).
    public func normalised() -> Organisation {
        func trim(_ s: String) -> String { s.trimmingCharacters(in: .whitespacesAndNewlines) }
        return Organisation(code: trim(code), name: trim(name), type: type, province: PlaceName.province(province),
                            district: PlaceName.district(district), contact: contact.normalised())
    }

    /// The first rule the fields break, naming the field; nil when they are fine. The same rules
    /// hold for a record from the socket and a row of a CSV file.
    public func problem() -> (field: String, message: String)? {
        if let message = Self.codeProblem(code) { return ("code", message) }
        return Self.problem(name: name, province: province, district: district, contact: contact)
    }

    /// The rules of a name, a place and a contact, shared with `EscalationContact`: text as an
    /// item's (kept whole or refused, never cut), a name and a province, an e-mail address.
    static func problem(name: String, province: String, district: String, contact: OrganisationContact) -> (field: String, message: String)? {
        let texts: [(String, String?)] = [("name", name), ("province", province), ("district", district), ("person", contact.person),
                                          ("email", contact.email), ("chat", contact.chat), ("phone", contact.phone)]
        for (field, value) in texts {
            guard let value else { continue }
            if let message = textProblem(value, limit: field == "name" ? NewItem.maxTitleLength : NewItem.maxTextLength) {
                return (field, message)
            }
        }
        for (field, value) in [("name", name), ("province", province)] where value.isEmpty {
            return (field, "is empty")
        }
        if let email = contact.email, let message = OrganisationContact.emailProblem(email) { return ("email", message) }
        return nil
    }

    /// A control character (but line breaks and tabs), or more than `limit` characters; nil: fine.
    public static func textProblem(_ text: String, limit: Int = NewItem.maxTextLength) -> String? {
        if text.unicodeScalars.contains(where: NewItem.isStoredControl) { return "holds a control character" }
        if text.count > limit { return "is longer than \(limit) characters" }
        return nil
    }

    /// Letters, digits and `-`, at most 32: it is typed on command lines and matched exactly.
    public static func codeProblem(_ code: String) -> String? {
        if code.isEmpty { return "is empty" }
        if code.count > 32 { return "is longer than 32 characters" }
        let allowed = code.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || $0 == "-") }
        return allowed ? nil : "\"\(code)\" may hold only ASCII letters, digits and -"
    }
}

/// Whom to remind at an organisation, on which channels.
public struct OrganisationContact: Codable, Sendable, Hashable {
    /// The responsible person (ผู้รับผิดชอบ), as a reminder addresses them.
    public var person: String?
    public var email: String?
    /// A LINE id or another chat target, as the chat channel takes it.
    public var chat: String?
    public var phone: String?

    public init(person: String? = nil, email: String? = nil, chat: String? = nil, phone: String? = nil) {
        self.person = person
        self.email = email
        self.chat = chat
        self.phone = phone
    }

    /// Trimmed, and a field with nothing in it absent.
    public func normalised() -> OrganisationContact {
        func field(_ s: String?) -> String? { s.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.flatMap { $0.isEmpty ? nil : $0 } }
        return OrganisationContact(person: field(person), email: field(email), chat: field(chat), phone: field(phone))
    }

    /// One `@` with something on both sides, no spaces: enough to catch a name typed in the
    /// e-mail column, without refusing what a mail server would take.
    public static func emailProblem(_ email: String) -> String? {
        let parts = email.split(separator: "@", omittingEmptySubsequences: false)
        if parts.count != 2 || parts[0].isEmpty || parts[1].isEmpty || email.contains(where: \.isWhitespace) {
            return "\"\(email)\" is not an e-mail address"
        }
        return nil
    }
}

/// The kinds of local administration Thai law sets up.
public enum OrganisationType: String, Codable, Sendable, CaseIterable {
    /// องค์การบริหารส่วนจังหวัด (อบจ.), one per province.
    case provincialAdministration = "pao"
    /// เทศบาลนคร
    case cityMunicipality = "city"
    /// เทศบาลเมือง
    case townMunicipality = "town"
    /// เทศบาลตำบล
    case subdistrictMunicipality = "subdistrict_municipality"
    /// องค์การบริหารส่วนตำบล (อบต.)
    case subdistrictAdministration = "sao"
    /// กรุงเทพมหานคร
    case bangkok
    /// เมืองพัทยา
    case pattaya

    /// As Thai letters and the center's tables write it.
    public var thai: String {
        switch self {
        case .provincialAdministration: "อบจ."
        case .cityMunicipality: "เทศบาลนคร"
        case .townMunicipality: "เทศบาลเมือง"
        case .subdistrictMunicipality: "เทศบาลตำบล"
        case .subdistrictAdministration: "อบต."
        case .bangkok: "กรุงเทพมหานคร"
        case .pattaya: "เมืองพัทยา"
        }
    }

    public var english: String {
        switch self {
        case .provincialAdministration: "provincial administration"
        case .cityMunicipality: "city municipality"
        case .townMunicipality: "town municipality"
        case .subdistrictMunicipality: "subdistrict municipality"
        case .subdistrictAdministration: "subdistrict administration"
        case .bangkok: "Bangkok"
        case .pattaya: "Pattaya City"
        }
    }

    /// Reads the id (`sao`), the Thai short form with or without its dots (`อบต.`, `ทต`), or the
    /// full Thai name (`องค์การบริหารส่วนตำบล`).
    public init?(text: String) {
        let key = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: ".", with: "")
            .replacingOccurrences(of: " ", with: "")
        guard let found = Self.names[key] else { return nil }
        self = found
    }

    /// What `init?(text:)` accepts, for an error message.
    public static var accepted: [String] { allCases.map(\.thai) + allCases.map(\.rawValue) }

    private static let names: [String: OrganisationType] = {
        var table: [String: OrganisationType] = [:]
        let spellings: [OrganisationType: [String]] = [
            .provincialAdministration: ["อบจ", "องค์การบริหารส่วนจังหวัด"],
            .cityMunicipality: ["เทศบาลนคร", "ทน"],
            .townMunicipality: ["เทศบาลเมือง", "ทม"],
            .subdistrictMunicipality: ["เทศบาลตำบล", "ทต"],
            .subdistrictAdministration: ["อบต", "องค์การบริหารส่วนตำบล"],
            .bangkok: ["กรุงเทพมหานคร", "กทม"],
            .pattaya: ["เมืองพัทยา"],
        ]
        for type in allCases {
            table[type.rawValue] = type
            for s in spellings[type] ?? [] { table[s] = type }
        }
        return table
    }()
}

/// Which organisations something applies to: every condition given must hold (none given: all).
/// A listing filters by it; a plan's assignment will name its organisations the same way.
public struct OrganisationScope: Codable, Sendable, Hashable {
    public var province: String?
    public var district: String?
    public var type: OrganisationType?
    /// Exactly these codes.
    public var codes: [String]?

    public init(province: String? = nil, district: String? = nil, type: OrganisationType? = nil, codes: [String]? = nil) {
        self.province = province
        self.district = district
        self.type = type
        self.codes = codes
    }

    /// Place names compare without their prefixes, as the registry keeps them.
    public func contains(_ o: Organisation) -> Bool {
        (province.map { PlaceName.province($0) == o.province } ?? true) && (district.map { PlaceName.district($0) == o.district } ?? true)
            && (type.map { $0 == o.type } ?? true) && (codes.map { $0.contains(o.code) } ?? true)
    }
}

/// Province and district names as the registry keeps them: the same place is written with and
/// without its prefix (`จังหวัดขอนแก่น`, `จ.ขอนแก่น`, `ขอนแก่น`; `อำเภอบ้านฝาง`, `อ.บ้านฝาง`; `เขตบางรัก`).
public enum PlaceName {
    public static func province(_ name: String) -> String { strip(name, ["จังหวัด", "จ."]) }
    public static func district(_ name: String) -> String { strip(name, ["อำเภอ", "อ.", "เขต", "ข."]) }

    private static func strip(_ name: String, _ prefixes: [String]) -> String {
        let trimmed = name.trimmingCharacters(in: .whitespacesAndNewlines)
        for p in prefixes where trimmed.hasPrefix(p) && trimmed.count > p.count {
            return String(trimmed.dropFirst(p.count)).trimmingCharacters(in: .whitespaces)
        }
        return trimmed
    }
}

/// The fields to change; nil leaves a field as it is, an empty contact field clears it.
public struct OrganisationPatch: Codable, Sendable, Equatable {
    public var name: String?
    public var type: OrganisationType?
    public var province: String?
    public var district: String?
    public var person: String?
    public var email: String?
    public var chat: String?
    public var phone: String?

    public init(name: String? = nil, type: OrganisationType? = nil, province: String? = nil, district: String? = nil,
                person: String? = nil, email: String? = nil, chat: String? = nil, phone: String? = nil) {
        (self.name, self.type, self.province, self.district) = (name, type, province, district)
        (self.person, self.email, self.chat, self.phone) = (person, email, chat, phone)
    }

    public func applied(to o: Organisation) -> Organisation {
        var o = o
        if let name { o.name = name }
        if let type { o.type = type }
        if let province { o.province = province }
        if let district { o.district = district }
        if let person { o.contact.person = person }
        if let email { o.contact.email = email }
        if let chat { o.contact.chat = chat }
        if let phone { o.contact.phone = phone }
        return o.normalised()
    }
}
