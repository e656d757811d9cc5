import Agenda
import DeadlineCore
import DeadlineStore
import Foundation

/// The registry from a CSV file: new codes added, known codes updated, nothing duplicated; a file
/// with any error imports nothing and names every error.
public struct ImportOrganisations: UseCase {
    /// What the import did, by code; also its audit entry.
    public struct Outcome: Sendable, Encodable, Equatable {
        public var added: [String]
        public var updated: [String]
        public var unchanged: [String]
        /// How the file was read.
        public var encoding: TextDecoding.Encoding
        /// Columns that were not read, one line each.
        public var notes: [String]
    }

    public let name: String
    public let data: Data
    public let encoding: TextDecoding.Encoding?

    public init(name: String, data: Data, encoding: TextDecoding.Encoding? = nil) {
        self.name = name
        self.data = data
        self.encoding = encoding
    }

    public func change(_ c: UseCaseContext) async throws -> Change<Outcome> {
        let file: OrganisationFile
        do { file = try OrganisationFile(data: data, file: name, encoding: encoding) }
        catch {
            // The first problem is where the error points; the message lists every one.
            let first = error.problems[0]
            let rest = error.problems.dropFirst().map(\.description)
            throw RequestError.invalidFile(location: first.location, message: ([first.message] + rest).joined(separator: "\n"))
        }
        let name = self.name
        return Change { txn in
            let saved = try txn.saveOrganisations(file.organisations, now: c.now)
            var outcome = Outcome(added: [], updated: [], unchanged: [], encoding: file.encoding, notes: file.notes)
            for (org, save) in zip(file.organisations, saved) {
                switch save {
                case .added: outcome.added.append(org.code)
                case .updated: outcome.updated.append(org.code)
                case .unchanged: outcome.unchanged.append(org.code)
                }
            }
            let changed = outcome.added + outcome.updated
            let changedSet = Set(changed)
            let assigned = try AssignmentFollowing.extend(to: file.organisations.filter { changedSet.contains($0.code) }, txn, c)
            // The entry names what changed, not the whole registry again.
            var note = outcome
            note.unchanged = []
            return Written(value: outcome, schedule: assigned.schedule, audit: AuditNote(method: "ImportOrganisations", target: name, before: nil as Outcome?, after: note),
                           events: (changed.isEmpty ? [] : [.organisations(codes: changed, detail: "imported", at: c.now)]) + assigned.events)
        }
    }
}
