import Crypto
import Foundation

extension AuditChain {
    /// What a verification found: how much it read, the last checkpoint that held, and the
    /// first break, if any.
    public struct Report: Sendable, Equatable {
        public var entries = 0
        public var headSeq: Int64 = 0
        public var headHash = AuditChain.genesis
        /// Checkpoints by a trusted key whose entry was read and matched.
        public var checkpoints = 0
        /// Checkpoints signed by a key not trusted: not counted for or against the chain.
        public var otherKeys = 0
        /// The latest checkpoint that held.
        public var lastCheckpoint: AuditCheckpoint?
        public var firstBreak: Break?
    }

    /// Checks a trail read in the order written (by id), one link at a time, so that a million
    /// entries need no more memory than one; then what the checkpoints signed.
    ///
    /// A trail that starts after entry 1 (an export `--from` a date) is taken from its first
    /// entry on: what came before it cannot be checked from the trail alone.
    public struct Verifier {
        private var report = Report()
        private var expected: Int64?
        private var previous: String
        private var lastID: Int64 = 0
        /// The trusted keys' checkpoints, by the entry they sign; a forged one is a break as
        /// soon as the trail reaches its entry.
        private var pending: [Int64: [AuditCheckpoint]] = [:]
        /// The trusted keys by their text (base64), as a checkpoint names the key that signed it.
        private let keys: [String: Curve25519.Signing.PublicKey]

        /// - Parameter keys: the keys whose checkpoints count: the daemon's, and those it signed
        ///   with before a key change (`audit.trusted_keys`).
        public init(checkpoints: [AuditCheckpoint] = [], keys: [Curve25519.Signing.PublicKey] = [], fromGenesis: Bool = true) {
            self.keys = Dictionary(keys.map { (AuditSigningKey.text($0), $0) }, uniquingKeysWith: { a, _ in a })
            expected = fromGenesis ? 1 : nil
            previous = AuditChain.genesis
            for c in checkpoints {
                if self.keys[c.key] != nil { pending[c.seq, default: []].append(c) } else { report.otherKeys += 1 }
            }
        }

        private func isGenuine(_ c: AuditCheckpoint) -> Bool { keys[c.key].map(c.isSigned(by:)) ?? false }

        /// Reads the next link; false once the trail is broken (later links are not read).
        public mutating func add(_ link: Link) -> Bool {
            guard report.firstBreak == nil else { return false }
            let expected = self.expected ?? link.seq
            if self.expected == nil { previous = link.prev }
            func broken(_ kind: Break.Kind) -> Bool {
                report.firstBreak = Break(kind: kind, id: link.entry.id, seq: expected)
                return false
            }
            if link.seq > expected { return broken(.missing) }
            if link.seq < expected { return broken(.inserted) }
            if AuditChain.hash(link.entry, seq: link.seq, prev: link.prev) != link.hash { return broken(.edited) }
            if link.prev != previous { return broken(.brokenLink) }
            for c in pending.removeValue(forKey: link.seq) ?? [] {
                guard isGenuine(c) else { return broken(.forgedCheckpoint) }
                guard c.hash == link.hash else { return broken(.rewritten) }
                report.checkpoints += 1
                if report.lastCheckpoint.map({ $0.seq <= c.seq }) ?? true { report.lastCheckpoint = c }
            }
            previous = link.hash
            lastID = link.entry.id
            self.expected = expected + 1
            report.entries += 1
            report.headSeq = link.seq
            report.headHash = link.hash
            return true
        }

        /// The report, once every link is read: a checkpoint left over signs an entry the trail
        /// no longer has (one before a partial trail's start is outside it, not a break).
        public func finish() -> Report {
            var out = report
            guard out.firstBreak == nil else { return out }
            let start = (expected ?? 1) - Int64(out.entries)
            guard let seq = pending.keys.filter({ $0 >= start }).min() else { return out }
            let signed = pending[seq, default: []].contains(where: isGenuine)
            out.firstBreak = Break(kind: signed ? .truncated : .forgedCheckpoint, id: lastID, seq: signed ? out.headSeq + 1 : seq)
            return out
        }
    }
}
