import DeadlineCore

/// A request the application refuses before it changes anything. Store errors (no such item,
/// a duplicate key, not open) reach the caller as the store's `StoreError`.
public enum RequestError: Error, Equatable, CustomStringConvertible {
    /// A parameter with a value it cannot have (its name as the interface spells it).
    case invalidParameter(String)
    case invalidDate(DateInputError)
    case invalidLead(String)
    case invalidRecurrence(String, reason: String)
    /// An agenda, calendar or holiday file with an error at `location` (`file:line:column`).
    case invalidFile(location: String, message: String)
    case noHolidayData(year: Int)
    case noSuchOrganisation(String)
    /// `AddOrganisation` of a code the registry has (an import would update it).
    case duplicateOrganisation(String)
    /// An item that cannot be assigned to organisations (a meeting, or one no longer open).
    case notAssignable(key: String, reason: String)
    /// The item was not assigned to this organisation.
    case noSuchObligation(key: String, code: String)
    /// A plan's key where one of its deadlines is meant, and several would do.
    case ambiguousKey(key: String, candidates: [String])

    public var description: String {
        switch self {
        case .invalidParameter(let name): "invalid parameter '\(name)'"
        case .invalidDate(let error): error.description
        case .invalidLead(let text): "'\(text)' is not a reminder lead (e.g. 1d, 2h, 3wd@09:00)"
        case .invalidRecurrence(let text, let reason): "'\(text)': \(reason)"
        case .invalidFile(let location, let message): "\(location): \(message)"
        case .noHolidayData(let year): "no holiday data for \(year)"
        case .noSuchOrganisation(let code): "no organisation has code '\(code)'"
        case .duplicateOrganisation(let code): "an organisation with code '\(code)' exists already"
        case .notAssignable(let key, let reason): "'\(key)' cannot be assigned to organisations: \(reason)"
        case .noSuchObligation(let key, let code): "'\(key)' is not assigned to organisation '\(code)'"
        case .ambiguousKey(let key, let candidates): "'\(key)' could mean \(candidates.joined(separator: ", ")): name one"
        }
    }
}
