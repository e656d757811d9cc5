/// The shape of a Varlink value, as an IDL declares it or as a Swift type decodes it: what
/// `InterfaceConformanceTests` compares.
indirect enum WireShape: Equatable, Sendable, CustomStringConvertible {
    case bool, int, float, string, object
    case optional(WireShape)
    case array(WireShape)
    case map(WireShape)
    case enumeration(Set<String>)
    case record([String: WireShape])
    /// A type the IDL declares by name; resolved before comparing.
    case named(String)

    var description: String {
        switch self {
        case .bool: "bool"
        case .int: "int"
        case .float: "float"
        case .string: "string"
        case .object: "object"
        case .optional(let s): "?\(s)"
        case .array(let s): "[]\(s)"
        case .map(let s): "[string]\(s)"
        case .enumeration(let cases): "(\(cases.sorted().joined(separator: ", ")))"
        case .record(let fields): "(\(fields.keys.sorted().map { "\($0): \(fields[$0]!)" }.joined(separator: ", ")))"
        case .named(let name): name
        }
    }

    /// Replaces every named type by its declaration in `types`.
    func resolved(in types: [String: WireShape]) throws -> WireShape {
        switch self {
        case .named(let name):
            guard let declared = types[name] else { throw IDLError(message: "type \(name) is not declared") }
            return try declared.resolved(in: types)
        case .optional(let s): return .optional(try s.resolved(in: types))
        case .array(let s): return .array(try s.resolved(in: types))
        case .map(let s): return .map(try s.resolved(in: types))
        case .record(let fields): return .record(try fields.mapValues { try $0.resolved(in: types) })
        default: return self
        }
    }

    /// Where `self` (the IDL's) and `other` (Swift's) differ, one line per difference, by path.
    func differences(from other: WireShape, at path: String) -> [String] {
        switch (self, other) {
        case (.optional(let a), .optional(let b)), (.array(let a), .array(let b)), (.map(let a), .map(let b)):
            return a.differences(from: b, at: path)
        case (.record(let a), .record(let b)):
            var out: [String] = []
            for name in Set(a.keys).union(b.keys).sorted() {
                switch (a[name], b[name]) {
                case (let x?, let y?): out += x.differences(from: y, at: path + "." + name)
                case (_?, nil): out.append("\(path).\(name): in the IDL, not in the Swift type")
                case (nil, _?): out.append("\(path).\(name): in the Swift type, not in the IDL")
                case (nil, nil): break
                }
            }
            return out
        default:
            return self == other ? [] : ["\(path): the IDL says \(self), the Swift type decodes \(other)"]
        }
    }
}

struct IDLError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}
