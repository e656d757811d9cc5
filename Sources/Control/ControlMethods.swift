import Varlink

/// The methods of `io.deadlined`, typed: the daemon binds its handler to these and
/// `deadlinectl` calls through them. `InterfaceConformanceTests` checks each against the IDL.
extension ControlAPI {
    private static func method<P, R>(_ name: String, _: P.Type, _: R.Type, access: VarlinkInterface.Access = .read,
                                     streams: Bool = false, ordering: CallOrdering = .sequential) -> VarlinkMethod<P, R> {
        VarlinkMethod(interface: interfaceName, name: name, access: access, streams: streams, ordering: ordering)
    }

    // Pipelined: the changes that read what they change inside the commit's transaction (so an
    // earlier call of the connection, committed before them, is seen). The others, reads and
    // imports that read before they commit, wait for the calls before them.

    public static let status = method("Status", NoParameters.self, StatusReply.self)
    public static let addItem = method("AddItem", AddItemParameters.self, ItemReply.self, access: .change, ordering: .pipelined)
    public static let addItems = method("AddItems", AddItemsParameters.self, AddItemsReply.self, access: .change, ordering: .pipelined)
    public static let listItems = method("ListItems", ListParameters.self, ListItemsReply.self)
    public static let acknowledge = method("Acknowledge", AcknowledgeParameters.self, ItemReply.self, access: .change, ordering: .pipelined)
    public static let importAgenda = method("Import", FileParameters.self, ImportReply.self, access: .change)
    public static let simulate = method("Simulate", SimulateParameters.self, SimulateReply.self)
    public static let listHolidays = method("ListHolidays", YearParameters.self, HolidaysReply.self)
    public static let testChannel = method("TestChannel", TestChannelParameters.self, TestChannelReply.self, access: .change)
    public static let importHolidays = method("ImportHolidays", FileParameters.self, ImportHolidaysReply.self, access: .change)
    public static let watch = method("Watch", NoParameters.self, WatchReply.self, streams: true)
    public static let get = method("Get", KeyParameters.self, ItemReply.self)
    public static let update = method("Update", UpdateParameters.self, ItemReply.self, access: .change, ordering: .pipelined)
    public static let reload = method("Reload", NoParameters.self, ReloadReply.self, access: .change)
    public static let remove = method("Remove", KeyParameters.self, ItemReply.self, access: .change, ordering: .pipelined)
    public static let backup = method("Backup", BackupParameters.self, BackupReply.self, access: .change)
    public static let export = method("Export", ExportParameters.self, ExportReply.self)
    public static let listInstances = method("ListInstances", InstancesParameters.self, InstancesReply.self)
    /// Who changed what is for those who may change things.
    public static let audit = method("Audit", AuditParameters.self, AuditReply.self, access: .change)
    public static let auditVerify = method("AuditVerify", NoParameters.self, AuditVerifyReply.self, access: .change)
    public static let auditCheckpoint = method("AuditCheckpoint", NoParameters.self, AuditCheckpointReply.self, access: .change)
    public static let auditHistory = method("AuditHistory", AuditHistoryParameters.self, AuditHistoryReply.self, access: .change)
    public static let auditExport = method("AuditExport", AuditExportParameters.self, AuditExportReply.self, access: .change)
    /// The public key is for anyone to check a checkpoint with.
    public static let auditKey = method("AuditKey", NoParameters.self, AuditKeyReply.self)

    public static let addOrganisation = method("AddOrganisation", OrganisationParameters.self, OrganisationReply.self, access: .change,
                                               ordering: .pipelined)
    public static let updateOrganisation = method("UpdateOrganisation", UpdateOrganisationParameters.self, OrganisationReply.self,
                                                  access: .change, ordering: .pipelined)
    public static let getOrganisation = method("GetOrganisation", CodeParameters.self, OrganisationReply.self)
    public static let listOrganisations = method("ListOrganisations", ListOrganisationsParameters.self, ListOrganisationsReply.self)
    public static let importOrganisations = method("ImportOrganisations", ImportOrganisationsParameters.self, ImportOrganisationsReply.self,
                                                   access: .change)
    public static let assign = method("Assign", AssignParameters.self, AssignReply.self, access: .change)
    public static let listObligations = method("ListObligations", ListObligationsParameters.self, ListObligationsReply.self)
    public static let recordObligation = method("RecordObligation", RecordObligationParameters.self, ObligationReply.self, access: .change,
                                                ordering: .pipelined)
    public static let remind = method("Remind", RemindParameters.self, RemindReply.self, access: .change)
    public static let setEscalationContact = method("SetEscalationContact", EscalationContactParameters.self, EscalationContactReply.self,
                                                    access: .change)
    public static let listEscalationContacts = method("ListEscalationContacts", NoParameters.self, EscalationContactsReply.self)
    public static let obligationSummary = method("ObligationSummary", ObligationSummaryParameters.self, ObligationSummaryReply.self)

    /// Every method, in the order the IDL declares them.
    public static let methods: [any VarlinkMethodDescription] = [
        status, addItem, addItems, listItems, acknowledge, importAgenda, simulate, listHolidays, testChannel, importHolidays,
        watch, get, update, reload, remove, backup, export, listInstances, addOrganisation, updateOrganisation, getOrganisation,
        listOrganisations, importOrganisations, assign, listObligations, recordObligation, remind, setEscalationContact, listEscalationContacts, obligationSummary, audit,
        auditHistory, auditVerify, auditCheckpoint, auditExport, auditKey,
    ]
}
