// The audit chain on the wire, and in an export file: one JSON object per entry or checkpoint.

extension ControlAPI {
    /// An audit entry with its link (`kind` "entry"), or a signed checkpoint ("checkpoint").
    /// An export file is these, one per line (docs/audit.md).
    public struct AuditRecord: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable { case entry, checkpoint }
        public var kind: Kind
        public var seq: Int
        public var hash: String
        public var atMs: Int
        // An entry's fields.
        public var id: Int?
        public var uid: Int?
        public var pid: Int?
        public var command: String?
        public var method: String?
        public var target: String?
        public var before: String?
        public var after: String?
        public var prev: String?
        // A checkpoint's: the public key and the signature, base64.
        public var key: String?
        public var signature: String?

        public init(kind: Kind, seq: Int, hash: String, atMs: Int, id: Int? = nil, uid: Int? = nil, pid: Int? = nil, command: String? = nil,
                    method: String? = nil, target: String? = nil, before: String? = nil, after: String? = nil, prev: String? = nil,
                    key: String? = nil, signature: String? = nil) {
            self.kind = kind
            self.seq = seq
            self.hash = hash
            self.atMs = atMs
            self.id = id
            self.uid = uid
            self.pid = pid
            self.command = command
            self.method = method
            self.target = target
            self.before = before
            self.after = after
            self.prev = prev
            self.key = key
            self.signature = signature
        }
    }

    public struct AuditExportParameters: Codable, Sendable, Equatable {
        /// Entries after this id (the previous page's `next`); nil: from the first.
        public var after: Int?
        public var limit: Int?
        /// On the first page (no `after`): from the first entry written at or after this instant
        /// (ms since 1970) instead of the first of all.
        public var fromMs: Int?
        public init(after: Int? = nil, limit: Int? = nil, fromMs: Int? = nil) {
            self.after = after
            self.limit = limit
            self.fromMs = fromMs
        }
    }

    public struct AuditExportReply: Codable, Sendable, Equatable {
        /// Entries in the order written.
        public var entries: [AuditRecord]
        /// Every checkpoint, on the first page only.
        public var checkpoints: [AuditRecord]?
        /// Where the next page starts; nil after the last.
        public var next: Int?
        public init(entries: [AuditRecord], checkpoints: [AuditRecord]?, next: Int?) {
            self.entries = entries
            self.checkpoints = checkpoints
            self.next = next
        }
    }

    public struct AuditCheckpointReply: Codable, Sendable, Equatable {
        /// nil while the trail is empty.
        public var checkpoint: AuditRecord?
        public init(checkpoint: AuditRecord?) { self.checkpoint = checkpoint }
    }

    public struct AuditKeyReply: Codable, Sendable, Equatable {
        /// Base64 of the 32-byte Ed25519 public key.
        public var key: String
        /// Where the private key was read from.
        public var source: String
        public init(key: String, source: String) {
            self.key = key
            self.source = source
        }
    }

    public struct AuditVerifyReply: Codable, Sendable, Equatable {
        public struct Break: Codable, Sendable, Equatable {
            /// edited, missing, inserted, broken link, forged checkpoint, rewritten, truncated.
            public var kind: String
            public var seq: Int
            public var id: Int
            public var description: String
            public init(kind: String, seq: Int, id: Int, description: String) {
                self.kind = kind
                self.seq = seq
                self.id = id
                self.description = description
            }
        }
        public var entries: Int
        public var headSeq: Int
        public var headHash: String
        /// Checkpoints by the daemon's key that hold; those by other keys are not trusted.
        public var checkpoints: Int
        public var otherKeys: Int
        public var lastCheckpoint: AuditRecord?
        public var broken: Break?
        public init(entries: Int, headSeq: Int, headHash: String, checkpoints: Int, otherKeys: Int, lastCheckpoint: AuditRecord?, broken: Break?) {
            self.entries = entries
            self.headSeq = headSeq
            self.headHash = headHash
            self.checkpoints = checkpoints
            self.otherKeys = otherKeys
            self.lastCheckpoint = lastCheckpoint
            self.broken = broken
        }
    }
}

extension ControlAPI {
    public struct AuditHistoryParameters: Codable, Sendable, Equatable {
        public var key: String
        public var limit: Int?
        public init(key: String, limit: Int? = nil) {
            self.key = key
            self.limit = limit
        }
    }

    public struct AuditHistoryReply: Codable, Sendable, Equatable {
        /// One change of the item: who and when, and its due date and state before and after.
        public struct Change: Codable, Sendable, Equatable {
            public var seq: Int
            public var at: String
            public var uid: Int
            /// The user name of `uid` on the daemon's machine now; nil when it has none.
            public var user: String?
            public var pid: Int
            public var command: String
            public var method: String
            public var dueBefore: String?
            public var dueAfter: String?
            public var stateBefore: String?
            public var stateAfter: String?
            /// An obligation's organisation, or an import's file.
            public var subject: String?
            public init(seq: Int, at: String, uid: Int, user: String?, pid: Int, command: String, method: String, dueBefore: String?,
                        dueAfter: String?, stateBefore: String?, stateAfter: String?, subject: String?) {
                self.seq = seq
                self.at = at
                self.uid = uid
                self.user = user
                self.pid = pid
                self.command = command
                self.method = method
                self.dueBefore = dueBefore
                self.dueAfter = dueAfter
                self.stateBefore = stateBefore
                self.stateAfter = stateAfter
                self.subject = subject
            }
        }
        public var key: String
        /// The daemon's time zone, in which `at` and the due dates are written.
        public var timeZone: String
        public var changes: [Change]
        public init(key: String, timeZone: String, changes: [Change]) {
            self.key = key
            self.timeZone = timeZone
            self.changes = changes
        }
    }
}
