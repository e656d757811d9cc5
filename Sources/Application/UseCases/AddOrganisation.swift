import DeadlineCore
import DeadlineStore

/// One organisation into the registry; a code it has already is refused (an import updates it).
public struct AddOrganisation: UseCase {
    public let organisation: Organisation

    public init(_ organisation: Organisation) {
        self.organisation = organisation.normalised()
    }

    public func change(_ c: UseCaseContext) async throws -> Change<Organisation> {
        let organisation = self.organisation
        if let (field, _) = organisation.problem() { throw RequestError.invalidParameter(field) }
        return Change { txn in
            if try txn.organisation(code: organisation.code) != nil { throw RequestError.duplicateOrganisation(organisation.code) }
            _ = try txn.saveOrganisations([organisation], now: c.now)
            let assigned = try AssignmentFollowing.extend(to: [organisation], txn, c)
            return Written(value: organisation, schedule: assigned.schedule,
                           audit: AuditNote(method: "AddOrganisation", target: organisation.code, before: nil as Organisation?, after: organisation),
                           events: [.organisations(codes: [organisation.code], detail: "added", at: c.now)] + assigned.events)
        }
    }
}
