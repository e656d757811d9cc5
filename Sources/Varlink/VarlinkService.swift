import Foundation

/// One Varlink interface: its name, its IDL text (served by `GetInterfaceDescription`) and
/// its methods by unqualified name.
public struct VarlinkInterface: Sendable {
    /// Takes the whole call message (to decode its parameters) and returns the reply's
    /// parameters, encoded.
    public typealias Handler = @Sendable (Data) async throws -> Data

    /// A method that answers with a stream of replies (`more: true`), each encoded.
    public typealias StreamHandler = @Sendable (Data) async throws -> AsyncThrowingStream<Data, any Error>

    /// Whether a method only reads, or changes something (and so needs `Caller.mayChange`).
    public enum Access: Sendable {
        case read
        case change
    }

    struct Method: Sendable {
        let access: Access
        let ordering: CallOrdering
        let handler: Handler
    }

    struct Stream: Sendable {
        let access: Access
        let handler: StreamHandler
    }

    public let name: String
    public let description: String
    var methods: [String: Method] = [:]
    var streams: [String: Stream] = [:]

    public init(name: String, description: String) {
        self.name = name
        self.description = description
    }

    /// A call's parameters as `P` (absent parameters as `{}`); what does not decode is
    /// `InvalidParameter` naming the field.
    static func parameters<P: Decodable>(of message: Data) throws -> P {
        do {
            return try VarlinkJSON.decoder.decode(ParametersEnvelope<P>.self, from: message).parameters
                ?? VarlinkJSON.decoder.decode(P.self, from: Data("{}".utf8))
        } catch let error as DecodingError {
            throw VarlinkError.invalidParameter(error.fieldPath)
        }
    }

    /// Adds a method whose parameters decode as `P` and whose reply encodes from `R`.
    public mutating func method<P: Decodable & Sendable, R: Encodable & Sendable>(
        _ name: String, _: P.Type = P.self, access: Access = .read, ordering: CallOrdering = .sequential,
        _ body: @escaping @Sendable (P) async throws -> R
    ) {
        methods[name] = Method(access: access, ordering: ordering) { message in
            let parameters: P = try Self.parameters(of: message)
            return try VarlinkJSON.encoder.encode(try await body(parameters))
        }
    }
}

extension VarlinkInterface {
    /// Adds a method that must be called with `more: true` and answers with replies as the
    /// stream yields them, each with `continues: true`, until the client goes away.
    public mutating func streamingMethod<P: Decodable & Sendable, R: Encodable & Sendable>(
        _ name: String, _: P.Type = P.self, access: Access = .read,
        _ body: @escaping @Sendable (P) async throws -> AsyncStream<R>
    ) {
        streams[name] = Stream(access: access) { message in
            let parameters: P = try Self.parameters(of: message)
            let source = try await body(parameters)
            return AsyncThrowingStream { continuation in
                let task = Task {
                    for await element in source {
                        let data = try VarlinkJSON.encoder.encode(ReplyEnvelope(parameters: element, error: nil, continues: true))
                        continuation.yield(data)
                    }
                    continuation.finish()
                }
                continuation.onTermination = { _ in task.cancel() }
            }
        }
    }
}

/// Answers Varlink calls: finds the interface and method, runs it, shapes the reply.
/// Serves `org.varlink.service` (GetInfo, GetInterfaceDescription) itself.
public struct VarlinkService: Sendable {
    public struct Info: Codable, Sendable, Equatable {
        public var vendor: String
        public var product: String
        public var version: String
        public var url: String
        public var interfaces: [String]
    }

    /// What to do after a message.
    public enum Outcome: Sendable, Equatable {
        /// Send these bytes (one JSON reply, without its NUL).
        case reply(Data)
        /// A `oneway` call: send nothing.
        case none
        /// The message was not a Varlink call; the protocol says to close the connection.
        case close(reason: String)
        /// Replies to send as they come (a `more` call); each is a whole reply without its NUL.
        case stream(AsyncThrowingStream<Data, any Error>)

        var isClose: Bool { if case .close = self { true } else { false } }

        public static func == (a: Outcome, b: Outcome) -> Bool {
            switch (a, b) {
            case (.reply(let x), .reply(let y)): x == y
            case (.none, .none): true
            case (.close(let x), .close(let y)): x == y
            default: false
            }
        }
    }

