import Foundation

/// Whom an office's late submission is escalated to: the local-administration office of its
/// district (ท้องถิ่นอำเภอ), else of its province (สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัด).
/// Not an organisation of the registry: it is assigned nothing, it is told.
public struct EscalationContact: Codable, Sendable, Hashable {
    public var province: String
    /// Empty: the province's contact, for every district without one of its own.
    public var district: String
    /// The office, as a letter addresses it.
    public var name: String
    public var contact: OrganisationContact

    public init(province: String, district: String = "", name: String, contact: OrganisationContact = OrganisationContact()) {
        self.province = PlaceName.province(province)
        self.district = PlaceName.district(district)
        self.name = name.trimmingCharacters(in: .whitespacesAndNewlines)
        self.contact = contact.normalised()
    }

    /// The contact for an organisation: its district's, else its province's.
    public static func of(_ organisation: Organisation, in contacts: [EscalationContact]) -> EscalationContact? {
        contacts.first { $0.province == organisation.province && !$0.district.isEmpty && $0.district == organisation.district }
            ?? contacts.first { $0.province == organisation.province && $0.district.isEmpty }
    }

    /// The first rule its fields break (as an organisation's), naming the field.
    public func problem() -> (field: String, message: String)? {
        Organisation.problem(name: name, province: province, district: district, contact: contact)
    }
}
