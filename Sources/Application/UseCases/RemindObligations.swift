import DeadlineCore
import DeadlineStore
import Foundation

/// One reminder now to every organisation in a scope that has not submitted a deadline (or a
/// plan's deadlines) and is not exempted: a center's "remind those still open", sent through
/// each office's own channels like its planned reminders.
public struct RemindObligations: UseCase {
    public struct Outcome: Sendable, Encodable, Equatable {
        public var key: String
        /// `deadline/code` of each reminder sent.
        public var reminded: [String]
    }

    public let key: String
    public let scope: OrganisationScope

    public init(key: String, scope: OrganisationScope) {
        self.key = key
        self.scope = scope
    }

    public func change(_ c: UseCaseContext) async throws -> Change<Outcome> {
        let (key, scope) = (self.key, self.scope)
        return Change { txn in
            let items = try DeadlineKey.deadlines(key, txn)
            let inScope = Set(try txn.organisations(in: scope).map(\.code))
            var reminded: [String] = [], schedule: [Occurrence] = []
            for item in items where item.state == .open {
                for o in try txn.obligations(ofItem: item.id) where o.state == .open && inScope.contains(o.code) {
                    schedule += try txn.addObligationReminders(itemID: item.id, code: o.code,
                                                               reminders: [PlannedReminder(fireAt: c.now, purpose: .nudge)], now: c.now)
                    reminded.append("\(item.key)/\(o.code)")
                }
            }
            let outcome = Outcome(key: key, reminded: reminded)
            return Written(value: outcome, schedule: schedule,
                           audit: AuditNote(method: "Remind", target: key, before: nil as Outcome?, after: outcome))
        }
    }
}
