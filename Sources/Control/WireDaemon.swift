import DeadlineCore
import Foundation
import Varlink

// What the daemon says of itself on the wire: status, channels, events, reload, backup, audit.
extension ControlAPI {
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
        public var holidayCaveatItems: Int
        /// A shared store only: this node, every node, the lease, and how long the oldest due
        /// reminder has waited for a claim (nil: none waits).
        public var node: String?
        public var nodes: [Node] = []
        public var leaseSeconds: Int?
        public var unclaimedSeconds: Int?

        public init(version: String, uptimeSeconds: Int, store: String, storeHealth: String = "ok", storeBytes: Int = 0,
                    language: String, timeZone: String, items: Int,
                    pending: Int, firing: Int, delivered: Int, retrying: Int = 0, failed: Int = 0, missed: Int = 0, cancelled: Int,
                    nextReminder: String?, watchdogUsec: Int, lastDowntime: String? = nil, channels: [ChannelInfo] = [],
                    problems: [Problem] = [], holidayYears: [HolidayYearInfo] = [], holidayCaveats: [HolidayCaveatInfo] = [], holidayCaveatItems: Int = 0) {
            self.channels = channels
            self.problems = problems
            self.holidayYears = holidayYears
            self.holidayCaveats = holidayCaveats
            self.holidayCaveatItems = holidayCaveatItems
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

    public struct Node: Codable, Sendable, Equatable {
        public var name: String
        public var startedAt: String
        public var silentSeconds: Int
        public var holding: Int
        public init(name: String, startedAt: String, silentSeconds: Int, holding: Int) {
            self.name = name
            self.startedAt = startedAt
            self.silentSeconds = silentSeconds
            self.holding = holding
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
            case obligationChanged = "obligation_changed"
        }
        public var kind: Kind
        public var at: String
        public var item: String
        public var reminder: Int64?
        public var channel: String?
        public var state: String?
        public var detail: String?
        public var final: Bool?
        /// The organisation's code, for an obligation.
        public var organisation: String?
        public init(kind: Kind, at: String, item: String, reminder: Int64? = nil, channel: String? = nil, state: String? = nil,
                    detail: String? = nil, final: Bool? = nil, organisation: String? = nil) {
            self.organisation = organisation
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
}
