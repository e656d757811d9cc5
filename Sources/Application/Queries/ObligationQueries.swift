import DeadlineCore
import DeadlineStore
import Foundation

/// One row of what the center follows: an organisation, its obligation, where it stands.
public struct ObligationRow: Sendable, Equatable {
    public var item: Item
    public var organisation: Organisation
    public var obligation: Obligation
    public var standing: ObligationStanding

    /// The row as the board counts it: its due day where the item is.
    public var entry: ObligationBoard.Entry {
        ObligationBoard.Entry(organisation: organisation, itemKey: item.key, due: item.fields.when.localDate(in: item.zone), standing: standing)
    }
}

/// What a board shows: the deadlines of a key (one, or a plan's), their title, and the rows.
public struct ObligationList: Sendable {
    public var key: String
    /// The deadline's title, or the plan's name.
    public var title: String
    public var items: [Item]
    public var rows: [ObligationRow]
}

extension Application {
    /// The obligations of a deadline, or of every deadline of a plan, of the organisations in
    /// `scope`, in `standing` if given; by province, district, code and due date.
    public func obligations(key: String, scope: OrganisationScope = OrganisationScope(),
                            standing: ObligationStanding? = nil) async throws -> ObligationList {
        let now = clock.now()
        return try await read { store in
            let read = try store.read { txn -> (items: [Item], rows: [ObligationRow]) in
                let items = try DeadlineKey.deadlines(key, txn)
                let organisations = try txn.organisations(in: scope)
                var rows: [ObligationRow] = []
                for item in items {
                    let byCode = Dictionary(try txn.obligations(ofItem: item.id).map { ($0.code, $0) }, uniquingKeysWith: { a, _ in a })
                    for org in organisations {
                        guard let o = byCode[org.code] else { continue }
                        let s = o.standing(due: item.fields.when, zone: item.zone, now: now)
                        if let standing, standing != s { continue }
                        rows.append(ObligationRow(item: item, organisation: org, obligation: o, standing: s))
                    }
                }
                // Organisations come ordered from the store; a plan's deadlines by date within each.
                if items.count > 1 {
                    let order = Dictionary(uniqueKeysWithValues: organisations.enumerated().map { ($1.code, $0) })
                    let itemOrder = Dictionary(uniqueKeysWithValues: items.enumerated().map { ($1.id, $0) })
                    rows.sort { (order[$0.organisation.code]!, itemOrder[$0.item.id]!) < (order[$1.organisation.code]!, itemOrder[$1.item.id]!) }
                }
                return (items, rows)
            }
            // Outside the read: the store's methods do not nest.
            let title = read.items.count == 1 && read.items[0].key == key ? read.items[0].fields.title
                : try store.plans().first { $0.key == key }?.name ?? key
            return ObligationList(key: key, title: title, items: read.items, rows: read.rows)
        }
    }

    /// The keys a board is kept for: each plan with an assigned deadline, and each assigned
    /// deadline without a plan.
    public func boardKeys() async throws -> [String] {
        try await read { store in
            try store.read { txn in
                var keys: [String] = []
                for id in Set(try txn.assignments().map(\.itemID)).sorted() {
                    guard let item = try txn.item(id: id) else { continue }
                    let key = item.fields.plan ?? item.key
                    if !keys.contains(key) { keys.append(key) }
                }
                return keys
            }
        }
    }
}

/// Every open deadline's obligations at a glance: for `check` and the status of a center.
public struct ObligationSummary: Sendable {
    public var counts = ObligationBoard.Counts(province: "", district: "")
    /// The longest overdue first, at most the limit asked.
    public var overdue: [ObligationRow] = []
}

extension Application {
    public func obligationSummary(limit: Int) async throws -> ObligationSummary {
        var rows: [String: ObligationRow] = [:]
        for key in try await boardKeys() {
            for row in try await obligations(key: key).rows where row.item.state == .open {
                rows["\(row.item.key)/\(row.organisation.code)"] = row
            }
        }
        let board = ObligationBoard(rows.values.map(\.entry))
        var summary = ObligationSummary(counts: board.total)
        summary.overdue = board.notSubmitted.filter { $0.standing == .overdue }.prefix(limit)
            .compactMap { rows["\($0.itemKey)/\($0.organisation.code)"] }
        return summary
    }
}
