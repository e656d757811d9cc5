import DeadlineCore

/// Plans the instances of every open series that have entered its window since it was last
/// planned; its outcome is how many reminders were added.
public struct ExtendSeries: UseCase {
    public init() {}

    struct Planned: Encodable {
        var reminders: [Int64]
        var items: [Int64]
    }

    public func change(_ c: UseCaseContext) async throws -> Change<Int> {
        Change { txn in
            let added = try txn.extendSeries(now: c.now) { item, after in c.plan(item.fields, after: after) }
            // On the record when it planned something: which reminders, of which series.
            let note = added.isEmpty ? nil : AuditNote(method: "ExtendSeries", target: "\(added.count) reminder(s)", before: nil as Planned?,
                                                        after: Planned(reminders: added.map(\.id), items: Array(Set(added.map(\.itemID))).sorted()))
            return Written(value: added.count, schedule: added, audit: note,
                           events: added.isEmpty ? [] : [.seriesPlanned(reminders: added.count, at: c.now)])
        }
    }
}
