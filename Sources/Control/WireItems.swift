import DeadlineCore
import Foundation
import Varlink

// The items and their reminders on the wire, and the methods that add, list, change and acknowledge them.
extension ControlAPI {
    public struct Reminder: Codable, Sendable, Equatable {
        public var id: Int64
        public var fireAt: String
        public var label: String
        public var state: OccurrenceState
        public var attempts: Int
        public var lastError: String?
        /// For a repeating meeting: the start of the instance it is for.
        public var instance: String?
    }

    public struct Item: Codable, Sendable, Equatable {
        public var id: Int64
        public var key: String
        public var kind: ItemKind
        public var title: String
        public var at: String
        public var dateOnly: Bool
        public var end: String?
        public var timeZone: String
        public var organisation: String
        public var location: String?
        public var notes: String?
        public var chair: String?
        public var attendees: [String]
        public var workingGroup: String?
        public var followUpOf: String?
        public var plan: String?
        public var recipient: String?
        public var tags: [String]
        public var remind: [String]
        public var escalation: [String]
        public var leads: [String]?
        public var state: ItemState
        public var stateChangedAt: String?
        public var stateChangedBy: String?
        /// Calendar days from today to the item's day (negative: past).
        public var daysLeft: Int
        /// Working days from today to the item's day (negative: past).
        public var workingDaysLeft: Int
        public var reminders: [Reminder]
        /// How it repeats (an RRULE, e.g. `FREQ=MONTHLY;BYDAY=1TU`); nil for a single item.
        public var recurrence: String?
        /// Instances left out of the series.
        public var exceptions: [String]?
        /// Instances added to the series' rule (RDATE).
        public var extraDates: [String]?
        /// Its iCalendar UID.
        public var uid: String?
        /// A meeting changed out of a series (RECURRENCE-ID): the start of the one it replaces.
        public var replaces: String?
        /// A repeating meeting's next instance from today (its last, once the series is over);
        /// `daysLeft` counts to it.
        public var next: String?

        public init(_ item: DeadlineCore.Item, occurrences: [Occurrence], today: LocalDate, calendar: WorkingCalendar) {
            let f = item.fields
            let zone = item.zone
            let countdown = Countdown(f, today: today, calendar: calendar)
            next = countdown.instance.map { DateOutput.text($0, timeZone: zone) }
            id = item.id
            key = f.key
            kind = f.kind
            title = f.title
            at = DateOutput.text(f.when, timeZone: zone)
            dateOnly = !f.when.hasTime
            end = f.end.map { DateOutput.iso8601($0, timeZone: zone) }
            timeZone = f.timeZone
            organisation = f.organisation
            location = f.location
            notes = f.notes
            chair = f.chair
            attendees = f.attendees
            workingGroup = f.workingGroup
            followUpOf = f.followUpOf
            plan = f.plan
            recipient = f.recipient
            tags = f.tags
            remind = f.remind
            escalation = f.escalation
            leads = f.leads?.map(\.description)
            state = item.state
            stateChangedAt = item.stateChangedAt.map { DateOutput.iso8601($0, timeZone: zone) }
            stateChangedBy = item.stateChangedBy
            daysLeft = countdown.days
            workingDaysLeft = countdown.workingDays
            reminders = occurrences.map {
                Reminder(id: $0.id, fireAt: DateOutput.iso8601($0.fireAt, timeZone: zone), label: $0.label,
                         state: $0.state, attempts: $0.attempts, lastError: $0.lastError,
                         instance: $0.instance.map { DateOutput.iso8601($0, timeZone: zone) })
            }
            recurrence = f.recurrence?.rrule
            exceptions = f.recurrence.flatMap { r in r.exceptions.isEmpty ? nil : r.exceptions.sorted().map { DateOutput.iso8601($0, timeZone: zone) } }
            extraDates = f.recurrence.flatMap { r in r.additions.isEmpty ? nil : r.additions.sorted().map { DateOutput.iso8601($0, timeZone: zone) } }
            uid = item.uid.isEmpty ? nil : item.uid
            replaces = item.recurrenceID.map { DateOutput.iso8601($0, timeZone: zone) }
        }
    }

