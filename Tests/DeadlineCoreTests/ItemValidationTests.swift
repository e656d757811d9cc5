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
        #expect(throws: ItemValidationError.titleTooLong(limit: NewItem.maxTitleLength, length: NewItem.maxTitleLength + 1)) {
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

    @Test("NUL, escape, BEL and C1 controls are refused in every text field; line breaks and tabs are kept", arguments: [
        "before\u{0}after", "\u{0}", "\u{1b}[2J", "ding\u{7}", "\u{85}",
    ])
    func controls(bad: String) {
        var one = item(title: bad)
        #expect(throws: ItemValidationError.controlCharacter(field: "title")) { try one.validate() }
        one = item()
        one.notes = "บรรทัดหนึ่ง\n" + bad
        #expect(throws: ItemValidationError.controlCharacter(field: "notes")) { try one.validate() }
        one = item()
        one.attendees = ["ok", bad]
        #expect(throws: ItemValidationError.controlCharacter(field: "attendees")) { try one.validate() }
    }

    @Test func keepsLineBreaksAndTabs() throws {
        var one = item(title: "ประชุม\nบรรทัดสอง\tท้าย")
        one.location = "ห้องประชุม 1\nชั้น 3"
        try one.validate()
    }

    @Test("a date outside 1900–2200 is refused, where it is parsed and where it is checked")
    func years() throws {
        let zone = TimeZone(identifier: "Asia/Bangkok")!
        var old = item()
        old.when = .day(LocalDate(year: 1899, month: 12, day: 31)!)
        #expect(throws: ItemValidationError.yearOutOfRange(1899)) { try old.validate() }
        old.when = .day(LocalDate(year: 1900, month: 1, day: 1)!)
        try old.validate()
        for text in ["0000-05-16", "2999-01-01", "16 พฤษภาคม 3560"] {
            let error = #expect(throws: DateInputError.self) { try DateInput.parse(text, timeZone: zone) }
            #expect(error?.reason.contains("is outside 1900–2200 (พ.ศ. 2443–2743)") == true, "\(text): \(error.map { "\($0)" } ?? "accepted")")
        }
        #expect(try DateInput.parse("16 พฤษภาคม 2560", timeZone: zone) == .day(LocalDate(year: 2017, month: 5, day: 16)!))
    }

    @Test func refusesOverlongText() {
        var one = item()
        one.notes = String(repeating: "ก", count: NewItem.maxTextLength + 1)
        #expect(throws: ItemValidationError.textTooLong(field: "notes", limit: NewItem.maxTextLength)) { try one.validate() }
    }
}

@Suite("Text files: read whole, or refused with where")
struct TextFileTests {
    @Test("a byte that is not UTF-8, or a NUL, is named by line and column; a BOM is dropped")
    func decode() throws {
        #expect(try TextFile.decode(Array("\u{FEFF}ก\nข".utf8), file: "f") == "ก\nข")
        let bad = #expect(throws: TextFileError.self) { try TextFile.decode(Array("ab\nกข".utf8) + [0xFF], file: "f.yaml") }
        #expect(bad?.location == "f.yaml:2:3" && bad?.message.contains("not UTF-8") == true)
        let nul = #expect(throws: TextFileError.self) { try TextFile.decode(Array("a\n\nxy\u{0}".utf8), file: "f.yaml") }
        #expect(nul?.location == "f.yaml:3:3" && nul?.message.contains("NUL") == true)
    }

    @Test func directoryAndMissing() throws {
        let directory = #expect(throws: TextFileError.self) { try TextFile.read("/tmp") }
        #expect(directory?.message == "is a directory, not a file")
        let missing = #expect(throws: TextFileError.self) { try TextFile.read("/nonexistent/deadlined.yaml") }
        #expect(missing?.message == "No such file or directory")
    }
}
