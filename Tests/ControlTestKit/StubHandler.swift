import Control
import DeadlineCore
import Foundation
import Varlink

/// A handler for the protocol layer alone, shared by the control tests and the fuzzer: it
/// reads every date and lead it is given as the daemon does (so bad input gets the daemon's
/// errors) and touches no store. Canned answers otherwise; an item titled `boom` throws an
/// error the interface does not know (it must come back as `InternalError`).
public struct StubHandler: ControlHandler {
    let zone = TimeZone(identifier: "Asia/Bangkok")!

    public init() {}

    func date(_ text: String) throws -> When {
        do { return try DateInput.parse(text, timeZone: zone) } catch { throw ControlAPI.invalidDate(error) }
    }

    public func status() async throws -> ControlAPI.StatusReply {
        ControlAPI.StatusReply(version: "9.9", uptimeSeconds: 1, store: "/s", language: "th", timeZone: "Asia/Bangkok", items: 0,
                               pending: 2, firing: 0, delivered: 1, cancelled: 0, nextReminder: nil, watchdogUsec: 0)
    }
    public func addItem(_ p: ControlAPI.AddItemParameters) async throws -> ControlAPI.ItemReply {
        if p.title == "boom" { struct Boom: Error {}; throw Boom() }
        let when = try date(p.at)
        if let end = p.end { _ = try date(end) }
        for lead in p.leads ?? [] where Lead(lead) == nil { throw ControlAPI.invalidLead(lead) }
        let item = Item(id: 7, fields: NewItem(kind: p.kind, key: "m7", title: p.title, when: when, timeZone: "UTC"))
        return ControlAPI.ItemReply(item: ControlAPI.Item(item, occurrences: [], today: LocalDate(year: 1970, month: 1, day: 1)!,
                                                          calendar: WorkingCalendar()))
    }
    public func addItems(_ p: ControlAPI.AddItemsParameters) async throws -> ControlAPI.AddItemsReply {
        var keys: [String] = []
        for item in p.items { keys.append(try await addItem(item).item.key) }
        return ControlAPI.AddItemsReply(keys: keys, reminders: 0)
    }
    public func listItems(_ p: ControlAPI.ListParameters) async throws -> ControlAPI.ListItemsReply {
        if let from = p.from { _ = try date(from) }
        if let to = p.to { _ = try date(to) }
        return ControlAPI.ListItemsReply(items: [])
    }
    public func acknowledge(_ p: ControlAPI.AcknowledgeParameters) async throws -> ControlAPI.ItemReply { throw ControlAPI.noSuchItem(p.key) }
    public func importAgenda(_ p: ControlAPI.FileParameters) async throws -> ControlAPI.ImportReply {
        ControlAPI.ImportReply(added: [], updated: [], unchanged: [], plans: 0)
    }
    public func simulate(_ p: ControlAPI.SimulateParameters) async throws -> ControlAPI.SimulateReply {
        _ = try date(p.from)
        _ = try date(p.to)
        return ControlAPI.SimulateReply(reminders: [])
    }
    public func listHolidays(_ p: ControlAPI.YearParameters) async throws -> ControlAPI.HolidaysReply { throw ControlAPI.noHolidayData(p.year) }
    public func testChannel(_ p: ControlAPI.TestChannelParameters) async throws -> ControlAPI.TestChannelReply {
        throw ControlAPI.noSuchChannel(p.channel, known: [])
    }
    public func importHolidays(_ p: ControlAPI.FileParameters) async throws -> ControlAPI.ImportHolidaysReply {
        ControlAPI.ImportHolidaysReply(year: 0, holidays: 0)
    }
    public func audit(_ p: ControlAPI.AuditParameters) async throws -> ControlAPI.AuditReply { ControlAPI.AuditReply(entries: []) }
    public func auditHistory(_ p: ControlAPI.AuditHistoryParameters) async throws -> ControlAPI.AuditHistoryReply {
        ControlAPI.AuditHistoryReply(key: p.key, timeZone: "UTC", changes: [])
    }
    public func auditVerify() async throws -> ControlAPI.AuditVerifyReply {
        ControlAPI.AuditVerifyReply(entries: 0, headSeq: 0, headHash: "", checkpoints: 0, otherKeys: 0, lastCheckpoint: nil, broken: nil)
    }
    public func auditCheckpoint() async throws -> ControlAPI.AuditCheckpointReply { ControlAPI.AuditCheckpointReply(checkpoint: nil) }
    public func auditExport(_ p: ControlAPI.AuditExportParameters) async throws -> ControlAPI.AuditExportReply {
        ControlAPI.AuditExportReply(entries: [], checkpoints: [], next: nil)
    }
    public func auditKey() async throws -> ControlAPI.AuditKeyReply { ControlAPI.AuditKeyReply(key: "", source: "") }
    public func watch() async throws -> AsyncStream<ControlAPI.WatchReply> { AsyncStream { $0.finish() } }
    public func get(_ p: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply { throw ControlAPI.noSuchItem(p.key) }
    public func reload() async throws -> ControlAPI.ReloadReply { throw ControlAPI.invalidConfig(location: "x", message: "y") }
    public func update(_ p: ControlAPI.UpdateParameters) async throws -> ControlAPI.ItemReply {
        if let at = p.at { _ = try date(at) }
        throw ControlAPI.noSuchItem(p.key)
    }
    public func remove(_ p: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply { throw ControlAPI.noSuchItem(p.key) }
    public func backup(_ p: ControlAPI.BackupParameters) async throws -> ControlAPI.BackupReply { throw VarlinkError.invalidParameter("path") }
    public func addOrganisation(_ p: ControlAPI.OrganisationParameters) async throws -> ControlAPI.OrganisationReply {
        ControlAPI.OrganisationReply(organisation: p.organisation)
    }
    public func updateOrganisation(_ p: ControlAPI.UpdateOrganisationParameters) async throws -> ControlAPI.OrganisationReply {
        throw ControlAPI.noSuchOrganisation(p.code)
    }
    public func getOrganisation(_ p: ControlAPI.CodeParameters) async throws -> ControlAPI.OrganisationReply {
        throw ControlAPI.noSuchOrganisation(p.code)
    }
    public func listOrganisations(_ p: ControlAPI.ListOrganisationsParameters) async throws -> ControlAPI.ListOrganisationsReply {
        ControlAPI.ListOrganisationsReply(organisations: [])
    }
    public func assign(_ p: ControlAPI.AssignParameters) async throws -> ControlAPI.AssignReply { throw ControlAPI.noSuchItem(p.key) }
    public func listObligations(_ p: ControlAPI.ListObligationsParameters) async throws -> ControlAPI.ListObligationsReply {
        throw ControlAPI.noSuchItem(p.key)
    }
    public func recordObligation(_ p: ControlAPI.RecordObligationParameters) async throws -> ControlAPI.ObligationReply {
        throw ControlAPI.noSuchObligation(p.key, code: p.code)
    }
    public func obligationSummary(_ p: ControlAPI.ObligationSummaryParameters) async throws -> ControlAPI.ObligationSummaryReply {
        ControlAPI.ObligationSummaryReply(assigned: 0, onTime: 0, late: 0, open: 0, overdue: 0, exempted: 0, longestOverdue: [])
    }
    public func setEscalationContact(_ p: ControlAPI.EscalationContactParameters) async throws -> ControlAPI.EscalationContactReply {
        ControlAPI.EscalationContactReply(contact: p.contact)
    }
    public func listEscalationContacts() async throws -> ControlAPI.EscalationContactsReply { ControlAPI.EscalationContactsReply(contacts: []) }
    public func remind(_ p: ControlAPI.RemindParameters) async throws -> ControlAPI.RemindReply { throw ControlAPI.noSuchItem(p.key) }
    public func importOrganisations(_ p: ControlAPI.ImportOrganisationsParameters) async throws -> ControlAPI.ImportOrganisationsReply {
        throw ControlAPI.invalidFile(location: p.name, message: "the stub imports nothing")
    }
}
