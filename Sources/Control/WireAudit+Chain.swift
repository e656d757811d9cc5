import DeadlineCore
import DeadlineStore
import Foundation

// The audit chain's types as the wire and export files carry them, and back: the daemon
// sends them, `deadlinectl audit verify FILE` reads them.

extension ControlAPI.AuditRecord {
    public init(_ l: AuditChain.Link) {
        let e = l.entry
        self.init(kind: .entry, seq: Int(l.seq), hash: l.hash, atMs: Int(Millis.from(e.at)), id: Int(e.id), uid: Int(e.uid), pid: Int(e.pid),
                  command: e.command, method: e.method, target: e.target, before: e.before, after: e.after, prev: l.prev)
    }

    public init(_ c: AuditCheckpoint) {
        self.init(kind: .checkpoint, seq: Int(c.seq), hash: c.hash, atMs: Int(Millis.from(c.at)), key: c.key, signature: c.signature)
    }

    public struct Incomplete: Error, CustomStringConvertible {
        public let description: String
    }

    /// The entry this record carries; throws when a field the hash covers is not there.
    public func link() throws -> AuditChain.Link {
        guard kind == .entry, let id, let uid, let pid, let command, let method, let target, let prev else {
            throw Incomplete(description: "not a whole audit entry: kind entry with id, uid, pid, command, method, target and prev")
        }
        let entry = AuditEntry(id: Int64(id), at: Millis.date(Int64(atMs)), uid: Int64(uid), pid: Int64(pid), command: command, method: method,
                               target: target, before: before, after: after)
        return AuditChain.Link(entry: entry, seq: Int64(seq), prev: prev, hash: hash)
    }

    public func checkpoint() throws -> AuditCheckpoint {
        guard kind == .checkpoint, let key, let signature else {
            throw Incomplete(description: "not a whole checkpoint: kind checkpoint with key and signature")
        }
        return AuditCheckpoint(seq: Int64(seq), hash: hash, at: Millis.date(Int64(atMs)), key: key, signature: signature)
    }
}

extension ControlAPI.AuditVerifyReply {
    public init(_ r: AuditChain.Report) {
        self.init(entries: r.entries, headSeq: Int(r.headSeq), headHash: r.headHash, checkpoints: r.checkpoints, otherKeys: r.otherKeys,
                  lastCheckpoint: r.lastCheckpoint.map(ControlAPI.AuditRecord.init),
                  broken: r.firstBreak.map { .init(kind: $0.kind.rawValue, seq: Int($0.seq), id: Int($0.id), description: $0.description) })
    }
}
