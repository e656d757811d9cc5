import Agenda
import Application
import Control
import DeadlineCore
import Foundation
import Varlink

/// The organisations registry's methods.
extension DaemonControl {
    func addOrganisation(_ p: ControlAPI.OrganisationParameters) async throws -> ControlAPI.OrganisationReply {
        try await answering {
            ControlAPI.OrganisationReply(organisation: .init(try await app.run(AddOrganisation(p.organisation.domain), by: requester,
                                                                                queued: inLine)))
        }
    }

    func updateOrganisation(_ p: ControlAPI.UpdateOrganisationParameters) async throws -> ControlAPI.OrganisationReply {
        try await answering {
            ControlAPI.OrganisationReply(organisation: .init(try await app.run(UpdateOrganisation(code: p.code, patch: p.patch),
                                                                                       by: requester, queued: inLine)))
        }
    }

    func getOrganisation(_ p: ControlAPI.CodeParameters) async throws -> ControlAPI.OrganisationReply {
        try await answering { ControlAPI.OrganisationReply(organisation: .init(try await app.organisation(code: p.code))) }
    }

    func listOrganisations(_ p: ControlAPI.ListOrganisationsParameters) async throws -> ControlAPI.ListOrganisationsReply {
        try await answering {
            let scope = OrganisationScope(province: p.province, district: p.district, type: p.type, codes: p.codes)
            return ControlAPI.ListOrganisationsReply(organisations: try await app.organisations(in: scope).map(ControlAPI.Organisation.init))
        }
    }

    func importOrganisations(_ p: ControlAPI.ImportOrganisationsParameters) async throws -> ControlAPI.ImportOrganisationsReply {
        let data: Data
        switch (p.content, p.data) {
        case (let text?, nil): data = Data(text.utf8)
        case (nil, let base64?):
            guard let bytes = Data(base64Encoded: base64) else { throw VarlinkError.invalidParameter("data") }
            data = bytes
        default:
            // Exactly one of the two says what the file holds.
            throw VarlinkError.invalidParameter(p.content == nil ? "data" : "content")
        }
        return try await answering {
            let outcome = try await app.run(ImportOrganisations(name: p.name, data: data, encoding: p.encoding.map(Self.decoding)),
                                            by: requester)
            return ControlAPI.ImportOrganisationsReply(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged,
                                                       encoding: Self.wire(outcome.encoding), notes: outcome.notes.isEmpty ? nil : outcome.notes)
        }
    }

    static func decoding(_ e: ControlAPI.TextEncoding) -> TextDecoding.Encoding {
        switch e {
        case .utf8: .utf8
        case .utf16: .utf16
        case .windows874: .windows874
        }
    }

    static func wire(_ encoding: TextDecoding.Encoding) -> ControlAPI.TextEncoding {
        switch encoding {
        case .utf8: .utf8
        case .utf16: .utf16
        case .windows874: .windows874
        }
    }
}
