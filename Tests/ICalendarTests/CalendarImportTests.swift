import DeadlineCore
import Foundation
import ICalendar
import Testing

@Suite("iCalendar import")
struct CalendarImportTests {
    static let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ics/malformed")

    /// (file, line, text) from the corpus's expected.tsv.
    static let malformed: [(String, Int, String)] = {
        guard let text = try? String(contentsOf: corpus.appendingPathComponent("expected.tsv"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").filter { !$0.hasPrefix("#") }.map { line in
            let f = line.split(separator: "\t").map(String.init)
            return (f[0], Int(f[1])!, f[2])
        }
    }()

    @Test("the malformed corpus is all there")
    func corpusPresent() throws {
        #expect(Self.malformed.count >= 25)
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.corpus.path).filter { $0.hasSuffix(".ics") }
        #expect(Set(files) == Set(Self.malformed.map(\.0)), "every file has an expectation and every expectation a file")
    }

    @Test("every malformed file is refused with its line and what is wrong", arguments: malformed.map(\.0))
    func malformedFile(name: String) throws {
        let (_, line, text) = try #require(Self.malformed.first { $0.0 == name })
        let content = try String(contentsOf: Self.corpus.appendingPathComponent(name), encoding: .utf8)
        let error = #expect(throws: ICalendarError.self) {
            try CalendarImport.read(content, file: name, defaultZone: "Asia/Bangkok", organisation: "")
        }
        #expect(error?.location == "\(name):\(line)", "\(error.map { "\($0)" } ?? "no error")")
        #expect(error?.message.contains(text) == true, "\(error.map { "\($0)" } ?? "no error")")
    }

    /// An invitation as Outlook sends one: a Windows zone name, an alarm 15 minutes before,
    /// Microsoft's own properties, a weekly series with an exception.
    static let outlookInvite = """
        BEGIN:VCALENDAR\r
        METHOD:REQUEST\r
        PRODID:Microsoft Exchange Server 2010\r
        VERSION:2.0\r
        BEGIN:VTIMEZONE\r
        TZID:SE Asia Standard Time\r
        BEGIN:STANDARD\r
        DTSTART:16010101T000000\r
        TZOFFSETFROM:+0700\r
        TZOFFSETTO:+0700\r
        END:STANDARD\r
        END:VTIMEZONE\r
        BEGIN:VEVENT\r
        ORGANIZER;CN=นายกองค์การบริหารส่วนตำบล:mailto:mayor@example.go.th\r
        ATTENDEE;ROLE=REQ-PARTICIPANT;PARTSTAT=NEEDS-ACTION;RSVP=TRUE;CN=สมชาย ใจดี:mailto:somchai@example.go.th\r
        DESCRIPTION;LANGUAGE=th-TH:วาระ: ติดตามแผนปฏิบัติการ\\nเอกสารแนบ\r
        RRULE:FREQ=WEEKLY;UNTIL=20270301T030000Z;INTERVAL=1;BYDAY=TU;WKST=SU\r
        EXDATE;TZID=SE Asia Standard Time:20270119T100000\r
        UID:040000008200E00074C5B7101A82E0080000000060A4B0B3C3E2D801000000000000000010000000\r
        SUMMARY;LANGUAGE=th-TH:ประชุมคณะทำงาน ครั้งที่ 2/2570\r
        DTSTART;TZID=SE Asia Standard Time:20270105T100000\r
        DTEND;TZID=SE Asia Standard Time:20270105T120000\r
        CLASS:PUBLIC\r
        PRIORITY:5\r
        DTSTAMP:20261127T020000Z\r
        TRANSP:OPAQUE\r
        STATUS:CONFIRMED\r
        SEQUENCE:0\r
        LOCATION;LANGUAGE=th-TH:ห้องประชุม อบต.\r
        X-MICROSOFT-CDO-BUSYSTATUS:BUSY\r
        BEGIN:VALARM\r
        DESCRIPTION:REMINDER\r
        TRIGGER;RELATED=START:-PT15M\r
        ACTION:DISPLAY\r
        END:VALARM\r
        END:VEVENT\r
        BEGIN:VTODO\r
        UID:todo-1\r
        SUMMARY:something to do\r
        END:VTODO\r
        END:VCALENDAR\r

        """

    @Test("an Outlook invitation: zone, series, exception, alarm, people; what has no field is reported")
    func outlook() throws {
        let read = try CalendarImport.read(Self.outlookInvite, file: "invite.ics", defaultZone: "UTC", organisation: "อบต.")
        let event = try #require(read.events.first)
        #expect(read.events.count == 1)
        let item = event.item
        #expect(item.kind == .meeting && item.timeZone == "Asia/Bangkok" && item.title == "ประชุมคณะทำงาน ครั้งที่ 2/2570")
        let bangkok = TimeZone(identifier: "Asia/Bangkok")!
        #expect(item.when == .instant(ICalDateTime.parse("20270105T100000", zone: bangkok)!))
        #expect(item.end == ICalDateTime.parse("20270105T120000", zone: bangkok))
        #expect(item.notes == "วาระ: ติดตามแผนปฏิบัติการ\nเอกสารแนบ")
        #expect(item.chair == "นายกองค์การบริหารส่วนตำบล <mayor@example.go.th>")
        #expect(item.attendees == ["สมชาย ใจดี <somchai@example.go.th>"])
        #expect(item.leads == [Lead("15m")!])
        #expect(item.key.hasPrefix("ics-") && NewItem.isValidKey(item.key))
        let r = try #require(item.recurrence)
        let starts = r.instances(from: item.seriesStart, zone: bangkok).map { ICalDateTime.local($0, zone: bangkok) }
        #expect(starts == ["20270105T100000", "20270112T100000", "20270126T100000", "20270202T100000", "20270209T100000",
                           "20270216T100000", "20270223T100000"])
        #expect(read.notes.contains { $0.contains("skipped VTODO") })
        let ignored = try #require(read.notes.first { $0.hasPrefix("ignored properties") })
        #expect(ignored.contains("PRIORITY") && ignored.contains("X-MICROSOFT-CDO-BUSYSTATUS"))
    }

    @Test("our own export reads back to the same items")
    func roundTrip() throws {
        let bangkok = TimeZone(identifier: "Asia/Bangkok")!
        // As stored: a timed series' UNTIL is a date-time (the end of the day given).
        var series = try Recurrence(rrule: "FREQ=MONTHLY;BYDAY=-1FR;UNTIL=20271231", zone: bangkok).untilMatching(.instant(Date()), zone: bangkok)
        #expect(series.rrule.contains("UNTIL=20271231T165959Z"))
        series.exceptions = [ICalDateTime.parse("20270326T133000", zone: bangkok)!]
        let items = [
            Item(id: 1, fields: NewItem(kind: .meeting, key: "m1", title: "ประชุม, ครั้งที่ 1; \"ติดตามผล\"", when: .instant(ICalDateTime.parse("20270129T133000", zone: bangkok)!),
                                        end: ICalDateTime.parse("20270129T163000", zone: bangkok), timeZone: "Asia/Bangkok", organisation: "อบต.ทดสอบ",
                                        location: "ห้องประชุม\nชั้น 2", notes: "a\\b", chair: "นายก", attendees: ["สมชาย <s@example.go.th>", "ปลัด"],
                                        workingGroup: "คณะทำงาน", tags: ["nacc", "แผน"], remind: ["clerk"], leads: [Lead("1wd@09:00")!, Lead("2h")!],
                                        recurrence: series), uid: "u1@deadlined", sequence: 3),
            Item(id: 2, fields: NewItem(kind: .deadline, key: "d1", title: "ส่งแผน", when: .day(LocalDate(year: 2027, month: 5, day: 31)!),
                                        timeZone: "Asia/Bangkok", plan: "nacc", recipient: "ป.ป.ช.", escalation: ["chair"]),
                 state: .submitted, uid: "u2@deadlined"),
        ]
        let text = CalendarExport.calendar(items.map { CalendarExport.Entry(item: $0, alarms: [.init(lead: "2h", secondsBefore: 7200)]) },
                                           now: Date(timeIntervalSince1970: 1_800_000_000))
        let read = try CalendarImport.read(text, file: "feed.ics", defaultZone: "UTC", organisation: "")
        #expect(read.events.map(\.uid) == ["u1@deadlined", "u2@deadlined"])
        #expect(read.events[0].item == items[0].fields)
        #expect(read.events[1].item == items[1].fields)
        #expect(read.events[1].state == .submitted)
        #expect(read.notes.isEmpty, "\(read.notes)")
    }
}
