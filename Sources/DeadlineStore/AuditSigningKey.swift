import Crypto
import Foundation

/// The Ed25519 key that signs the audit chain's checkpoints. Kept as a file of one line, the
/// base64 of the 32-byte private key, readable by the daemon alone (a systemd credential).
public struct AuditSigningKey: Sendable {
    public let privateKey: Curve25519.Signing.PrivateKey
    /// Where it was read from, for people.
    public let source: String

    public init(privateKey: Curve25519.Signing.PrivateKey, source: String) {
        self.privateKey = privateKey
        self.source = source
    }

    /// The public key as checkpoints and `deadlinectl audit key` show it: base64 of 32 bytes.
    public var publicKeyText: String { Self.text(privateKey.publicKey) }

    public static func text(_ key: Curve25519.Signing.PublicKey) -> String { key.rawRepresentation.base64EncodedString() }

    /// A public key as `publicKeyText` writes it.
    public static func publicKey(_ text: String) throws -> Curve25519.Signing.PublicKey {
        guard let raw = raw32(text) else {
            throw KeyError("'\(text)' is not a public key: expected the base64 of 32 bytes, as `deadlinectl audit key` prints it")
        }
        return try Curve25519.Signing.PublicKey(rawRepresentation: raw)
    }

    /// The 32 bytes a key's one line of base64 holds; nil for anything else.
    private static func raw32(_ text: String) -> Data? {
        Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines)).flatMap { $0.count == 32 ? $0 : nil }
    }

    public func checkpoint(seq: Int64, hash: String, at: Date) throws -> AuditCheckpoint {
        let signature = try privateKey.signature(for: AuditCheckpoint.message(seq: seq, hash: hash, at: at))
        return AuditCheckpoint(seq: seq, hash: hash, at: at, key: publicKeyText, signature: signature.base64EncodedString())
    }

    public static func read(from path: String) throws -> AuditSigningKey {
        let text: String
        do { text = try String(contentsOfFile: path, encoding: .utf8) } catch {
            throw KeyError("cannot read the audit signing key \(path): \(error.localizedDescription)")
        }
        guard let raw = raw32(text) else {
            throw KeyError("\(path) is not an audit signing key: expected one line, the base64 of 32 bytes")
        }
        return AuditSigningKey(privateKey: try Curve25519.Signing.PrivateKey(rawRepresentation: raw), source: path)
    }

    /// A new key written to `path` (mode 0600, never over an existing file).
    public static func create(at path: String) throws -> AuditSigningKey {
        let key = Curve25519.Signing.PrivateKey()
        let text = key.rawRepresentation.base64EncodedString() + "\n"
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw KeyError("cannot create the audit signing key \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        let written = text.utf8CString.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count - 1) }
        guard written == text.utf8.count, fsync(fd) == 0 else {
            unlink(path)
            throw KeyError("cannot write the audit signing key \(path): \(String(cString: strerror(errno)))")
        }
        return AuditSigningKey(privateKey: key, source: path)
    }

    public struct KeyError: Error, CustomStringConvertible {
        public let description: String
        init(_ description: String) { self.description = description }
    }
}
