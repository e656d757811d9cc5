import DeadlineCore
import Foundation
import Varlink

/// What the daemon does for each method of `io.deadlined`. Implementations throw
/// `VarlinkError`s of the interface; anything else becomes `InternalError`.
public protocol ControlHandler: Sendable {
    func status() async throws -> ControlAPI.StatusReply
    func addItem(_ parameters: ControlAPI.AddItemParameters) async throws -> ControlAPI.ItemReply
    func addItems(_ parameters: ControlAPI.AddItemsParameters) async throws -> ControlAPI.AddItemsReply
    func listItems(_ parameters: ControlAPI.ListParameters) async throws -> ControlAPI.ListItemsReply
    func acknowledge(_ parameters: ControlAPI.AcknowledgeParameters) async throws -> ControlAPI.ItemReply
    func importAgenda(_ parameters: ControlAPI.FileParameters) async throws -> ControlAPI.ImportReply
    func simulate(_ parameters: ControlAPI.SimulateParameters) async throws -> ControlAPI.SimulateReply
    func listHolidays(_ parameters: ControlAPI.YearParameters) async throws -> ControlAPI.HolidaysReply
    func testChannel(_ parameters: ControlAPI.TestChannelParameters) async throws -> ControlAPI.TestChannelReply
    func importHolidays(_ parameters: ControlAPI.FileParameters) async throws -> ControlAPI.ImportHolidaysReply
    func audit(_ parameters: ControlAPI.AuditParameters) async throws -> ControlAPI.AuditReply
    func auditHistory(_ parameters: ControlAPI.AuditHistoryParameters) async throws -> ControlAPI.AuditHistoryReply
    func auditVerify() async throws -> ControlAPI.AuditVerifyReply
    func auditCheckpoint() async throws -> ControlAPI.AuditCheckpointReply
    func auditExport(_ parameters: ControlAPI.AuditExportParameters) async throws -> ControlAPI.AuditExportReply
    func auditKey() async throws -> ControlAPI.AuditKeyReply
    func watch() async throws -> AsyncStream<ControlAPI.WatchReply>
    func update(_ parameters: ControlAPI.UpdateParameters) async throws -> ControlAPI.ItemReply
    func reload() async throws -> ControlAPI.ReloadReply
    func get(_ parameters: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply
    func remove(_ parameters: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply
    func backup(_ parameters: ControlAPI.BackupParameters) async throws -> ControlAPI.BackupReply
    func export(_ parameters: ControlAPI.ExportParameters) async throws -> ControlAPI.ExportReply
    func instances(_ parameters: ControlAPI.InstancesParameters) async throws -> ControlAPI.InstancesReply
    func addOrganisation(_ parameters: ControlAPI.OrganisationParameters) async throws -> ControlAPI.OrganisationReply
    func updateOrganisation(_ parameters: ControlAPI.UpdateOrganisationParameters) async throws -> ControlAPI.OrganisationReply
    func getOrganisation(_ parameters: ControlAPI.CodeParameters) async throws -> ControlAPI.OrganisationReply
    func listOrganisations(_ parameters: ControlAPI.ListOrganisationsParameters) async throws -> ControlAPI.ListOrganisationsReply
    func importOrganisations(_ parameters: ControlAPI.ImportOrganisationsParameters) async throws -> ControlAPI.ImportOrganisationsReply
    func assign(_ parameters: ControlAPI.AssignParameters) async throws -> ControlAPI.AssignReply
    func listObligations(_ parameters: ControlAPI.ListObligationsParameters) async throws -> ControlAPI.ListObligationsReply
    func recordObligation(_ parameters: ControlAPI.RecordObligationParameters) async throws -> ControlAPI.ObligationReply
    func remind(_ parameters: ControlAPI.RemindParameters) async throws -> ControlAPI.RemindReply
    func obligationSummary(_ parameters: ControlAPI.ObligationSummaryParameters) async throws -> ControlAPI.ObligationSummaryReply
    func setEscalationContact(_ parameters: ControlAPI.EscalationContactParameters) async throws -> ControlAPI.EscalationContactReply
    func listEscalationContacts() async throws -> ControlAPI.EscalationContactsReply
}

extension ControlHandler {
    /// Handlers made for tests and fuzzing that have no calendar.
    public func export(_ parameters: ControlAPI.ExportParameters) async throws -> ControlAPI.ExportReply {
        throw VarlinkError.methodNotImplemented("io.deadlined.Export")
    }
    public func instances(_ parameters: ControlAPI.InstancesParameters) async throws -> ControlAPI.InstancesReply {
        throw VarlinkError.methodNotImplemented("io.deadlined.ListInstances")
    }
}

extension ControlAPI {
    /// The `io.deadlined` interface bound to a handler.
    public static func interface(_ handler: any ControlHandler) -> VarlinkInterface {
        var i = VarlinkInterface(name: interfaceName, description: InterfaceDefinition.ioDeadlined)
        i.bindReusingEncoding(status) { _ in try await handler.status() }
        i.bind(addItem) { try await handler.addItem($0) }
        i.bind(addItems) { try await handler.addItems($0) }
        i.bind(listItems) { try await handler.listItems($0) }
        i.bind(acknowledge) { try await handler.acknowledge($0) }
        i.bind(importAgenda) { try await handler.importAgenda($0) }
        i.bind(simulate) { try await handler.simulate($0) }
        i.bind(listHolidays) { try await handler.listHolidays($0) }
        i.bind(testChannel) { try await handler.testChannel($0) }
        i.bind(importHolidays) { try await handler.importHolidays($0) }
        i.bind(watch) { _ in try await handler.watch() }
        i.bind(get) { try await handler.get($0) }
        i.bind(update) { try await handler.update($0) }
        i.bind(reload) { _ in try await handler.reload() }
        i.bind(remove) { try await handler.remove($0) }
        i.bind(backup) { try await handler.backup($0) }
        i.bind(export) { try await handler.export($0) }
        i.bind(listInstances) { try await handler.instances($0) }
        i.bind(addOrganisation) { try await handler.addOrganisation($0) }
        i.bind(updateOrganisation) { try await handler.updateOrganisation($0) }
        i.bind(getOrganisation) { try await handler.getOrganisation($0) }
        i.bind(listOrganisations) { try await handler.listOrganisations($0) }
        i.bind(importOrganisations) { try await handler.importOrganisations($0) }
        i.bind(assign) { try await handler.assign($0) }
        i.bind(listObligations) { try await handler.listObligations($0) }
        i.bind(recordObligation) { try await handler.recordObligation($0) }
        i.bind(remind) { try await handler.remind($0) }
        i.bind(obligationSummary) { try await handler.obligationSummary($0) }
        i.bind(setEscalationContact) { try await handler.setEscalationContact($0) }
        i.bind(listEscalationContacts) { _ in try await handler.listEscalationContacts() }
        i.bind(audit) { try await handler.audit($0) }
        i.bind(auditHistory) { try await handler.auditHistory($0) }
        i.bind(auditVerify) { _ in try await handler.auditVerify() }
        i.bind(auditCheckpoint) { _ in try await handler.auditCheckpoint() }
        i.bind(auditExport) { try await handler.auditExport($0) }
        i.bind(auditKey) { _ in try await handler.auditKey() }
        return i
    }

    /// The whole service: `org.varlink.service` plus `io.deadlined`.
    public static func service(_ handler: any ControlHandler, version: String,
                               onRefusal: @escaping @Sendable (Caller, String) -> Void = { _, _ in }) -> VarlinkService {
        VarlinkService(
            vendor: "deadlined", product: "deadlined", version: version,
            url: "https://github.com/deadlined/deadlined",
            interfaces: [interface(handler)],
            mapError: { internalError(String(describing: $0)) },
            onRefusal: onRefusal
        )
    }
}
