import Foundation
import ICalendar
import Testing

@Suite("iCalendar lines: escaping, folding, parsing")
struct ContentLineTests {
    @Test("folding keeps every physical line within 75 octets and never splits a UTF-8 sequence", arguments: [
        "SUMMARY:" + String(repeating: "ประชุมคณะทำงานจัดทำแผนปฏิบัติการป้องกันการทุจริต ", count: 4),
        "DESCRIPTION:" + String(repeating: "a", count: 200),
        "X:" + String(repeating: "ก", count: 1) + String(repeating: "é", count: 60) + "😀😀😀",
    ])
    func folding(line: String) throws {
        let folded = ContentLine.fold(line)
        #expect(folded.hasSuffix("\r\n"))
        let physical = folded.dropLast(2).components(separatedBy: "\r\n")
        #expect(physical.count > 1)
        for (i, p) in physical.enumerated() {
            #expect(p.utf8.count <= 75, "line \(i) has \(p.utf8.count) octets")
            // (By scalars: a space before a Thai vowel is one Character.)
            if i > 0 { #expect(p.unicodeScalars.first == " ") }
            // Each physical line is valid UTF-8 on its own: no sequence was cut.
            #expect(String(validating: Array(p.utf8), as: UTF8.self) != nil)
        }
        #expect(ContentLine.unfold(folded).map(\.text) == [line])
    }

    @Test("unfolding accepts CRLF, bare LF and tab continuations, and a continuation that starts with a Thai vowel")
    func unfolding() {
        let text = "A:one\r\n two\nB:x\n\tyz\r\nC:ประชุมเด\r\n ือน\r\n"
        #expect(ContentLine.unfold(text).map(\.text) == ["A:onetwo", "B:xyz", "C:ประชุมเดือน"])
        #expect(ContentLine.unfold(text).map(\.line) == [1, 3, 5])
    }

    @Test("TEXT escaping round-trips backslashes, commas, semicolons and newlines")
    func escaping() {
        let text = "ประชุม, ครั้งที่ 1; ห้อง A\\B\nบรรทัดสอง"
        let escaped = ContentLine.escape(text)
        #expect(escaped == "ประชุม\\, ครั้งที่ 1\\; ห้อง A\\\\B\\nบรรทัดสอง")
        #expect(ContentLine.unescape(escaped) == text)
        #expect(ContentLine.splitList("a\\,b,c,,d") == ["a,b", "c", "d"])
        // Found by the iCalendar fuzzer: a bare CR read back as itself but was written as \n,
        // so a round trip changed the title. Control characters are cleaned on reading.
        #expect(ContentLine.unescape("x\r\u{0}y\r\nz\u{7F}\tw") == "x\ny\nz\tw")
    }

    @Test("a property with quoted parameters parses; one that is not a property says where")
    func parse() throws {
        let p = try ContentLine.parse("ATTENDEE;CN=\"Somchai, J.\";ROLE=REQ-PARTICIPANT:mailto:s@example.org", line: 7, file: "x.ics")
        #expect(p.name == "ATTENDEE" && p.parameter("CN") == "Somchai, J." && p.value == "mailto:s@example.org")
        #expect(try ContentLine.parse(p.text, line: 1, file: "x") == p)
        // A value starting with a Thai vowel: ":" and the vowel are one Swift Character.
        #expect(try ContentLine.parse("SUMMARY:\u{0E38}x", line: 1, file: "x").value == "\u{0E38}x")
        let error = #expect(throws: ICalendarError.self) { try ContentLine.parse("no colon here", line: 9, file: "x.ics") }
        #expect(error?.location == "x.ics:9")
    }

    @Test("durations", arguments: [(0, "PT0S"), (-900, "-PT15M"), (-86_400, "-P1D"), (-(86_400 + 5 * 3600), "-P1DT5H"), (3661, "PT1H1M1S")])
    func durations(seconds: Int, text: String) {
        #expect(CalendarExport.duration(seconds) == text)
    }
}
