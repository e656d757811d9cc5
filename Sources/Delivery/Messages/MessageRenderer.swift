import DeadlineCore
import Foundation
import Mustache

/// A reminder in words: a one-line subject and a body, in one language.
public struct RenderedMessage: Sendable, Equatable {
    public var event: MessageEvent
    public var language: Language
    public var subject: String
    public var body: String
}

/// A template that cannot be used, named by where it came from.
public struct TemplateError: Error, CustomStringConvertible, Equatable, Sendable {
    public let template: String
    public let message: String
    public var description: String { "template \(template): \(message)" }
}

/// Turns reminders into messages with the built-in or configured templates.
///
/// Templates are compiled once, when the config is read, so a broken one is refused at start
/// or reload, never at the moment a reminder is due.
public struct MessageRenderer: Sendable {
    struct Compiled: Sendable {
        let subject: MustacheTemplate
        let body: MustacheTemplate
    }

    private let templates: [String: Compiled]
    private let calendar: @Sendable () -> WorkingCalendar
    private let dayTime: TimeOfDay

    /// - Parameters:
    ///   - overrides: template text by `"<event>.<language>"` (`"overdue.th"`), replacing the built-in one.
    ///   - calendar: the current working calendar (holidays can be replaced at run time).
    public init(overrides: [String: String] = [:], dayTime: TimeOfDay = TimeOfDay(hour: 9, minute: 0)!,
                calendar: @escaping @Sendable () -> WorkingCalendar = { WorkingCalendar() }) throws(TemplateError) {
        var compiled: [String: Compiled] = [:]
        for event in MessageEvent.allCases {
            for language in Language.allCases {
                let name = "\(event.rawValue).\(language.rawValue)"
                compiled[name] = try Self.compile(overrides[name] ?? MessageTemplates.builtIn(event, language), name: name)
            }
        }
        for name in overrides.keys where compiled[name] == nil {
            throw TemplateError(template: name, message: "no such template; known: "
                + MessageEvent.allCases.flatMap { e in Language.allCases.map { "\(e.rawValue).\($0.rawValue)" } }.joined(separator: ", "))
        }
        self.templates = compiled
        self.calendar = calendar
        self.dayTime = dayTime
    }

    /// Splits `Subject: …` from the body and compiles both as plain text (no HTML escaping).
    static func compile(_ text: String, name: String) throws(TemplateError) -> Compiled {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false)
        guard let first = lines.first, first.hasPrefix("Subject:") else {
            throw TemplateError(template: name, message: "the first line must be 'Subject: …'")
        }
        lines.removeFirst()
        if lines.first?.trimmingCharacters(in: .whitespaces).isEmpty == true { lines.removeFirst() }
        let subject = first.dropFirst("Subject:".count).trimmingCharacters(in: .whitespaces)
        do {
            return Compiled(subject: try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + subject),
                            body: try MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + lines.joined(separator: "\n")))
        } catch {
            throw TemplateError(template: name, message: "not valid Mustache: \(error)")
        }
    }

    /// The message for `reminder` as sent through `channel` at `now`.
    public func render(_ reminder: Reminder, channel: String, language: Language, now: Date) -> RenderedMessage {
        let event = MessageEvent.of(reminder, now: now)
        let context = MessageContext(reminder: reminder, channel: channel, language: language, now: now, dayTime: dayTime, calendar: calendar())
        let compiled = templates["\(event.rawValue).\(language.rawValue)"]!
        let values = context.values
        // A subject is one line: a value with a newline in it must not start a header.
        let subject = compiled.subject.render(values).split(whereSeparator: \.isNewline).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        var body = compiled.body.render(values)
        if !body.hasSuffix("\n") { body += "\n" }
        return RenderedMessage(event: event, language: language, subject: subject, body: body)
    }

    /// The variables a template sees, for a webhook's own body template.
    public func values(_ reminder: Reminder, channel: String, language: Language, now: Date) -> [String: Any] {
        MessageContext(reminder: reminder, channel: channel, language: language, now: now, dayTime: dayTime, calendar: calendar()).values
    }
}