    let info: Info
    let interfaces: [String: VarlinkInterface]
    /// Turns an error a method threw that is not a `VarlinkError` into one, so a caller
    /// never sees a bare failure.
    let mapError: @Sendable (any Error) -> VarlinkError
    /// Told of every call refused for lack of permission (the daemon logs it).
    let onRefusal: @Sendable (Caller, String) -> Void

    public init(vendor: String, product: String, version: String, url: String,
                interfaces: [VarlinkInterface], mapError: @escaping @Sendable (any Error) -> VarlinkError,
                onRefusal: @escaping @Sendable (Caller, String) -> Void = { _, _ in }) {
        self.onRefusal = onRefusal
        var all = Dictionary(uniqueKeysWithValues: interfaces.map { ($0.name, $0) })
        all[Self.serviceInterfaceName] = VarlinkInterface(name: Self.serviceInterfaceName, description: Self.serviceIDL)
        self.interfaces = all
        self.info = Info(vendor: vendor, product: product, version: version, url: url,
                         interfaces: all.keys.sorted())
        self.mapError = mapError
    }

    /// A message read and its method looked up, not yet run: a connection needs the method's
    /// ordering before it runs the call.
    public struct PreparedCall: Sendable {
        enum Target: Sendable {
            case method(VarlinkInterface.Method)
            case stream(VarlinkInterface.Stream)
            case service(String)
            case unknown(VarlinkError)
        }

        let message: Data
        /// Nil: the message is not a Varlink call (the reason is in `notACall`).
        let call: VarlinkCall?
        let target: Target
        let notACall: String

        public var ordering: CallOrdering {
            if case .method(let method) = target { method.ordering } else { .sequential }
        }
    }

    /// Decodes a message's envelope and finds its method.
    public func prepare(_ message: Data) -> PreparedCall {
        let call: VarlinkCall
        do {
            call = try VarlinkJSON.decoder.decode(VarlinkCall.self, from: message)
        } catch {
            return PreparedCall(message: message, call: nil, target: .unknown(.methodNotFound("")),
                                notACall: "not a Varlink call: \(error.shortDescription)")
        }
        return PreparedCall(message: message, call: call, target: target(of: call.method), notACall: "")
    }

    private func target(of method: String) -> PreparedCall.Target {
        guard let dot = method.lastIndex(of: "."), dot != method.startIndex else { return .unknown(.methodNotFound(method)) }
        let interfaceName = String(method[..<dot])
        let methodName = String(method[method.index(after: dot)...])
        guard let interface = interfaces[interfaceName] else { return .unknown(.interfaceNotFound(interfaceName)) }
        if interfaceName == Self.serviceInterfaceName { return .service(methodName) }
        if let stream = interface.streams[methodName] { return .stream(stream) }
        if let plain = interface.methods[methodName] { return .method(plain) }
        return .unknown(.methodNotFound(method))
    }

    /// Answers one message from `caller` (nil: a trusted in-process caller, as in tests).
    public func handle(message: Data, caller: Caller? = nil) async -> Outcome {
        await run(prepare(message), caller: caller)
    }

    /// Answers a prepared call from `caller`.
    public func run(_ prepared: PreparedCall, caller: Caller?) async -> Outcome {
        let start = DispatchTime.now().uptimeNanoseconds
        let (outcome, failed) = await answer(prepared, caller: caller)
        VarlinkMetrics.call(prepared, failed ? "error" : outcome.isClose ? "closed" : "ok", nanoseconds: DispatchTime.now().uptimeNanoseconds - start)
        return outcome
    }

    /// The outcome, and whether it is an error.
    private func answer(_ prepared: PreparedCall, caller: Caller?) async -> (Outcome, Bool) {
        guard let call = prepared.call else { return (.close(reason: prepared.notACall), false) }
        let reply: Data
        do {
            switch prepared.target {
            case .unknown(let error):
                throw error
            case .service(let name):
                reply = try serviceMethod(name, call: call, message: prepared.message)
            case .stream(let stream):
                try permit(stream.access, to: caller, call)
                guard call.more else { throw VarlinkError.expectedMore }
                return (.stream(try await Caller.$current.withValue(caller) { try await stream.handler(prepared.message) }), false)
            case .method(let method):
                try permit(method.access, to: caller, call)
                reply = try await Caller.$current.withValue(caller) { try await method.handler(prepared.message) }
            }
        } catch let error as VarlinkError {
            return (call.oneway ? .none : .reply(Self.encodeError(error)), true)
        } catch {
            return (call.oneway ? .none : .reply(Self.encodeError(mapError(error))), true)
        }
        if call.oneway { return (.none, false) }
        return (.reply(Self.wrap(parameters: reply)), false)
    }

