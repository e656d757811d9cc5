import DeadlineCore
import Foundation

/// Runs a program for each reminder: the reminder in `DEADLINED_*` environment variables and
/// as one JSON object on stdin. Exit 0 is acceptance; anything else, or running past the
/// timeout (the program's session is killed), is a failure, recorded with the exit status
/// and the last lines of its stderr.
///
/// The program gets a small fixed environment (PATH, LANG, the variables below), not the
/// daemon's, so that secrets meant for other channels never reach it.
public struct CommandChannel: Channel {
    public let name: String
    public let argv: [String]
    public let policy: ChannelPolicy
    let renderer: MessageRenderer
    let language: Language
    let redact: Redactor

    public init(name: String, argv: [String], renderer: MessageRenderer, language: Language = .thai,
                policy: ChannelPolicy = ChannelPolicy(), redactor: Redactor = Redactor([])) {
        self.name = name
        self.argv = argv
        self.renderer = renderer
        self.language = language
        self.policy = policy
        self.redact = redactor
    }

    /// What the program reads on stdin.
    struct Payload: Encodable {
        let event: String
        let subject: String
        let body: String
        let language: String
        let idempotencyKey: String
        let item: ItemPayload
        let occurrence: OccurrencePayload
    }

    struct ItemPayload: Encodable {
        let id: Int64
        let key: String
        let kind: String
        let title: String
        let due: String
        let organisation: String
        let location: String?
        let recipient: String?
        let remind: [String]
        let escalation: [String]
        let tags: [String]
    }

    struct OccurrencePayload: Encodable {
        let id: Int64
        let lead: String
        let fireAt: String
        let attempt: Int
    }

    public func deliver(_ reminder: Reminder) async throws -> String? {
        let now = Date()
        let message = renderer.render(reminder, channel: name, language: language, now: now)
        let item = reminder.item
        let zone = item.zone
        let due = reminder.dueText
        let key = reminder.idempotencyKey(channel: name)
        let payload = Payload(
            event: message.event.rawValue, subject: message.subject, body: message.body, language: language.rawValue,
            idempotencyKey: key,
            item: ItemPayload(id: item.id, key: item.key, kind: item.kind.rawValue, title: item.title, due: due,
                              organisation: item.fields.organisation, location: item.fields.location,
                              recipient: item.fields.recipient, remind: item.fields.remind,
                              escalation: item.fields.escalation, tags: item.fields.tags),
            occurrence: OccurrencePayload(id: reminder.occurrence.id, lead: reminder.occurrence.label,
                                          fireAt: DateOutput.iso8601(reminder.occurrence.fireAt, timeZone: zone),
                                          attempt: reminder.occurrence.attempts)
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var input = [UInt8](try encoder.encode(payload))
        input.append(0x0A)
        let environment: [String: String] = [
            "PATH": "/usr/local/bin:/usr/bin:/bin",
            "LANG": "C.UTF-8",
            "DEADLINED_EVENT": message.event.rawValue,
            "DEADLINED_SUBJECT": message.subject,
            "DEADLINED_ITEM_ID": String(item.id),
            "DEADLINED_ITEM_KEY": item.key,
            "DEADLINED_KIND": item.kind.rawValue,
            "DEADLINED_TITLE": item.title,
            "DEADLINED_DUE": due,
            "DEADLINED_LEAD": reminder.occurrence.label,
            "DEADLINED_OCCURRENCE_ID": String(reminder.occurrence.id),
            "DEADLINED_IDEMPOTENCY_KEY": key,
            "DEADLINED_LANGUAGE": language.rawValue,
            "DEADLINED_CHANNEL": name,
        ]
        let result: ProcessRunner.Result
        do {
            result = try await ProcessRunner.run(argv, environment: environment, input: input, timeout: policy.timeout)
        } catch {
            throw ChannelError(redact("\(error)"))
        }
        guard result.succeeded else { throw ChannelError(redact(result.summary)) }
        return redact(result.summary)
    }
}
