import Synchronization

/// Runs a rewrite (a feed, the boards) after changes, coalesced: a change while one is being
/// written marks it dirty and it runs once more afterwards, so the files end up showing the
/// latest state without a write per change of a large import. That next run waits until
/// `spacing`, or four times what the last run took, has passed since the last began: rendering
/// thousands of rows takes a core for a while, and changes arriving back to back (a script
/// adding items) would otherwise keep one busy with files nobody reads in between. So a rewrite
/// takes at most a fifth of a core, and shows a change within a second or so.
final class CoalescedRewrite: Sendable {
    private let state = Mutex<(writing: Bool, dirty: Bool)>((false, false))
    let spacing: Duration
    private let work: @Sendable () async -> Void

    init(spacing: Duration, work: @escaping @Sendable () async -> Void) {
        self.spacing = spacing
        self.work = work
    }

    /// Something changed: the rewrite will run.
    func changed() {
        let start = state.withLock { s -> Bool in
            if s.writing { s.dirty = true; return false }
            s.writing = true
            return true
        }
        guard start else { return }
        Task { await self.drain() }
    }

    private func drain() async {
        while true {
            state.withLock { $0.dirty = false }
            let began = ContinuousClock.now
            await work()
            let again = state.withLock { s -> Bool in
                if s.dirty { return true }
                s.writing = false
                return false
            }
            if !again { return }
            try? await Task.sleep(until: began + max(spacing, (ContinuousClock.now - began) * 5))
        }
    }
}
