import Foundation

/// What to do with a reminder that comes off the heap late: the daemon was down, the machine
/// was suspended, or the wall clock jumped forward past it.
public enum MisfirePolicy: Hashable, Sendable, CustomStringConvertible {
    /// Send it now if it is late by at most `grace`; else it is `missed`.
    case catchUp(grace: TimeInterval)
    /// Never send it late: it is `missed`.
    case skip
    /// Of several late reminders of one item, send only the latest, once (within `grace`);
    /// the others are `missed`.
    case coalesce(grace: TimeInterval)

    public static let `default` = MisfirePolicy.catchUp(grace: 24 * 3600)

    /// `catch-up`, `catch-up:12h`, `skip`, `coalesce`, `coalesce:2h`.
    public init?(_ text: String) {
        // Empty pieces kept: "catch-up:" is an error, not "catch-up".
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false).map(String.init)
        guard let head = parts.first, !head.isEmpty else { return nil }
        var grace: TimeInterval = 24 * 3600
        if parts.count == 2 {
            guard let m = parts[1].wholeMatch(of: /(\d{1,4})([mhd])/), let n = Double(m.1), n > 0 else { return nil }
            grace = n * (m.2 == "m" ? 60 : m.2 == "h" ? 3600 : 86400)
        }
        switch head {
        case "catch-up": self = .catchUp(grace: grace)
        case "coalesce": self = .coalesce(grace: grace)
        case "skip" where parts.count == 1: self = .skip
        default: return nil
        }
    }

    public var description: String {
        func g(_ s: TimeInterval) -> String { s.truncatingRemainder(dividingBy: 86400) == 0 ? "\(Int(s / 86400))d"
            : s.truncatingRemainder(dividingBy: 3600) == 0 ? "\(Int(s / 3600))h" : "\(Int(s / 60))m" }
        switch self {
        case .catchUp(let grace): return "catch-up:\(g(grace))"
        case .skip: return "skip"
        case .coalesce(let grace): return "coalesce:\(g(grace))"
        }
    }

    public static let forms = "catch-up, catch-up:12h, skip, coalesce, coalesce:2h"
}

/// How a failing channel is tried again: exponential backoff with jitter, then `failed`.
public struct RetryPolicy: Hashable, Sendable {
    public var maxAttempts: Int
    public var baseDelay: TimeInterval
    public var maxDelay: TimeInterval
    /// ± this fraction of the delay, so that many failures do not retry in lockstep.
    public var jitter: Double

    public init(maxAttempts: Int = 6, baseDelay: TimeInterval = 30, maxDelay: TimeInterval = 3600, jitter: Double = 0.2) {
        self.maxAttempts = maxAttempts
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.jitter = jitter
    }

    /// The delay before attempt `attempt + 1`, after `attempt` failed ones (1, 2, …).
    public func delay(afterAttempt attempt: Int, random: Double) -> TimeInterval {
        let raw = min(maxDelay, baseDelay * pow(2, Double(max(0, attempt - 1))))
        return raw * (1 + jitter * (2 * random - 1))
    }
}
