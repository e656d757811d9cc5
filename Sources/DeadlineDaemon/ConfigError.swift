/// A config that cannot be used: says where (file:line:column, or the environment
/// variable) and what is wrong.
public struct ConfigError: Error, Equatable, CustomStringConvertible {
    public let location: String
    public let message: String

    public var description: String { "\(location): \(message)" }
}