    private func permit(_ access: VarlinkInterface.Access, to caller: Caller?, _ call: VarlinkCall) throws {
        if access == .change, let caller, !caller.mayChange {
            onRefusal(caller, call.method)
            throw VarlinkError.permissionDenied
        }
    }

    private func serviceMethod(_ name: String, call: VarlinkCall, message: Data) throws -> Data {
        switch name {
        case "GetInfo":
            return try VarlinkJSON.encoder.encode(info)
        case "GetInterfaceDescription":
            struct P: Decodable { let interface: String }
            let p: P
            do { p = try VarlinkJSON.decoder.decode(ParametersEnvelope<P>.self, from: message).parameters ?? P(interface: "") }
            catch { throw VarlinkError.invalidParameter("interface") }
            guard let interface = interfaces[p.interface] else { throw VarlinkError.interfaceNotFound(p.interface) }
            return try VarlinkJSON.encoder.encode(["description": interface.description])
        default:
            throw VarlinkError.methodNotFound(call.method)
        }
    }

    static func wrap(parameters: Data) -> Data {
        Data(#"{"parameters":"#.utf8) + parameters + Data("}".utf8)
    }

    static func encodeError(_ error: VarlinkError) -> Data {
        let envelope = ReplyEnvelope<[String: JSONValue]>(parameters: error.parameters, error: error.name)
        return (try? VarlinkJSON.encoder.encode(envelope)) ?? Data(#"{"error":"org.varlink.service.InvalidParameter"}"#.utf8)
    }

    static let serviceInterfaceName = "org.varlink.service"

    /// The standard interface every Varlink service offers (varlink.org, "Service").
    static let serviceIDL = """
        # The Varlink Service Interface is provided by every varlink service. It
        # describes the service and the interfaces it implements.
        interface org.varlink.service

        # Get a list of all the interfaces a service provides and information
        # about the implementation.
        method GetInfo() -> (
          vendor: string,
          product: string,
          version: string,
          url: string,
          interfaces: []string
        )

        # Get the description of an interface that is implemented by this service.
        method GetInterfaceDescription(interface: string) -> (description: string)

        # The requested interface was not found.
        error InterfaceNotFound (interface: string)

        # The requested method was not found
        error MethodNotFound (method: string)

        # The interface defines the requested method, but the service does not
        # implement it.
        error MethodNotImplemented (method: string)

        # One of the passed parameters is invalid.
        error InvalidParameter (parameter: string)

        # Client is denied access
        error PermissionDenied ()

        # Method is expected to be called with 'more' set to true, but wasn't
        error ExpectedMore ()

        """
}

extension DecodingError {
    /// The dotted path of the parameter that failed, without the envelope's `parameters`.
    var fieldPath: String {
        var path: [any CodingKey]
        switch self {
        case .keyNotFound(let key, let ctx): path = ctx.codingPath + [key]
        case .typeMismatch(_, let ctx), .valueNotFound(_, let ctx), .dataCorrupted(let ctx): path = ctx.codingPath
        @unknown default: path = []
        }
        if path.first?.stringValue == "parameters" { path.removeFirst() }
        let joined = path.map { $0.intValue.map { "[\($0)]" } ?? $0.stringValue }.joined(separator: ".")
        return joined.isEmpty ? "parameters" : joined
    }
}

extension Error {
    var shortDescription: String {
        if let e = self as? DecodingError {
            switch e {
            case .dataCorrupted: return "invalid JSON"
            case .keyNotFound(let key, _): return "no '\(key.stringValue)'"
            case .typeMismatch(_, let ctx): return "wrong type at '\(ctx.codingPath.map(\.stringValue).joined(separator: "."))'"
            default: return "\(e)"
            }
        }
        return "\(self)"
    }
}
