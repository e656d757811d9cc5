import Foundation

/// The wall clock, injected so that the scheduler and the planner can be tested at any instant.
public protocol WallClock: Sendable {
    func now() -> Date
}

/// The system's real-time clock.
public struct SystemClock: WallClock {
    public init() {}
    public func now() -> Date { Date() }
}
