import DeadlineStore
import GRDB

extension StoreError {
    /// A GRDB error as what it means for the store.
    init(_ error: DatabaseError) {
        switch error.resultCode {
        case .SQLITE_FULL: self = .full
        case .SQLITE_READONLY: self = .unavailable(reason: "the store's file is read-only")
        case .SQLITE_IOERR: self = .unavailable(reason: "the store's file could not be read or written (an I/O error)")
        case .SQLITE_BUSY, .SQLITE_LOCKED: self = .unavailable(reason: "the store is locked by another process")
        case .SQLITE_CORRUPT, .SQLITE_NOTADB: self = .corrupt("the file is damaged")
        case .SQLITE_CANTOPEN: self = .unavailable(reason: "the store's file cannot be opened")
        case .SQLITE_CONSTRAINT: self = .unavailable(reason: "the change conflicts with what is stored")
        default: self = .unavailable(reason: "the store failed (error \(error.extendedResultCode.rawValue))")
        }
    }
}
