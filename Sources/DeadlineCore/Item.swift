import Foundation

/// What kind of thing an item is: a meeting to attend or a deadline to meet.
public enum ItemKind: String, Codable, Sendable, CaseIterable {
    case meeting
    case deadline
}

/// Where an item stands. A deadline is open until submitted (or cancelled); a meeting is
/// open until held (or cancelled). Leaving `open` drops the item's future reminders.
public enum ItemState: String, Codable, Sendable, CaseIterable {
    case open
    case submitted
    case held
    case cancelled
}

/// A plan an organisation must prepare and submit (e.g. the NACC anti-corruption plan 2560–2564).
public struct Plan: Codable, Sendable, Equatable, Hashable {
    /// Stable, typeable id (`nacc-2560-2564`).
    public var key: String
    public var name: String
    /// The agency that issues or receives it: PACC (ป.ป.ท.), NACC (ป.ป.ช.), …
    public var agency: String?
    /// Period as written, e.g. `2560-2564` or `2561`.
    public var period: String?

    public init(key: String, name: String, agency: String? = nil, period: String? = nil) {
        self.key = key
        self.name = name
        self.agency = agency
        self.period = period
    }
}

/// The fields an item has before it is stored, and that an update may change.
public struct NewItem: Sendable, Equatable {
    public var kind: ItemKind
    /// Stable, typeable id; the store makes one (`m12`, `d7`) when empty.
    public var key: String
    public var title: String
    public var when: When
    public var end: Date?
    public var timeZone: String
    /// The organisation (LAO) the item belongs to.
    public var organisation: String
    public var location: String?
    public var notes: String?
    public var chair: String?
    public var attendees: [String]
    public var workingGroup: String?
    /// Key of the earlier meeting this one follows up.
    public var followUpOf: String?
    /// Key of the plan this item concerns.
    public var plan: String?
    /// The agency a deadline's submission goes to.
    public var recipient: String?
    public var tags: [String]
    /// People or channels to remind.
    public var remind: [String]
    /// Who else hears when a deadline is still open close to its due date (the chair, the clerk).
    public var escalation: [String]
    /// A named rule from the config; nil for the kind's default.
    public var rule: String?
    /// Lead times that replace the rule's (`--remind 1d,2h,0`).
    public var leads: [Lead]?
    /// How a meeting repeats; nil for a single meeting. `when` is then the first instance.
    public var recurrence: Recurrence?

    public init(kind: ItemKind, key: String = "", title: String, when: When, end: Date? = nil, timeZone: String,
                organisation: String = "", location: String? = nil, notes: String? = nil, chair: String? = nil,
                attendees: [String] = [], workingGroup: String? = nil, followUpOf: String? = nil, plan: String? = nil,
                recipient: String? = nil, tags: [String] = [], remind: [String] = [], escalation: [String] = [],
                rule: String? = nil, leads: [Lead]? = nil, recurrence: Recurrence? = nil) {
        self.kind = kind
        self.key = key
        self.title = title
        self.when = when
        self.end = end
        self.timeZone = timeZone
        self.organisation = organisation
        self.location = location
        self.notes = notes
        self.chair = chair
        self.attendees = attendees
        self.workingGroup = workingGroup
        self.followUpOf = followUpOf
        self.plan = plan
        self.recipient = recipient
        self.tags = tags
        self.remind = remind
        self.escalation = escalation
        self.rule = rule
        self.leads = leads
        self.recurrence = recurrence
    }

    /// Longest title accepted; a title is a line in a reminder, not a document.
    public static let maxTitleLength = 500

    /// Longest text of any other field (notes included).
    public static let maxTextLength = 10_000

    /// Years an item may fall in: those whose holidays are known or computed.
    public static let years = ComputedHolidays.span

