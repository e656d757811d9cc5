import DeadlineCore
import Delivery
import Foundation
import Yams

/// One named channel instance from the config's `channels:` section, checked but not yet
/// built: secrets are read and clients made by `ChannelFactory` when the daemon starts or
/// reloads.
public struct ChannelConfig: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        case journal
        case file(path: String)
        case command(argv: [String])
        case email(sendmail: [String], from: MailAddress, to: [MailAddress], cc: [MailAddress])
        case webhook(url: Secretive, preset: WebhookPreset, template: String?, token: SecretSource?, to: String?, caFile: String?)
    }

    /// A value given inline, or read from a secret.
    public enum Secretive: Sendable, Equatable {
        case plain(String)
        case secret(SecretSource)
    }

    public var name: String
    public var kind: Kind
    public var language: Language?
    public var maxAttempts: Int?
    public var concurrency: Int?
    /// Seconds one send may take.
    public var timeout: Int?

    public var type: String {
        switch kind {
        case .journal: "journal"
        case .file: "file"
        case .command: "command"
        case .email: "email"
        case .webhook: "webhook"
        }
    }

    /// The channel every config has unless it defines its own `journal`.
    public static let builtInJournal = ChannelConfig(name: "journal", kind: .journal)

    static let types = ["journal", "file", "command", "email", "webhook"]
    static let common = ["type", "language", "max_attempts", "concurrency", "timeout"]
    static let keysByType: [String: [String]] = [
        "journal": [],
        "file": ["path"],
        "command": ["command"],
        "email": ["sendmail", "from", "to", "cc"],
        "webhook": ["url", "url_file", "url_credential", "preset", "template", "token_file", "token_credential", "to", "ca_file"],
    ]

    /// Reads one `channels.<name>` mapping; every error names file:line:column.
    static func parse(name: String, node: Node, file: String) throws -> ChannelConfig {
        func at(_ n: Node) -> String { n.mark.map { "\(file):\($0.line):\($0.column)" } ?? file }
        guard case .mapping(let mapping) = node else {
            throw ConfigError(location: at(node), message: "'channels.\(name)' is a channel: a mapping with 'type:' and its settings")
        }
        var values: [String: Node] = [:]
        for (k, v) in mapping {
            guard let key = k.scalar?.string else { throw ConfigError(location: at(k), message: "a key must be a plain name") }
            values[key] = v
        }
        guard let typeNode = values["type"], let type = typeNode.scalar?.string else {
            throw ConfigError(location: at(node), message: "channel '\(name)' needs 'type:', one of: " + types.joined(separator: ", "))
        }
        guard let allowed = keysByType[type] else {
            throw ConfigError(location: at(typeNode), message: "'\(type)' is not a channel type; known: " + types.joined(separator: ", "))
        }
        for (k, _) in mapping {
            let key = k.scalar?.string ?? ""
            if !common.contains(key) && !allowed.contains(key) {
                throw ConfigError(location: at(k), message: "unknown key '\(key)' for a \(type) channel; known: "
                    + (common + allowed).joined(separator: ", "))
            }
        }
        func string(_ key: String) throws -> String? {
            guard let n = values[key] else { return nil }
            guard let s = n.scalar?.string else { throw ConfigError(location: at(n), message: "'channels.\(name).\(key)' takes a single value") }
            return s.isEmpty ? nil : s
        }
        func required(_ key: String, _ what: String) throws -> String {
            guard let s = try string(key) else { throw ConfigError(location: at(node), message: "channel '\(name)' needs '\(key):' (\(what))") }
            return s
        }
        /// A list, written as a YAML sequence or as one comma- (or, for commands, space-) separated string.
        func list(_ key: String, separator: Character = ",") throws -> [String] {
            guard let n = values[key] else { return [] }
            if case .sequence(let seq) = n {
                return try seq.map { item in
                    guard let s = item.scalar?.string else { throw ConfigError(location: at(item), message: "'channels.\(name).\(key)' lists plain values") }
                    return s
                }
            }
            guard let s = n.scalar?.string else { throw ConfigError(location: at(n), message: "'channels.\(name).\(key)' takes a list") }
            return s.split(separator: separator).map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        }
        func addresses(_ key: String) throws -> [MailAddress] {
            try list(key).map { text in
                guard let a = MailAddress(text) else {
                    throw ConfigError(location: at(values[key]!), message: "'\(text)' is not an e-mail address (name@example.org or Name <name@example.org>)")
                }
                return a
            }
        }
        func number(_ key: String, max: Int) throws -> Int? {
            guard let s = try string(key) else { return nil }
            guard let n = Int(s), n >= 1, n <= max else {
                throw ConfigError(location: at(values[key]!), message: "'channels.\(name).\(key)': '\(s)' is not a whole number from 1 to \(max)")
            }
            return n
        }
        func secret(_ base: String) throws -> SecretSource? {
            let fileKey = base + "_file", credKey = base + "_credential"
            if try string(fileKey) != nil && string(credKey) != nil {
                throw ConfigError(location: at(values[credKey]!), message: "give either '\(fileKey)' or '\(credKey)', not both")
            }
            if let f = try string(fileKey) { return .file(f) }
            if let c = try string(credKey) {
                guard !c.contains("/") else { throw ConfigError(location: at(values[credKey]!), message: "a credential name has no '/'") }
                return .credential(c)
            }
            return nil
        }
        func program(_ argv: [String], key: String) throws -> [String] {
            guard let first = argv.first else { throw ConfigError(location: at(node), message: "channel '\(name)' needs '\(key):'") }
            guard first.hasPrefix("/") else {
                throw ConfigError(location: at(values[key]!), message: "'\(first)' must be an absolute path (the daemon runs with a minimal PATH)")
            }
            return argv
        }

        let kind: Kind
        switch type {
        case "journal":
            kind = .journal
        case "file":
            kind = .file(path: try required("path", "the file to append to"))
        case "command":
            kind = .command(argv: try program(try list("command", separator: " "), key: "command"))
        case "email":
            let fromText = try required("from", "the sender, e.g. \"deadlined <deadlined@example.org>\"")
            guard let from = MailAddress(fromText) else {
                throw ConfigError(location: at(values["from"]!), message: "'\(fromText)' is not an e-mail address")
            }
            let sendmail = values["sendmail"] == nil ? ["/usr/sbin/sendmail"] : try program(try list("sendmail", separator: " "), key: "sendmail")
            kind = .email(sendmail: sendmail, from: from, to: try addresses("to"), cc: try addresses("cc"))
        default: // webhook
            let urlSecret = try secret("url")
            let plainURL = try string("url")
            if urlSecret != nil && plainURL != nil {
                throw ConfigError(location: at(values["url"]!), message: "give either 'url' or 'url_file'/'url_credential', not both")
            }
            let url: Secretive
            if let urlSecret { url = .secret(urlSecret) } else if let plainURL {
                guard let u = URL(string: plainURL), ["http", "https"].contains(u.scheme?.lowercased() ?? ""), u.host != nil else {
                    throw ConfigError(location: at(values["url"]!), message: "'\(plainURL)' is not an http:// or https:// URL")
                }
                url = .plain(plainURL)
            } else {
                throw ConfigError(location: at(node), message: "channel '\(name)' needs 'url:' (or 'url_file:' / 'url_credential:' when the URL holds a key)")
            }
            let presetText = try string("preset") ?? "generic"
            guard let preset = WebhookPreset(rawValue: presetText) else {
                throw ConfigError(location: at(values["preset"]!), message: "'\(presetText)' is not a preset; known: "
                    + WebhookPreset.allCases.map(\.rawValue).joined(separator: ", "))
            }
            let lineTo = try string("to")
            if preset == .line && lineTo == nil {
                throw ConfigError(location: at(node), message: "channel '\(name)': the line preset needs 'to:' (the user or group id to push to)")
            }
            kind = .webhook(url: url, preset: preset, template: try string("template"), token: try secret("token"),
                            to: try string("to"), caFile: try string("ca_file"))
        }
        var language: Language?
        if let l = try string("language") {
            guard let lang = Language(rawValue: l) else {
                throw ConfigError(location: at(values["language"]!), message: "'\(l)' is not one of: th, en")
            }
            language = lang
        }
        return ChannelConfig(name: name, kind: kind, language: language, maxAttempts: try number("max_attempts", max: 100),
                             concurrency: try number("concurrency", max: 64), timeout: try number("timeout", max: 3600))
    }
}
