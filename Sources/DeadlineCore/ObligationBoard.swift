import Foundation

/// What a center's board shows of a deadline (or a plan's deadlines): counts by district, then
/// the organisations that have not submitted, the longest overdue first, with whom to call.
/// One computation for `deadlinectl board` and the HTML board the daemon writes.
public struct ObligationBoard: Sendable, Equatable {
    public struct Entry: Sendable, Equatable {
        public var organisation: Organisation
        public var itemKey: String
        /// The due day (an instant's day in the item's zone).
        public var due: LocalDate
        public var standing: ObligationStanding

        public init(organisation: Organisation, itemKey: String, due: LocalDate, standing: ObligationStanding) {
            self.organisation = organisation
            self.itemKey = itemKey
            self.due = due
            self.standing = standing
        }
    }

    /// The obligations of one district, by standing.
    public struct Counts: Sendable, Equatable {
        public var province: String
        public var district: String
        public var onTime = 0, late = 0, open = 0, overdue = 0, exempted = 0

        public init(province: String, district: String) {
            self.province = province
            self.district = district
        }

        public var total: Int { onTime + late + open + overdue + exempted }
        public var submitted: Int { onTime + late }

        mutating func count(_ s: ObligationStanding) {
            switch s {
            case .onTime: onTime += 1
            case .late: late += 1
            case .open: open += 1
            case .overdue: overdue += 1
            case .exempted: exempted += 1
            }
        }
    }

    public var districts: [Counts]
    public var total: Counts
    /// Open and overdue, the earliest due first, then by province, district and code.
    public var notSubmitted: [Entry]

    public init(_ entries: [Entry]) {
        var byDistrict: [String: Counts] = [:]
        var total = Counts(province: "", district: "")
        for e in entries {
            let id = e.organisation.province + "\u{1F}" + e.organisation.district
            byDistrict[id, default: Counts(province: e.organisation.province, district: e.organisation.district)].count(e.standing)
            total.count(e.standing)
        }
        districts = byDistrict.values.sorted { ($0.province, $0.district) < ($1.province, $1.district) }
        self.total = total
        notSubmitted = entries.filter { $0.standing == .open || $0.standing == .overdue }.sorted {
            ($0.due, $0.organisation.province, $0.organisation.district, $0.organisation.code)
                < ($1.due, $1.organisation.province, $1.organisation.district, $1.organisation.code)
        }
    }

    /// Days past its due day on `today` (0 when not past).
    public static func daysOverdue(_ e: Entry, today: LocalDate) -> Int {
        max(0, today.dayNumber - e.due.dayNumber)
    }
}
