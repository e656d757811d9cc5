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
            let key = auditKey.privateKey.publicKey
            return ControlAPI.AuditVerifyReply(try await app.read { try $0.verifyAudit(key: key) })
        }
    }

    func auditCheckpoint() async throws -> ControlAPI.AuditCheckpointReply {
        try await answering { ControlAPI.AuditCheckpointReply(checkpoint: try await app.checkpointAudit(with: auditKey).map(ControlAPI.AuditRecord.init)) }
    }

    func auditExport(_ p: ControlAPI.AuditExportParameters) async throws -> ControlAPI.AuditExportReply {
        try await answering {
            let (after, limit) = (Int64(max(p.after ?? 0, 0)), min(max(p.limit ?? 1000, 1), 10_000))
            let (links, checkpoints) = try await app.read { store in
                (try store.auditLinks(afterID: after, limit: limit), p.after == nil ? try store.auditCheckpoints() : nil)
            }
            return ControlAPI.AuditExportReply(entries: links.map(ControlAPI.AuditRecord.init), checkpoints: checkpoints?.map(ControlAPI.AuditRecord.init),
                                               next: links.count == limit ? links.last.map { Int($0.entry.id) } : nil)
        }
    }

    func auditKey() async throws -> ControlAPI.AuditKeyReply {
        ControlAPI.AuditKeyReply(key: auditKey.publicKeyText, source: auditKey.source)
    }
}
