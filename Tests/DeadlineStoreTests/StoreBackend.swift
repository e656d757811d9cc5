import DeadlineStore
import Foundation
import SQLiteStore
import Testing

/// The store implementations the store suites run against. A backend adds a case and how to
/// open a store of its own; every test that takes a `backend` then runs on it as well.
enum StoreBackend: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite

    var testDescription: String { rawValue }

    /// The store kept in `directory`: empty the first time, the same store when opened again.
    func open(in directory: TemporaryDirectory) throws -> any Store {
        switch self {
        case .sqlite: try SQLiteStore(path: directory.path + "/store.sqlite")
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
}
