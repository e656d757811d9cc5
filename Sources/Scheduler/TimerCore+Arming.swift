import Foundation

/// Where the timer points and what the core reports of itself, both read off its heap (on the queue).
extension TimerCore {
    /// Points the timer at the soonest entry, touching it only if that instant changed.
    func rearm() {
        let next = heap.head()?.fireAt
        guard next != armedAt else { return }
        armedAt = next
        if let next { alarm.arm(at: next) } else { alarm.disarm() }
    }

    func snapshotOnQueue() -> Snapshot {
        var s = counters
        s.pending = heap.count
        s.next = heap.head()?.fireAt
        return s
    }
}
