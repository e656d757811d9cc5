/// A file that cannot be used: where (file:line:column) and what is wrong.
public struct AgendaError: Error, Equatable, CustomStringConvertible {
    public let location: String
    public let message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
