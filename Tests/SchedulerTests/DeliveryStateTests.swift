import DeadlineCore
import DeadlineStore
import Delivery
import Foundation
@testable import Scheduler
import Testing

/// The per-channel delivery state machine, without a timer, a store or a channel.
@Suite("Delivery state: each channel from its log, what the answers come to")
struct DeliveryStateTests {
    let now = Date(timeIntervalSince1970: 1_494_918_000)
    var reminder: Reminder {
        let item = Item(id: 1, fields: NewItem(kind: .deadline, key: "d1", title: "ส่งแผน", when: .instant(now), timeZone: "Asia/Bangkok"))
        return Reminder(item: item, occurrence: Occurrence(id: 9, itemID: 1, fireAt: now, state: .firing))
    }

    @Test("from the log: accepted is not sent again, attempts used up or given up is given up, a retry not due waits, the rest send")
    func begin() {
        let later = now.addingTimeInterval(60)
        let state = DeliveryState(reminder: reminder, names: ["mail", "hook", "chat", "sms", "file", "gone"], states: [
            "mail": ChannelDeliveryState(delivered: true),
            "hook": ChannelDeliveryState(failures: 3, lastError: "HTTP 500", retryAt: later),
            "chat": ChannelDeliveryState(failures: 1, lastError: "timeout", retryAt: nil),
            "sms": ChannelDeliveryState(failures: 1, lastError: "busy", retryAt: later),
            "file": ChannelDeliveryState(failures: 1, lastError: "EIO", retryAt: now),
        ], maxAttempts: ["mail": 3, "hook": 3, "chat": 3, "sms": 3, "file": 3], now: now)
        #expect(state.channels.map(\.status) == [
            .delivered, .gaveUp("hook: HTTP 500"), .gaveUp("chat: timeout"), .retry(at: later, error: "sms: busy"), .sending,
            .gaveUp("gone: no such channel in the config"),
        ])
        #expect(state.sending == ["file"])
    }

    @Test("no channel for the item: it fails at once, saying so")
    func noChannel() {
        let state = DeliveryState(reminder: reminder, names: [], states: [:], maxAttempts: [:], now: now)
        #expect(state.sending.isEmpty)
        #expect(state.outcome == .failed(error: "no channel is configured for this item"))
    }

    @Test("every channel accepted: delivered; one retries: retrying at the earliest; none retries: failed with every error")
    func outcome() {
        func answered(_ statuses: [DeliveryState.ChannelStatus]) -> (Bool, DeliveryState.Outcome) {
            var state = DeliveryState(reminder: reminder, names: ["a", "b"], states: [:], maxAttempts: ["a": 3, "b": 3], now: now)
            var done = false
            for (name, status) in zip(["a", "b"], statuses) { done = state.answer(name, status) }
            return (done, state.outcome)
        }
        let soon = now.addingTimeInterval(30), later = now.addingTimeInterval(90)
        #expect(answered([.delivered, .delivered]) == (true, .delivered))
        #expect(answered([.retry(at: later, error: "a: x"), .retry(at: soon, error: "b: y")]) == (true, .retrying(at: soon, error: "a: x; b: y")))
        #expect(answered([.delivered, .retry(at: later, error: "b: y")]) == (true, .retrying(at: later, error: "b: y")))
        #expect(answered([.gaveUp("a: x"), .gaveUp("b: y")]) == (true, .failed(error: "a: x; b: y")))
        #expect(answered([.delivered]).0 == false, "b is still sending")
    }
}
