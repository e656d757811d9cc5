import Foundation

/// Where a secret (a token, a password, a webhook URL with its key in it) is read from: a
/// file, or a systemd credential. A credential NAME is `$CREDENTIALS_DIRECTORY/NAME`
/// (`LoadCredential=NAME:PATH`) or, failing that, `$CREDENTIALS_DIRECTORY/deadlined_NAME`:
/// the shipped unit loads the directory `/etc/deadlined/credentials` under the ID
/// `deadlined`, and systemd names each file of a loaded directory `ID_FILENAME`. Secrets are
/// never taken inline from the config, which is world-readable more often than not.
public enum SecretSource: Sendable, Equatable, CustomStringConvertible {
    case file(String)
    case credential(String)

    /// Reads the secret; one trailing newline (as `echo` writes) is dropped.
    public func load(environment: [String: String]) throws -> String {
        let path: String
        switch self {
        case .file(let p):
            path = p
        case .credential(let name):
            guard let dir = environment["CREDENTIALS_DIRECTORY"], !dir.isEmpty else {
                throw ChannelError("credential '\(name)': $CREDENTIALS_DIRECTORY is not set (give it with LoadCredential= in the unit)")
            }
            guard !name.contains("/") else { throw ChannelError("credential '\(name)': a credential name has no '/'") }
            path = Self.credentialPath(name, directory: dir)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ChannelError("\(self): cannot read \(path)")
        }
        guard var text = String(data: data, encoding: .utf8) else { throw ChannelError("\(self): not UTF-8 text") }
        if text.hasSuffix("\n") { text.removeLast() }
        guard !text.isEmpty else { throw ChannelError("\(self): the secret is empty") }
        return text
    }

    /// The file of credential `name`: its own, else the one from the loaded directory (the
    /// own path when neither exists, for the error).
    static func credentialPath(_ name: String, directory dir: String) -> String {
        let own = dir + "/" + name
        let fromDirectory = dir + "/" + directoryCredentialID + "_" + name
        return FileManager.default.fileExists(atPath: own) || !FileManager.default.fileExists(atPath: fromDirectory) ? own : fromDirectory
    }

    /// Where credential `name` is, when systemd passed it; nil otherwise.
    public static func existingCredential(_ name: String, environment: [String: String]) -> String? {
        guard let dir = environment["CREDENTIALS_DIRECTORY"], !dir.isEmpty, !name.contains("/") else { return nil }
        let path = credentialPath(name, directory: dir)
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }

    /// The ID under which `units/deadlined.service` loads its credentials directory.
    public static let directoryCredentialID = "deadlined"

    public var description: String {
        switch self {
        case .file(let p): "secret file \(p)"
        case .credential(let n): "credential '\(n)'"
        }
    }
}

/// Takes every known secret out of a text before it is logged, stored or shown: an HTTP
/// error that echoes a header, an MTA that repeats its password, a URL in a resolver error.
public struct Redactor: Sendable, Equatable {
    private let secrets: [String]

    public init(_ secrets: [String]) {
        // Longest first, so a secret that contains another is replaced whole.
        self.secrets = secrets.filter { $0.count >= 4 }.sorted { $0.count > $1.count }
    }

    public func callAsFunction(_ text: String) -> String {
        secrets.reduce(text) { $0.replacingOccurrences(of: $1, with: "[secret]") }
    }
}
