import DeadlineCore
import Foundation
import Varlink

// Imports, exports, series instances and simulations on the wire.
extension ControlAPI {
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
}
