import Application
import DeadlineStore
import Delivery
import Foundation
import Logging
import ServiceLifecycle

/// Signs the audit chain's head every `interval` and once more at a clean stop, so that
/// entries cut off the trail's end, or a chain rebuilt, show against a signature.
struct AuditCheckpoints: Service {
    let app: Application
    let key: AuditSigningKey
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while true {
            // A stop must not wait for the interval to pass; it still signs what is there.
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) }
            do {
                if let c = try await app.checkpointAudit(with: key) { logger.debug("audit checkpoint: entry \(c.seq), \(c.hash)") }
            } catch {
                logger.error("cannot sign the audit chain's head: \(error)")
            }
            if Task.isShuttingDownGracefully || Task.isCancelled { return }
        }
    }
}

extension DaemonConfig {
    /// The audit signing key: the systemd credential when one is passed, else the file, made at
    /// the first start when absent — and said so, since a key beside the store can be read by
    /// whoever can read the store.
    func auditSigningKey(environment: [String: String], logger: Logger) throws -> AuditSigningKey {
        do {
            if let path = SecretSource.existingCredential(auditKeyCredential, environment: environment) {
                return try AuditSigningKey.read(from: path)
            }
            if FileManager.default.fileExists(atPath: auditKeyFile) { return try AuditSigningKey.read(from: auditKeyFile) }
            try Daemon.makeParentDirectory(of: auditKeyFile)
            let key = try AuditSigningKey.create(at: auditKeyFile)
            logger.notice("""
                made an audit signing key at \(auditKeyFile) (public key \(key.publicKeyText)): keep it away from the store, \
                as the systemd credential \(auditKeyCredential) (docs/audit.md)
                """)
            return key
        } catch let error as AuditSigningKey.KeyError {
            throw ConfigError(location: "audit.signing_key", message: error.description)
        }
    }
}
