import DeadlineCore
import DeadlineStore

/// Changes some fields of one organisation, found by its code (which never changes).
public struct UpdateOrganisation: UseCase {
    public let code: String
    public let patch: OrganisationPatch

    public init(code: String, patch: OrganisationPatch) {
        self.code = code
        self.patch = patch
    }

    public func change(_ c: UseCaseContext) async throws -> Change<Organisation> {
        let (code, patch) = (self.code, self.patch)
        return Change { txn in
            guard let before = try txn.organisation(code: code) else { throw RequestError.noSuchOrganisation(code) }
            let after = patch.applied(to: before)
            if let (field, _) = after.problem() { throw RequestError.invalidParameter(field) }
            _ = try txn.saveOrganisations([after], now: c.now)
            // One that moved into an assignment's scope gets it; one that moved out keeps what it has.
            let assigned = try AssignmentFollowing.extend(to: [after], txn, c)
            return Written(value: after, schedule: assigned.schedule, audit: AuditNote(method: "UpdateOrganisation", target: code, before: before, after: after),
                           events: (after == before ? [] : [.organisations(codes: [code], detail: "updated", at: c.now)]) + assigned.events)
        }
    }
}
