import Foundation

extension TimerCore {
    /// What the core is doing, for `Status` and for systemd's `STATUS=` line.
    public struct Snapshot: Sendable, Equatable {
        public var pending: Int
        public var next: Date?
        public var firedSinceStart: Int
        /// Sent late (within the misfire grace) since start.
        public var caughtUpSinceStart: Int
        /// Let go by the misfire policy since start.
        public var missedSinceStart: Int
        public var failedSinceStart: Int
    }

    /// What `Watch` hears from the core.
    public enum Event: Sendable, Equatable {
        /// Every channel of the reminder accepted it.
        case sent(occurrence: Int64, itemKey: String, at: Date)
        /// A channel refused it; `final` when that channel will not try again.
        case failed(occurrence: Int64, itemKey: String, channel: String, error: String, final: Bool, at: Date)
    }

    public struct Options: Sendable {
        /// Most occurrences handled in one turn of the queue; the rest follow in the next
        /// turn, so a burst never keeps the watchdog or new schedules waiting for long.
        public var batchSize = 512
        /// A reminder sent later than this after its instant is a misfire (the daemon was
        /// down, the machine suspended, the clock stepped) and its item's policy decides.
        public var lateAfter: TimeInterval = 60
        /// How often the store learns that the daemon is alive, to measure downtime later.
        public var heartbeat: TimeInterval = 30
        /// A shared store (several nodes): how often this node looks for what came due that its
        /// heap does not know (added on another node, or left by a node that died), renews its
        /// leases and writes its heartbeat row; and how far ahead it looks.
        public var poll: TimeInterval = 2
        public var lookAhead: TimeInterval = 600

        public init() {}
    }
}
