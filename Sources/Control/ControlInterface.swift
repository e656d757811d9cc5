import DeadlineCore
import Foundation

/// The wire types of `io.deadlined`, shared by the daemon and every client in Swift.
/// Their JSON matches `io.deadlined.varlink` field for field.
public enum ControlAPI {
    public static let interfaceName = "io.deadlined"

    public struct Reminder: Codable, Sendable, Equatable {
        public var id: Int64
        public var fireAt: String
        public var state: String
        public var attempts: Int
    }

    public struct Item: Codable, Sendable, Equatable {
        public var id: Int64
        public var kind: ItemKind
        public var title: String
        public var at: String
        public var timeZone: String
        public var location: String?
        public var notes: String?
        public var reminders: [Reminder]

        public init(_ item: DeadlineCore.Item, occurrences: [Occurrence]) {
            let zone = TimeZone(identifier: item.timeZone) ?? TimeZone(secondsFromGMT: 0)!
            id = item.id
            kind = item.kind
            title = item.title
            at = DateOutput.iso8601(item.at, timeZone: zone)
            timeZone = item.timeZone
            location = item.location
            notes = item.notes
            reminders = occurrences.map {
                Reminder(id: $0.id, fireAt: DateOutput.iso8601($0.fireAt, timeZone: zone), state: $0.state.rawValue, attempts: $0.attempts)
            }
        }
    }

    public struct StatusReply: Codable, Sendable, Equatable {
        public var version: String
        public var uptimeSeconds: Int
        public var store: String
        public var items: Int
        public var pending: Int
        public var firing: Int
        public var delivered: Int
        public var nextReminder: String?
        public var watchdogUsec: Int

        public init(version: String, uptimeSeconds: Int, store: String, items: Int, pending: Int, firing: Int,
                    delivered: Int, nextReminder: String?, watchdogUsec: Int) {
            self.version = version
            self.uptimeSeconds = uptimeSeconds
            self.store = store
            self.items = items
            self.pending = pending
            self.firing = firing
            self.delivered = delivered
            self.nextReminder = nextReminder
            self.watchdogUsec = watchdogUsec
        }
    }

    public struct AddItemParameters: Codable, Sendable, Equatable {
        public var kind: ItemKind
        public var title: String
        public var at: String
        public var timeZone: String?
        public var location: String?
        public var notes: String?

        public init(kind: ItemKind, title: String, at: String, timeZone: String? = nil,
                    location: String? = nil, notes: String? = nil) {
            self.kind = kind
            self.title = title
            self.at = at
            self.timeZone = timeZone
            self.location = location
            self.notes = notes
        }
    }

    public struct AddItemReply: Codable, Sendable, Equatable {
        public var item: Item
        public init(item: Item) { self.item = item }
    }

    public struct ListItemsReply: Codable, Sendable, Equatable {
        public var items: [Item]
        public init(items: [Item]) { self.items = items }
    }

    public struct NoParameters: Codable, Sendable, Equatable {
        public init() {}
    }

    // Errors of the interface, with the parameters its IDL declares.
    public static func invalidDate(_ e: DateInputError) -> VarlinkError {
        VarlinkError(interfaceName + ".InvalidDate", [
            "input": .string(e.input), "reason": .string(e.reason), "accepted": .array(e.accepted.map { .string($0) }),
        ])
    }
    public static func storeFailure(_ reason: String) -> VarlinkError {
        VarlinkError(interfaceName + ".StoreFailure", ["reason": .string(reason)])
    }
    public static func internalError(_ reason: String) -> VarlinkError {
        VarlinkError(interfaceName + ".InternalError", ["reason": .string(reason)])
    }
}

/// What the daemon does for each method of `io.deadlined`. Implementations throw
/// `VarlinkError`s of the interface; anything else becomes `InternalError`.
public protocol ControlHandler: Sendable {
    func status() async throws -> ControlAPI.StatusReply
    func addItem(_ parameters: ControlAPI.AddItemParameters) async throws -> ControlAPI.AddItemReply
    func listItems() async throws -> ControlAPI.ListItemsReply
}

extension ControlAPI {
    /// The `io.deadlined` interface bound to a handler.
    public static func interface(_ handler: any ControlHandler) -> VarlinkInterface {
        var i = VarlinkInterface(name: interfaceName, description: InterfaceDefinition.ioDeadlined)
        i.method("Status", NoParameters.self) { _ in try await handler.status() }
        i.method("AddItem", AddItemParameters.self) { try await handler.addItem($0) }
        i.method("ListItems", NoParameters.self) { _ in try await handler.listItems() }
        return i
    }

    /// The whole service: `org.varlink.service` plus `io.deadlined`.
    public static func service(_ handler: any ControlHandler, version: String) -> VarlinkService {
        VarlinkService(
            vendor: "deadlined", product: "deadlined", version: version,
            url: "https://github.com/deadlined/deadlined",
            interfaces: [interface(handler)],
            mapError: { internalError(String(describing: $0)) }
        )
    }
}