    public struct ItemReply: Codable, Sendable, Equatable {
        public var item: Item
        /// AddItem and Update: working-day reminders that rest on holidays not announced.
        public var warnings: [String]?
        public init(item: Item, warnings: [String]? = nil) {
            self.item = item
            self.warnings = warnings
        }
    }

    public struct AddItemParameters: Codable, Sendable, Equatable {
        public var kind: ItemKind
        public var title: String
        public var at: String
        public var key: String?
        public var timeZone: String?
        public var end: String?
        public var organisation: String?
        public var location: String?
        public var notes: String?
        public var chair: String?
        public var attendees: [String]?
        public var workingGroup: String?
        public var followUpOf: String?
        public var plan: String?
        public var recipient: String?
        public var tags: [String]?
        public var remind: [String]?
        public var escalation: [String]?
        public var leads: [String]?
        public var rule: String?
        /// How a meeting repeats: an RRULE (`FREQ=WEEKLY;BYDAY=TU`); `at` is the first instance.
        public var recurrence: String?

        public init(kind: ItemKind, title: String, at: String, key: String? = nil, timeZone: String? = nil,
                    location: String? = nil, notes: String? = nil) {
            self.kind = kind
            self.title = title
            self.at = at
            self.key = key
            self.timeZone = timeZone
            self.location = location
            self.notes = notes
        }
    }

    public struct AddItemsParameters: Codable, Sendable, Equatable {
        public var items: [AddItemParameters]
        public init(items: [AddItemParameters]) { self.items = items }
    }

    /// What `AddItems` added: the keys in the order given, and no item bodies (`Get` has them).
    public struct AddItemsReply: Codable, Sendable, Equatable {
        public var keys: [String]
        /// Reminders planned for them in all.
        public var reminders: Int
        public var warnings: [String]?
        public init(keys: [String], reminders: Int, warnings: [String]? = nil) {
            self.keys = keys
            self.reminders = reminders
            self.warnings = warnings
        }
    }

    public struct UpdateParameters: Codable, Sendable, Equatable {
        public var key: String
        public var title: String?
        public var at: String?
        public var end: String?
        public var location: String?
        public var notes: String?
        public var recipient: String?
        public var tags: [String]?
        public var remind: [String]?
        public var escalation: [String]?
        public var leads: [String]?
        public var rule: String?
        /// A new RRULE for a meeting; empty: it stops repeating.
        public var recurrence: String?
        /// Meetings of a series to leave out (each a date or a date and time of one of them).
        public var skip: [String]?
        public init(key: String) { self.key = key }
    }

    public struct ListParameters: Codable, Sendable, Equatable {
        public var kind: ItemKind?
        public var state: ItemState?
        public var from: String?
        public var to: String?
        public var tag: String?
        public var overdue: Bool?
        public init(kind: ItemKind? = nil, state: ItemState? = nil, from: String? = nil, to: String? = nil, tag: String? = nil,
                    overdue: Bool? = nil) {
            self.kind = kind
            self.state = state
            self.from = from
            self.to = to
            self.tag = tag
            self.overdue = overdue
        }
    }

    public struct ListItemsReply: Codable, Sendable, Equatable {
        public var items: [Item]
        public init(items: [Item]) { self.items = items }
    }

    public struct AcknowledgeParameters: Codable, Sendable, Equatable {
        /// The states an item is moved to by acknowledging it (`open` is not one).
        public enum State: String, Codable, Sendable, CaseIterable {
            case submitted, held, cancelled
            public var itemState: ItemState {
                switch self {
                case .submitted: .submitted
                case .held: .held
                case .cancelled: .cancelled
                }
            }
        }
        public var key: String
        public var state: State
        public var by: String?
        public init(key: String, state: State, by: String?) {
            self.key = key
            self.state = state
            self.by = by
        }
    }

    public struct KeyParameters: Codable, Sendable, Equatable {
        public var key: String
        public init(key: String) { self.key = key }
    }
}
