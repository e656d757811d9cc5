import DeadlineCore
import Foundation

/// What went wrong in the store, in words for the people who read `status` and `check`: no
/// SQLite message reaches them, and a refused change says that nothing was changed.
public enum StoreError: Error, CustomStringConvertible, Equatable {
    case cannotOpen(path: String, reason: String)
    case corrupt(String)
    case duplicateKey(String)
    case noSuchItem(String)
    case notOpen(key: String, state: ItemState)
    /// A reference of an import that points at nothing.
    case unknownReference(location: String, message: String)
    case duplicateUID(String)
    /// The file system the store is on has no room left (or its quota is used up).
    case full
    /// The store could not be read or written: `reason` says how, in words.
    case unavailable(reason: String)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason): "cannot open the store \(path): \(reason)"
        case .corrupt(let what): "the store holds a value this version cannot read: \(what)"
        case .duplicateKey(let key): "an item with key '\(key)' exists already"
        case .noSuchItem(let key): "no item has key '\(key)'"
        case .notOpen(let key, let state): "item '\(key)' is \(state.rawValue) already"
        case .unknownReference(let location, let message): "\(location): \(message)"
        case .duplicateUID(let uid): "an item with UID '\(uid)' exists already"
        case .full: "the store's file system is full: nothing was changed"
        case .unavailable(let reason): "\(reason): nothing was changed"
        }
    }
}
