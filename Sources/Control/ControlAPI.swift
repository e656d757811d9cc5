/// The wire types of `io.deadlined`, shared by the daemon and every client in Swift.
/// Their JSON matches `io.deadlined.varlink` field for field.
public enum ControlAPI {
    public static let interfaceName = "io.deadlined"

    public struct NoParameters: Codable, Sendable, Equatable {
        public init() {}
    }
}