    /// Checks what the store cannot: a title that is there and not too long, text that is kept
    /// whole (no NUL, which C strings end at) and has no terminal control in it (only line
    /// breaks and tabs), a known zone, a key a person can type, a date in `years`, an end after
    /// the start.
    public func validate() throws(ItemValidationError) {
        if title.count > Self.maxTitleLength { throw .titleTooLong(limit: Self.maxTitleLength, length: title.count) }
        let fields: [(String, [String])] = [
            ("title", [title]), ("organisation", [organisation]), ("location", [location ?? ""]), ("notes", [notes ?? ""]),
            ("chair", [chair ?? ""]), ("attendees", attendees), ("workingGroup", [workingGroup ?? ""]), ("followUpOf", [followUpOf ?? ""]),
            ("plan", [plan ?? ""]), ("recipient", [recipient ?? ""]), ("tags", tags), ("remind", remind), ("escalation", escalation),
            ("rule", [rule ?? ""]),
        ]
        for (field, texts) in fields {
            for text in texts {
                if text.unicodeScalars.contains(where: Self.isStoredControl) { throw .controlCharacter(field: field) }
                if text.count > Self.maxTextLength { throw .textTooLong(field: field, limit: Self.maxTextLength) }
            }
        }
        // After the control check: Foundation trims a lone NUL as if it were a blank.
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw .emptyTitle }
        guard Self.isZoneName(timeZone), let zone = TimeZone(identifier: timeZone) else { throw .unknownTimeZone(timeZone) }
        if !key.isEmpty && !Self.isValidKey(key) { throw .badKey(key) }
        let year = when.localDate(in: zone).year
        if !Self.years.contains(year) { throw .yearOutOfRange(year) }
        if let end, end <= when.instant(zone: zone, dayTime: TimeOfDay(hour: 0, minute: 0)!) { throw .endBeforeStart }
        if kind == .deadline && (chair != nil || !attendees.isEmpty || followUpOf != nil) { throw .meetingFieldOnDeadline }
        if kind == .deadline && recurrence != nil { throw .recurringDeadline }
    }

    /// A control character text may not hold: C0 but tab, line feed and carriage return; DEL; C1.
    public static func isStoredControl(_ s: Unicode.Scalar) -> Bool {
        (s.value < 0x20 && s != "\t" && s != "\n" && s != "\r") || (0x7F...0x9F).contains(s.value)
    }

    /// C0 and C1 controls, DEL, and the bidirectional overrides that reorder what a terminal
    /// shows (U+202A–202E, U+2066–2069).
    public static func isControl(_ s: Unicode.Scalar) -> Bool {
        s.value < 0x20 || (0x7F...0x9F).contains(s.value) || (0x202A...0x202E).contains(s.value) || (0x2066...0x2069).contains(s.value)
    }

    /// Printable ASCII only: Foundation reads a zone name as a C string, so
    /// "Asia/Bangkok\0junk" would pass as Asia/Bangkok (found by fuzzing the iCalendar import).
    public static func isZoneName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 64 && name.unicodeScalars.allSatisfy { $0.value > 0x20 && $0.value < 0x7F }
    }

    /// Letters (Thai too), digits, `-`, `_`, `.`, `@`, up to 64: what a person types after `deadlinectl submit`.
    public static func isValidKey(_ key: String) -> Bool {
        key.count <= 64 && key.first.map { $0.isLetter || $0.isNumber } == true
            && key.allSatisfy { $0.isLetter || $0.isNumber || "-_.@".contains($0) }
    }

    /// The instant a series is expanded from: its first instance (a whole day from midnight).
    public var seriesStart: Date {
        let zone = TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!
        switch when {
        case .instant(let d): return d
        case .day(let d): return d.at(hour: 0, minute: 0, in: zone)
        }
    }

    /// The `when` of the instance of a series that starts at `start`.
    public func instanceWhen(_ start: Date) -> When {
        if case .day = when { return .day(LocalDate(start, in: TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!)) }
        return .instant(start)
    }

    /// One instance of a series as an item of its own: its date, its end shifted alike.
    public func instance(at start: Date) -> NewItem {
        var one = self
        one.end = end.map { start.addingTimeInterval($0.timeIntervalSince(seriesStart)) }
        one.when = instanceWhen(start)
        return one
    }

    /// The instant the item counts at (a date-only item at `dayTime`).
    public func instant(dayTime: TimeOfDay) -> Date {
        when.instant(zone: TimeZone(identifier: timeZone) ?? TimeZone(secondsFromGMT: 0)!, dayTime: dayTime)
    }
}

/// A stored item: the fields, its row id, and its state.
public struct Item: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var fields: NewItem
    public var state: ItemState
    /// When it left `open`, and who said so.
    public var stateChangedAt: Date?
    public var stateChangedBy: String?
    /// Its iCalendar UID: kept from an imported invitation, made once otherwise; never changes.
    public var uid: String
    /// Bumped by every change, for iCalendar's SEQUENCE.
    public var sequence: Int
    /// When it last changed (or was added).
    public var updatedAt: Date?
    /// A meeting that replaces one instance of a series (a moved or changed meeting of an
    /// invitation, iCalendar's RECURRENCE-ID): that instance's start. It shares the series' `uid`.
    public var recurrenceID: Date?

    public init(id: Int64, fields: NewItem, state: ItemState = .open, stateChangedAt: Date? = nil, stateChangedBy: String? = nil,
                uid: String = "", sequence: Int = 0, updatedAt: Date? = nil, recurrenceID: Date? = nil) {
        self.id = id
        self.fields = fields
        self.state = state
        self.stateChangedAt = stateChangedAt
        self.stateChangedBy = stateChangedBy
        self.uid = uid
        self.sequence = sequence
        self.updatedAt = updatedAt
        self.recurrenceID = recurrenceID
    }

    public var kind: ItemKind { fields.kind }
    public var key: String { fields.key }
    public var title: String { fields.title }
    public var timeZone: String { fields.timeZone }
    public var zone: TimeZone { TimeZone(identifier: fields.timeZone) ?? TimeZone(secondsFromGMT: 0)! }
}

