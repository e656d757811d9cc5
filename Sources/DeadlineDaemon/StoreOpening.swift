import DeadlineStore
import Delivery
import Foundation
import Logging
import PostgresStore
import SQLiteStore

/// Which store implementation the daemon runs on (`store.backend`).
public enum StoreBackend: String, Sendable, CaseIterable {
    /// One file (`store.path`): the embedded default, one node.
    case sqlite
    /// One database (`store.url`) shared by several nodes.
    case postgresql
}

extension DaemonConfig {
    /// Opens the configured store, migrating it; errors say which store and why.
    func openStore(environment: [String: String], logger: Logger) throws -> any Store {
        switch storeBackend {
        case .sqlite:
            try Daemon.makeParentDirectory(of: storePath)
            return try SQLiteStore(path: storePath, durability: storeDurability)
        case .postgresql:
            let url = storeURL ?? ""
            let password: String?
            do { password = try storePassword?.load(environment: environment) }
            catch { throw StoreError.cannotOpen(path: url, reason: "the password: \(error)") }
            return try PostgresStore(PostgresLocation(url: url, password: password), node: node, connections: storeConnections,
                                     logger: logger)
        }
    }

    /// Where the store is, for people: the file, or the URL without its password.
    public var storeLocation: String {
        switch storeBackend {
        case .sqlite: storePath
        case .postgresql: (storeURL.flatMap { try? PostgresLocation(url: $0) })?.description ?? "PostgreSQL"
        }
    }
}
