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
        var out = Array("deadlined-audit/1\n".utf8)
        func field(_ text: String?) {
            guard let text else { return out += Array("~,".utf8) }
            let bytes = Array(text.utf8)
            out += Array("\(bytes.count):".utf8) + bytes + [UInt8(ascii: ",")]
        }
        for text in [String(seq), String(Millis.from(e.at)), String(e.uid), String(e.pid), e.command, e.method, e.target] { field(text) }
        field(e.before)
        field(e.after)
        field(prev)
        return out
    }

    public static func hash(_ e: AuditEntry, seq: Int64, prev: String) -> String {
        SHA256.hash(data: encoding(e, seq: seq, prev: prev)).map { String(format: "%02x", $0) }.joined()
    }

    /// Where a chain first goes wrong, read in the order it was written.
    public struct Break: Sendable, Equatable, CustomStringConvertible {
        public enum Kind: String, Sendable { case edited, missing, inserted, brokenLink = "broken link" }
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
            case .missing: "the entry before id \(id) is missing: expected entry \(seq), found a later one"
            case .inserted: "id \(id) is not where the chain expects entry \(seq): an entry was inserted or moved"
            case .brokenLink: "entry \(seq) (id \(id)) does not follow the entry before it: an entry before it was replaced"
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

    /// The first break, reading `links` in the order written (by id); nil when every link holds.
    public static func firstBreak(_ links: some Sequence<Link>) -> Break? {
        var expected: Int64 = 1
        var previous = genesis
        for link in links {
            if link.seq > expected { return Break(kind: .missing, id: link.entry.id, seq: expected) }
            if link.seq < expected { return Break(kind: .inserted, id: link.entry.id, seq: expected) }
            if hash(link.entry, seq: link.seq, prev: link.prev) != link.hash { return Break(kind: .edited, id: link.entry.id, seq: expected) }
            if link.prev != previous { return Break(kind: .brokenLink, id: link.entry.id, seq: expected) }
            previous = link.hash
            expected += 1
        }
        return nil
    }
}
