import DeadlineStore
import Foundation
import PostgresStore
import PostgresTestKit
import SQLiteStore
import Testing

/// The store implementations the store suites run against. A backend adds a case and how to
/// open a store of its own; every test that takes a `backend` then runs on it as well.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite
    /// A database of its own in the test process's PostgreSQL cluster (`PostgresTestCluster`).
    case postgresql

    var testDescription: String { rawValue }

    /// The store kept in `directory`: empty the first time, the same store when opened again.
    func open(in directory: TemporaryDirectory) throws -> any Store {
        switch self {
        case .sqlite: return try SQLiteStore(path: directory.path + "/store.sqlite")
        case .postgresql:
            let cluster = try PostgresTestCluster.shared.get()
            let name = directory.databaseName
            if try cluster.psql("SELECT 1 FROM pg_database WHERE datname = '\(name)'").isEmpty { try cluster.createDatabase(name) }
            return try PostgresStore(PostgresLocation(url: cluster.url(database: name)))
        }
    }
}

/// A fresh directory per test, removed afterwards.
final class TemporaryDirectory {
    let path: String
    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("deadlined-store-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// The PostgreSQL database that stands for this directory.
    var databaseName: String { "t" + URL(fileURLWithPath: path).lastPathComponent.replacingOccurrences(of: "-", with: "_").lowercased() }
}
