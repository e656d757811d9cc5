import DeadlineCore
import DeadlineStore

/// The office a province's (or a district's) late submissions are escalated to.
public struct SetEscalationContact: UseCase {
    public let contact: EscalationContact

    public init(_ contact: EscalationContact) { self.contact = contact }

    public func change(_ c: UseCaseContext) async throws -> Change<EscalationContact> {
        let contact = self.contact
        if let (field, _) = contact.problem() { throw RequestError.invalidParameter(field) }
        return Change { txn in
            let before = try txn.escalationContacts().first { $0.province == contact.province && $0.district == contact.district }
            try txn.saveEscalationContact(contact, now: c.now)
            return Written(value: contact, audit: AuditNote(method: "SetEscalationContact",
                                                            target: contact.district.isEmpty ? contact.province : "\(contact.province)/\(contact.district)",
                                                            before: before, after: contact))
        }
    }
}
