import DeadlineStore
import Foundation
import Logging
import NIOCore
import NIOPosix
import PostgresNIO

/// A few connections to the server, handed to one caller at a time. The store's protocol
/// blocks its caller (the timer core's queues, the commit path's executor), so the pool does
/// too: a caller waits for a free connection, a broken one is dropped and the next caller opens
/// a new one, so a restarted server is reconnected to without anyone's help.
final class ConnectionPool: @unchecked Sendable {
    let location: PostgresLocation
    private let size: Int
    private let logger: Logger
    private let group: any EventLoopGroup
    // Guarded by `condition`.
    private let condition = NSCondition()
    private var idle: [PostgresConnection] = []
    private var open = 0
    private var nextID = 0
    private var closed = false

    init(location: PostgresLocation, size: Int, logger: Logger, group: any EventLoopGroup = NIOSingletons.posixEventLoopGroup) {
        self.location = location
        self.size = max(1, size)
        self.logger = logger
        self.group = group
    }

    /// Runs `body` on a connection of its own; the connection goes back to the pool afterwards,
    /// or is closed if it broke.
    func withSession<T>(_ body: (PostgresSession) throws -> T) throws -> T {
        let connection = try checkOut()
        let session = PostgresSession(connection: connection, logger: logger, location: location)
        defer { checkIn(connection) }
        return try body(session)
    }

    private func checkOut() throws -> PostgresConnection {
        condition.lock()
        let deadline = Date().addingTimeInterval(30)
        while true {
            if closed {
                condition.unlock()
                throw StoreError.unavailable(reason: "the store is closed")
            }
            if let connection = idle.popLast() {
                if connection.isClosed { open -= 1; continue }
                condition.unlock()
                return connection
            }
            if open < size { break }
            guard condition.wait(until: deadline) else {
                condition.unlock()
                throw StoreError.unavailable(reason: "all \(size) connections to \(location) stayed busy for 30 seconds")
            }
        }
        open += 1
        nextID += 1
        let id = nextID
        condition.unlock()
        do {
            return try PostgresConnection.connect(on: group.next(), configuration: try location.configuration(), id: id, logger: logger).wait()
        } catch {
            condition.lock()
            open -= 1
            condition.signal()
            condition.unlock()
            throw StoreError(postgres: error, location: location)
        }
    }

    private func checkIn(_ connection: PostgresConnection) {
        condition.lock()
        if connection.isClosed || closed {
            open -= 1
        } else {
            idle.append(connection)
        }
        condition.signal()
        condition.unlock()
        if closed { try? connection.close().wait() }
    }

    /// Closes the idle connections; connections in use close when they come back.
    func close() {
        condition.lock()
        closed = true
        let connections = idle
        open -= idle.count
        idle = []
        condition.broadcast()
        condition.unlock()
        for c in connections { try? c.close().wait() }
    }
}

/// One connection while a caller has it: statements run one after the other and block.
struct PostgresSession {
    let connection: PostgresConnection
    let logger: Logger
    let location: PostgresLocation

    @discardableResult
    func query(_ query: PostgresQuery) throws -> PostgresQueryResult {
        do {
            return try connection.query(query, logger: logger).wait()
        } catch {
            throw StoreError(postgres: error, location: location)
        }
    }

    /// The rows of `query`, random-access by column name.
    func rows(_ query: PostgresQuery) throws -> [PostgresRandomAccessRow] {
        try self.query(query).rows.map { $0.makeRandomAccess() }
    }

    /// Runs `body` between BEGIN and COMMIT, rolling back when it throws.
    func inTransaction<T>(_ begin: PostgresQuery = "BEGIN", _ body: () throws -> T) throws -> T {
        try query(begin)
        do {
            let result = try body()
            try query("COMMIT")
            return result
        } catch {
            _ = try? query("ROLLBACK")
            throw error
        }
    }
}
