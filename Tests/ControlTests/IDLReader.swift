/// Reads a Varlink interface definition (varlink.org's grammar: `type`, `method`, `error`,
/// comments) into shapes, for comparing with the Swift wire types. Only what a test needs.
struct IDLReader: Sendable {
    struct Method: Sendable {
        var parameters: WireShape
        var reply: WireShape
    }

    private(set) var name = ""
    private(set) var types: [String: WireShape] = [:]
    private(set) var methods: [String: Method] = [:]
    private(set) var errors: [String: WireShape] = [:]

    private var tokens: [String]
    private var position = 0

    init(_ text: String) throws {
        tokens = Self.tokenize(text)
        while position < tokens.count {
            let keyword = try next()
            switch keyword {
            case "interface": name = try next()
            case "type":
                let name = try next()
                types[name] = try shape()
            case "method":
                let name = try next()
                let parameters = try shape()
                try expect("->")
                methods[name] = Method(parameters: parameters, reply: try shape())
            case "error":
                let name = try next()
                errors[name] = try shape()
            default: throw IDLError(message: "unexpected '\(keyword)' at token \(position)")
            }
        }
    }

    private static func tokenize(_ text: String) -> [String] {
        var out: [String] = []
        var word = ""
        func flush() { if !word.isEmpty { out.append(word); word = "" } }
        var chars = Array(text)[...]
        while let c = chars.popFirst() {
            if c == "#" {
                flush()
                while let d = chars.first, d != "\n" { chars.removeFirst() }
            } else if c == "-" && chars.first == ">" {
                flush()
                chars.removeFirst()
                out.append("->")
            } else if "(),:?[]".contains(c) {
                flush()
                out.append(String(c))
            } else if c.isWhitespace {
                flush()
            } else {
                word.append(c)
            }
        }
        flush()
        return out
    }

    private mutating func next() throws -> String {
        guard position < tokens.count else { throw IDLError(message: "the definition ends too early") }
        defer { position += 1 }
        return tokens[position]
    }

    private mutating func expect(_ token: String) throws {
        let got = try next()
        guard got == token else { throw IDLError(message: "expected '\(token)', found '\(got)' at token \(position)") }
    }

    private func peek(_ offset: Int = 0) -> String? {
        position + offset < tokens.count ? tokens[position + offset] : nil
    }

    private mutating func shape() throws -> WireShape {
        let token = try next()
        switch token {
        case "?": return .optional(try shape())
        case "[":
            if peek() == "]" {
                position += 1
                return .array(try shape())
            }
            try expect("string")
            try expect("]")
            return .map(try shape())
        case "(":
            if peek() == ")" {
                position += 1
                return .record([:])
            }
            if peek(1) == ":" {
                var fields: [String: WireShape] = [:]
                repeat {
                    let name = try next()
                    try expect(":")
                    fields[name] = try shape()
                } while try separator()
                return .record(fields)
            }
            var cases: Set<String> = []
            repeat { cases.insert(try next()) } while try separator()
            return .enumeration(cases)
        case "bool": return .bool
        case "int": return .int
        case "float": return .float
        case "string": return .string
        case "object": return .object
        default: return .named(token)
        }
    }

    /// Consumes `,` (true: more follow) or `)` (false: the list is over).
    private mutating func separator() throws -> Bool {
        let token = try next()
        switch token {
        case ",": return true
        case ")": return false
        default: throw IDLError(message: "expected ',' or ')', found '\(token)' at token \(position)")
        }
    }
}
