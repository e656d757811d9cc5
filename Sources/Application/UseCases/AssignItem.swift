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
            let events = try Self.assign(item, scope, txn, now: c.now, organisations: organisations)
            let assigned = events.compactMap { if case .obligation(_, let code, _, _, _) = $0 { code } else { nil } }
            let outcome = Outcome(key: key, assigned: assigned, obligations: try txn.obligations(ofItem: item.id).count)
            return Written(value: outcome, audit: AuditNote(method: "Assign", target: key, before: nil as Outcome?, after: AssignmentNote(scope: scope, outcome: outcome)),
                           events: events)
        }
    }

    /// Keeps the scope (once: the same scope again is not a second assignment) and gives each
    /// organisation in it that has none an obligation.
    /// - Returns: an event per obligation made.
    static func assign(_ item: Item, _ scope: OrganisationScope, _ txn: any StoreTransaction, now: Date,
                       organisations: [Organisation]? = nil) throws -> [DomainEvent] {
        let normal = OrganisationScope(province: scope.province.map(PlaceName.province), district: scope.district.map(PlaceName.district),
                                       type: scope.type, codes: scope.codes)
        if try !txn.assignments().contains(where: { $0.itemID == item.id && $0.scope == normal }) {
            try txn.addAssignment(itemID: item.id, scope: normal, now: now)
        }
        let codes = try (organisations ?? txn.organisations(in: scope)).map(\.code)
        let standing: ObligationStanding = Obligation.isLate(now, due: item.fields.when, zone: item.zone) ? .overdue : .open
        return try txn.ensureObligations(itemID: item.id, codes: codes, now: now).map {
            .obligation(itemKey: item.key, code: $0, standing: standing, detail: "assigned", at: now)
        }
    }

    /// The audit entry: what was asked and what it came to.
    struct AssignmentNote: Encodable {
        var scope: OrganisationScope
        var outcome: Outcome
    }
}

/// Organisations that entered the registry (or moved) get the obligations of every assignment
/// whose scope now holds them, in the same transaction.
enum AssignmentFollowing {
    /// - Returns: the events of the obligations made.
    static func extend(to organisations: [Organisation], _ txn: any StoreTransaction, now: Date) throws -> [DomainEvent] {
        guard !organisations.isEmpty else { return [] }
        var events: [DomainEvent] = []
        for (itemID, scope) in try txn.assignments() {
            let inScope = organisations.filter(scope.contains).map(\.code)
            guard !inScope.isEmpty, let item = try txn.item(id: itemID), item.state == .open else { continue }
            let standing: ObligationStanding = Obligation.isLate(now, due: item.fields.when, zone: item.zone) ? .overdue : .open
            for code in try txn.ensureObligations(itemID: itemID, codes: inScope, now: now) {
                events.append(.obligation(itemKey: item.key, code: code, standing: standing, detail: "assigned", at: now))
            }
        }
        return events
    }
}
