import DeadlineCore

/// Plans the instances of every open series that have entered its window since it was last
/// planned; its outcome is how many reminders were added.
public struct ExtendSeries: UseCase {
    public init() {}

    public func change(_ c: UseCaseContext) async throws -> Change<Int> {
        Change { txn in
            let added = try txn.extendSeries(now: c.now) { item, after in c.plan(item.fields, after: after) }
            return Written(value: added.count, schedule: added,
                           events: added.isEmpty ? [] : [.seriesPlanned(reminders: added.count, at: c.now)])
        }
    }
}
