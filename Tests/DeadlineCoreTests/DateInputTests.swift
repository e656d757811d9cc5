import DeadlineCore
import Foundation
import Testing

/// What an input should give: a whole day, a Bangkok wall-clock time, an exact instant, or an
/// error whose reason contains the text.
enum Expected: Sendable, CustomTestStringConvertible {
    case day(Int, Int, Int)
    case bangkok(Int, Int, Int, Int, Int)
    case instant(TimeInterval)
    case error(String)

    var testDescription: String {
        switch self {
        case .day(let y, let m, let d): "day \(y)-\(m)-\(d)"
        case .bangkok(let y, let m, let d, let h, let mi): "\(y)-\(m)-\(d) \(h):\(mi) Bangkok"
        case .instant(let t): "instant \(t)"
        case .error(let text): "error ~ \(text)"
        }
    }
}

@Suite("Reading WHEN")
struct DateInputTests {
    static let bangkok = TimeZone(identifier: "Asia/Bangkok")!
    /// Friday 27 November 2026, 10:00 in Bangkok.
    static let now = LocalDate(year: 2026, month: 11, day: 27)!.at(hour: 10, minute: 0, in: bangkok)
    /// 16 May 2017 14:00 in Bangkok is 07:00 UTC.
    static let meeting: TimeInterval = 1_494_918_000