public enum ItemValidationError: Error, Equatable, CustomStringConvertible {
    case emptyTitle
    case titleTooLong(limit: Int, length: Int)
    case textTooLong(field: String, limit: Int)
    case controlCharacter(field: String)
    case unknownTimeZone(String)
    case badKey(String)
    case yearOutOfRange(Int)
    case endBeforeStart
    case meetingFieldOnDeadline
    case recurringDeadline

    public var description: String {
        switch self {
        case .emptyTitle: "the title is empty"
        case .titleTooLong(let limit, let length): "the title is \(length) characters long; at most \(limit) are accepted"
        case .textTooLong(let field, let limit): "'\(field)' is longer than \(limit) characters"
        case .controlCharacter(let field): "'\(field)' holds a control character (NUL, escape, …): it is refused, not cut"
        case .unknownTimeZone(let zone): "'\(zone)' is not a known IANA time zone (e.g. Asia/Bangkok)"
        case .badKey(let key): "'\(key)' is not a usable key: letters, digits, '-', '_' or '.', at most 64"
        case .yearOutOfRange(let year): "the year \(year) is outside \(Self.years)"
        case .endBeforeStart: "the end is not after the start"
        case .meetingFieldOnDeadline: "chair, attendees and follow_up_of are for meetings, not deadlines"
        case .recurringDeadline: "only meetings repeat; a deadline is one date"
        }
    }

    /// The years accepted, in both eras.
    public static let years = "\(NewItem.years.lowerBound)–\(NewItem.years.upperBound) (พ.ศ. \(NewItem.years.lowerBound + 543)–\(NewItem.years.upperBound + 543))"

    /// The parameter the error is about, for a Varlink InvalidParameter reply.
    public var parameter: String {
        switch self {
        case .emptyTitle, .titleTooLong: "title"
        case .textTooLong(let field, _), .controlCharacter(let field): field
        case .unknownTimeZone: "timeZone"
        case .badKey: "key"
        case .yearOutOfRange: "at"
        case .endBeforeStart: "end"
        case .meetingFieldOnDeadline: "kind"
        case .recurringDeadline: "recurrence"
        }
    }

    /// What a parameter must be, for a client that got InvalidParameter for it (the reply
    /// names the parameter only).
    public static func rule(forParameter parameter: String) -> String? {
        let controls = "with no control characters (NUL, escape) but line breaks and tabs"
        return switch parameter {
        case "title": "a title is 1 to \(NewItem.maxTitleLength) characters, \(controls)"
        case "at": "a date in \(years)"
        case "key": "a key is letters, digits, '-', '_', '.' or '@', at most 64, starting with a letter or digit"
        case "timeZone": "an IANA time zone, e.g. Asia/Bangkok"
        case "end": "the end must be after the start"
        case "notes", "location", "organisation", "chair", "attendees", "workingGroup", "followUpOf", "plan", "recipient", "tags", "remind",
             "escalation", "rule":
            "at most \(NewItem.maxTextLength) characters, \(controls)"
        // The registry's and the center's parameters.
        case "code": "a code is ASCII letters, digits and '-', at most 32"
        case "name": "a name is 1 to \(NewItem.maxTitleLength) characters, \(controls)"
        case "province": "a province is needed, \(controls)"
        case "email": "an e-mail address: one '@' with text on both sides, no spaces"
        case "district", "person", "chat", "phone", "reason", "by": "at most \(NewItem.maxTextLength) characters, \(controls)"
        case "reference": "the document number is needed, \(controls)"
        case "received": "the day it was received, not after tomorrow"
        case "sha256": "64 hexadecimal digits"
        case "all": "assign to all organisations with all: true (--all), or name a province, district, type or codes, not both"
        case "action": "only a submission or an exemption is reopened; this one is open"
        default: nil
        }
    }
}
