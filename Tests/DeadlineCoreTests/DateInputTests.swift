import DeadlineCore
import Foundation
import Testing

@Suite("Reading WHEN")
struct DateInputTests {
    static let bangkok = TimeZone(identifier: "Asia/Bangkok")!

    /// 16 May 2017 14:00 in Bangkok is 07:00 UTC.
    static let meeting = Date(timeIntervalSince1970: 1_494_918_000)

    @Test("accepted ISO 8601 forms", arguments: [
        ("2017-05-16T14:00:00+07:00", meeting),
        ("2017-05-16T14:00+07:00", meeting),
        ("2017-05-16 14:00+0700", meeting),
        ("2017-05-16T07:00:00Z", meeting),
        ("2017-05-16T07:00Z", meeting),
        ("2017-05-16T14:00", meeting),              // no offset: the item's zone
        ("  2017-05-16T14:00:00+07:00 ", meeting),  // surrounding blanks
        ("2017-05-16T07:00:00.250Z", meeting.addingTimeInterval(0.25)),
        ("2017-05-16T02:00:00-05:00", meeting),
    ])
    func accepted(input: String, expected: Date) throws {
        let got = try DateInput.parse(input, timeZone: Self.bangkok)
        #expect(abs(got.timeIntervalSince(expected)) < 0.0005, "\(input) → \(got)")
    }

    @Test("refused inputs say why and list the accepted forms", arguments: [
        ("", "not a recognised"),
        ("tomorrow", "not a recognised"),
        ("2017-05-16", "without a time"),
        ("2017-02-30T10:00+07:00", "not a day of the calendar"),
        ("2017-04-31T10:00", "not a day of the calendar"),
        ("2017-13-01T10:00", "month 13"),
        ("2017-05-16T24:00", "out of range"),
        ("2017-05-16T14:60", "out of range"),
        ("2017-05-16T14:00+19:00", "offset"),
        ("16/05/2017 14:00", "not a recognised"),
    ])
    func refused(input: String, reason: String) {
        #expect {
            try DateInput.parse(input, timeZone: Self.bangkok)
        } throws: { error in
            guard let e = error as? DateInputError else { return false }
            return e.input == input && e.reason.contains(reason) && e.accepted == DateInput.acceptedForms
                && e.description.contains("2017-05-16T14:00:00+07:00")
        }
    }

    @Test("no offset reads local time in a zone with daylight saving time")
    func localTimeInBerlin() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        let summer = try DateInput.parse("2017-07-01T12:00", timeZone: berlin)
        let winter = try DateInput.parse("2017-01-01T12:00", timeZone: berlin)
        #expect(try summer == DateInput.parse("2017-07-01T10:00Z", timeZone: berlin))
        #expect(try winter == DateInput.parse("2017-01-01T11:00Z", timeZone: berlin))
    }

    @Test("output is ISO 8601 with the zone's offset and reads back to the same instant")
    func roundTrip() throws {
        let text = DateOutput.iso8601(Self.meeting, timeZone: Self.bangkok)
        #expect(text == "2017-05-16T14:00:00+07:00")
        #expect(try DateInput.parse(text, timeZone: TimeZone(secondsFromGMT: 0)!) == Self.meeting)
        let fractional = DateOutput.iso8601(Self.meeting.addingTimeInterval(0.5), timeZone: Self.bangkok)
        #expect(fractional == "2017-05-16T14:00:00.500+07:00")
    }

    @Test("every millisecond reads back and prints the same, whatever the Double rounding")
    func millisecondsSurviveARoundTrip() throws {
        let utc = TimeZone(secondsFromGMT: 0)!
        for ms in [1, 7, 99, 312, 313, 500, 941, 999] {
            let text = String(format: "2026-11-27T09:39:21.%03dZ", ms)
            let date = try DateInput.parse(text, timeZone: utc)
            #expect(DateOutput.iso8601(date, timeZone: utc) == String(format: "2026-11-27T09:39:21.%03dZ", ms))
            // As the store keeps it: whole milliseconds, back to a Double.
            let stored = Date(timeIntervalSince1970: Double(Int64((date.timeIntervalSince1970 * 1000).rounded())) / 1000)
            #expect(DateOutput.iso8601(stored, timeZone: utc) == String(format: "2026-11-27T09:39:21.%03dZ", ms))
        }
        #expect(DateOutput.iso8601(Date(timeIntervalSince1970: -0.25), timeZone: utc) == "1969-12-31T23:59:59.750Z")
    }
}

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
