import DeadlineCore
import DeadlineStore
import Foundation
@testable import Scheduler
import Testing

/// One send's result as the delivery log keeps it, without a channel or a clock.
@Suite("Attempt result: accepted, retried after the policy's delay, or given up on the last attempt")
struct AttemptResultTests {
    struct Refused: Error, CustomStringConvertible { var description: String { "550 mailbox full" } }
    let now = Date(timeIntervalSince1970: 1_494_918_000.1234)
    let retry = RetryPolicy(maxAttempts: 3, baseDelay: 30, maxDelay: 3600, jitter: 0.2)

    func result(_ r: Result<String?, any Error>, attempt: Int, jitter: Double = 0.5) -> AttemptResult {
        AttemptResult(occurrenceID: 7, channel: "mail", retry: retry, idempotencyKey: "k-7-mail", attempt: attempt,
                      result: r, now: now, jitter: jitter)
    }

    @Test("accepted: delivered, with the receiver's answer kept and no retry")
    func accepted() {
        let r = result(.success("250 queued"), attempt: 2)
        #expect(r.status == .delivered)
        #expect(r.attempt == DeliveryAttempt(occurrenceID: 7, channel: "mail", idempotencyKey: "k-7-mail", attempt: 2, at: now,
                                             error: nil, detail: "250 queued"))
    }

    @Test("refused with attempts left: retried after base × 2^(n-1), jittered, in whole milliseconds")
    func retried() throws {
        let second = result(.failure(Refused()), attempt: 2, jitter: 1)  // 60 s × 1.2
        let at = try #require(second.attempt.retryAt)
        #expect(abs(at.timeIntervalSince(now) - 72) < 0.001)
        #expect((at.timeIntervalSince1970 * 1000).rounded() == at.timeIntervalSince1970 * 1000)
        #expect(second.status == .retry(at: at, error: "mail: 550 mailbox full"))
        #expect(second.attempt.error == "550 mailbox full")
        let first = result(.failure(Refused()), attempt: 1, jitter: 0)  // 30 s × 0.8
        #expect(abs(try #require(first.attempt.retryAt).timeIntervalSince(now) - 24) < 0.001)
    }

    @Test("refused on the last attempt: given up, no retry instant")
    func gaveUp() {
        let r = result(.failure(Refused()), attempt: 3)
        #expect(r.status == .gaveUp("mail: 550 mailbox full"))
        #expect(r.attempt.retryAt == nil)
        #expect(r.attempt.error == "550 mailbox full")
    }
}
