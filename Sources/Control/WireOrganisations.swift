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
