import DeadlineCore
import Foundation

/// Sends each reminder as an e-mail through the local MTA's `sendmail -t -i` interface, which
/// postfix, exim, msmtp and nullmailer all provide, so the daemon needs no SMTP settings of
/// its own and no network access beyond what the MTA has.
///
/// Recipients: for an organisation's obligation, its own e-mail address; else the addresses in
/// the item's `remind:` list (To), else the channel's `to`; an escalation goes To the item's
/// `escalation:` contacts with its people in Cc. The
/// Message-ID is derived from the idempotency key, so a repeat after a crash carries the
/// same one and a receiving system can drop it.
public struct EmailChannel: Channel {
    public let name: String
    public let policy: ChannelPolicy
    public let sendmail: [String]
    public let from: MailAddress
    public let to: [MailAddress]
    public let cc: [MailAddress]
    let renderer: MessageRenderer
    let language: Language
    let redact: Redactor

    public init(name: String, sendmail: [String] = ["/usr/sbin/sendmail"], from: MailAddress, to: [MailAddress] = [],
                cc: [MailAddress] = [], renderer: MessageRenderer, language: Language = .thai,
                policy: ChannelPolicy = ChannelPolicy(), redactor: Redactor = Redactor([])) {
        self.name = name
        self.sendmail = sendmail
        self.from = from
        self.to = to
        self.cc = cc
        self.renderer = renderer
        self.language = language
        self.policy = policy
        self.redact = redactor
    }

    /// An obligation's reminder needs an address: the organisation's, or for its escalation
    /// the office it escalates to.
    public func reaches(_ reminder: Reminder) -> Bool {
        guard let org = reminder.organisation else { return true }
        return org.contact.email.flatMap(MailAddress.init) != nil
            || (reminder.isEscalation && reminder.escalateTo?.contact.email.flatMap(MailAddress.init) != nil)
    }

    /// The message as it is handed to sendmail.
    public func message(for reminder: Reminder, now: Date) throws -> MailMessage {
        let item = reminder.item
        // An obligation's reminder goes to the organisation's own address, and to no one else;
        // its escalation to the district's or province's office, the organisation in Cc.
        let people = reminder.organisation.map { [$0.contact.email.flatMap(MailAddress.init)].compactMap { $0 } }
            ?? item.fields.remind.compactMap(MailAddress.init)
        let escalation = reminder.organisation == nil ? item.fields.escalation.compactMap(MailAddress.init)
            : [reminder.escalateTo?.contact.email.flatMap(MailAddress.init)].compactMap { $0 }
        // The channel's `to` stands in for an item that names no one, never for an office.
        var toList = people.isEmpty && reminder.organisation == nil ? to : people
        var ccList = cc
        if reminder.isEscalation && !escalation.isEmpty {
            ccList = toList + ccList
            toList = escalation
        }
        guard !toList.isEmpty else {
            throw ChannelError("no recipient: item \(item.key) names no e-mail address in remind: and channel '\(name)' has no 'to'")
        }
        let rendered = renderer.render(reminder, channel: name, language: language, now: now)
        let domain = from.domain
        return MailMessage(
            from: from, to: toList, cc: ccList.filter { c in !toList.contains { $0.address == c.address } },
            subject: rendered.subject, body: rendered.body, date: now, timeZone: item.zone,
            messageID: "\(reminder.idempotencyKey(channel: name))@\(domain)",
            references: ["deadlined-item-\(item.id)@\(domain)"],
            extraHeaders: [("X-Deadlined-Item", item.key), ("X-Deadlined-Event", rendered.event.rawValue)]
                + (reminder.organisation.map { [("X-Deadlined-Organisation", $0.code)] } ?? [])
        )
    }

    public func deliver(_ reminder: Reminder) async throws -> String? {
        let text = try message(for: reminder, now: Date()).rendered()
        let argv = sendmail + ["-t", "-i", "-f", from.address]
        let result: ProcessRunner.Result
        do {
            result = try await ProcessRunner.run(argv, environment: ["PATH": "/usr/sbin:/usr/bin:/sbin:/bin", "LANG": "C.UTF-8"],
                                                 input: Array(text.utf8), timeout: policy.timeout)
        } catch {
            throw ChannelError(redact("sendmail: \(error)"))
        }
        guard result.succeeded else { throw ChannelError(redact("sendmail " + result.summary)) }
        return "sendmail " + redact(result.summary)
    }
}
