import DeadlineStore
import Dispatch
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// The other half of migration v4's trigger: one connection per node that listens on
/// `deadlined_schedule`. It is a hint, never the truth: the poll stays, and catches whatever
/// a notification did not (one sent while this connection was down, for instance).
extension PostgresStore {
    static let scheduleChannel = "deadlined_schedule"

    /// Listens until the returned closure is called; a broken connection is opened again a
    /// second later, and `onChange` is called on each (re)connection too, for what was missed.
    public func watchSchedule(_ onChange: @escaping @Sendable () -> Void) -> (@Sendable () -> Void)? {
        let listener = ScheduleListener(place: place, logger: logger, onChange: onChange)
        listener.start()
        return { listener.stop() }
    }
}

/// Futures and a queue of its own, not Swift tasks: the listener must not wait for a turn on
/// the cooperative pool, whose few threads a busy process may hold.
final class ScheduleListener: @unchecked Sendable {
    private let place: PostgresLocation
    private let logger: Logger
    private let onChange: @Sendable () -> Void
    private let queue = DispatchQueue(label: "deadlined.store.listen")
    // On `queue` only.
    private var connection: PostgresConnection?
    private var stopped = false

    init(place: PostgresLocation, logger: Logger, onChange: @escaping @Sendable () -> Void) {
        self.place = place
        self.logger = logger
        self.onChange = onChange
    }

    func start() { queue.async { self.connect() } }

    func stop() {
        queue.async {
            self.stopped = true
            self.connection.map(Self.close)
            self.connection = nil
        }
    }

    private func connect() {
        guard !stopped else { return }
        let configuration: PostgresConnection.Configuration
        do { configuration = try place.configuration() } catch { return retry(error) }
        PostgresConnection.connect(on: NIOSingletons.posixEventLoopGroup.next(), configuration: configuration, id: 0, logger: logger)
            .whenComplete { result in self.queue.async { self.connected(result) } }
    }

    private func connected(_ result: Result<PostgresConnection, any Error>) {
        switch result {
        case .failure(let error):
            retry(error)
        case .success(let connection):
            guard !stopped else { return Self.close(connection) }
            self.connection = connection
            let onChange = onChange
            connection.addListener(channel: PostgresStore.scheduleChannel) { _, _ in onChange() }
            connection.query("LISTEN \(unescaped: "\"" + PostgresStore.scheduleChannel + "\"")", logger: logger).whenComplete { result in
                switch result {
                case .success: onChange()   // what changed while no one listened
                case .failure: Self.close(connection)
                }
            }
            connection.closeFuture.whenComplete { _ in
                self.queue.async {
                    guard self.connection === connection else { return }
                    self.connection = nil
                    self.retry(nil)
                }
            }
        }
    }

    private static func close(_ connection: PostgresConnection) {
        let _: EventLoopFuture<Void> = connection.close()
    }

    private func retry(_ error: (any Error)?) {
        guard !stopped else { return }
        if let error { logger.debug("the schedule's notifications stopped; listening again in 1 s: \(error)") }
        queue.asyncAfter(deadline: .now() + 1) { self.connect() }
    }
}
