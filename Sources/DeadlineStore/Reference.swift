/// A key an import points at (a follow-up's meeting, a deadline's plan) that must exist, in
/// the same import or in the store; where it was written, for the error if it does not.
public struct Reference: Sendable, Equatable {
    public enum Target: String, Sendable { case meeting, plan }

    public var key: String
    public var target: Target
    /// `file:line:column`, or the file.
    public var location: String
    /// What is wrong if it is missing (`no meeting has key 'm0' in this file or in the store`).
    public var message: String

    public init(key: String, target: Target, location: String, message: String) {
        self.key = key
        self.target = target
        self.location = location
        self.message = message
    }
}
