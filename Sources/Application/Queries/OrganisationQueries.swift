import DeadlineCore
import DeadlineStore

extension Application {
    /// One organisation by its code, or `RequestError.noSuchOrganisation`.
    public func organisation(code: String) async throws -> Organisation {
        try await read { store in
            guard let found = try store.organisation(code: code) else { throw RequestError.noSuchOrganisation(code) }
            return found
        }
    }

    /// The organisations in `scope`, by province, district and code.
    public func organisations(in scope: OrganisationScope) async throws -> [Organisation] {
        try await read { try $0.organisations(in: scope) }
    }

    public func escalationContacts() async throws -> [EscalationContact] {
        try await read { try $0.escalationContacts() }
    }
}
