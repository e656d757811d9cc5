import Agenda
import DeadlineCore
import DeadlineStore

/// An agenda file (YAML) imported by key in one transaction: new keys added, changed ones
/// updated and replanned, the same left alone; nothing is imported from a file with an error.
public struct ImportAgendaFile: UseCase {
    public let name: String
    public let content: String

    public init(name: String, content: String) {
        self.name = name
        self.content = content
    }

    public func change(_ c: UseCaseContext) async throws -> Change<ImportSummary> {
        let agenda: Agenda
        do {
            agenda = try AgendaFile.read(yaml: content, file: name,
                                         defaults: AgendaDefaults(timeZone: c.settings.timeZone, organisation: c.settings.organisation, now: c.now))
        } catch {
            throw RequestError.invalidFile(location: error.location, message: error.message)
        }
        for item in agenda.items {
            if let problem = c.settings.rules.unknownRule(item) {
                throw RequestError.invalidFile(location: agenda.locations[item.key] ?? name, message: "\(item.key): \(problem)")
            }
        }
        let batch = ImportBatch(plans: agenda.plans, items: agenda.items, references: agenda.externalReferences.map { ref in
            Reference(key: ref.key, target: ref.target == .plan ? .plan : .meeting, location: ref.location,
                      message: "no \(ref.target.rawValue) has key '\(ref.key)' in this file or in the store")
        })
        let name = self.name
        return Change { txn in
            let outcome = try txn.importItems(batch, dayTime: c.settings.dayTime, now: c.now, plan: { c.plan($0) })
            // Obligations of deadlines whose date moved follow it; then the file's assignments.
            let moved = try ObligationReminders.replan(retimed: outcome.retimed, txn, c)
            let cancel = outcome.cancelledOccurrences + moved.cancelled, schedule = outcome.newOccurrences + moved.added
            var assigned = Assigned()
            for (key, scope) in agenda.assignments.sorted(by: { $0.key < $1.key }) {
                guard let item = try txn.item(key: key), item.state == .open else { continue }
                assigned = assigned + (try AssignItem.assign(item, scope, txn, c))
            }
            let summary = ImportSummary(added: outcome.added, updated: outcome.updated, unchanged: outcome.unchanged, plans: outcome.plans,
                                        warnings: try c.holidayWarnings(forNew: outcome.newOccurrences, txn))
            return Written(value: summary, schedule: schedule + assigned.schedule, cancel: cancel,
                           audit: AuditNote(method: "Import", target: name, before: nil as ImportSummary?, after: summary),
                           events: outcome.added.map { .item(key: $0, state: "open", detail: "imported", at: c.now) }
                               + outcome.updated.map { .item(key: $0, state: "open", detail: "updated by import", at: c.now) } + assigned.events)
        }
    }
}
