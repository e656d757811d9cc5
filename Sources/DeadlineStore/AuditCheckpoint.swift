import Crypto
import Foundation

/// A signed statement that the audit chain held `seq` entries ending in `hash` at `at`: whoever
/// can write the store can cut entries off the end or rebuild the whole chain, but cannot sign
/// for it without the daemon's key.
///
/// Signed with Ed25519 over, version 1 (docs/audit.md): the UTF-8 bytes of
/// `deadlined-checkpoint/1\n`, then seq, at_ms and hash, each as a netstring like the entries'
/// fields. `key` and `signature` are base64 (32 and 64 bytes).
public struct AuditCheckpoint: Sendable, Equatable {
    public var seq: Int64
    public var hash: String
    public var at: Date
    /// The public key that signed it.
    public var key: String
    public var signature: String

    public init(seq: Int64, hash: String, at: Date, key: String, signature: String) {
        self.seq = seq
        self.hash = hash
        self.at = at
        self.key = key
        self.signature = signature
    }

    public static func message(seq: Int64, hash: String, at: Date) -> [UInt8] {
        var out = Array("deadlined-checkpoint/1\n".utf8)
        for text in [String(seq), String(Millis.from(at)), hash] { AuditChain.appendField(text, to: &out) }
        return out
    }

    /// Whether this already stands for the head `seq`, `hash` under `key` (no need for another).
    public func signs(seq: Int64, hash: String, key: AuditSigningKey) -> Bool {
        self.seq == seq && self.hash == hash && self.key == key.publicKeyText
    }

    /// Whether `key` made this signature over these fields.
    public func isSigned(by key: Curve25519.Signing.PublicKey) -> Bool {
        guard let signature = Data(base64Encoded: signature) else { return false }
        return key.isValidSignature(signature, for: Self.message(seq: seq, hash: hash, at: at))
    }
}
