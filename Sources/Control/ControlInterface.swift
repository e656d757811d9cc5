import DeadlineCore
import Foundation
import Varlink

/// The wire types of `io.deadlined`, shared by the daemon and every client in Swift.
/// Their JSON matches `io.deadlined.varlink` field for field.
public enum ControlAPI {
    public static let interfaceName = "io.deadlined"

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

    public struct StatusReply: Codable, Sendable, Equatable {
        public var version: String
        public var uptimeSeconds: Int
        public var store: String
        /// `ok`, or why the store cannot be read.
        public var storeHealth: String
        /// The store file and its write-ahead log, in bytes.
        public var storeBytes: Int
        public var language: String
        public var timeZone: String
        public var items: Int
        public var pending: Int
        public var firing: Int
        public var delivered: Int
        public var retrying: Int
        public var failed: Int
        public var missed: Int
        public var cancelled: Int
        public var nextReminder: String?
        public var watchdogUsec: Int
        public var lastDowntime: String?
        public var channels: [ChannelInfo]
        public var problems: [Problem]
        public var holidayYears: [HolidayYearInfo]
        public var holidayCaveats: [HolidayCaveatInfo]

        public init(version: String, uptimeSeconds: Int, store: String, storeHealth: String = "ok", storeBytes: Int = 0,
                    language: String, timeZone: String, items: Int,
                    pending: Int, firing: Int, delivered: Int, retrying: Int = 0, failed: Int = 0, missed: Int = 0, cancelled: Int,
                    nextReminder: String?, watchdogUsec: Int, lastDowntime: String? = nil, channels: [ChannelInfo] = [],
                    problems: [Problem] = [], holidayYears: [HolidayYearInfo] = [], holidayCaveats: [HolidayCaveatInfo] = []) {
            self.channels = channels
            self.problems = problems
            self.holidayYears = holidayYears
            self.holidayCaveats = holidayCaveats
            self.storeHealth = storeHealth
            self.storeBytes = storeBytes
            self.retrying = retrying
            self.failed = failed
            self.missed = missed
            self.lastDowntime = lastDowntime
            self.version = version
            self.uptimeSeconds = uptimeSeconds
            self.store = store
            self.language = language
            self.timeZone = timeZone
            self.items = items
            self.pending = pending
            self.firing = firing
            self.delivered = delivered
            self.cancelled = cancelled
            self.nextReminder = nextReminder
            self.watchdogUsec = watchdogUsec
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

    public struct ItemReply: Codable, Sendable, Equatable {
        public var item: Item
        /// AddItem and Update: working-day reminders that rest on holidays not announced.
        public var warnings: [String]?
        public init(item: Item, warnings: [String]? = nil) {
            self.item = item
            self.warnings = warnings
        }
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

    public struct FileParameters: Codable, Sendable, Equatable {
        public var name: String
        public var content: String
        public init(name: String, content: String) {
            self.name = name
            self.content = content
        }
    }

    public struct ImportReply: Codable, Sendable, Equatable {
        public var added: [String]
        public var updated: [String]
        public var unchanged: [String]
        public var plans: Int
        /// Items an iCalendar import cancelled (STATUS:CANCELLED, METHOD:CANCEL).
        public var cancelled: [String]?
        /// What was skipped or not used, one line each (never dropped unseen).
        public var notes: [String]?
        /// Working-day reminders that rest on holidays not announced, one line each.
        public var warnings: [String]?
        public init(added: [String], updated: [String], unchanged: [String], plans: Int, cancelled: [String]? = nil, notes: [String]? = nil,
                    warnings: [String]? = nil) {
            self.cancelled = cancelled
            self.notes = notes
            self.warnings = warnings
            self.added = added
            self.updated = updated
            self.unchanged = unchanged
            self.plans = plans
        }
    }

    public struct ExportParameters: Codable, Sendable, Equatable {
        public var format: String?
        public var from: String?
        public var to: String?
        public init(format: String? = nil, from: String? = nil, to: String? = nil) {
            self.format = format
            self.from = from
            self.to = to
        }
    }

    public struct ExportReply: Codable, Sendable, Equatable {
        public var format: String
        public var items: Int
        public var text: String
        public init(format: String, items: Int, text: String) {
            self.format = format
            self.items = items
            self.text = text
        }
    }

    public struct InstancesParameters: Codable, Sendable, Equatable {
        public var key: String
        public var from: String
        public var to: String
        public var limit: Int?
        public init(key: String, from: String, to: String, limit: Int? = nil) {
            self.key = key
            self.from = from
            self.to = to
            self.limit = limit
        }
    }

    public struct InstancesReply: Codable, Sendable, Equatable {
        public var key: String
        public var recurrence: String?
        public var instances: [String]
        public init(key: String, recurrence: String?, instances: [String]) {
            self.key = key
            self.recurrence = recurrence
            self.instances = instances
        }
    }

    public struct SimulateParameters: Codable, Sendable, Equatable {
        public var from: String
        public var to: String
        public init(from: String, to: String) {
            self.from = from
            self.to = to
        }
    }

    public struct PlannedReminder: Codable, Sendable, Equatable {
        public var fireAt: String
        public var key: String
        public var kind: ItemKind
        public var title: String
        public var label: String
        public init(fireAt: String, key: String, kind: ItemKind, title: String, label: String) {
            self.fireAt = fireAt
            self.key = key
            self.kind = kind
            self.title = title
            self.label = label
        }
    }

    public struct SimulateReply: Codable, Sendable, Equatable {
        public var reminders: [PlannedReminder]
        public init(reminders: [PlannedReminder]) { self.reminders = reminders }
    }

    public struct YearParameters: Codable, Sendable, Equatable {
        public var year: Int
        public init(year: Int) { self.year = year }
    }

    public struct HolidaysReply: Codable, Sendable, Equatable {
        public struct Day: Codable, Sendable, Equatable {
            public var date: String
            public var name: String
            public var english: String?
            public var source: String?
        }
        public struct NotHoliday: Codable, Sendable, Equatable {
            public var date: String
            public var name: String
            public var english: String?
            public var why: String
        }
        public var year: Int
        public var status: HolidayStatus
        public var source: String
        public var holidays: [Day]
        public var notHolidays: [NotHoliday]?

        public init(_ y: HolidayYear) {
            year = y.year
            status = y.status
            source = y.source
            holidays = y.holidays.map { Day(date: $0.date.description, name: $0.name, english: $0.english, source: $0.source) }
            notHolidays = y.notHolidays.isEmpty ? nil
                : y.notHolidays.map { NotHoliday(date: $0.date.description, name: $0.name, english: $0.english, why: $0.why) }
        }
    }

    /// A loaded holiday year, as `Status` lists it.
    public struct HolidayYearInfo: Codable, Sendable, Equatable {
        public var year: Int
        public var status: HolidayStatus
        public var holidays: Int
        public init(_ y: HolidayYear) {
            year = y.year
            status = y.status
            holidays = y.holidays.count
        }
    }

    /// A year not announced that open items' working-day reminders count through.
    public struct HolidayCaveatInfo: Codable, Sendable, Equatable {
        public var year: Int
        public var status: HolidayStatus?
        public var items: [String]
        public var message: String
        public init(_ c: HolidayCaveat) {
            year = c.year
            status = c.status
            items = c.items
            message = c.sentence
        }
    }

    public struct ImportHolidaysReply: Codable, Sendable, Equatable {
        public var year: Int
        public var holidays: Int
        public init(year: Int, holidays: Int) {
            self.year = year
            self.holidays = holidays
        }
    }

    public struct ChannelInfo: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable {
            case journal, file, command, email, webhook
        }
        public var name: String
        public var type: Kind
        public var concurrency: Int
        public var maxAttempts: Int
        public var timeoutSeconds: Int
        public init(name: String, type: Kind, concurrency: Int, maxAttempts: Int, timeoutSeconds: Int) {
            self.name = name
            self.type = type
            self.concurrency = concurrency
            self.maxAttempts = maxAttempts
            self.timeoutSeconds = timeoutSeconds
        }
    }

    public struct Problem: Codable, Sendable, Equatable {
        public var reminder: Int64
        public var item: String
        public var fireAt: String
        public enum State: String, Codable, Sendable, CaseIterable {
            case retrying, failed
        }
        public var state: State
        public var attempts: Int
        public var error: String
        public init(reminder: Int64, item: String, fireAt: String, state: State, attempts: Int, error: String) {
            self.reminder = reminder
            self.item = item
            self.fireAt = fireAt
            self.state = state
            self.attempts = attempts
            self.error = error
        }
    }

    public struct TestChannelParameters: Codable, Sendable, Equatable {
        public var channel: String
        public var kind: ItemKind?
        public init(channel: String, kind: ItemKind? = nil) {
            self.channel = channel
            self.kind = kind
        }
    }

    public struct TestChannelReply: Codable, Sendable, Equatable {
        public var channel: String
        public var delivered: Bool
        public var detail: String?
        public var error: String?
        public var milliseconds: Int
        public init(channel: String, delivered: Bool, detail: String?, error: String?, milliseconds: Int) {
            self.channel = channel
            self.delivered = delivered
            self.detail = detail
            self.error = error
            self.milliseconds = milliseconds
        }
    }

    public struct Event: Codable, Sendable, Equatable {
        public enum Kind: String, Codable, Sendable, CaseIterable {
            case reminderSent = "reminder_sent"
            case deliveryFailed = "delivery_failed"
            case itemChanged = "item_changed"
        }
        public var kind: Kind
        public var at: String
        public var item: String
        public var reminder: Int64?
        public var channel: String?
        public var state: String?
        public var detail: String?
        public var final: Bool?
        public init(kind: Kind, at: String, item: String, reminder: Int64? = nil, channel: String? = nil, state: String? = nil,
                    detail: String? = nil, final: Bool? = nil) {
            self.kind = kind
            self.at = at
            self.item = item
            self.reminder = reminder
            self.channel = channel
            self.state = state
            self.detail = detail
            self.final = final
        }
    }

    public struct WatchReply: Codable, Sendable, Equatable {
        public var event: Event
        public init(event: Event) { self.event = event }
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

    public struct ReloadReply: Codable, Sendable, Equatable {
        public var source: String
        public var channels: [String]
        public var holidayYears: Int
        public init(source: String, channels: [String], holidayYears: Int) {
            self.source = source
            self.channels = channels
            self.holidayYears = holidayYears
        }
    }

    public struct KeyParameters: Codable, Sendable, Equatable {
        public var key: String
        public init(key: String) { self.key = key }
    }

    public struct BackupParameters: Codable, Sendable, Equatable {
        public var path: String
        public init(path: String) { self.path = path }
    }

    public struct BackupReply: Codable, Sendable, Equatable {
        public var path: String
        public var bytes: Int
        public init(path: String, bytes: Int) {
            self.path = path
            self.bytes = bytes
        }
    }

    public struct AuditParameters: Codable, Sendable, Equatable {
        public var limit: Int?
        public init(limit: Int? = nil) { self.limit = limit }
    }

    public struct AuditReply: Codable, Sendable, Equatable {
        public struct Entry: Codable, Sendable, Equatable {
            public var at: String
            public var uid: Int
            public var pid: Int
            public var command: String
            public var method: String
            public var target: String
            public var before: String?
            public var after: String?
            public init(at: String, uid: Int, pid: Int, command: String, method: String, target: String, before: String?, after: String?) {
                self.at = at
                self.uid = uid
                self.pid = pid
                self.command = command
                self.method = method
                self.target = target
                self.before = before
                self.after = after
            }
        }
        public var entries: [Entry]
        public init(entries: [Entry]) { self.entries = entries }
    }

    public struct NoParameters: Codable, Sendable, Equatable {
        public init() {}
    }

    // Errors of the interface, with the parameters its IDL declares.
    static func error(_ name: String, _ parameters: [String: JSONValue]) -> VarlinkError {
        VarlinkError(interfaceName + "." + name, parameters)
    }
    public static func invalidDate(_ e: DateInputError) -> VarlinkError {
        error("InvalidDate", ["input": .string(e.input), "reason": .string(e.reason), "accepted": .array(e.accepted.map { .string($0) })])
    }
    public static func invalidLead(_ lead: String) -> VarlinkError {
        error("InvalidLead", ["lead": .string(lead), "accepted": .string(Lead.forms)])
    }
    public static func invalidRecurrence(_ input: String, reason: String) -> VarlinkError {
        error("InvalidRecurrence", ["input": .string(input), "reason": .string(reason)])
    }
    public static func noSuchItem(_ key: String) -> VarlinkError { error("NoSuchItem", ["key": .string(key)]) }
    public static func notOpen(_ key: String, _ state: ItemState) -> VarlinkError {
        error("NotOpen", ["key": .string(key), "state": .string(state.rawValue)])
    }
    public static func duplicateKey(_ key: String) -> VarlinkError { error("DuplicateKey", ["key": .string(key)]) }
    public static func invalidFile(location: String, message: String) -> VarlinkError {
        error("InvalidFile", ["location": .string(location), "message": .string(message)])
    }
    public static func noHolidayData(_ year: Int) -> VarlinkError { error("NoHolidayData", ["year": .int(Int64(year))]) }
    public static func noSuchChannel(_ name: String, known: [String]) -> VarlinkError {
        error("NoSuchChannel", ["channel": .string(name), "known": .array(known.map { .string($0) })])
    }
    public static func invalidConfig(location: String, message: String) -> VarlinkError {
        error("InvalidConfig", ["location": .string(location), "message": .string(message)])
    }
    public static func storeFailure(_ reason: String) -> VarlinkError { error("StoreFailure", ["reason": .string(reason)]) }
    public static func internalError(_ reason: String) -> VarlinkError { error("InternalError", ["reason": .string(reason)]) }
}

/// What the daemon does for each method of `io.deadlined`. Implementations throw
/// `VarlinkError`s of the interface; anything else becomes `InternalError`.
public protocol ControlHandler: Sendable {
    func status() async throws -> ControlAPI.StatusReply
    func addItem(_ parameters: ControlAPI.AddItemParameters) async throws -> ControlAPI.ItemReply
    func listItems(_ parameters: ControlAPI.ListParameters) async throws -> ControlAPI.ListItemsReply
    func acknowledge(_ parameters: ControlAPI.AcknowledgeParameters) async throws -> ControlAPI.ItemReply
    func importAgenda(_ parameters: ControlAPI.FileParameters) async throws -> ControlAPI.ImportReply
    func simulate(_ parameters: ControlAPI.SimulateParameters) async throws -> ControlAPI.SimulateReply
    func listHolidays(_ parameters: ControlAPI.YearParameters) async throws -> ControlAPI.HolidaysReply
    func testChannel(_ parameters: ControlAPI.TestChannelParameters) async throws -> ControlAPI.TestChannelReply
    func importHolidays(_ parameters: ControlAPI.FileParameters) async throws -> ControlAPI.ImportHolidaysReply
    func audit(_ parameters: ControlAPI.AuditParameters) async throws -> ControlAPI.AuditReply
    func watch() async throws -> AsyncStream<ControlAPI.WatchReply>
    func update(_ parameters: ControlAPI.UpdateParameters) async throws -> ControlAPI.ItemReply
    func reload() async throws -> ControlAPI.ReloadReply
    func get(_ parameters: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply
    func remove(_ parameters: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply
    func backup(_ parameters: ControlAPI.BackupParameters) async throws -> ControlAPI.BackupReply
    func export(_ parameters: ControlAPI.ExportParameters) async throws -> ControlAPI.ExportReply
    func instances(_ parameters: ControlAPI.InstancesParameters) async throws -> ControlAPI.InstancesReply
}

extension ControlHandler {
    /// Handlers made for tests and fuzzing that have no calendar.
    public func export(_ parameters: ControlAPI.ExportParameters) async throws -> ControlAPI.ExportReply {
        throw VarlinkError.methodNotImplemented("io.deadlined.Export")
    }
    public func instances(_ parameters: ControlAPI.InstancesParameters) async throws -> ControlAPI.InstancesReply {
        throw VarlinkError.methodNotImplemented("io.deadlined.ListInstances")
    }
}

extension ControlAPI {
    /// The `io.deadlined` interface bound to a handler.
    public static func interface(_ handler: any ControlHandler) -> VarlinkInterface {
        var i = VarlinkInterface(name: interfaceName, description: InterfaceDefinition.ioDeadlined)
        i.bind(status) { _ in try await handler.status() }
        i.bind(addItem) { try await handler.addItem($0) }
        i.bind(listItems) { try await handler.listItems($0) }
        i.bind(acknowledge) { try await handler.acknowledge($0) }
        i.bind(importAgenda) { try await handler.importAgenda($0) }
        i.bind(simulate) { try await handler.simulate($0) }
        i.bind(listHolidays) { try await handler.listHolidays($0) }
        i.bind(testChannel) { try await handler.testChannel($0) }
        i.bind(importHolidays) { try await handler.importHolidays($0) }
        i.bind(watch) { _ in try await handler.watch() }
        i.bind(get) { try await handler.get($0) }
        i.bind(update) { try await handler.update($0) }
        i.bind(reload) { _ in try await handler.reload() }
        i.bind(remove) { try await handler.remove($0) }
        i.bind(backup) { try await handler.backup($0) }
        i.bind(export) { try await handler.export($0) }
        i.bind(listInstances) { try await handler.instances($0) }
        i.bind(audit) { try await handler.audit($0) }
        return i
    }

    /// The whole service: `org.varlink.service` plus `io.deadlined`.
    public static func service(_ handler: any ControlHandler, version: String,
                               onRefusal: @escaping @Sendable (Caller, String) -> Void = { _, _ in }) -> VarlinkService {
        VarlinkService(
            vendor: "deadlined", product: "deadlined", version: version,
            url: "https://github.com/deadlined/deadlined",
            interfaces: [interface(handler)],
            mapError: { internalError(String(describing: $0)) },
            onRefusal: onRefusal
        )
    }
}
