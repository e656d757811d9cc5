import Yams

/// Reads a YAML file as nodes that keep their positions, so every error can say file:line:column.
struct YAMLDocument {
    let file: String
    let root: Node?

    init(text: String, file: String) throws(AgendaError) {
        self.file = file
        do {
            root = try Yams.compose(yaml: text)
        } catch let error as YamlError {
            switch error {
            case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
                throw AgendaError(location: "\(file):\(mark.line):\(mark.column)", message: "not valid YAML: \(problem)")
            case .duplicatedKeysInMapping(let duplicates, let context):
                throw AgendaError(location: "\(file):\(context.mark.line):\(context.mark.column)",
                                  message: "given more than once: " + duplicates.joined(separator: ", "))
            default:
                throw AgendaError(location: file, message: "not valid YAML: \(error)")
            }
        } catch {
            throw AgendaError(location: file, message: "not valid YAML: \(error)")
        }
    }

    func location(_ node: Node?) -> String {
        guard let mark = node?.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }

    func fail(_ node: Node?, _ message: String) -> AgendaError {
        AgendaError(location: location(node), message: message)
    }

    /// A mapping whose keys must all be in `allowed`; a key outside it is an error that names it
    /// and the keys that would have been accepted.
    func mapping(_ node: Node, allowed: [String], what: String) throws(AgendaError) -> Fields {
        guard case .mapping(let m) = node else { throw fail(node, "\(what) must be a mapping of keys to values") }
        var out: [String: Node] = [:]
        var keyNodes: [String: Node] = [:]
        for (k, v) in m {
            guard let name = k.scalar?.string else { throw fail(k, "a key must be a plain name") }
            guard allowed.contains(name) else {
                throw fail(k, "unknown key '\(name)' in \(what); known: " + allowed.sorted().joined(separator: ", "))
            }
            out[name] = v
            keyNodes[name] = k
        }
        return Fields(doc: self, node: node, what: what, values: out)
    }

    func sequence(_ node: Node, what: String) throws(AgendaError) -> [Node] {
        if case .scalar(let s) = node, isNull(s) { return [] }
        guard case .sequence(let s) = node else { throw fail(node, "\(what) must be a list") }
        return Array(s)
    }

    func isNull(_ s: Node.Scalar) -> Bool { ["", "~", "null", "Null", "NULL"].contains(s.string) && s.style == .plain }

    /// The fields of one mapping, read by name, each error pointing at the value.
    struct Fields {
        let doc: YAMLDocument
        let node: Node
        let what: String
        let values: [String: Node]

        func node(_ key: String) -> Node? { values[key] }

        func string(_ key: String) throws(AgendaError) -> String? {
            guard let v = values[key] else { return nil }
            guard case .scalar(let s) = v else { throw doc.fail(v, "'\(key)' takes a single value") }
            if doc.isNull(s) { return nil }
            return s.string
        }

        func required(_ key: String) throws(AgendaError) -> String {
            guard let s = try string(key), !s.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw doc.fail(values[key] ?? node, "\(what) needs '\(key)'")
            }
            return s
        }

        func strings(_ key: String) throws(AgendaError) -> [String] {
            guard let v = values[key] else { return [] }
            if case .scalar(let s) = v { return doc.isNull(s) ? [] : [s.string] }
            return try doc.sequence(v, what: "'\(key)'").map { (n: Node) throws(AgendaError) -> String in
                guard case .scalar(let s) = n else { throw doc.fail(n, "'\(key)' is a list of single values") }
                return s.string
            }
        }
    }
}
