import DeadlineStore
import Foundation
import Synchronization

/// The claims this node holds on occurrences in flight, with when each lease ends by this
/// node's monotonic clock and until when the database's last word on each is taken. Shared by
/// the core's queue (claims, renewals, settlements) and the send tasks, which ask just before
/// each send whether the claim still holds (`ClaimGate`).
final class ClaimBook: Sendable {
    struct Entry: Sendable {
        var fence: Int64
        var leaseEnds: ContinuousClock.Instant
        /// Until when the database's last word that this token holds (the claim, a renewal or
        /// a check) is taken: from before that word was asked, plus `confirmation`.
        var confirmedUntil: ContinuousClock.Instant
    }

    private let entries = Mutex<[Int64: Entry]>([:])
    let lease: Duration

    init(lease: Duration) { self.lease = lease }

    /// What is left of a lease when a node stops sending under it: sends that would start later
    /// wait for a renewal or leave the reminder to another node.
    var margin: Duration { lease / 4 }
    var marginSeconds: TimeInterval { Double(margin.components.seconds) + Double(margin.components.attoseconds) / 1e18 }

    /// How long the database's word that a claim holds is taken for: well inside the margin,
    /// which the database checked, so no other node can have claimed it by time meanwhile;
    /// and short, so a claim lost otherwise (the row cancelled or released) is seen soon.
    var confirmation: Duration { min(margin / 2, .seconds(1)) }

    /// Claims just made, their leases reckoned from `now`, read before they were asked for.
    func add(_ claims: [Claim], now: ContinuousClock.Instant = .now) {
        entries.withLock { e in
            for c in claims { e[c.id] = Entry(fence: c.fence, leaseEnds: now + lease, confirmedUntil: now + confirmation) }
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
                if held.contains(c.id), e[c.id]?.fence == c.fence {
                    e[c.id]?.leaseEnds = renewedAt + lease
                    e[c.id]?.confirmedUntil = renewedAt + confirmation
                } else if e[c.id]?.fence == c.fence {
                    e.removeValue(forKey: c.id)
                    lost.append(c.id)
                }
            }
            return lost
        }
    }

    /// Whether a send may start under this claim by this node's own clock: more than the
    /// margin of its lease left and, if `confirmed`, the database's word still taken.
    func mayStillSend(_ id: Int64, confirmed: Bool = false, now: ContinuousClock.Instant = .now) -> Claim? {
        entries.withLock { e in
            guard let entry = e[id], entry.leaseEnds - now > margin, !confirmed || entry.confirmedUntil > now else { return nil }
            return Claim(id: id, fence: entry.fence)
        }
    }

    /// Of `ids`, the claims a send may still start under whose confirmation ran out.
    func unconfirmed(_ ids: some Sequence<Int64>, now: ContinuousClock.Instant = .now) -> [Claim] {
        entries.withLock { e in
            ids.compactMap { id in
                guard let entry = e[id], entry.leaseEnds - now > margin, entry.confirmedUntil <= now else { return nil }
                return Claim(id: id, fence: entry.fence)
            }
        }
    }

    /// The database's answer to a check asked at `asked`: the claims in `held` are confirmed
    /// from then; the others are not, so no send starts under them.
    func confirmed(_ claims: [Claim], held: Set<Int64>, at asked: ContinuousClock.Instant) {
        entries.withLock { e in
            for c in claims where e[c.id]?.fence == c.fence {
                e[c.id]?.confirmedUntil = held.contains(c.id) ? asked + confirmation : asked
            }
        }
    }
}

/// A send not started because this node's claim on the reminder ran out or was taken: the
/// reminder is another node's (or this node's next claim's) to send.
struct LostClaim: Error, CustomStringConvertible {
    var description: String { "this node no longer holds the reminder's claim" }
}
