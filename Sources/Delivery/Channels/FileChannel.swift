import DeadlineCore
import Foundation
import Glibc
import NIOPosix

/// Appends each reminder as one JSON line to a file and syncs it: for scripts that `tail -f`,
/// and for checking delivery (every line carries the idempotency key).
///
/// A line is written with one `write(2)` on a file opened `O_APPEND`, so concurrent writers
/// never interleave within a line; `fsync` before returning makes "accepted" mean "on disk".
/// The write runs on NIO's blocking pool, not on Swift's cooperative threads.
public struct FileChannel: Channel {
    public let name: String
    public let path: String
    public let policy: ChannelPolicy
    let renderer: MessageRenderer?
    let language: Language

    public init(name: String = "file", path: String, renderer: MessageRenderer? = nil, language: Language = .thai,
                policy: ChannelPolicy = ChannelPolicy()) {
        self.name = name
        self.path = path
        self.renderer = renderer
        self.language = language
        self.policy = policy
    }

    struct Line: Encodable {
        let key: String
        let item: String
        let occurrence: Int64
        let kind: String
        let title: String
        let lead: String
        /// The item's date and time (for a repeating meeting, the instance's).
        let at: String
        let fireAt: String
        /// When the channel wrote it: lateness is `sentAt - fireAt`.
        let sentAt: String
        let organisation: String
        /// For an obligation's reminder: the organisation's code (`organisation` is its name).
        let organisationCode: String?
        let event: String?
        let subject: String?
    }

    public func deliver(_ reminder: Reminder) async throws -> String? {
        let item = reminder.item
        let now = Date()
        let message = renderer?.render(reminder, channel: name, language: language, now: now)
        let line = Line(key: reminder.idempotencyKey(channel: name), item: item.key, occurrence: reminder.occurrence.id,
                        kind: item.kind.rawValue, title: item.title, lead: reminder.occurrence.label,
                        at: DateOutput.text(item.fields.when, timeZone: item.zone),
                        fireAt: DateOutput.iso8601(reminder.occurrence.fireAt, timeZone: item.zone),
                        sentAt: DateOutput.iso8601(now, timeZone: item.zone),
                        organisation: reminder.organisation?.name ?? item.fields.organisation, organisationCode: reminder.organisation?.code,
                        event: message?.event.rawValue, subject: message?.subject)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var bytes = [UInt8](try encoder.encode(line))
        bytes.append(0x0A)
        let (path, data) = (self.path, bytes)
        try await NIOThreadPool.singleton.runIfActive { try Self.append(data, to: path) }
        return nil
    }

    static func append(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0o640)
        guard fd >= 0 else { throw FileChannelError(path: path, call: "open", code: errno) }
        defer { close(fd) }
        let written = bytes.withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
        guard written == bytes.count else { throw FileChannelError(path: path, call: "write", code: errno) }
        guard fsync(fd) == 0 else { throw FileChannelError(path: path, call: "fsync", code: errno) }
    }
}

public struct FileChannelError: Error, CustomStringConvertible {
    let path: String
    let call: String
    let code: Int32
    public var description: String { "\(call) \(path): \(String(cString: strerror(code)))" }
}
