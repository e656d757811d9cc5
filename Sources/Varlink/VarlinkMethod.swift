import Foundation
import Synchronization

/// One method of a Varlink interface, typed: its qualified name, who may call it, whether it
/// streams, and the Swift types its parameters and reply are. The server binds a handler to it
/// and clients call through it, so a name or a type cannot differ between the two.
public struct VarlinkMethod<Parameters: Codable & Sendable, Reply: Codable & Sendable>: VarlinkMethodDescription {
    public let interface: String
    public let name: String
    public let access: VarlinkInterface.Access
    /// Called with `more: true`; answers with a stream of replies.
    public let streams: Bool
    /// Whether calls after it on a connection may start before it is answered.
    public let ordering: CallOrdering

    public init(interface: String, name: String, access: VarlinkInterface.Access = .read, streams: Bool = false,
                ordering: CallOrdering = .sequential) {
        precondition(!(streams && ordering == .pipelined), "a stream holds its connection until it ends")
        self.interface = interface
        self.name = name
        self.access = access
        self.streams = streams
        self.ordering = ordering
    }

    public var parameterType: any Decodable.Type { Parameters.self }
    public var replyType: any Decodable.Type { Reply.self }
}

/// What a `VarlinkMethod` is, without its types as parameters: for lists of an interface's
/// methods (introspection checks, tests).
public protocol VarlinkMethodDescription: Sendable {
    var interface: String { get }
    var name: String { get }
    var access: VarlinkInterface.Access { get }
    var streams: Bool { get }
    var parameterType: any Decodable.Type { get }
    var replyType: any Decodable.Type { get }
}

extension VarlinkMethodDescription {
    public var qualifiedName: String { interface + "." + name }
}

extension VarlinkInterface {
    /// Binds `body` to `method`; the interface must be the method's.
    public mutating func bind<P, R>(_ method: VarlinkMethod<P, R>, _ body: @escaping @Sendable (P) async throws -> R) {
        precondition(method.interface == name && !method.streams, "\(method.qualifiedName) is not a plain method of \(name)")
        self.method(method.name, P.self, access: method.access, ordering: method.ordering, body)
    }

    /// Binds `body` to `method`, keeping the last reply and its encoding: a reply equal to the one
    /// before goes out as encoded then. For a method asked often whose answer rarely changes
    /// (Status): comparing is far cheaper than encoding.
    public mutating func bindReusingEncoding<P, R: Equatable>(_ method: VarlinkMethod<P, R>, _ body: @escaping @Sendable (P) async throws -> R) {
        precondition(method.interface == name && !method.streams, "\(method.qualifiedName) is not a plain method of \(name)")
        let last = Mutex<(reply: R, encoded: Data)?>(nil)
        methods[method.name] = Method(access: method.access, ordering: method.ordering) { message in
            let reply = try await body(try Self.parameters(of: message) as P)
            if let kept = last.withLock({ $0 }), kept.reply == reply { return kept.encoded }
            let encoded = try VarlinkJSON.encoder.encode(reply)
            last.withLock { $0 = (reply, encoded) }
            return encoded
        }
    }

    /// Binds a streaming `body` to `method`.
    public mutating func bind<P, R>(_ method: VarlinkMethod<P, R>, _ body: @escaping @Sendable (P) async throws -> AsyncStream<R>) {
        precondition(method.interface == name && method.streams, "\(method.qualifiedName) is not a streaming method of \(name)")
        streamingMethod(method.name, P.self, access: method.access, body)
    }
}

extension VarlinkClient {
    /// Calls `method` and decodes its reply.
    public func call<P, R>(_ method: VarlinkMethod<P, R>, _ parameters: P) throws -> R {
        try call(method.qualifiedName, parameters, as: R.self)
    }

    /// Calls `method` and returns its reply as it came.
    public func callUntyped<P, R>(_ method: VarlinkMethod<P, R>, _ parameters: P) throws -> JSONValue {
        try call(method.qualifiedName, parameters)
    }

    /// Calls `method` for each of `parameters`, pipelined (see `pipeline(_:_:as:window:)`).
    public func pipeline<P, R>(_ method: VarlinkMethod<P, R>, _ parameters: [P], window: Int = 64) throws -> [Result<R, VarlinkError>] {
        try pipeline(method.qualifiedName, parameters, as: R.self, window: window)
    }

    /// Calls a streaming `method`, handing each reply to `body` (see `stream(_:_:as:_:)`).
    public func stream<P, R>(_ method: VarlinkMethod<P, R>, _ parameters: P, _ body: (R) throws -> Bool) throws {
        try stream(method.qualifiedName, parameters, as: R.self, body)
    }
}
