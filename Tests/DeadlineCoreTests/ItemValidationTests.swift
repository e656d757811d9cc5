import DeadlineCore
import Foundation
import Testing

@Suite("Item validation")
struct ItemValidationTests {
    func item(title: String = "ประชุมคณะทำงาน", zone: String = "Asia/Bangkok") -> NewItem {
        NewItem(kind: .meeting, title: title, at: Date(timeIntervalSince1970: 0), timeZone: zone)
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

    @Test func refusesUnknownZone() {
        #expect(throws: ItemValidationError.unknownTimeZone("Asia/Khon_Kaen")) {
            try item(zone: "Asia/Khon_Kaen").validate()
        }
    }
}
