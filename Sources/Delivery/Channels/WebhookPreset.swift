import Mustache

/// The JSON body a webhook receiver expects, by service. Each is a Mustache template over the
/// message variables (`MessageContext`) plus `subject`, `body`, `text` (subject and body) and
/// `event`, with JSON string escaping; the config can give its own (`template:`).
public enum WebhookPreset: String, Sendable, CaseIterable {
    /// deadlined's own shape: every field a script needs.
    case generic
    /// Slack incoming webhooks; Mattermost and Rocket.Chat accept the same.
    case slack
    case mattermost
    /// Discord webhooks (`content`, at most 2000 characters).
    case discord
    /// Microsoft Teams (Workflows "post to a channel when a webhook request is received"):
    /// an Adaptive Card.
    case teams
    /// LINE Messaging API push (`https://api.line.me/v2/bot/message/push`), to the user or
    /// group id given as `to`, with the channel access token as the secret.
    case line

    /// Longest `text` the service accepts, in characters; longer text is cut.
    var textLimit: Int {
        switch self {
        case .discord: 2000
        case .line: 5000
        case .slack, .mattermost: 16000
        case .generic, .teams: 100_000
        }
    }

    public var template: String {
        switch self {
        case .generic: """
            {"event": "{{event}}", "subject": "{{subject}}", "body": "{{body}}", "language": "{{language}}",
             "idempotency_key": "{{idempotency_key}}",
             "item": {"id": {{id}}, "key": "{{key}}", "kind": "{{kind}}", "title": "{{title}}", "due": "{{due_iso}}",
                      "organisation": "{{organisation}}"},
             "occurrence": {"id": {{occurrence}}, "lead": "{{lead}}"}}
            """
        case .slack, .mattermost: """
            {"text": "*{{subject}}*\\n{{body}}"}
            """
        case .discord: """
            {"content": "{{text}}", "allowed_mentions": {"parse": []}}
            """
        case .teams: """
            {"type": "message", "attachments": [{"contentType": "application/vnd.microsoft.card.adaptive", "content": {
              "$schema": "http://adaptivecards.io/schemas/adaptive-card.json", "type": "AdaptiveCard", "version": "1.4",
              "body": [{"type": "TextBlock", "text": "{{subject}}", "weight": "Bolder", "size": "Medium", "wrap": true},
                       {"type": "TextBlock", "text": "{{body}}", "wrap": true}]}}]}
            """
        case .line: """
            {"to": "{{to}}", "messages": [{"type": "text", "text": "{{text}}"}]}
            """
        }
    }
}

/// Escapes a value for the inside of a JSON string, for `{{% CONTENT_TYPE: JSON}}`.
struct JSONStringContentType: MustacheContentType {
    func escapeText(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case _ where scalar.value < 0x20 || scalar.value == 0x2028 || scalar.value == 0x2029:
                out += String(format: "\\u%04x", scalar.value)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    static let register: Void = MustacheContentTypes.register(JSONStringContentType(), named: "JSON")
}
