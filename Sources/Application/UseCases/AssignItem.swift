import DeadlineCore
import DeadlineStore
import Foundation

/// A deadline assigned to the organisations of a scope (all, a province, a district, a type, a
/// list): each gets an obligation of its own, and so does every organisation that enters the
/// scope later (an import, an addition, a move).
public struct AssignItem: UseCase {
    public struct Outcome: Sendable, Encodable, Equatable {
        public var key: String
        /// Organisations that got an obligation now.
        public var assigned: [String]
        /// Obligations the item has in all.
        public var obligations: Int
    }

    public let key: String
    public let scope: OrganisationScope

    public init(key: String, scope: OrganisationScope) {
        self.key = key
        self.scope = scope
    }

    public func change(_ c: UseCaseContext) async throws -> Change<Outcome> {
        let (key, scope) = (self.key, self.scope)
        if let codes = scope.codes, codes.isEmpty { throw RequestError.invalidParameter("codes") }
        return Change { txn in
            guard let item = try txn.item(key: key) else { throw StoreError.noSuchItem(key) }
            guard item.fields.kind == .deadline else {
                throw RequestError.notAssignable(key: key, reason: "it is a meeting; organisations are assigned a deadline to submit by")
            }
            guard item.state == .open else { throw RequestError.notAssignable(key: key, reason: "it is \(item.state.rawValue)") }
            let organisations = try txn.organisations(in: scope)
            if let codes = scope.codes {
                let known = Set(organisations.map(\.code))
                if let unknown = codes.first(where: { !known.contains($0) }) { throw RequestError.noSuchOrganisation(unknown) }
            }
            let assigned = try Self.assign(item, scope, txn, c, organisations: organisations)
            let outcome = Outcome(key: key, assigned: assigned.codes, obligations: try txn.obligations(ofItem: item.id).count)
            return Written(value: outcome, schedule: assigned.schedule,
                           audit: AuditNote(method: "Assign", target: key, before: nil as Outcome?, after: AssignmentNote(scope: scope, outcome: outcome)),
                           events: assigned.events)
        }
    }

    /// The audit entry: what was asked and what it came to.
    struct AssignmentNote: Encodable {
        var scope: OrganisationScope
        var outcome: Outcome
    }

    /// Keeps the scope (once: the same scope again is not a second assignment) and gives each
    /// organisation in it that has none an obligation, with its reminders.
    static func assign(_ item: Item, _ scope: OrganisationScope, _ txn: any StoreTransaction, _ c: UseCaseContext,
                       organisations: [Organisation]? = nil) throws -> Assigned {
        let normal = OrganisationScope(province: scope.province.map(PlaceName.province), district: scope.district.map(PlaceName.district),
                                       type: scope.type, codes: scope.codes)
        if try !txn.assignments().contains(where: { $0.itemID == item.id && $0.scope == normal }) {
            try txn.addAssignment(itemID: item.id, scope: normal, now: c.now)
        }
        let codes = try (organisations ?? txn.organisations(in: scope)).map(\.code)
        return try Assigned.obligations(of: item, codes: try txn.ensureObligations(itemID: item.id, codes: codes, now: c.now), txn, c)
    }
}

/// Obligations just made: their codes, their reminders for the timer core, an event each.
struct Assigned {
    var codes: [String] = []
    var schedule: [Occurrence] = []
    var events: [DomainEvent] = []

    static func obligations(of item: Item, codes: [String], _ txn: any StoreTransaction, _ c: UseCaseContext) throws -> Assigned {
        let standing: ObligationStanding = Obligation.isLate(c.now, due: item.fields.when, zone: item.zone) ? .overdue : .open
        return Assigned(codes: codes, schedule: try ObligationReminders.schedule(item, codes: codes, txn, c),
                        events: codes.map { .obligation(itemKey: item.key, code: $0, standing: standing, detail: "assigned", at: c.now) })
    }

    static func + (a: Assigned, b: Assigned) -> Assigned {
        Assigned(codes: a.codes + b.codes, schedule: a.schedule + b.schedule, events: a.events + b.events)
    }

}

/// Organisations that entered the registry (or moved) get the obligations of every assignment
/// whose scope now holds them, in the same transaction.
enum AssignmentFollowing {
    static func extend(to organisations: [Organisation], _ txn: any StoreTransaction, _ c: UseCaseContext) throws -> Assigned {
        guard !organisations.isEmpty else { return Assigned() }
        var out = Assigned()
        for (itemID, scope) in try txn.assignments() {
            let inScope = organisations.filter(scope.contains).map(\.code)
            guard !inScope.isEmpty, let item = try txn.item(id: itemID), item.state == .open else { continue }
            out = out + (try Assigned.obligations(of: item, codes: try txn.ensureObligations(itemID: itemID, codes: inScope, now: c.now), txn, c))
        }
        return out
    }
}
