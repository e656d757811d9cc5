import Dispatch

/// Waiting until the core has nothing in flight and nothing unwritten (a clean stop, tests).
extension TimerCore {
    /// Runs the due work now and waits (up to `limit`) until every send it started has
    /// finished and its outcome is written. For tests with an injected clock.
    @discardableResult
    @_spi(Testing) public func fireNowAndSettle(limit: Duration = .seconds(30)) async -> Bool {
        fireNow()
        return await settled(limit: limit)
    }

    /// Waits (up to `limit`) until no send is in flight and every outcome is written; false if
    /// the limit passed first. It sleeps between looks, so it never holds a thread that a
    /// channel's task needs.
    @discardableResult
    public func settled(limit: Duration) async -> Bool {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            queue.async { [self] in
                if isSettled { return done.resume() }
                nextWaiter += 1
                let id = nextWaiter
                settleWaiters[id] = done
                // A wall-clock deadline: Dispatch's uptime timers were seen not to fire under libfaketime.
                let seconds = Double(limit.components.seconds) + Double(limit.components.attoseconds) / 1e18
                queue.asyncAfter(wallDeadline: .now() + seconds) { [self] in settleWaiters.removeValue(forKey: id)?.resume() }
            }
        }
        return queue.sync { isSettled }
    }

    var isSettled: Bool { inFlight.isEmpty && lanes.isIdle && !flushScheduled && unwritten.attempts.isEmpty }

    /// Wakes `settled` callers once nothing is left in flight.
    func wakeIfSettled() {
        guard !settleWaiters.isEmpty, isSettled else { return }
        let waiters = settleWaiters.values
        settleWaiters.removeAll()
        for w in waiters { w.resume() }
    }
}