    static let table: [(String, Expected)] = [
        // ISO 8601
        ("2017-05-16T14:00:00+07:00", .instant(meeting)),
        ("2017-05-16T14:00+07:00", .instant(meeting)),
        ("2017-05-16 14:00+0700", .instant(meeting)),
        ("2017-05-16T07:00:00Z", .instant(meeting)),
        ("2017-05-16T02:00:00-05:00", .instant(meeting)),
        ("2017-05-16T07:00:00.250Z", .instant(meeting + 0.25)),
        ("2017-05-16T14:00", .bangkok(2017, 5, 16, 14, 0)),
        ("  2017-05-16  14:00 ", .bangkok(2017, 5, 16, 14, 0)),
        ("2017-05-24", .day(2017, 5, 24)),
        ("2017-02-30T10:00+07:00", .error("has no day 30")),
        ("2017-04-31", .error("has no day 31")),
        ("2017-13-01T10:00", .error("month 13")),
        ("2017-05-16T24:00", .error("out of range")),
        ("2017-05-16T14:60", .error("out of range")),
        ("2017-05-16T14:00+19:00", .error("offset")),
        ("2016-02-29", .day(2016, 2, 29)),
        ("2017-02-29", .error("has no day 29")),
        // Thai, as letters write them
        ("16 พฤษภาคม 2560", .day(2017, 5, 16)),
        ("16 พ.ค. 60", .day(2017, 5, 16)),
        ("16 พ.ค. 2560", .day(2017, 5, 16)),
        ("16 พ.ค.60", .day(2017, 5, 16)),
        ("16 พค 60", .day(2017, 5, 16)),
        ("16 พ.ค 60", .day(2017, 5, 16)),
        ("24 พฤษภาคม พ.ศ. 2560", .day(2017, 5, 24)),
        ("วันอังคารที่ 16 พฤษภาคม พ.ศ. 2560 เวลา 14.00 น.", .bangkok(2017, 5, 16, 14, 0)),
        ("วันอังคารที่ 16 พฤษภาคม 2560 เวลา 14.00 น.", .bangkok(2017, 5, 16, 14, 0)),
        ("วันอังคาร ที่ 16 พฤษภาคม 2560", .day(2017, 5, 16)),
        ("วันพฤหัสบดีที่ 18 พฤษภาคม 2560", .day(2017, 5, 18)),
        ("วันพฤหัสที่ 18 พฤษภาคม 2560", .day(2017, 5, 18)),
        ("วันที่ 24 พฤษภาคม 2560", .day(2017, 5, 24)),
        ("ที่ 24 พ.ค. 60", .day(2017, 5, 24)),
        ("16 พฤษภาคม 2560 เวลา 14.00 น.", .bangkok(2017, 5, 16, 14, 0)),
        ("16 พฤษภาคม 2560 14:00", .bangkok(2017, 5, 16, 14, 0)),
        ("16 พฤษภาคม 2560 14.00", .bangkok(2017, 5, 16, 14, 0)),
        ("16 พฤษภาคม 2560 เวลา 9.30 น.", .bangkok(2017, 5, 16, 9, 30)),
        ("16 พฤษภาคม 2560 เวลา 14.00 นาฬิกา", .bangkok(2017, 5, 16, 14, 0)),
        ("๑๖ พฤษภาคม ๒๕๖๐", .day(2017, 5, 16)),
        ("วันอังคารที่ ๑๖ พฤษภาคม พ.ศ. ๒๕๖๐ เวลา ๑๔.๐๐ น.", .bangkok(2017, 5, 16, 14, 0)),
        ("๒๔ พ.ค. ๖๐", .day(2017, 5, 24)),
        ("1 ม.ค. 61", .day(2018, 1, 1)),
        ("31 ธ.ค. 2560", .day(2017, 12, 31)),
        ("13 เม.ย. 2561", .day(2018, 4, 13)),
        ("1 ตุลาคม 2560", .day(2017, 10, 1)),
        ("29 กุมภาพันธ์ 2563", .day(2020, 2, 29)),
        ("29 กุมภาพันธ์ 2564", .error("has no day 29")),
        ("16 พฤษภาคม ค.ศ. 2017", .day(2017, 5, 16)),
        ("16 พฤษภาคม 2017", .day(2017, 5, 16)),
        ("วันพุธที่ 16 พฤษภาคม 2560", .error("not วันพุธ")),
        ("วันจันทร์ที่ 18 พฤษภาคม 2560", .error("is a Thursday")),
        ("16 พฤษภาคม 2560 เวลา 25.00 น.", .error("out of range")),
        ("16 พ.ค.", .error("need a year")),
        ("16 พฤษภาคม", .error("need a year")),
        ("32 พฤษภาคม 2560", .error("has no day 32")),
        // English
        ("16 May 2017 14:00", .bangkok(2017, 5, 16, 14, 0)),
        ("16 May 2017", .day(2017, 5, 16)),
        ("Tuesday 16 May 2017", .day(2017, 5, 16)),
        ("Tuesday, May 16, 2017", .day(2017, 5, 16)),
        ("May 16, 2017 at 14:00", .bangkok(2017, 5, 16, 14, 0)),
        ("16 may 2017", .day(2017, 5, 16)),
        ("16th Sept 2017", .day(2017, 9, 16)),
        ("Wed 16 May 2017", .error("not วันพุธ")),
        ("31 June 2017", .error("has no day 31")),
        // Relative, from Friday 27 November 2026 10:00 Bangkok
        ("tomorrow 09:00", .bangkok(2026, 11, 28, 9, 0)),
        ("Tomorrow", .day(2026, 11, 28)),
        ("today 16:30", .bangkok(2026, 11, 27, 16, 30)),
        ("พรุ่งนี้ เวลา 09.00 น.", .bangkok(2026, 11, 28, 9, 0)),
        ("พรุ่งนี้", .day(2026, 11, 28)),
        ("มะรืนนี้ 13.30", .bangkok(2026, 11, 29, 13, 30)),
        ("วันนี้", .day(2026, 11, 27)),
        ("+3d", .bangkok(2026, 11, 30, 10, 0)),
        ("+1w", .bangkok(2026, 12, 4, 10, 0)),
        ("+2h", .bangkok(2026, 11, 27, 12, 0)),
        ("+30m", .bangkok(2026, 11, 27, 10, 30)),
        ("+3x", .error("not a recognised date")),
        // Fiscal year
        ("FY2561-start", .day(2017, 10, 1)),
        ("FY2561-end", .day(2018, 9, 30)),
        ("สิ้นปีงบประมาณ 2561", .day(2018, 9, 30)),
        ("ต้นปีงบประมาณ พ.ศ. 2561", .day(2017, 10, 1)),
        ("FY2561", .error("which end of the fiscal year")),
        // Neither
        ("", .error("nothing was given")),
        ("   ", .error("nothing was given")),
        ("soon", .error("not a recognised date")),
        ("16/05/2560", .error("ambiguous")),
        ("5/6/2017 10:00", .error("ambiguous")),
        ("14:00", .error("needs a date")),
        ("เวลา 14.00 น.", .error("needs a date")),
    ]

