import Foundation

/// Due reminders split by the misfire policy: those to send now and those let go. A pure
/// function of the rows, the instant and each item's policy, so that the timer core only
/// applies it and tests can state every case without a clock or a store.
public struct MisfireSplit: Sendable {
    /// To send, in due order (then by id).
    public var send: [(item: Item, occurrence: Occurrence)] = []
    /// Let go: to be marked `missed`.
    public var missed: [Int64] = []
    /// Of `send`, how many were late (caught up).
    public var caughtUp = 0

    /// - Parameters:
    ///   - lateAfter: a reminder at most this late is on time, whatever its item's policy.
    ///   - policy: each item's misfire policy.
    ///
    /// A retry (any state but `pending`) is never a misfire: its instant is when the core chose
    /// to try again.
    public init(_ rows: [(item: Item, occurrence: Occurrence)], now: Date, lateAfter: TimeInterval,
                policy: (Item) -> MisfirePolicy) {
        var lateByItem: [Int64: [(item: Item, occurrence: Occurrence)]] = [:]
        for row in rows {
            if now.timeIntervalSince(row.occurrence.fireAt) <= lateAfter || row.occurrence.state != .pending {
                send.append(row)
            } else {
                lateByItem[row.item.id, default: []].append(row)
            }
        }
        for (_, late) in lateByItem {
            switch policy(late[0].item) {
            case .skip:
                missed += late.map(\.occurrence.id)
            case .catchUp(let grace):
                for row in late {
                    if now.timeIntervalSince(row.occurrence.fireAt) <= grace { send.append(row); caughtUp += 1 }
                    else { missed.append(row.occurrence.id) }
                }
            case .coalesce(let grace):
                let inGrace = late.filter { now.timeIntervalSince($0.occurrence.fireAt) <= grace }
                let keep = inGrace.max { $0.occurrence.fireAt < $1.occurrence.fireAt }
                if let keep { send.append(keep); caughtUp += 1 }
                missed += late.map(\.occurrence.id).filter { $0 != keep?.occurrence.id }
            }
        }
        send.sort { ($0.occurrence.fireAt, $0.occurrence.id) < ($1.occurrence.fireAt, $1.occurrence.id) }
        missed.sort()
    }
}
