import DeadlineCore
import Foundation
import Varlink

// The organisations registry on the wire.
extension ControlAPI {
    /// `Organisation` of the IDL: the domain's record with its contact's fields beside the rest.
    public struct Organisation: Codable, Sendable, Equatable {
        public var code: String
        public var name: String
        public var type: OrganisationType
        public var province: String
        public var district: String
        public var person: String?
        public var email: String?
        public var chat: String?
        public var phone: String?

        public init(_ o: DeadlineCore.Organisation) {
            (code, name, type, province, district) = (o.code, o.name, o.type, o.province, o.district)
            (person, email, chat, phone) = (o.contact.person, o.contact.email, o.contact.chat, o.contact.phone)
        }

        public var domain: DeadlineCore.Organisation {
            DeadlineCore.Organisation(code: code, name: name, type: type, province: province, district: district,
                                      contact: OrganisationContact(person: person, email: email, chat: chat, phone: phone))
        }
    }

    public struct OrganisationParameters: Codable, Sendable, Equatable {
        public var organisation: Organisation
        public init(organisation: Organisation) { self.organisation = organisation }
    }

    public struct OrganisationReply: Codable, Sendable, Equatable {
        public var organisation: Organisation
        public init(organisation: Organisation) { self.organisation = organisation }
    }

    /// The code and, beside it on the wire, the fields of an `OrganisationPatch`.
    public struct UpdateOrganisationParameters: Codable, Sendable, Equatable {
        public var code: String
        public var patch: OrganisationPatch

        public init(code: String, patch: OrganisationPatch) {
            self.code = code
            self.patch = patch
        }

        private enum CodingKeys: String, CodingKey { case code }

        public init(from decoder: any Decoder) throws {
            code = try decoder.container(keyedBy: CodingKeys.self).decode(String.self, forKey: .code)
            patch = try OrganisationPatch(from: decoder)
        }

        public func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(code, forKey: .code)
            try patch.encode(to: encoder)
        }
    }

    public struct CodeParameters: Codable, Sendable, Equatable {
        public var code: String
        public init(code: String) { self.code = code }
    }

    public struct ListOrganisationsParameters: Codable, Sendable, Equatable {
        public var province: String?
        public var district: String?
        public var type: OrganisationType?
        public var codes: [String]?

        public init(province: String? = nil, district: String? = nil, type: OrganisationType? = nil, codes: [String]? = nil) {
            (self.province, self.district, self.type, self.codes) = (province, district, type, codes)
        }
    }

    public struct ListOrganisationsReply: Codable, Sendable, Equatable {
        public var organisations: [Organisation]
        public init(organisations: [Organisation]) { self.organisations = organisations }
    }

    /// How a CSV file is (or was) read.
    public enum TextEncoding: String, Codable, Sendable, CaseIterable {
        case utf8, utf16, windows874

        /// Reads the names people type: `utf-8`, `utf8`, `utf-16`, `windows-874`, `cp874`,
        /// `tis-620` (which Windows-874 extends), in any case.
        public init?(name: String) {
            switch name.lowercased().replacingOccurrences(of: "_", with: "-") {
            case "utf-8", "utf8": self = .utf8
            case "utf-16", "utf16": self = .utf16
            case "windows-874", "cp874", "874", "tis-620", "tis620", "x-windows-874": self = .windows874
            default: return nil
            }
        }
    }

    public struct ImportOrganisationsParameters: Codable, Sendable, Equatable {
        public var name: String
        public var content: String?
        /// The file's bytes in base64.
        public var data: String?
        public var encoding: TextEncoding?

        public init(name: String, content: String? = nil, data: String? = nil, encoding: TextEncoding? = nil) {
            (self.name, self.content, self.data, self.encoding) = (name, content, data, encoding)
        }
    }

    public struct ImportOrganisationsReply: Codable, Sendable, Equatable {
        public var added: [String]
        public var updated: [String]
        public var unchanged: [String]
        public var encoding: TextEncoding
        public var notes: [String]?

        public init(added: [String], updated: [String], unchanged: [String], encoding: TextEncoding, notes: [String]? = nil) {
            (self.added, self.updated, self.unchanged, self.encoding, self.notes) = (added, updated, unchanged, encoding, notes)
        }
    }
}

// Assignments and obligations on the wire.
extension ControlAPI {
    public struct Obligation: Codable, Sendable, Equatable {
        public var item: String
        /// The deadline's due date (a whole day or an instant).
        public var due: String
        public var code: String
        public var name: String
        public var type: OrganisationType
        public var province: String
        public var district: String
        public var state: ObligationState
        public var standing: ObligationStanding
        public var reference: String?
        public var received: String?
        public var sha256: String?
        public var reason: String?
        public var by: String?
        public var updated: String
        public var person: String?
        public var email: String?
        public var chat: String?
        public var phone: String?

        /// Instants written in `zone` (the item's).
        public init(_ o: DeadlineCore.Obligation, of org: DeadlineCore.Organisation, due: When, standing: ObligationStanding, zone: TimeZone) {
            (item, code, name, type, province, district) = (o.itemKey, o.code, org.name, org.type, org.province, org.district)
            self.due = DateOutput.text(due, timeZone: zone)
            (state, self.standing, reason, by) = (o.state, standing, o.reason, o.by)
            reference = o.submission?.reference
            received = o.submission.map { DateOutput.iso8601($0.received, timeZone: zone) }
            sha256 = o.submission?.sha256
            updated = DateOutput.iso8601(o.updated, timeZone: zone)
            (person, email, chat, phone) = (org.contact.person, org.contact.email, org.contact.chat, org.contact.phone)
        }
    }

