import DeadlineStore
import PostgresNIO

extension StoreError {
    /// A PostgresNIO error as what it means for the store: no server message reaches people
    /// unexplained, and a lost connection says which server.
    init(postgres error: any Error, location: PostgresLocation) {
        if let mapped = error as? StoreError { self = mapped; return }
        guard let error = error as? PSQLError else {
            self = .unavailable(reason: "the PostgreSQL server at \(location) cannot be reached: \(error)")
            return
        }
        let state = error.serverInfo?[.sqlState] ?? ""
        let message = error.serverInfo?[.message] ?? ""
        switch (error.code, state) {
        case (.server, "53100"): self = .full
        case (.server, "23505"): self = .unavailable(reason: "the change conflicts with what is stored (\(message))")
        case (.server, "40001"), (.server, "40P01"):
            self = .unavailable(reason: "the change collided with another node's and was rolled back (\(message))")
        case (.server, let s) where s.hasPrefix("28"):
            self = .cannotOpen(path: location.description, reason: "the server refused the login: \(message)")
        case (.server, "3D000"): self = .cannotOpen(path: location.description, reason: message)
        case (.server, let s) where s.hasPrefix("57P") || s.hasPrefix("08"):
            self = .unavailable(reason: "the PostgreSQL server at \(location) went away (\(message))")
        case (.server, _): self = .unavailable(reason: "the PostgreSQL server refused a statement (\(state): \(message))")
        case (.serverClosedConnection, _), (.clientClosedConnection, _), (.connectionError, _), (.uncleanShutdown, _):
            self = .unavailable(reason: "the connection to the PostgreSQL server at \(location) was lost")
        default: self = .unavailable(reason: "the PostgreSQL store failed (\(error.code))")
        }
    }
}
