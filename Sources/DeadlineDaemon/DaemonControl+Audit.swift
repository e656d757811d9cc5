import Control
import DeadlineCore
import DeadlineStore
import Foundation
import Glibc
import Varlink

/// The audit trail over the socket: the latest entries, verification, checkpoints, export.
extension DaemonControl {
    func audit(_ p: ControlAPI.AuditParameters) async throws -> ControlAPI.AuditReply {
        try await answering {
            let limit = min(max(p.limit ?? 50, 1), 10_000)
            let zone = self.zone
            return ControlAPI.AuditReply(entries: try await app.read { try $0.auditLog(limit: limit) }.map {
                ControlAPI.AuditReply.Entry(at: DateOutput.iso8601($0.at, timeZone: zone), uid: Int($0.uid), pid: Int($0.pid),
                                            command: $0.command, method: $0.method, target: $0.target, before: $0.before, after: $0.after)
            })
        }
    }

    func auditHistory(_ p: ControlAPI.AuditHistoryParameters) async throws -> ControlAPI.AuditHistoryReply {
        try await answering {
            let zone = self.zone
            let changes = try await app.history(of: p.key, limit: min(max(p.limit ?? 1000, 1), 100_000))
            return ControlAPI.AuditHistoryReply(key: p.key, timeZone: zone.identifier, changes: changes.map { c in
                .init(seq: Int(c.seq), at: DateOutput.iso8601(c.at, timeZone: zone), uid: Int(c.uid), user: Caller.userName(of: uid_t(truncatingIfNeeded: c.uid)), pid: Int(c.pid),
                      command: c.command, method: c.method, dueBefore: c.dueBefore, dueAfter: c.dueAfter, stateBefore: c.stateBefore,
                      stateAfter: c.stateAfter, subject: c.subject)
            })
        }
    }

    func auditVerify() async throws -> ControlAPI.AuditVerifyReply {
        try await answering {
            // The config's keys were checked when it was read.
            let keys = [auditKey.privateKey.publicKey] + config.auditTrustedKeys.compactMap { try? AuditSigningKey.publicKey($0) }
            return ControlAPI.AuditVerifyReply(try await app.longRead { try $0.verifyAudit(keys: keys) })
        }
    }

    func auditCheckpoint() async throws -> ControlAPI.AuditCheckpointReply {
        try await answering { ControlAPI.AuditCheckpointReply(checkpoint: try await app.checkpointAudit(with: auditKey).map(ControlAPI.AuditRecord.init)) }
    }

    func auditExport(_ p: ControlAPI.AuditExportParameters) async throws -> ControlAPI.AuditExportReply {
        try await answering {
            let limit = min(max(p.limit ?? 1000, 1), 10_000)
            let (links, checkpoints) = try await app.read { store -> ([AuditChain.Link], [AuditCheckpoint]?) in
                if let after = p.after { return (try store.auditLinks(afterID: Int64(max(after, 0)), limit: limit), nil) }
                var start: Int64 = 0
                if let from = p.fromMs {
                    // Nothing written since: an empty first page, with the checkpoints.
                    guard let first = try store.auditFirstID(atOrAfter: Millis.date(Int64(from))) else { return ([], try store.auditCheckpoints()) }
                    start = first - 1
                }
                return (try store.auditLinks(afterID: start, limit: limit), try store.auditCheckpoints())
            }
            return ControlAPI.AuditExportReply(entries: links.map(ControlAPI.AuditRecord.init), checkpoints: checkpoints?.map(ControlAPI.AuditRecord.init),
                                               next: links.count == limit ? links.last.map { Int($0.entry.id) } : nil)
        }
    }

    func auditKey() async throws -> ControlAPI.AuditKeyReply {
        ControlAPI.AuditKeyReply(key: auditKey.publicKeyText, source: auditKey.source)
    }
}
