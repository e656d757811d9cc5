import DeadlineCore
import DeadlineStore
import Delivery
import Foundation

/// Where one due occurrence stands on each of its channels while it is in flight, and what
/// that comes to: the per-channel delivery state machine. Pure, so the timer core only applies
/// it and tests can state each case without a clock, a store or a channel.
struct DeliveryState {
    enum ChannelStatus: Equatable {
        case sending
        case delivered
        case retry(at: Date, error: String)
        case gaveUp(String)
    }

    /// What the occurrence comes to once every channel has answered.
    enum Outcome: Equatable {
        case delivered
        /// At least one channel tries again, at the earliest instant any of them asked for.
        case retrying(at: Date, error: String)
        case failed(error: String)
    }

    let reminder: Reminder
    private(set) var channels: [(name: String, status: ChannelStatus)] = []

    /// Each channel's status to begin with, from what the delivery log says of it: one that
    /// accepted is not sent again, one that used up its attempts has given up, one whose retry
    /// is not due yet waits for it; the rest are sent now.
    /// - Parameters:
    ///   - names: the channels the item goes to.
    ///   - maxAttempts: each known channel's limit; a name without one is not in the config.
    init(reminder: Reminder, names: [String], states: [String: ChannelDeliveryState], maxAttempts: [String: Int], now: Date) {
        self.reminder = reminder
        if names.isEmpty { channels.append(("(none)", .gaveUp("no channel is configured for this item"))) }
        for name in names {
            let state = states[name] ?? ChannelDeliveryState()
            guard let limit = maxAttempts[name] else {
                channels.append((name, .gaveUp("\(name): no such channel in the config")))
                continue
            }
            if state.delivered {
                channels.append((name, .delivered))
            } else if state.failures >= limit || (state.failures > 0 && state.retryAt == nil) {
                channels.append((name, .gaveUp("\(name): \(state.lastError ?? "failed")")))
            } else if let at = state.retryAt, at > now {
                channels.append((name, .retry(at: at, error: "\(name): \(state.lastError ?? "failed")")))
            } else {
                channels.append((name, .sending))
            }
        }
    }

    /// The channels to send to now.
    var sending: [String] { channels.filter { $0.status == .sending }.map(\.name) }

    /// A channel's answer; true once no channel is still sending.
    mutating func answer(_ name: String, _ status: ChannelStatus) -> Bool {
        if let i = channels.firstIndex(where: { $0.name == name }) { channels[i].status = status }
        return sending.isEmpty
    }

    /// What the answers come to (meaningful once `sending` is empty).
    var outcome: Outcome {
        var retryAt: Date?
        var errors: [String] = []
        for (_, status) in channels {
            switch status {
            case .sending, .delivered: break
            case .retry(let at, let error): retryAt = min(retryAt ?? at, at); errors.append(error)
            case .gaveUp(let error): errors.append(error)
            }
        }
        if errors.isEmpty { return .delivered }
        let error = errors.joined(separator: "; ")
        return retryAt.map { .retrying(at: $0, error: error) } ?? .failed(error: error)
    }
}
