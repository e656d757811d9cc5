import Foundation

/// One organisation's duty to meet one due date (a deadline item the center assigned to it),
/// with its own state: the center follows each office's submission apart from the others.
public struct Obligation: Codable, Sendable, Hashable {
    public var itemKey: String
    public var code: String
    public var state: ObligationState
    /// What the office sent, once it is `submitted`.
    public var submission: Submission?
    /// Why it need not submit, once it is `exempted`.
    public var reason: String?
    /// Who recorded the state it has.
    public var by: String?
    public var updated: Date

    public init(itemKey: String, code: String, state: ObligationState = .open, submission: Submission? = nil, reason: String? = nil,
                by: String? = nil, updated: Date) {
        self.itemKey = itemKey
        self.code = code
        self.state = state
        self.submission = submission
        self.reason = reason
        self.by = by
        self.updated = updated
    }

    /// Where it stands against its due date: submitted on time or late (by the date the
    /// submission was received), still open before or after the date, or exempted.
    public func standing(due: When, zone: TimeZone, now: Date) -> ObligationStanding {
        switch state {
        case .exempted: return .exempted
        case .submitted:
            let received = submission?.received ?? updated
            return Self.isLate(received, due: due, zone: zone) ? .late : .onTime
        case .open:
            return Self.isLate(now, due: due, zone: zone) ? .overdue : .open
        }
    }

    /// A due day counts to its end; a due instant to the instant.
    public static func isLate(_ at: Date, due: When, zone: TimeZone) -> Bool {
        switch due {
        case .day(let day): LocalDate(at, in: zone) > day
        case .instant(let instant): at > instant
        }
    }
}

public enum ObligationState: String, Codable, Sendable, CaseIterable {
    case open, submitted, exempted
}

/// What the board shows of an obligation.
public enum ObligationStanding: String, Codable, Sendable, CaseIterable {
    case open, overdue
    case onTime = "on_time"
    case late, exempted
}

/// The evidence of a submission: the letter's number, the day it was received, who says so,
/// and optionally the SHA-256 of the file sent.
public struct Submission: Codable, Sendable, Hashable {
    /// The document number, as Thai letters write it: `ขก 52001/123`.
    public var reference: String
    public var received: Date
    /// Lower-case hex, 64 digits.
    public var sha256: String?

    public init(reference: String, received: Date, sha256: String? = nil) {
        self.reference = reference
        self.received = received
        self.sha256 = sha256
    }

    /// 64 hex digits, either case (kept in lower case).
    public static func isSHA256(_ text: String) -> Bool {
        text.count == 64 && text.unicodeScalars.allSatisfy { ("0"..."9").contains($0) || ("a"..."f").contains($0) || ("A"..."F").contains($0) }
    }
}
