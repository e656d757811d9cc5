import Foundation

/// The envelope of a Varlink call: `{"method": "...", "parameters": {...}, "oneway": true, ...}`.
/// Parameters are decoded separately, by the method's own type.
public struct VarlinkCall: Decodable, Sendable {
    public let method: String
    public let oneway: Bool
    public let more: Bool
    public let upgrade: Bool

    enum CodingKeys: String, CodingKey { case method, oneway, more, upgrade }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        method = try c.decode(String.self, forKey: .method)
        oneway = try c.decodeIfPresent(Bool.self, forKey: .oneway) ?? false
        more = try c.decodeIfPresent(Bool.self, forKey: .more) ?? false
        upgrade = try c.decodeIfPresent(Bool.self, forKey: .upgrade) ?? false
    }
}

/// Takes just the parameters of a call, typed.
struct ParametersEnvelope<P: Decodable>: Decodable {
    let parameters: P?
}

/// A call as a client sends it.
struct OutgoingCall<P: Encodable>: Encodable {
    let method: String
    let parameters: P
    let oneway: Bool?
    let more: Bool?
}

/// A reply: parameters, or an error name with its parameters; `continues` while more follow.
struct ReplyEnvelope<P: Encodable>: Encodable {
    var parameters: P?
    var error: String?
    var continues: Bool?
}

/// A reply as a client receives it, parameters untyped until the caller asks for a type.
public struct IncomingReply: Decodable, Sendable {
    public let parameters: JSONValue?
    public let error: String?
    public let continues: Bool?
}

/// A Varlink error: a fully qualified name (`org.varlink.service.MethodNotFound`) and
/// parameters that say what went wrong.
public struct VarlinkError: Error, Sendable, Equatable, CustomStringConvertible {
    public let name: String
    public let parameters: [String: JSONValue]

    public init(_ name: String, _ parameters: [String: JSONValue] = [:]) {
        self.name = name
        self.parameters = parameters
    }

    public var description: String {
        guard !parameters.isEmpty else { return name }
        let data = (try? VarlinkJSON.encoder.encode(parameters)) ?? Data()
        return name + " " + (String(data: data, encoding: .utf8) ?? "")
    }

    public static func methodNotFound(_ method: String) -> VarlinkError {
        VarlinkError("org.varlink.service.MethodNotFound", ["method": .string(method)])
    }
    public static func interfaceNotFound(_ interface: String) -> VarlinkError {
        VarlinkError("org.varlink.service.InterfaceNotFound", ["interface": .string(interface)])
    }
    public static func invalidParameter(_ parameter: String) -> VarlinkError {
        VarlinkError("org.varlink.service.InvalidParameter", ["parameter": .string(parameter)])
    }
    public static let permissionDenied = VarlinkError("org.varlink.service.PermissionDenied")
    public static let expectedMore = VarlinkError("org.varlink.service.ExpectedMore")
    public static func methodNotImplemented(_ method: String) -> VarlinkError {
        VarlinkError("org.varlink.service.MethodNotImplemented", ["method": .string(method)])
    }
}

enum VarlinkJSON {
    static let encoder: JSONEncoder = {
        let e = JSONEncoder()
        e.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return e
    }()
    static let decoder = JSONDecoder()
}
