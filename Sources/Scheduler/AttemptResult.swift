import DeadlineCore
import DeadlineStore
import Delivery
import Foundation

/// What one send's result comes to: the attempt the delivery log keeps and the channel's new
/// status in the occurrence's `DeliveryState`. Pure (the jitter is passed in), so the retry
/// arithmetic is tested without a channel or a clock.
struct AttemptResult {
    let attempt: DeliveryAttempt
    let status: DeliveryState.ChannelStatus

    /// - Parameters:
    ///   - attempt: this channel's attempt number for the occurrence (1 for the first).
    ///   - jitter: a number in 0...1 that spreads retries (the retry policy's random part).
    init(occurrenceID: Int64, channel: String, retry: RetryPolicy, idempotencyKey: String, attempt number: Int,
         result: Result<String?, any Error>, now: Date, jitter: Double) {
        switch result {
        case .success(let detail):
            status = .delivered
            attempt = DeliveryAttempt(occurrenceID: occurrenceID, channel: channel, idempotencyKey: idempotencyKey,
                                      attempt: number, at: now, error: nil, detail: detail)
        case .failure(let error):
            let text = "\(error)"
            var retryAt: Date?
            if number < retry.maxAttempts {
                let delay = retry.delay(afterAttempt: number, random: jitter)
                // Whole milliseconds, as the store keeps it, so heap and store agree exactly.
                retryAt = Date(timeIntervalSince1970: ((now.timeIntervalSince1970 + delay) * 1000).rounded() / 1000)
            }
            status = retryAt.map { .retry(at: $0, error: "\(channel): \(text)") } ?? .gaveUp("\(channel): \(text)")
            attempt = DeliveryAttempt(occurrenceID: occurrenceID, channel: channel, idempotencyKey: idempotencyKey,
                                      attempt: number, at: now, error: text, retryAt: retryAt)
        }
    }
}
