import Crypto
import Foundation

/// The audit trail as a hash chain: each entry's hash covers its own fields and the hash of the
/// entry before it, so an entry edited, deleted, inserted or moved breaks every link after it.
///
/// Canonical encoding, version 1 (docs/audit.md), so that anyone can recompute a hash: the
/// UTF-8 bytes of `deadlined-audit/1\n`, then for each field in this order — seq, at_ms, uid,
/// pid, command, method, target, before, after, prev — either `<byte count>:<bytes>,` (a
/// netstring; numbers in decimal ASCII) or `~,` for an absent before or after. The hash is
/// SHA-256 of those bytes, written as 64 lowercase hex digits; the first entry's prev is 64 zeros.
public enum AuditChain {
    public static let genesis = String(repeating: "0", count: 64)

    /// The fields an entry's hash covers, with the hash of the entry before it.
    public static func encoding(_ e: AuditEntry, seq: Int64, prev: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(160 + e.command.utf8.count + e.target.utf8.count + (e.before?.utf8.count ?? 0) + (e.after?.utf8.count ?? 0))
        out.append(contentsOf: "deadlined-audit/1\n".utf8)
        for text in [String(seq), String(Millis.from(e.at)), String(e.uid), String(e.pid), e.command, e.method, e.target, e.before, e.after, prev] {
            appendField(text, to: &out)
        }
        return out
    }

    /// `<byte count>:<bytes>,` (a netstring of the UTF-8 text), or `~,` for an absent field.
    static func appendField(_ text: String?, to out: inout [UInt8]) {
        guard let text else { return out.append(contentsOf: "~,".utf8) }
        out.append(contentsOf: String(text.utf8.count).utf8)
        out.append(UInt8(ascii: ":"))
        out.append(contentsOf: text.utf8)
        out.append(UInt8(ascii: ","))
    }

    public static func hash(_ e: AuditEntry, seq: Int64, prev: String) -> String {
        hex(SHA256.hash(data: encoding(e, seq: seq, prev: prev)))
    }

    /// Lowercase hex digits, two per byte (String(format:) took 30 µs for a digest).
    static func hex(_ bytes: some Sequence<UInt8>) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(64)
        for b in bytes {
            out.append(digits[Int(b >> 4)])
            out.append(digits[Int(b & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Where a chain first goes wrong, read in the order it was written.
    public struct Break: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable {
            case edited, missing, inserted, brokenLink = "broken link"
            /// A checkpoint that names the trusted key but whose signature does not hold.
            case forgedCheckpoint = "forged checkpoint"
            /// A signed checkpoint's hash differs from the entry's: the chain was rebuilt after it.
            case rewritten
            /// A signed checkpoint covers entries that are no longer there: the tail was cut off.
            case truncated
        }
        public var kind: Kind
        /// The row where it shows (its id in the store), and the position it should hold.
        public var id: Int64
        public var seq: Int64
        public init(kind: Kind, id: Int64, seq: Int64) {
            self.kind = kind
            self.id = id
            self.seq = seq
        }
        public var description: String {
            switch kind {
            case .edited: "entry \(seq) (id \(id)) was changed after it was written: its hash does not match its fields"
            case .missing: "expected entry \(seq) before id \(id), found a later one: an entry was deleted or moved"
            case .inserted: "id \(id) is not where the chain expects entry \(seq): an entry was inserted or moved"
            case .brokenLink: "entry \(seq) (id \(id)) does not follow the entry before it: an entry before it was replaced"
            case .forgedCheckpoint: "the checkpoint of entry \(seq) names the trusted key but its signature does not hold"
            case .rewritten: "entry \(seq) (id \(id)) is not the entry its signed checkpoint names: the chain was rewritten"
            case .truncated: "the trail ends before entry \(seq), which a signed checkpoint covers: entries were cut off its end"
            }
        }
    }

    /// One stored entry with its place in the chain.
    public struct Link: Sendable, Equatable {
        public var entry: AuditEntry
        public var seq: Int64
        public var prev: String
        public var hash: String
        public init(entry: AuditEntry, seq: Int64, prev: String, hash: String) {
            self.entry = entry
            self.seq = seq
            self.prev = prev
            self.hash = hash
        }
    }

    /// The first break, reading `links` in the order written (by id), with no checkpoints;
    /// nil when every link holds.
    public static func firstBreak(_ links: some Sequence<Link>) -> Break? {
        var verifier = Verifier()
        for link in links { guard verifier.add(link) else { break } }
        return verifier.finish().firstBreak
    }
}
