import Foundation
import Synchronization

/// Fans events out to every `Watch` call. A slow watcher loses its oldest events, never
/// slows the daemon: each has a bounded buffer.
public final class EventHub<Event: Sendable>: Sendable {
    private let subscribers = Mutex<[Int: AsyncStream<Event>.Continuation]>([:])
    private let nextID = Atomic<Int>(0)
    private let bufferSize: Int

    public init(bufferSize: Int = 1000) { self.bufferSize = bufferSize }

    /// A stream of every event published from now on, until the stream is dropped.
    public func subscribe() -> AsyncStream<Event> {
        let id = nextID.add(1, ordering: .relaxed).newValue
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(bufferSize))
        continuation.onTermination = { [weak self] _ in _ = self?.subscribers.withLock { $0.removeValue(forKey: id) } }
        subscribers.withLock { $0[id] = continuation }
        return stream
    }

    public func publish(_ event: Event) {
        for c in subscribers.withLock({ Array($0.values) }) { c.yield(event) }
    }

    public var watcherCount: Int { subscribers.withLock { $0.count } }
}
