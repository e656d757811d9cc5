import DeadlineCore
import Foundation
import Testing

@Suite("Item validation")
struct ItemValidationTests {
    func item(title: String = "ประชุมคณะทำงาน", zone: String = "Asia/Bangkok") -> NewItem {
        NewItem(kind: .meeting, title: title, when: .instant(Date(timeIntervalSince1970: 0)), timeZone: zone)
    }

    @Test func acceptsAThaiTitle() throws {
        try item().validate()
    }

    @Test func refusesEmptyTitle() {
        #expect(throws: ItemValidationError.emptyTitle) { try item(title: "  \n").validate() }
    }

    @Test func refusesOverlongTitle() {
        #expect(throws: ItemValidationError.titleTooLong(limit: NewItem.maxTitleLength)) {
            try item(title: String(repeating: "ก", count: NewItem.maxTitleLength + 1)).validate()
        }
    }

    @Test func keys() throws {
        for good in ["wg-2560-1", "submit.nacc", "nacc-2561@อบต._ท่าพระ", "m12"] { #expect(NewItem.isValidKey(good), "\(good)") }
        for bad in ["", "a b", "-x", "x/y", String(repeating: "k", count: 65)] { #expect(!NewItem.isValidKey(bad), "\(bad)") }
        var item = item()
        item.key = "a b"
        #expect(throws: ItemValidationError.badKey("a b")) { try item.validate() }
    }

    @Test func meetingFieldsOnADeadline() {
        var d = NewItem(kind: .deadline, title: "ส่งแผน", when: .day(LocalDate(year: 2017, month: 5, day: 24)!), timeZone: "Asia/Bangkok")
        d.chair = "ประธาน"
        #expect(throws: ItemValidationError.meetingFieldOnDeadline) { try d.validate() }
    }

    @Test func refusesUnknownZone() {
        #expect(throws: ItemValidationError.unknownTimeZone("Asia/Khon_Kaen")) {
            try item(zone: "Asia/Khon_Kaen").validate()
        }
    }
}
