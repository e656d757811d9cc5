/// What an import of an agenda or a calendar did, by key; also its audit entry.
public struct ImportSummary: Sendable, Encodable, Equatable {
    public var added: [String]
    public var updated: [String]
    public var unchanged: [String]
    public var plans: Int
    /// Items a calendar import cancelled (STATUS:CANCELLED, METHOD:CANCEL); nil for an agenda.
    public var cancelled: [String]?
    /// What was skipped or not used, one line each; nil for an agenda.
    public var notes: [String]?
    /// Working-day reminders that rest on holidays not announced, one line each.
    public var warnings: [String]?
}
