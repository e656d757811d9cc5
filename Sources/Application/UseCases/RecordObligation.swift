import DeadlineCore
import DeadlineStore
import Foundation

/// What the center records of one organisation's obligation: its submission with the evidence,
/// an exemption with its reason, or a reopening (a submission found wanting). Each is audited
/// with the state before and after.
public struct RecordObligation: UseCase {
    public enum Action: Sendable, Equatable {
        case submit(Submission)
        case exempt(reason: String)
        case reopen(reason: String?)
    }

    public let key: String
    public let code: String
    public let action: Action
    /// Who records it, for the obligation's record.
    public let by: String

    public init(key: String, code: String, action: Action, by: String) {
        self.key = key
        self.code = code
        self.action = action
        self.by = by
    }

    public func change(_ c: UseCaseContext) async throws -> Change<ObligationOutcome> {
        let (key, code, action, by) = (self.key, self.code, self.action, self.by)
        try Self.validate(action, by: by)
        return Change { txn in
            let (item, before) = try Self.resolve(key, code: code, action: action, txn)
            var after = before
            after.by = by
            after.updated = c.now
            switch action {
            case .submit(let submission):
                after.state = .submitted
                var s = submission
                s.sha256 = s.sha256?.lowercased()
                after.submission = s
                after.reason = nil
            case .exempt(let reason):
                after.state = .exempted
                after.submission = nil
                after.reason = reason
            case .reopen(let reason):
                guard before.state != .open else { throw RequestError.invalidParameter("action") }
                after.state = .open
                after.submission = nil
                after.reason = reason
            }
            try txn.saveObligation(itemID: item.id, after)
            // Submitted or exempted: its reminders stop, and no one else's. Reopened: they start again.
            var cancel: [Int64] = [], schedule: [Occurrence] = []
            if after.state == .open {
                schedule = try ObligationReminders.schedule(item, codes: [code], txn, c)
            } else {
                cancel = try txn.cancelObligationReminders(itemID: item.id, code: code, now: c.now)
            }
            let standing = after.standing(due: item.fields.when, zone: item.zone, now: c.now)
            let method = switch action { case .submit: "Submit"; case .exempt: "Exempt"; case .reopen: "Reopen" }
            return Written(value: ObligationOutcome(item: item, obligation: after, standing: standing), schedule: schedule, cancel: cancel,
                           audit: AuditNote(method: method, target: "\(item.key)/\(code)", before: before, after: after),
                           events: [.obligation(itemKey: item.key, code: code, standing: standing, detail: method.lowercased(), at: c.now)])
        }
    }

    /// The deadline `key` names, or, for a plan's key, the one of its deadlines this action is
    /// for: the only one assigned to the organisation, else the only one in a state the action
    /// changes (open for submit and exempt, closed for reopen).
    static func resolve(_ key: String, code: String, action: Action, _ txn: any StoreTransaction) throws -> (Item, Obligation) {
        let deadlines = try DeadlineKey.deadlines(key, txn)
        if deadlines.count == 1 && deadlines[0].key == key {
            guard let o = try txn.obligation(itemID: deadlines[0].id, code: code) else { throw RequestError.noSuchObligation(key: key, code: code) }
            return (deadlines[0], o)
        }
        let assigned = try deadlines.compactMap { item in try txn.obligation(itemID: item.id, code: code).map { (item, $0) } }
        if assigned.count == 1 { return assigned[0] }
        if assigned.isEmpty { throw RequestError.noSuchObligation(key: key, code: code) }
        let changeable = assigned.filter { (_, o) in
            if case .reopen = action { o.state != .open } else { o.state == .open }
        }
        if changeable.count == 1 { return changeable[0] }
        throw RequestError.ambiguousKey(key: key, candidates: (changeable.isEmpty ? assigned : changeable).map(\.0.key))
    }

    /// Text kept whole or refused, as everywhere; a hash is 64 hex digits.
    static func validate(_ action: Action, by: String) throws {
        func check(_ text: String, _ field: String, required: Bool = false) throws {
            if required && text.trimmingCharacters(in: .whitespaces).isEmpty { throw RequestError.invalidParameter(field) }
            if Organisation.textProblem(text) != nil { throw RequestError.invalidParameter(field) }
        }
        try check(by, "by")
        switch action {
        case .submit(let s):
            try check(s.reference, "reference", required: true)
            if let hash = s.sha256, !Submission.isSHA256(hash) { throw RequestError.invalidParameter("sha256") }
        case .exempt(let reason): try check(reason, "reason", required: true)
        case .reopen(let reason): try reason.map { try check($0, "reason") }
        }
    }
}

/// An obligation and where it stands against its due date now.
public struct ObligationOutcome: Sendable, Equatable {
    /// The deadline it is of (a plan's key resolved to one).
    public var item: Item
    public var obligation: Obligation
    public var standing: ObligationStanding
}
