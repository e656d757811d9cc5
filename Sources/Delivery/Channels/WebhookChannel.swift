import AsyncHTTPClient
import DeadlineCore
import Foundation
import Mustache
import NIOCore
import NIOHTTP1
import NIOSSL

/// POSTs each reminder as JSON to an HTTP(S) endpoint: a chat service's incoming webhook
/// (presets for Slack/Mattermost, Discord, Teams and LINE) or a body of the admin's own.
///
/// Every request carries `Idempotency-Key` (and LINE's `X-Line-Retry-Key`), the same on every
/// attempt, so a receiver that honours it posts once. TLS certificates are verified, against
/// the system's roots or the channel's `ca_file`. A 2xx answer is acceptance; any other
/// status, a timeout or a connection error is a failure, retried by the timer core.
public struct WebhookChannel: Channel {
    public let name: String
    public let policy: ChannelPolicy
    let url: String
    let preset: WebhookPreset
    let template: MustacheTemplate
    let token: String?
    let to: String?
    let renderer: MessageRenderer
    let language: Language
    let redact: Redactor
    let client: HTTPClient

    /// - Parameters:
    ///   - url: where to POST; may itself be a secret (Slack puts the key in the path).
    ///   - template: a body of the admin's own, instead of the preset's.
    ///   - token: sent as `Authorization: Bearer …`.
    ///   - caFile: PEM file of the CAs to trust instead of the system's.
    public init(name: String, url: String, preset: WebhookPreset = .generic, template: String? = nil, token: String? = nil,
                to: String? = nil, caFile: String? = nil, renderer: MessageRenderer, language: Language = .thai,
                policy: ChannelPolicy = ChannelPolicy(), redactor: Redactor = Redactor([])) throws {
        guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme?.lowercased() ?? ""), parsed.host != nil else {
            throw ChannelError("channel '\(name)': '\(redactor(url))' is not an http:// or https:// URL")
        }
        _ = JSONStringContentType.register
        do {
            self.template = try MustacheTemplate(string: "{{% CONTENT_TYPE: JSON}}" + (template ?? preset.template))
        } catch {
            throw ChannelError("channel '\(name)': the body template is not valid Mustache: \(error)")
        }
        if preset == .line && (to ?? "").isEmpty { throw ChannelError("channel '\(name)': the line preset needs 'to' (a user or group id)") }
        self.name = name
        self.url = url
        self.preset = preset
        self.token = token
        self.to = to
        self.renderer = renderer
        self.language = language
        self.policy = policy
        self.redact = redactor
        var tls = TLSConfiguration.makeClientConfiguration()
        if let caFile { tls.trustRoots = .file(caFile) }
        let timeout = TimeAmount.nanoseconds(Int64(policy.timeout.components.seconds) * 1_000_000_000
            + policy.timeout.components.attoseconds / 1_000_000_000)
        self.client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(
            tlsConfiguration: tls, redirectConfiguration: .disallow, timeout: .init(connect: timeout, read: timeout)))
    }

    /// A LINE push is addressed: an office's reminder reaches it only through its own chat target
    /// (never the center's group, seven thousand times). Other presets post to their channel.
    public func reaches(_ reminder: Reminder) -> Bool {
        guard preset == .line, let org = reminder.organisation else { return true }
        return (Self.chatTarget(reminder) ?? org.contact.chat) != nil
    }

    /// For an office's escalation: the chat target of the office it escalates to.
    static func chatTarget(_ reminder: Reminder) -> String? {
        reminder.isEscalation ? reminder.escalateTo?.contact.chat : nil
    }

    /// The JSON body for `reminder`; it is checked to be JSON before it is sent.
    public func body(for reminder: Reminder, now: Date) throws -> [UInt8] {
        let message = renderer.render(reminder, channel: name, language: language, now: now)
        var values = renderer.values(reminder, channel: name, language: language, now: now)
        values["event"] = message.event.rawValue
        values["subject"] = message.subject
        values["body"] = message.body
        values["text"] = String((message.subject + "\n\n" + message.body).prefix(preset.textLimit))
        if let to { values["to"] = to }
        // An office's reminder goes to its own chat target (its escalation to the office over it).
        if let org = reminder.organisation, let chat = Self.chatTarget(reminder) ?? org.contact.chat { values["to"] = chat }
        let text = template.render(values)
        let bytes = Array(text.utf8)
        guard (try? JSONSerialization.jsonObject(with: Data(bytes))) != nil else {
            throw ChannelError("channel '\(name)': the body template did not give valid JSON")
        }
        return bytes
    }

    public func deliver(_ reminder: Reminder) async throws -> String? {
        let key = reminder.idempotencyKey(channel: name)
        var request = HTTPClientRequest(url: url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json; charset=utf-8")
        request.headers.add(name: "User-Agent", value: "deadlined")
        request.headers.add(name: "Idempotency-Key", value: key)
        if preset == .line { request.headers.add(name: "X-Line-Retry-Key", value: Self.uuid(from: key)) }
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        request.body = .bytes(try body(for: reminder, now: Date()))
        do {
            let response = try await client.execute(request, timeout: .seconds(Int64(policy.timeout.components.seconds) + 1))
            let answer = try await response.body.collect(upTo: 64 * 1024)
            let status = response.status.code
            guard (200..<300).contains(status) else {
                let text = String(buffer: answer).prefix(200).split(whereSeparator: \.isNewline).joined(separator: " ")
                throw ChannelError(redact("HTTP \(status)" + (text.isEmpty ? "" : ": \(text)")))
            }
            return "HTTP \(status)"
        } catch let error as ChannelError {
            throw error
        } catch {
            throw ChannelError(redact("POST \(url): \(error)"))
        }
    }

    public func shutdown() async {
        try? await client.shutdown()
    }

    /// A UUID-shaped key that is the same for the same idempotency key (LINE wants a UUID).
    static func uuid(from key: String) -> String {
        func fnv(_ seed: UInt64) -> UInt64 {
            var h: UInt64 = seed
            for b in key.utf8 { h = (h ^ UInt64(b)) &* 0x100_0000_01b3 }
            return h
        }
        var a = fnv(0xcbf2_9ce4_8422_2325)
        let b = fnv(0x8422_2325_cbf2_9ce4)
        // Version 8 (custom), RFC 9562 variant.
        a = (a & ~0xF000) | 0x8000
        let hex = String(format: "%016llx%016llx", a, (b & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000)
        let c = Array(hex)
        return "\(String(c[0..<8]))-\(String(c[8..<12]))-\(String(c[12..<16]))-\(String(c[16..<20]))-\(String(c[20..<32]))"
    }
}
