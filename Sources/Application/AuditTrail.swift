import DeadlineStore
import Foundation

extension Application {
    /// Signs the audit chain's head (a write of its own: a checkpoint changes nothing else, and
    /// is not itself an entry of the chain it signs).
    public func checkpointAudit(with key: AuditSigningKey) async throws -> AuditCheckpoint? {
        let (store, now) = (self.store, clock.now())
        return try await executor.run { try store.checkpointAudit(signingWith: key, at: now) }
    }
}
