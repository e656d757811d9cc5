import Crypto

extension Store {
    /// Reads the whole audit trail in the order written, a page at a time, and checks its
    /// chain and the checkpoints that `keys` signed.
    public func verifyAudit(keys: [Curve25519.Signing.PublicKey]) throws -> AuditChain.Report {
        var verifier = AuditChain.Verifier(checkpoints: try auditCheckpoints(), keys: keys)
        var after: Int64 = 0
        while true {
            let page = try auditLinks(afterID: after, limit: 10_000)
            for link in page { guard verifier.add(link) else { return verifier.finish() } }
            guard let last = page.last else { return verifier.finish() }
            after = last.entry.id
        }
    }

    /// Where the hash chain first breaks (an entry edited, deleted, inserted or moved),
    /// checkpoints aside; nil when every link holds.
    public func auditChainBreak() throws -> AuditChain.Break? {
        try verifyAudit(keys: []).firstBreak
    }
}
