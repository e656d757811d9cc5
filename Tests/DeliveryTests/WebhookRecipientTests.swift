import DeadlineCore
import Delivery
import Foundation
import Testing

/// Whom a webhook's body addresses for an office's reminder, without a server: the LINE preset's
/// `to` is the office's chat target, and an office without one is not reached through it.
@Suite("Webhook: an office's reminder addressed to its own chat target")
struct WebhookRecipientTests {
    let now = Date(timeIntervalSince1970: 1_494_918_000)

    func reminder(chat: String?, label: String = "1wd@09:00", escalateTo: EscalationContact? = nil) -> Reminder {
        let item = Item(id: 1, fields: NewItem(kind: .deadline, key: "d1", title: "ส่งแผน", when: .day(LocalDate(year: 2017, month: 5, day: 24)!),
                                               timeZone: "Asia/Bangkok"))
        let org = Organisation(code: "4000101", name: "เทศบาลนครขอนแก่น", type: .cityMunicipality, province: "ขอนแก่น",
                               contact: OrganisationContact(chat: chat))
        return Reminder(item: item, occurrence: Occurrence(id: 7, itemID: 1, fireAt: now, state: .firing, label: label, organisation: org.code),
                        organisation: org, escalateTo: escalateTo)
    }

    func to(_ channel: WebhookChannel, _ r: Reminder) throws -> String? {
        let json = try JSONSerialization.jsonObject(with: Data(try channel.body(for: r, now: now))) as? [String: Any]
        return json?["to"] as? String
    }

    @Test("LINE: the office's target, the overseeing office's for an escalation; no target, not reached")
    func line() async throws {
        let channel = try WebhookChannel(name: "line", url: "http://127.0.0.1:9/push", preset: .line, to: "Ccenter-group", renderer: try MessageRenderer())
        // Its HTTP client must be shut down before it goes, whatever the checks do.
        let checked = Result { try checks(channel) }
        await channel.shutdown()
        try checked.get()
    }

    func checks(_ channel: WebhookChannel) throws {
        #expect(try to(channel, reminder(chat: "Uoffice4000101")) == "Uoffice4000101")
        let over = EscalationContact(province: "ขอนแก่น", name: "สถ.จ.", contact: OrganisationContact(chat: "Cprovince"))
        #expect(try to(channel, reminder(chat: "Uoffice4000101", label: "escalate@3wd@09:00", escalateTo: over)) == "Cprovince")
        #expect(channel.reaches(reminder(chat: "Uoffice4000101")))
        #expect(!channel.reaches(reminder(chat: nil)), "never the center's own group in its place")
        let item = Item(id: 2, fields: NewItem(kind: .deadline, key: "d2", title: "x", when: .day(LocalDate(year: 2017, month: 5, day: 24)!),
                                               timeZone: "Asia/Bangkok"))
        let own = Reminder(item: item, occurrence: Occurrence(id: 8, itemID: 2, fireAt: now, state: .firing))
        #expect(channel.reaches(own))
        #expect(try to(channel, own) == "Ccenter-group", "the center's own reminders go to its group")
    }
}