    public struct AssignParameters: Codable, Sendable, Equatable {
        public var key: String
        public var all: Bool?
        public var province: String?
        public var district: String?
        public var type: OrganisationType?
        public var codes: [String]?

        public init(key: String, all: Bool? = nil, province: String? = nil, district: String? = nil, type: OrganisationType? = nil,
                    codes: [String]? = nil) {
            (self.key, self.all, self.province, self.district, self.type, self.codes) = (key, all, province, district, type, codes)
        }
    }

    public struct AssignReply: Codable, Sendable, Equatable {
        public var key: String
        public var assigned: [String]
        public var obligations: Int
        public init(key: String, assigned: [String], obligations: Int) {
            (self.key, self.assigned, self.obligations) = (key, assigned, obligations)
        }
    }

    public struct ListObligationsParameters: Codable, Sendable, Equatable {
        public var key: String
        public var province: String?
        public var district: String?
        public var type: OrganisationType?
        public var standing: ObligationStanding?

        public init(key: String, province: String? = nil, district: String? = nil, type: OrganisationType? = nil,
                    standing: ObligationStanding? = nil) {
            (self.key, self.province, self.district, self.type, self.standing) = (key, province, district, type, standing)
        }
    }

    public struct ListObligationsReply: Codable, Sendable, Equatable {
        public var key: String
        /// The deadline's title, or the plan's name.
        public var title: String
        /// The deadlines listed: the one `key` names, or a plan's.
        public var items: [String]
        public var obligations: [Obligation]
        public init(key: String, title: String, items: [String], obligations: [Obligation]) {
            (self.key, self.title, self.items, self.obligations) = (key, title, items, obligations)
        }
    }

    public struct RecordObligationParameters: Codable, Sendable, Equatable {
        public enum Action: String, Codable, Sendable, CaseIterable { case submit, exempt, reopen }
        public var key: String
        public var code: String
        public var action: Action
        public var reference: String?
        public var received: String?
        public var sha256: String?
        public var reason: String?
        public var by: String?

        public init(key: String, code: String, action: Action, reference: String? = nil, received: String? = nil, sha256: String? = nil,
                    reason: String? = nil, by: String? = nil) {
            (self.key, self.code, self.action, self.reference, self.received) = (key, code, action, reference, received)
            (self.sha256, self.reason, self.by) = (sha256, reason, by)
        }
    }

    public struct ObligationReply: Codable, Sendable, Equatable {
        public var obligation: Obligation
        public init(obligation: Obligation) { self.obligation = obligation }
    }
}

extension ControlAPI {
    public struct RemindParameters: Codable, Sendable, Equatable {
        public var key: String
        public var province: String?
        public var district: String?
        public var type: OrganisationType?
        public init(key: String, province: String? = nil, district: String? = nil, type: OrganisationType? = nil) {
            (self.key, self.province, self.district, self.type) = (key, province, district, type)
        }
    }

    public struct RemindReply: Codable, Sendable, Equatable {
        public var key: String
        public var reminded: [String]
        public init(key: String, reminded: [String]) { (self.key, self.reminded) = (key, reminded) }
    }
}

extension ControlAPI {
    public struct ObligationSummaryParameters: Codable, Sendable, Equatable {
        public var limit: Int?
        public init(limit: Int? = nil) { self.limit = limit }
    }

    public struct ObligationSummaryReply: Codable, Sendable, Equatable {
        public var assigned, onTime, late, open, overdue, exempted: Int
        public var longestOverdue: [Obligation]
        public init(assigned: Int, onTime: Int, late: Int, open: Int, overdue: Int, exempted: Int, longestOverdue: [Obligation]) {
            (self.assigned, self.onTime, self.late, self.open, self.overdue, self.exempted) = (assigned, onTime, late, open, overdue, exempted)
            self.longestOverdue = longestOverdue
        }
    }
}

extension ControlAPI {
    public struct EscalationContact: Codable, Sendable, Equatable {
        public var province: String
        public var district: String
        public var name: String
        public var person: String?
        public var email: String?
        public var chat: String?
        public var phone: String?

        public init(_ e: DeadlineCore.EscalationContact) {
            (province, district, name) = (e.province, e.district, e.name)
            (person, email, chat, phone) = (e.contact.person, e.contact.email, e.contact.chat, e.contact.phone)
        }

        public var domain: DeadlineCore.EscalationContact {
            DeadlineCore.EscalationContact(province: province, district: district, name: name,
                                           contact: OrganisationContact(person: person, email: email, chat: chat, phone: phone))
        }
    }

    public struct EscalationContactParameters: Codable, Sendable, Equatable {
        public var contact: EscalationContact
        public init(contact: EscalationContact) { self.contact = contact }
    }

    public struct EscalationContactReply: Codable, Sendable, Equatable {
        public var contact: EscalationContact
        public init(contact: EscalationContact) { self.contact = contact }
    }

    public struct EscalationContactsReply: Codable, Sendable, Equatable {
        public var contacts: [EscalationContact]
        public init(contacts: [EscalationContact]) { self.contacts = contacts }
    }
}
