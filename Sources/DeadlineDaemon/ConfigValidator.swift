import DeadlineCore
import Delivery
import Foundation
import Yams

/// Checks a config before it is used: YAML syntax, known keys, value types. Every error
/// names file:line:column (or the environment variable) and, for an unknown key, the keys
/// that would have been accepted there.
enum ConfigValidator {
    /// What a valid file holds beyond the fixed keys.
    struct Result {
        /// Whether the file holds any settings (false for an empty or comment-only file).
        var hasSettings = false
        /// `rule_sets:`, a section whose keys are names of the admin's choosing.
        var ruleSets: [String: [Lead]] = [:]
        /// `channels:`, in file order.
        var channels: [ChannelConfig] = []
        /// `templates.<event>.<language>`, keyed `"<event>.<language>"`.
        var templates: [String: String] = [:]
        var byRule: [String: [String]] = [:]
        var byTag: [String: [String]] = [:]
    }

    @discardableResult
    static func validate(yaml: String, file: String) throws -> Result {
        let root: Node?
        do {
            root = try Yams.compose(yaml: yaml)
        } catch let error as YamlError {
            throw syntaxError(error, file: file)
        }
        guard let root else { return Result() } // empty file: all defaults
        guard case .mapping(let mapping) = root else {
            throw ConfigError(location: where_(file, root), message: "the top level must be a mapping of keys to values")
        }
        var result = Result(hasSettings: true)
        try walk(mapping, section: "", file: file, result: &result)
        return result
    }

    private static func walk(_ mapping: Node.Mapping, section: String, file: String, result: inout Result) throws {
        // Yams has already refused a key given twice in one mapping.
        for (keyNode, value) in mapping {
            guard let name = keyNode.scalar?.string else {
                throw ConfigError(location: where_(file, keyNode), message: "a key must be a plain name")
            }
            let path = section.isEmpty ? name : section + "." + name
            if section == ConfigSchema.channelsSection {
                guard NewItem.isValidKey(name) else {
                    throw ConfigError(location: where_(file, keyNode), message: "'\(name)' is not a usable channel name (letters, digits, - _ .)")
                }
                result.channels.append(try ChannelConfig.parse(name: name, node: value, file: file))
            } else if section == ConfigSchema.templatesSection {
                guard let event = MessageEvent(rawValue: name) else {
                    throw ConfigError(location: where_(file, keyNode), message: "'\(name)' is not an event; known: "
                        + MessageEvent.allCases.map(\.rawValue).joined(separator: ", "))
                }
                guard case .mapping(let byLanguage) = value else {
                    throw ConfigError(location: where_(file, value), message: "'templates.\(name)' holds one template per language: th, en")
                }
                for (langNode, text) in byLanguage {
                    guard let lang = langNode.scalar?.string, Language(rawValue: lang) != nil else {
                        throw ConfigError(location: where_(file, langNode), message: "a template's language is th or en")
                    }
                    guard let body = text.scalar?.string else {
                        throw ConfigError(location: where_(file, text), message: "'templates.\(name).\(lang)' is a text (use | for several lines)")
                    }
                    // A NUL (YAML's "\0") would end the text wherever a C string carries it.
                    if body.unicodeScalars.contains("\0") {
                        throw ConfigError(location: where_(file, text), message: "'templates.\(name).\(lang)' holds a NUL character")
                    }
                    do {
                        _ = try MessageRenderer(overrides: ["\(event.rawValue).\(lang)": body])
                    } catch {
                        throw ConfigError(location: where_(file, text), message: "\(error)")
                    }
                    result.templates["\(event.rawValue).\(lang)"] = body
                }
            } else if ConfigSchema.routeSections.contains(section) {
                guard case .scalar(let scalar) = value else {
                    throw ConfigError(location: where_(file, value), message: "'\(path)' takes channel names, e.g. \"office-mail, chat\"")
                }
                let names = ConfigSchema.list(scalar.string)
                if section.hasSuffix("by_rule") { result.byRule[name] = names } else { result.byTag[name] = names }
            } else if section == ConfigSchema.ruleSetsSection {
                guard NewItem.isValidKey(name) else {
                    throw ConfigError(location: where_(file, keyNode), message: "'\(name)' is not a usable rule name")
                }
                guard case .scalar(let scalar) = value else {
                    throw ConfigError(location: where_(file, value), message: "'\(path)' takes lead times, e.g. \"3wd@09:00, 1wd@09:00, 0\"")
                }
                if let problem = ConfigSchema.problem(with: scalar.string, for: .init(path: path, kind: .leads)) {
                    throw ConfigError(location: where_(file, value), message: "'\(path)': \(problem)")
                }
                result.ruleSets[name] = RuleBook.leads(scalar.string)
            } else if let key = ConfigSchema.byPath[path] {
                guard case .scalar(let scalar) = value else {
                    throw ConfigError(location: where_(file, value), message: "'\(path)' takes a single value")
                }
                if let problem = ConfigSchema.problem(with: scalar.string, for: key) {
                    throw ConfigError(location: where_(file, value), message: "'\(path)': \(problem)")
                }
            } else if ConfigSchema.sections.contains(path) || ConfigSchema.namedSections.contains(path) {
                if case .scalar(let s) = value, ["", "~", "null", "Null", "NULL"].contains(s.string) { continue } // an empty section
                guard case .mapping(let inner) = value else {
                    throw ConfigError(location: where_(file, value), message: "'\(path)' is a section: it holds keys, not a value")
                }
                try walk(inner, section: path, file: file, result: &result)
            } else {
                let known = ConfigSchema.children(of: section)
                throw ConfigError(location: where_(file, keyNode),
                                  message: "unknown key '\(path)'; known here: " + known.joined(separator: ", "))
            }
        }
    }

    /// Returns the `DEADLINED_*` variables, each checked; any other `DEADLINED_*` is an error.
    static func validate(environment: [String: String]) throws -> [String: String] {
        let byName = Dictionary(uniqueKeysWithValues: ConfigSchema.keys.map { ($0.environmentName, $0) })
        var out: [String: String] = [:]
        for (name, value) in environment where name.hasPrefix("DEADLINED_") {
            guard let key = byName[name] else {
                throw ConfigError(location: "environment variable \(name)",
                                  message: "not a config key; known: " + byName.keys.sorted().joined(separator: ", "))
            }
            if let problem = ConfigSchema.problem(with: value, for: key) {
                throw ConfigError(location: "environment variable \(name)", message: "'\(key.path)': \(problem)")
            }
            out[name] = value
        }
        return out
    }

    /// Yams' errors, reshaped to the file:line:column form every other config error has.
    static func syntaxError(_ error: YamlError, file: String) -> ConfigError {
        switch error {
        case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _), .composer(_, let problem, let mark, _):
            return ConfigError(location: "\(file):\(mark.line):\(mark.column)", message: "not valid YAML: \(problem)")
        case .duplicatedKeysInMapping(let duplicates, let context):
            return ConfigError(location: "\(file):\(context.mark.line):\(context.mark.column)",
                               message: "in this mapping, given more than once: " + duplicates.map { "'\($0)'" }.joined(separator: ", "))
        default:
            return ConfigError(location: file, message: "not valid YAML: \(error)")
        }
    }

    private static func where_(_ file: String, _ node: Node) -> String {
        guard let mark = node.mark else { return file }
        return "\(file):\(mark.line):\(mark.column)"
    }
}