    @Test("the table has the inputs the issue asks for")
    func tableSize() {
        #expect(Self.table.count >= 60)
        #expect(Self.table.filter { if case .error = $0.1 { true } else { false } }.count >= 15)
    }

    @Test("each input gives its expected day, instant or error", arguments: table)
    func parse(input: String, expected: Expected) {
        let result = Result { () throws(DateInputError) -> When in try DateInput.parse(input, timeZone: Self.bangkok, now: Self.now) }
        switch (expected, result) {
        case (.day(let y, let m, let d), .success(let w)):
            #expect(w == .day(LocalDate(year: y, month: m, day: d)!))
        case (.bangkok(let y, let m, let d, let h, let mi), .success(let w)):
            #expect(w == .instant(LocalDate(year: y, month: m, day: d)!.at(hour: h, minute: mi, in: Self.bangkok)))
        case (.instant(let t), .success(let w)):
            guard case .instant(let date) = w else { Issue.record("expected an instant, got \(w)"); return }
            #expect(abs(date.timeIntervalSince1970 - t) < 0.0005)
        case (.error(let text), .failure(let e)):
            #expect(e.reason.contains(text), "reason: \(e.reason)")
            #expect(e.input == input)
            #expect(e.accepted == DateInput.acceptedForms)
        default:
            Issue.record("'\(input)': expected \(expected.testDescription), got \(result)")
        }
    }

    @Test("an error's text shows the accepted forms")
    func errorText() {
        do {
            _ = try DateInput.parse("soon", timeZone: Self.bangkok)
            Issue.record("expected an error")
        } catch {
            #expect(error.description.contains("วันอังคารที่ 16 พฤษภาคม พ.ศ. 2560 เวลา 14.00 น."))
            #expect(error.description.contains("2017-05-16T14:00:00+07:00"))
        }
    }

    @Test("a time without offset is wall-clock time in a zone with daylight saving time")
    func localTimeInBerlin() throws {
        let berlin = TimeZone(identifier: "Europe/Berlin")!
        #expect(try DateInput.parse("2017-07-01T12:00", timeZone: berlin) == DateInput.parse("2017-07-01T10:00Z", timeZone: berlin))
        #expect(try DateInput.parse("2017-01-01T12:00", timeZone: berlin) == DateInput.parse("2017-01-01T11:00Z", timeZone: berlin))
        // +1d across the spring-forward night keeps the clock time: 23 hours later.
        let before = LocalDate(year: 2017, month: 3, day: 25)!.at(hour: 10, minute: 0, in: berlin)
        guard case .instant(let after) = try DateInput.parse("+1d", timeZone: berlin, now: before) else {
            Issue.record("expected an instant")
            return
        }
        #expect(after.timeIntervalSince(before) == 23 * 3600)
    }
}

@Suite("Writing dates")
struct DateTextTests {
    let bangkok = TimeZone(identifier: "Asia/Bangkok")!

