import DeadlineStore
import Foundation
import Synchronization

/// The claims this node holds on occurrences in flight, with when each lease ends by this
/// node's monotonic clock. Shared by the core's queue (claims, renewals, settlements) and the
/// send tasks, which ask just before each send whether the claim still holds.
final class ClaimBook: Sendable {
    struct Entry: Sendable {
        var fence: Int64
        var leaseEnds: ContinuousClock.Instant
    }

    private let entries = Mutex<[Int64: Entry]>([:])
    let lease: Duration

    init(lease: Duration) { self.lease = lease }

    /// What is left of a lease when a node stops sending under it: sends that would start later
    /// wait for a renewal or leave the reminder to another node.
    var margin: Duration { lease / 4 }
    var marginSeconds: TimeInterval { Double(margin.components.seconds) + Double(margin.components.attoseconds) / 1e18 }

    func add(_ claims: [Claim], now: ContinuousClock.Instant = .now) {
        entries.withLock { e in
            for c in claims { e[c.id] = Entry(fence: c.fence, leaseEnds: now + lease) }
        }
    }

    func fence(of id: Int64) -> Int64? { entries.withLock { $0[id]?.fence } }

    func remove(_ ids: some Sequence<Int64>) {
        entries.withLock { e in for id in ids { e.removeValue(forKey: id) } }
    }

    /// Claims older than a third of the lease, due for renewal.
    func dueForRenewal(now: ContinuousClock.Instant = .now) -> [Claim] {
        entries.withLock { e in
            e.compactMap { id, entry in now - (entry.leaseEnds - lease) >= lease / 3 ? Claim(id: id, fence: entry.fence) : nil }
        }
    }

    /// The renewed leases run from `renewedAt`; the others are dropped and returned.
    @discardableResult
    func renewed(_ asked: [Claim], held: Set<Int64>, renewedAt: ContinuousClock.Instant) -> [Int64] {
        entries.withLock { e in
            var lost: [Int64] = []
            for c in asked {
                if held.contains(c.id) { e[c.id]?.leaseEnds = renewedAt + lease } else if e[c.id]?.fence == c.fence {
                    e.removeValue(forKey: c.id)
                    lost.append(c.id)
                }
            }
            return lost
        }
    }

    /// Whether a send may start under this claim by this node's own clock.
    func mayStillSend(_ id: Int64, now: ContinuousClock.Instant = .now) -> Claim? {
        entries.withLock { e in
            guard let entry = e[id], entry.leaseEnds - now > margin else { return nil }
            return Claim(id: id, fence: entry.fence)
        }
    }
}

/// A send not started because this node's claim on the reminder ran out or was taken: the
/// reminder is another node's (or this node's next claim's) to send.
struct LostClaim: Error, CustomStringConvertible {
    var description: String { "this node no longer holds the reminder's claim" }
}
