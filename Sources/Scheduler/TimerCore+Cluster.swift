import DeadlineCore
import DeadlineStore
import Dispatch
import Foundation
import Logging

/// The timer core on a store shared by several nodes. No node leads: each fires from its own
/// heap, claims what is due (a claim another node holds is skipped), and every later write
/// carries the claim's fencing token, so a node that lost its claim (stopped, cut off, slow)
/// writes nothing. The poll finds what this node's heap does not know: reminders added on
/// another node, and those of a node that died, once its lease ran out. The store's
/// notifications bring the first kind at once; the poll remains the fallback.
extension TimerCore {
    func startPolling() {
        dispatchPrecondition(condition: .onQueue(queue))
        let timer = DispatchSource.makeTimerSource(queue: queue)
        timer.schedule(wallDeadline: .now(), repeating: options.poll, leeway: .milliseconds(50))
        timer.setEventHandler { [weak self] in self?.pollOnQueue() }
        timer.resume()
        pollTimer = timer
        stopWatching = store.watchSchedule { [weak self] in self?.scheduleChanged() }
    }

    func stopPolling() {
        pollTimer?.cancel()
        pollTimer = nil
        stopWatching?()
        stopWatching = nil
    }

    /// Another writer made a reminder owed: look ahead again, once for however many
    /// notifications come within 50 ms (an import sends one per transaction, a busy cluster many).
    private func scheduleChanged() {
        queue.async { [weak self] in
            guard let self, !self.lookAheadScheduled, self.pollTimer != nil else { return }
            self.lookAheadScheduled = true
            self.queue.asyncAfter(deadline: .now() + .milliseconds(50)) { [weak self] in
                guard let self else { return }
                self.lookAheadScheduled = false
                do { try self.lookAheadOnQueue() } catch { self.logger.error("cannot read the shared store's schedule: \(error)") }
            }
        }
    }

    /// Renews the leases of what is in flight, writes this node's heartbeat and puts what is
    /// due within the look-ahead into the heap.
    func pollOnQueue() {
        dispatchPrecondition(condition: .onQueue(queue))
        let now = clock.now()
        do {
            let renewing = claims.dueForRenewal()
            if !renewing.isEmpty {
                let asked = ContinuousClock.now
                let held = Set(try store.renewLeases(renewing))
                let lost = claims.renewed(renewing, held: held, renewedAt: asked)
                if !lost.isEmpty { logger.warning("\(lost.count) reminder(s) in flight were claimed by another node; this node will not record them") }
            }
            let nodes = try store.heartbeat(now: now)
            peers.withLock { $0 = nodes }
            try lookAheadOnQueue()
        } catch {
            logger.error("cannot poll the shared store: \(error)")
        }
    }

    /// Puts what is owed within the look-ahead and not yet known here into the heap.
    func lookAheadOnQueue() throws {
        dispatchPrecondition(condition: .onQueue(queue))
        var added = 0
        for entry in try store.unfinishedSchedule(before: clock.now().addingTimeInterval(options.lookAhead))
        where inFlight[entry.id] == nil && !heap.contains(id: entry.id) {
            // A firing one not in flight here is another node's: due when its lease ends.
            heap.insert(id: entry.id, fireAt: entry.fireAt)
            added += 1
        }
        if added > 0 {
            rearm()
            onChange?(snapshotOnQueue())
        }
    }

    /// Claims whatever is due, soonest first, not the ids this node's heap popped: nodes whose
    /// heaps hold the same reminders then take different ones at once, not the same ones in
    /// turns. What was popped and not claimed is another node's or settled, unless the batch
    /// came back full, when it may just not have been reached: that goes back in the heap.
    /// A row skipped while locked for another reason comes back with the next poll.
    func claimDue(popped: [DueHeap.Entry], now: Date) throws -> [Claim] {
        // The lease runs by this node's clock from before the claim was asked, never from its
        // answer, which a stalled process may read late.
        let asked = ContinuousClock.now
        let claimed = try store.claimDue(now: now, limit: options.batchSize)
        claims.add(claimed, now: asked)
        for c in claimed { heap.remove(id: c.id) }
        if claimed.count == options.batchSize {
            let taken = Set(claimed.map(\.id))
            for e in popped where !taken.contains(e.id) { heap.insert(id: e.id, fireAt: e.fireAt) }
        }
        return claimed
    }

    /// A send that did not start for want of a claim: nothing of the occurrence is written by
    /// this node; it is due again for whoever claims it next (this node's poll included).
    func dropLostClaim(_ id: Int64) {
        if inFlight.removeValue(forKey: id) != nil {
            logger.notice("a reminder's claim ran out before its send; left to the next claim", metadata: ["occurrence": "\(id)"])
        }
        claims.remove([id])
    }

    /// Attaches each occurrence's token; what has none (its claim was dropped) is not written,
    /// except a missed one, which the store writes only where no live claim holds it.
    func fence(_ outcome: inout DeliveryOutcome) {
        var fences: [Int64: Int64] = [:]
        let ids = outcome.attempts.map(\.occurrenceID) + outcome.delivered + outcome.retrying.map(\.id) + outcome.failed.map(\.id) + outcome.missed
        for id in ids where fences[id] == nil {
            if let f = claims.fence(of: id) { fences[id] = f }
        }
        outcome.attempts.removeAll { fences[$0.occurrenceID] == nil }
        outcome.delivered.removeAll { fences[$0] == nil }
        outcome.retrying.removeAll { fences[$0.id] == nil }
        outcome.failed.removeAll { fences[$0.id] == nil }
        outcome.fences = fences
    }

    /// The store refused what this node wrote for these: another node claimed them meanwhile.
    func lostClaims(_ ids: Set<Int64>) {
        logger.warning("\(ids.count) reminder(s) were claimed by another node before this node's outcome was written; it was not written")
        claims.remove(ids)
        for id in ids { inFlight.removeValue(forKey: id) }
    }

    /// The shared store did not take an outcome (the server restarting, the network cut): it is
    /// written again in a second, with its fences, so a short outage re-sends nothing; if
    /// another node claimed the reminders meanwhile, the fences keep this node's writes out.
    func keepForRetry(_ outcome: DeliveryOutcome, error: any Error) {
        logger.error("cannot record what was sent; trying again in 1 s: \(error)")
        unwritten.attempts = outcome.attempts + unwritten.attempts
        unwritten.delivered = outcome.delivered + unwritten.delivered
        unwritten.retrying = outcome.retrying + unwritten.retrying
        unwritten.failed = outcome.failed + unwritten.failed
        unwritten.missed = outcome.missed + unwritten.missed
        queue.asyncAfter(deadline: .now() + 1) { [weak self] in self?.scheduleFlush() }
    }

    /// The nodes sharing the store, as of the last poll (empty for one node).
    public var nodes: [NodeHeartbeat] { peers.withLock { $0 } }
}