    @Test func thaiAsLettersWriteThem() {
        let d = LocalDate(year: 2017, month: 5, day: 18)!
        #expect(DateText.day(d, language: .thai) == "วันพฤหัสบดีที่ 18 พฤษภาคม 2560")
        #expect(DateText.day(d, language: .thai, thaiDigits: true) == "วันพฤหัสบดีที่ ๑๘ พฤษภาคม ๒๕๖๐")
        #expect(DateText.shortDay(d, language: .thai) == "18 พ.ค. 60")
        #expect(DateText.time(TimeOfDay(hour: 14, minute: 0)!, language: .thai) == "เวลา 14.00 น.")
        let meeting = When.instant(LocalDate(year: 2017, month: 5, day: 16)!.at(hour: 14, minute: 0, in: bangkok))
        #expect(DateText.when(meeting, zone: bangkok, language: .thai) == "วันอังคารที่ 16 พฤษภาคม 2560 เวลา 14.00 น.")
        #expect(DateText.when(meeting, zone: bangkok, language: .english) == "Tuesday 16 May 2017, 14:00")
    }

    @Test("what is written reads back to the same day or instant", arguments: [Language.thai, .english])
    func roundTrip(language: Language) throws {
        for offset in stride(from: 0, to: 800, by: 37) {
            let d = LocalDate(year: 2016, month: 12, day: 25)!.adding(days: offset)
            #expect(try DateInput.parse(DateText.day(d, language: language), timeZone: bangkok) == .day(d))
            #expect(try DateInput.parse(DateText.day(d, language: language, thaiDigits: true), timeZone: bangkok) == .day(d))
            let w = When.instant(d.at(hour: 14, minute: 30, in: bangkok))
            #expect(try DateInput.parse(DateText.when(w, zone: bangkok, language: language), timeZone: bangkok) == w)
        }
    }

    @Test("the Buddhist Era year is Foundation's Buddhist calendar year, across New Year")
    func buddhistEra() {
        #expect(DateText.day(LocalDate(year: 2017, month: 12, day: 31)!, language: .thai).hasSuffix("2560"))
        #expect(DateText.day(LocalDate(year: 2018, month: 1, day: 1)!, language: .thai).hasSuffix("2561"))
    }

    @Test func isoOutputRoundsToTheMillisecond() throws {
        let utc = TimeZone(secondsFromGMT: 0)!
        for ms in [1, 7, 99, 312, 313, 500, 941, 999] {
            let text = String(format: "2026-11-27T09:39:21.%03dZ", ms)
            guard case .instant(let date) = try DateInput.parse(text, timeZone: utc) else { Issue.record("no instant"); continue }
            #expect(DateOutput.iso8601(date, timeZone: utc) == text)
            let stored = Date(timeIntervalSince1970: Double(Int64((date.timeIntervalSince1970 * 1000).rounded())) / 1000)
            #expect(DateOutput.iso8601(stored, timeZone: utc) == text)
        }
        #expect(DateOutput.iso8601(Date(timeIntervalSince1970: -0.25), timeZone: utc) == "1969-12-31T23:59:59.750Z")
        #expect(DateOutput.iso8601(Date(timeIntervalSince1970: 1_494_918_000), timeZone: bangkok) == "2017-05-16T14:00:00+07:00")
    }

    @Test("a wire date reads back to what was written, in any zone; anything else is refused",
          arguments: ["Asia/Bangkok", "UTC", "America/St_Johns", "Pacific/Chatham", "America/Los_Angeles"])
    func wireDatesReadBack(zone name: String) throws {
        let zone = try #require(TimeZone(identifier: name))
        for step in stride(from: -400_000_000.0, to: 2_000_000_000.0, by: 12_345_678.125) {
            let instant = Date(timeIntervalSince1970: (step * 1000).rounded() / 1000)
            let written = DateOutput.text(.instant(instant), timeZone: zone)
            #expect(DateOutput.when(written) == .instant(instant), "\(written)")
        }
        let day = LocalDate(year: 2017, month: 5, day: 24)!
        #expect(DateOutput.when(DateOutput.text(.day(day), timeZone: zone)) == .day(day))
    }

