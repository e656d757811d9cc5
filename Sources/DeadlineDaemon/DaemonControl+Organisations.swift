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

    func assign(_ p: ControlAPI.AssignParameters) async throws -> ControlAPI.AssignReply {
        let scope = OrganisationScope(province: p.province, district: p.district, type: p.type, codes: p.codes)
        // All the country must be asked for, never the result of forgetting a filter.
        if scope == OrganisationScope() && p.all != true { throw VarlinkError.invalidParameter("all") }
        if scope != OrganisationScope() && p.all == true { throw VarlinkError.invalidParameter("all") }
        return try await answering {
            let outcome = try await app.run(AssignItem(key: p.key, scope: scope), by: requester)
            return ControlAPI.AssignReply(key: outcome.key, assigned: outcome.assigned, obligations: outcome.obligations)
        }
    }

    func listObligations(_ p: ControlAPI.ListObligationsParameters) async throws -> ControlAPI.ListObligationsReply {
        try await answering {
            let scope = OrganisationScope(province: p.province, district: p.district, type: p.type)
            let list = try await app.obligations(key: p.key, scope: scope, standing: p.standing)
            return ControlAPI.ListObligationsReply(
                key: p.key, title: list.title, items: list.items.map(\.key),
                obligations: list.rows.map { ControlAPI.Obligation($0.obligation, of: $0.organisation, due: $0.item.fields.when, standing: $0.standing,
                                                              zone: $0.item.zone) })
        }
    }

    func recordObligation(_ p: ControlAPI.RecordObligationParameters) async throws -> ControlAPI.ObligationReply {
        try await answering {
            let now = app.clock.now()
            let action: RecordObligation.Action
            switch p.action {
            case .submit:
                guard let reference = p.reference else { throw VarlinkError.invalidParameter("reference") }
                let received = try p.received.map { try TextInput.date($0, zone: zone, now: now).instant(zone: zone, dayTime: config.dayTime) } ?? now
                if received > now.addingTimeInterval(86_400) { throw VarlinkError.invalidParameter("received") }
                action = .submit(Submission(reference: reference, received: received, sha256: p.sha256))
            case .exempt:
                guard let reason = p.reason else { throw VarlinkError.invalidParameter("reason") }
                action = .exempt(reason: reason)
            case .reopen:
                action = .reopen(reason: p.reason)
            }
            let by = p.by ?? Caller.current.map { "uid \($0.uid) (\($0.command))" } ?? "unknown"
            let outcome = try await app.run(RecordObligation(key: p.key, code: p.code, action: action, by: by), by: requester, queued: inLine)
            let org = try await app.organisation(code: p.code)
            let item = outcome.item
            return ControlAPI.ObligationReply(obligation: ControlAPI.Obligation(outcome.obligation, of: org, due: item.fields.when,
                                                                                 standing: outcome.standing, zone: item.zone))
        }
    }

    func remind(_ p: ControlAPI.RemindParameters) async throws -> ControlAPI.RemindReply {
        try await answering {
            let scope = OrganisationScope(province: p.province, district: p.district, type: p.type)
            let outcome = try await app.run(RemindObligations(key: p.key, scope: scope), by: requester)
            return ControlAPI.RemindReply(key: outcome.key, reminded: outcome.reminded)
        }
    }

    func obligationSummary(_ p: ControlAPI.ObligationSummaryParameters) async throws -> ControlAPI.ObligationSummaryReply {
        guard (0...1000).contains(p.limit ?? 10) else { throw VarlinkError.invalidParameter("limit") }
        return try await answering {
            let s = try await app.obligationSummary(limit: p.limit ?? 10)
            let c = s.counts
            return ControlAPI.ObligationSummaryReply(
                assigned: c.total, onTime: c.onTime, late: c.late, open: c.open, overdue: c.overdue, exempted: c.exempted,
                longestOverdue: s.overdue.map { ControlAPI.Obligation($0.obligation, of: $0.organisation, due: $0.item.fields.when,
                                                                     standing: $0.standing, zone: $0.item.zone) })
        }
    }

    func setEscalationContact(_ p: ControlAPI.EscalationContactParameters) async throws -> ControlAPI.EscalationContactReply {
        try await answering {
            ControlAPI.EscalationContactReply(contact: .init(try await app.run(SetEscalationContact(p.contact.domain), by: requester)))
        }
    }

    func listEscalationContacts() async throws -> ControlAPI.EscalationContactsReply {
        try await answering { ControlAPI.EscalationContactsReply(contacts: try await app.escalationContacts().map(ControlAPI.EscalationContact.init)) }
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
