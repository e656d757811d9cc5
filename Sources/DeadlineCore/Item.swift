import Foundation

/// What kind of thing an item is: a meeting to attend or a deadline to meet.
public enum ItemKind: String, Codable, Sendable, CaseIterable {
    case meeting
    case deadline
}

/// A meeting or a deadline, as the secretariat entered it.
///
/// `at` is an absolute instant; `timeZone` (an IANA name) is how people read it and is kept
/// for display and, later, for date-only items.
public struct Item: Codable, Sendable, Equatable, Identifiable {
    public var id: Int64
    public var kind: ItemKind
    public var title: String
    public var at: Date
    public var timeZone: String
    public var location: String?
    public var notes: String?

    public init(id: Int64 = 0, kind: ItemKind, title: String, at: Date, timeZone: String,
                location: String? = nil, notes: String? = nil) {
        self.id = id
        self.kind = kind
        self.title = title
        self.at = at
        self.timeZone = timeZone
        self.location = location
        self.notes = notes
    }
}

/// The fields an item needs before it is stored; validated by `NewItem.validate()`.
public struct NewItem: Sendable, Equatable {
    public var kind: ItemKind
    public var title: String
    public var at: Date
    public var timeZone: String
    public var location: String?
    public var notes: String?

    public init(kind: ItemKind, title: String, at: Date, timeZone: String,
                location: String? = nil, notes: String? = nil) {
        self.kind = kind
        self.title = title
        self.at = at
        self.timeZone = timeZone
        self.location = location
        self.notes = notes
    }

    /// Longest title accepted; a title is a line in a reminder, not a document.
    public static let maxTitleLength = 500

    /// Checks what the store cannot: a title that is there and not too long, a known zone.
    public func validate() throws(ItemValidationError) {
        let trimmed = title.trimmingCharacters(in: .whitespacesAndNewlines)
        if trimmed.isEmpty { throw .emptyTitle }
        if title.count > Self.maxTitleLength { throw .titleTooLong(limit: Self.maxTitleLength) }
        if TimeZone(identifier: timeZone) == nil { throw .unknownTimeZone(timeZone) }
    }
}

public enum ItemValidationError: Error, Equatable, CustomStringConvertible {
    case emptyTitle
    case titleTooLong(limit: Int)
    case unknownTimeZone(String)

    public var description: String {
        switch self {
        case .emptyTitle: "the title is empty"
        case .titleTooLong(let limit): "the title is longer than \(limit) characters"
        case .unknownTimeZone(let zone): "'\(zone)' is not a known IANA time zone (e.g. Asia/Bangkok)"
        }
    }

    /// The parameter the error is about, for a Varlink InvalidParameter reply.
    public var parameter: String {
        switch self {
        case .emptyTitle, .titleTooLong: "title"
        case .unknownTimeZone: "timeZone"
        }
    }
}