    @Test("hand-written digits are what String(format:) writes; iCalendar instants what the calendar says",
          arguments: ["Asia/Bangkok", "UTC", "America/St_Johns", "Asia/Kathmandu", "America/Los_Angeles"])
    func digitsAsFormatWritesThem(zone name: String) throws {
        for (n, width) in [(0, 2), (7, 3), (59, 2), (2017, 4), (12345, 4), (999, 1), (1_000_000, 2), (-1, 4), (-12, 2), (-2017, 4)] {
            var t = DigitText()
            t.append(n, width: width)
            #expect(t.text == String(format: "%0\(width)d", n))
        }
        let zone = try #require(TimeZone(identifier: name))
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        // From before the Gregorian reform (where Foundation's calendar is Julian) to 2036.
        for step in stride(from: -62_000_000_000.0, to: 2_100_000_000.0, by: 98_765_432.1) {
            let date = Date(timeIntervalSince1970: step)
            let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            #expect(ICalDateTime.local(date, zone: zone) == String(format: "%04d%02d%02dT%02d%02d%02d", c.year!, c.month!, c.day!, c.hour!, c.minute!, c.second!))
            let day = LocalDate(date, in: zone)
            #expect(day.description == String(format: "%04d-%02d-%02d", day.year, day.month, day.day))
        }
    }

    @Test("what people type is not a wire date", arguments: [
        "พรุ่งนี้", "tomorrow", "2017-05-24 14:00", "2017-05-16T14:00:00", "2017-05-16T14:00:00+0700", "2017-13-01",
        "2017-02-30", "2017-05-16T24:00:00Z", "2017-05-16T14:00:00.25Z", "2017-05-16T14:00:00Zjunk", "๒๕๖๐-๐๕-๒๔", "",
    ])
    func notWireDates(text: String) {
        #expect(DateOutput.when(text) == nil)
    }
}

@Suite("Calendar arithmetic")
struct LocalDateTests {
    @Test("day numbers and weekdays agree with Foundation over 30 years")
    func agreesWithFoundation() {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = TimeZone(secondsFromGMT: 0)!
        for n in stride(from: 7_000, to: 18_000, by: 97) {
            let d = LocalDate(dayNumber: n)
            let date = Date(timeIntervalSince1970: Double(n) * 86400)
            let c = cal.dateComponents([.year, .month, .day, .weekday], from: date)
            #expect([d.year, d.month, d.day, d.weekday] == [c.year, c.month, c.day, c.weekday])
            #expect(d.dayNumber == n)
        }
    }

    @Test("fiscal year: FY 2561 is 1 Oct 2560 – 30 Sep 2561")
    func fiscalYear() {
        let fy = FiscalYear(buddhistYear: 2561)
        #expect(fy.start == LocalDate(year: 2017, month: 10, day: 1))
        #expect(fy.end == LocalDate(year: 2018, month: 9, day: 30))
        #expect(FiscalYear(containing: LocalDate(year: 2017, month: 9, day: 30)!).buddhistYear == 2560)
        #expect(FiscalYear(containing: LocalDate(year: 2017, month: 10, day: 1)!).buddhistYear == 2561)
        #expect(fy.contains(LocalDate(year: 2018, month: 5, day: 24)!))
        #expect(!fy.contains(LocalDate(year: 2017, month: 5, day: 24)!))
    }
}

@Suite("Date input: digits with marks on them")
struct DateInputMarkedDigitTests {
    /// Found by the control socket fuzzer: Swift's regex `\d` matches "5ิ" (a digit and a Thai
    /// vowel, one character), and turning it into a number trapped: the daemon crashed.
    @Test("a digit carrying a combining mark is an error, not a crash", arguments: [
        "วันอังคารที่ 16 พฤษภาคม พ.ศ. 25\u{0E34}60 เวลา 14.00 น.",
        "1\u{0E34}6 พ.ค. 60",
        "2017-05-1\u{0301}6",
        "2017-05-16T1\u{0E34}4:00",
        "16 May 20\u{0E34}17",
        "FY25\u{0E34}61-end",
    ])
    func markedDigit(text: String) {
        #expect(throws: DateInputError.self) { try DateInput.parse(text, timeZone: TimeZone(identifier: "Asia/Bangkok")!) }
    }
}
