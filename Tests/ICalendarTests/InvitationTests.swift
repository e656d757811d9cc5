import DeadlineCore
import Foundation
@testable import ICalendar
import Testing

/// Invitations and exports as real calendar programs write them (hand-written from their
/// documented formats, in Tests/Fixtures/ics/invitations), read to the instants they mean.
@Suite("iCalendar import: invitations from Outlook, Exchange, Google, Apple, Thunderbird")
struct InvitationTests {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/ics/invitations")

    /// One event: its title, the zone it is kept in, its leads, and its instants (UTC, or the
    /// date of an all-day one). `endless`: only the first instants are compared.
    struct Expected: Sendable, CustomStringConvertible {
        var title: String
        var zone: String
        var leads: [String] = []
        var instants: [String]
        var endless = false
        var description: String { title }
    }

    /// Worked out by hand from each rule, and the same as recurring-ical-events gives (the
    /// integration test compares with it).
    static let expected: [String: [Expected]] = [
        "exchange-2010.ics": [
            Expected(title: "ประชุมคณะทำงานติดตามการเบิกจ่ายงบประมาณ", zone: "Asia/Bangkok", leads: ["15m"], instants: [
                "2027-01-05T03:00:00Z", "2027-01-07T03:00:00Z", "2027-01-12T03:00:00Z", "2027-01-14T03:00:00Z", "2027-01-19T03:00:00Z",
                "2027-01-21T03:00:00Z", "2027-01-26T03:00:00Z", "2027-01-28T03:00:00Z", "2027-02-02T03:00:00Z", "2027-02-04T03:00:00Z",
                "2027-02-09T03:00:00Z", "2027-02-16T03:00:00Z", "2027-02-18T03:00:00Z", "2027-02-23T03:00:00Z", "2027-02-25T03:00:00Z",
            ]),
        ],
        "exchange-online.ics": [
            Expected(title: "ประชุมประจำเดือน อบต.หนองบัว", zone: "Asia/Bangkok", leads: ["30m"], instants: [
                "2027-01-05T07:00:00Z", "2027-02-02T07:00:00Z", "2027-03-02T07:00:00Z", "2027-04-06T07:00:00Z", "2027-05-04T07:00:00Z",
                "2027-06-01T07:00:00Z",
            ]),
            Expected(title: "ประชุมชี้แจงโครงการถนนปลอดภัย", zone: "Etc/GMT-7", leads: ["1h"], instants: ["2027-03-10T06:30:00Z"]),
        ],
        "outlook-desktop.ics": [
            Expected(title: "ประชุมใหญ่สามัญประจำปี", zone: "Asia/Bangkok", leads: ["1d"],
                     instants: ["2027-05-24T02:00:00Z", "2028-05-24T02:00:00Z", "2029-05-24T02:00:00Z"], endless: true),
            Expected(title: "ประชุมปิดปีงบประมาณ", zone: "Asia/Bangkok", leads: ["15m"],
                     instants: ["2027-09-24T06:30:00Z", "2028-09-29T06:30:00Z", "2029-09-28T06:30:00Z"]),
            Expected(title: "งดประชุม ช่วงเทศกาลสงกรานต์", zone: "UTC", instants: ["2027-04-13"]),
        ],
        "google-invitation.ics": [
            Expected(title: "ประชุมติดตามโครงการอาหารกลางวัน", zone: "Asia/Bangkok", leads: ["10m"], instants: [
                "2027-01-06T06:30:00Z", "2027-01-13T06:30:00Z", "2027-01-20T06:30:00Z", "2027-01-27T06:30:00Z", "2027-02-10T06:30:00Z",
                "2027-02-17T06:30:00Z", "2027-02-24T06:30:00Z",
            ]),
        ],
        "google-export.ics": [
            Expected(title: "อบรมการใช้ระบบ e-GP", zone: "Asia/Bangkok", instants: ["2027-01-15T02:00:00Z"]),
            Expected(title: "ตรวจเยี่ยมโรงเรียนขนาดเล็ก", zone: "Asia/Bangkok", instants: ["2027-02-26"]),
            // 30 April is cancelled on its own (RECURRENCE-ID, STATUS:CANCELLED).
            Expected(title: "ประชุมสรุปผลการดำเนินงานประจำเดือน", zone: "Asia/Bangkok", leads: ["30m"], instants: [
                "2027-01-31T08:00:00Z", "2027-02-28T08:00:00Z", "2027-03-31T08:00:00Z", "2027-05-31T08:00:00Z", "2027-06-30T08:00:00Z",
            ]),
            Expected(title: "วันสถาปนาสำนักงาน", zone: "Asia/Bangkok", leads: ["39h"], instants: ["2027-04-01", "2028-04-01", "2029-04-01"], endless: true),
        ],
        "apple-calendar.ics": [
            Expected(title: "ประชุมหัวหน้าส่วนราชการ (ช่วงเช้า)", zone: "Asia/Bangkok", leads: ["30m"], instants: [
                "2027-01-11T01:30:00Z", "2027-01-12T01:30:00Z", "2027-01-13T01:30:00Z", "2027-01-14T01:30:00Z", "2027-01-15T01:30:00Z",
                "2027-01-18T01:30:00Z", "2027-01-19T01:30:00Z", "2027-01-20T01:30:00Z", "2027-01-21T01:30:00Z", "2027-01-22T01:30:00Z",
            ]),
            Expected(title: "ประชุมคณะกรรมการตรวจสอบภายใน รายไตรมาส", zone: "Asia/Bangkok", leads: ["1d"],
                     instants: ["2027-01-15T02:30:00Z", "2027-04-15T02:30:00Z", "2027-10-15T02:30:00Z"]),
        ],
        "thunderbird.ics": [
            Expected(title: "ประชุมคณะกรรมการบริหารความเสี่ยง", zone: "Asia/Bangkok", leads: ["1d", "1h"], instants: [
                "2027-01-29T06:30:00Z", "2027-03-26T06:30:00Z", "2027-04-30T06:30:00Z", "2027-05-28T06:30:00Z", "2027-06-25T06:30:00Z",
            ]),
            Expected(title: "สัมมนาบุคลากรประจำปี", zone: "UTC", instants: ["2027-03-18"]),
        ],
        "exchange-2016-moved.ics": [
            // 19 January moved to the Wednesday morning, 2 February cancelled: each on its own.
            Expected(title: "ประชุมคณะทำงานจัดทำแผนป้องกันการทุจริต", zone: "Asia/Bangkok", leads: ["30m"], instants: [
                "2027-01-05T06:30:00Z", "2027-01-12T06:30:00Z", "2027-01-26T06:30:00Z", "2027-02-09T06:30:00Z", "2027-02-16T06:30:00Z",
                "2027-02-23T06:30:00Z",
            ]),
            Expected(title: "ประชุมคณะทำงานจัดทำแผนป้องกันการทุจริต (เลื่อน)", zone: "Asia/Bangkok", leads: ["30m"], instants: ["2027-01-20T02:00:00Z"]),
        ],
        "apple-rdate.ics": [
            // Two added dates (one at 14:00); from 3 March on, the afternoon (RANGE=THISANDFUTURE).
            Expected(title: "ประชุมประจำเดือนกำนันผู้ใหญ่บ้าน", zone: "Asia/Bangkok", leads: ["1h"], instants: [
                "2027-01-06T03:00:00Z", "2027-01-20T03:00:00Z", "2027-02-03T03:00:00Z", "2027-02-17T07:00:00Z",
            ]),
            Expected(title: "ตรวจติดตามโครงการเศรษฐกิจพอเพียง", zone: "UTC", instants: ["2027-02-10", "2027-03-10", "2027-04-07"]),
            Expected(title: "ประชุมประจำเดือนกำนันผู้ใหญ่บ้าน (ภาคบ่าย)", zone: "Asia/Bangkok", leads: ["1h"],
                     instants: ["2027-03-03T06:00:00Z", "2027-04-07T06:00:00Z"]),
        ],
        "web-no-uid.ics": [
            Expected(title: "สัมมนาการป้องกันและปราบปรามการทุจริต", zone: "UTC", instants: ["2027-01-20T02:00:00Z"]),
            Expected(title: "ประชุมชี้แจงแนวทางการประเมิน ITA", zone: "Asia/Bangkok", instants: ["2027-02-03T02:00:00Z"]),
        ],
    ]

    static func read(_ name: String) throws -> CalendarImport {
        let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
        // UTC as the default: a zone the file does not give would show.
        return try CalendarImport.read(text, file: name, defaultZone: "UTC", organisation: "อบต.")
    }

    /// An item's instants as the expectations write them, at most `limit`.
    static func instants(_ item: NewItem, limit: Int = 100) -> [String] {
        let zone = TimeZone(identifier: item.timeZone)!
        let utc = ISO8601DateFormatter()
        utc.timeZone = TimeZone(identifier: "UTC")
        let starts = item.recurrence.map { Array($0.instances(from: item.seriesStart, zone: zone).prefix(limit)) } ?? [item.seriesStart]
        return starts.map { start in
            if case .day = item.when { return LocalDate(start, in: zone).description }
            return utc.string(from: start)
        }
    }

    @Test("every fixture has its expectations, and every expectation its fixture")
    func allThere() throws {
        let files = try FileManager.default.contentsOfDirectory(atPath: Self.directory.path).filter { $0.hasSuffix(".ics") }
        #expect(Set(files) == Set(Self.expected.keys))
        #expect(files.count >= 10)
    }

    @Test("each invitation imports, to the instants its rules mean", arguments: expected.keys.sorted())
    func fixture(name: String) throws {
        let read = try Self.read(name)
        let expected = try #require(Self.expected[name])
        #expect(read.events.map(\.item.title) == expected.map(\.title))
        for (event, want) in zip(read.events, expected) {
            let item = event.item
            #expect(item.kind == .meeting && !event.cancelled)
            #expect(item.timeZone == want.zone, "\(want.title)")
            #expect((item.leads ?? []).map(\.description) == want.leads, "\(want.title)")
            let got = Self.instants(item, limit: want.endless ? want.instants.count : 100)
            #expect(got == want.instants, "\(want.title)")
            #expect(NewItem.isValidKey(item.key) && !event.uid.isEmpty)
        }
        // Read twice, the same: a file imported again finds its events by UID.
        #expect(try Self.read(name).events == read.events)
    }

    @Test("Exchange: an escaped TZID, a DAYLIGHT block at the standard offset, display names")
    func exchangeZones() throws {
        let online = try Self.read("exchange-online.ics")
        #expect(online.events[0].item.end == ICalDateTime.parse("20270105T160000", zone: TimeZone(identifier: "Asia/Bangkok")!))
        #expect(online.events[0].sequence == 2)
        #expect(online.events[0].item.attendees == ["ปลัด อบต. <palad@nongbua.example.go.th>", "ผู้อำนวยการกองคลัง <finance@nongbua.example.go.th>"])
        // A zone of the file's own, by an escaped name not in the table of Windows names.
        func calendar(_ tzid: String, _ param: String, daylight: String = "+0700") -> String {
            """
            BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VTIMEZONE\r\nTZID:\(tzid)\r\nBEGIN:STANDARD\r\nDTSTART:16010101T000000\r
            TZOFFSETFROM:+0700\r\nTZOFFSETTO:+0700\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=1SU;BYMONTH=1\r\nEND:STANDARD\r\nBEGIN:DAYLIGHT\r
            DTSTART:16010101T000000\r\nTZOFFSETFROM:+0700\r\nTZOFFSETTO:\(daylight)\r\nRRULE:FREQ=YEARLY;INTERVAL=1;BYDAY=-1SU;BYMONTH=3\r
            END:DAYLIGHT\r\nEND:VTIMEZONE\r\nBEGIN:VEVENT\r\nUID:z@x\r\nDTSTART;TZID=\(param):20270105T100000\r\nSUMMARY:ประชุม\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n
            """
        }
        let custom = try CalendarImport.read(calendar("เวลาสำนักงาน\\, กรุงเทพฯ", "\"เวลาสำนักงาน, กรุงเทพฯ\""), file: "c.ics", defaultZone: "UTC", organisation: "")
        #expect(custom.events[0].item.timeZone == "Etc/GMT-7")
        #expect(custom.events[0].item.when == .instant(ICalDateTime.parse("20270105T030000Z", zone: .gmt)!))
        // Written with the value's escapes in the parameter, as some programs do: still found.
        let lenient = try CalendarImport.read(calendar("Office\\, Bangkok", "\"Office\\, Bangkok\""), file: "c.ics", defaultZone: "UTC", organisation: "")
        #expect(lenient.events[0].item.timeZone == "Etc/GMT-7")
        // A real daylight-saving zone under a name of its own is still refused.
        let error = #expect(throws: ICalendarError.self) {
            try CalendarImport.read(calendar("Somewhere\\, Else", "\"Somewhere, Else\"", daylight: "+0800"), file: "c.ics", defaultZone: "UTC", organisation: "")
        }
        #expect(error?.location == "c.ics:21" && error?.message.contains("TZID 'Somewhere, Else'") == true, "\(error.map { "\($0)" } ?? "none")")
    }

    @Test("TZIDs that are paths ending in an IANA name", arguments: [
        ("/mozilla.org/20050126_1/Asia/Bangkok", "Asia/Bangkok"), ("/Asia/Bangkok", "Asia/Bangkok"),
        ("/softwarestudio.org/Olson_20011030_5/Asia/Bangkok", "Asia/Bangkok"),
        ("/citadel.org/20250101_1/America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"), ("/UTC", "UTC"),
        ("(UTC+07:00) Bangkok, Hanoi, Jakarta", "Asia/Bangkok"), ("SE Asia Standard Time", "Asia/Bangkok"),
    ])
    func pathZones(tzid: String, zone: String) throws {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:p@x\r\nDTSTART;TZID=\"\(tzid)\":20270105T100000\r\n"
            + "SUMMARY:ประชุม\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        let read = try CalendarImport.read(text, file: "p.ics", defaultZone: "UTC", organisation: "")
        #expect(read.events[0].item.timeZone == zone)
    }

    @Test("unknown path-like TZIDs are still refused", arguments: ["/mozilla.org/20050126_1/Mars/Olympus_Mons", "/Bangkok", "/", "Bangkok"])
    func unknownPaths(tzid: String) {
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:p@x\r\nDTSTART;TZID=\"\(tzid)\":20270105T100000\r\n"
            + "SUMMARY:ประชุม\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        #expect(throws: ICalendarError.self) { try CalendarImport.read(text, file: "p.ics", defaultZone: "UTC", organisation: "") }
    }

    @Test("Google: X-WR-TIMEZONE is the zone of dates and floating times; a name that is only the address is dropped")
    func google() throws {
        let export = try Self.read("google-export.ics")
        #expect(export.events[1].item.when == .day(LocalDate(year: 2027, month: 2, day: 26)!) && export.events[1].item.timeZone == "Asia/Bangkok")
        #expect(export.events[0].item.location == "ห้องปฏิบัติการคอมพิวเตอร์, อาคาร 2")
        let invitation = try Self.read("google-invitation.ics")
        let item = invitation.events[0].item
        #expect(item.chair == "กองการศึกษา <education@example.go.th>")
        #expect(item.attendees == ["กองการศึกษา <education@example.go.th>", "somchai@example.go.th", "มาลี ศรีสุข <malee@example.go.th>"])
        #expect(item.notes?.contains("https://meet.google.com/abc-defg-hij") == true)
        let ignored = try #require(invitation.notes.first { $0.hasPrefix("ignored properties") })
        #expect(ignored.contains("X-GOOGLE-CONFERENCE"))
    }

    @Test("Apple: a location on two lines, an alarm at a fixed date reported, not used")
    func apple() throws {
        let read = try Self.read("apple-calendar.ics")
        #expect(read.events[0].item.location == "ศาลากลางจังหวัดเชียงใหม่\nถนนโชตนา ตำบลช้างเผือก อำเภอเมืองเชียงใหม่ เชียงใหม่ 50300")
        let ignored = try #require(read.notes.first { $0.hasPrefix("ignored properties") })
        #expect(ignored.contains("VALARM TRIGGER:19760401T005545Z") && ignored.contains("X-APPLE-STRUCTURED-LOCATION") && ignored.contains("URL"))
    }

    @Test("an event without a UID gets one from its content: the same on every import, another for another event")
    func derivedUID() throws {
        let first = try Self.read("web-no-uid.ics"), again = try Self.read("web-no-uid.ics")
        #expect(first.events.map(\.uid) == again.events.map(\.uid))
        #expect(first.events.allSatisfy { $0.uid.hasSuffix("@deadlined.invalid") && $0.uid.count == 32 + 18 })
        #expect(Set(first.events.map(\.uid)).count == 2)
        #expect(first.notes.contains("web-no-uid.ics:5: 2 events have no UID (lines 5, 14): each is known by one made from its start, title and place "
            + "(importing the same file again finds it; a changed start, title or place makes a new event)"), "\(first.notes)")
        // Another title is another event; a changed stamp or description is the same one.
        let text = try String(contentsOf: Self.directory.appendingPathComponent("web-no-uid.ics"), encoding: .utf8)
        let renamed = try CalendarImport.read(text.replacingOccurrences(of: "SUMMARY:ประชุมชี้แจง", with: "SUMMARY:ประชุมซักซ้อม"),
                                              file: "w.ics", defaultZone: "UTC", organisation: "อบต.")
        #expect(renamed.events[0].uid == first.events[0].uid && renamed.events[1].uid != first.events[1].uid)
        let restamped = try CalendarImport.read(text.replacingOccurrences(of: "DTSTAMP:20261201T070000Z", with: "DTSTAMP:20261205T000000Z")
            .replacingOccurrences(of: "08.30", with: "08.00"), file: "w.ics", defaultZone: "UTC", organisation: "อบต.")
        #expect(restamped.events.map(\.uid) == first.events.map(\.uid))
        // Two events alike in all three without a UID cannot be told apart: an error.
        let twice = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + String(repeating: "BEGIN:VEVENT\r\nDTSTART:20270105T030000Z\r\nSUMMARY:ประชุม\r\nEND:VEVENT\r\n", count: 2)
            + "END:VCALENDAR\r\n"
        let error = #expect(throws: ICalendarError.self) { try CalendarImport.read(twice, file: "t.ics", defaultZone: "UTC", organisation: "") }
        #expect(error?.location == "t.ics:8" && error?.message.contains("no UID and the same start, title and place as the event of line 4") == true)
    }

    static func file(_ master: String, _ override: String, method: String = "REQUEST") -> String {
        "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nMETHOD:\(method)\r\n" + (master.isEmpty ? "" : "BEGIN:VEVENT\r\nUID:s@x\r\n\(master)SUMMARY:ประชุม\r\nEND:VEVENT\r\n")
            + "BEGIN:VEVENT\r\nUID:s@x\r\n\(override)SUMMARY:ประชุม\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
    }

    @Test("an instance cancelled on its own (RECURRENCE-ID, STATUS:CANCELLED) leaves the series like an EXDATE")
    func cancelledInstance() throws {
        // An all-day series; the instance named by its date, before the series in the file.
        let text = "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:s@x\r\nRECURRENCE-ID;VALUE=DATE:20270113\r\nDTSTART;VALUE=DATE:20270113\r\n"
            + "STATUS:CANCELLED\r\nSUMMARY:ประชุม\r\nEND:VEVENT\r\nBEGIN:VEVENT\r\nUID:s@x\r\nDTSTART;VALUE=DATE:20270106\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n"
            + "SUMMARY:ประชุม\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
        let read = try CalendarImport.read(text, file: "a.ics", defaultZone: "Asia/Bangkok", organisation: "")
        #expect(read.events.count == 1 && Self.instants(read.events[0].item) == ["2027-01-06", "2027-01-20"])
        #expect(read.instanceChanges.count == 1 && read.instanceChanges[0].replacement == nil && read.instanceChanges[0].instance != nil)
        // A timed one, in UTC.
        let timed = try CalendarImport.read(Self.file("DTSTART;TZID=Asia/Bangkok:20270106T100000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n",
                                                      "RECURRENCE-ID:20270113T030000Z\r\nDTSTART:20270113T030000Z\r\nSTATUS:CANCELLED\r\n"),
                                            file: "t.ics", defaultZone: "UTC", organisation: "")
        #expect(Self.instants(timed.events[0].item) == ["2027-01-06T03:00:00Z", "2027-01-20T03:00:00Z"])
        // Exchange cancels one meeting of a series with that meeting alone: left for the caller,
        // who has the series.
        let alone = try CalendarImport.read(Self.file("", "RECURRENCE-ID:20270113T030000Z\r\nDTSTART:20270113T030000Z\r\n", method: "CANCEL"),
                                            file: "c.ics", defaultZone: "UTC", organisation: "")
        #expect(alone.events.isEmpty && alone.instanceChanges.count == 1 && alone.instanceChanges[0].instance == nil)
        #expect(alone.instanceChanges[0].uid == "s@x" && alone.instanceChanges[0].replacement == nil)
    }

    @Test("a moved meeting of a series is an item of its own, keyed by the series and the day; the series leaves that day out")
    func movedInstance() throws {
        let read = try CalendarImport.read(Self.file("DTSTART;TZID=Asia/Bangkok:20270106T100000\r\nRRULE:FREQ=WEEKLY;COUNT=3\r\n",
                                                     "RECURRENCE-ID;TZID=Asia/Bangkok:20270113T100000\r\nDTSTART;TZID=Asia/Bangkok:20270114T133000\r\n"
                                                        + "LOCATION:ห้อง 2\r\n"),
                                           file: "m.ics", defaultZone: "UTC", organisation: "")
        #expect(read.events.count == 2)
        #expect(Self.instants(read.events[0].item) == ["2027-01-06T03:00:00Z", "2027-01-20T03:00:00Z"])
        let moved = read.events[1]
        #expect(moved.uid == "s@x" && moved.item.key == "s@x-20270113" && moved.item.recurrence == nil && moved.item.location == "ห้อง 2")
        #expect(Self.instants(moved.item) == ["2027-01-14T06:30:00Z"])
        #expect(moved.recurrenceID == ISO8601DateFormatter().date(from: "2027-01-13T03:00:00Z"))
    }

    @Test("RANGE=THISANDFUTURE ends the series before it and carries on as the changed meeting says")
    func thisAndFuture() throws {
        let master = "DTSTART;TZID=Asia/Bangkok:20270106T100000\r\nRRULE:FREQ=WEEKLY;COUNT=5\r\nEXDATE;TZID=Asia/Bangkok:20270127T100000\r\n"
        let read = try CalendarImport.read(Self.file(master, "RECURRENCE-ID;RANGE=THISANDFUTURE;TZID=Asia/Bangkok:20270120T100000\r\n"
                                                        + "DTSTART;TZID=Asia/Bangkok:20270120T110000\r\n"),
                                           file: "r.ics", defaultZone: "UTC", organisation: "")
        #expect(Self.instants(read.events[0].item) == ["2027-01-06T03:00:00Z", "2027-01-13T03:00:00Z"])
        #expect(read.events[0].item.recurrence?.count == 2)
        // The rest, an hour later, keeps the series' EXDATE (moved with it) and its count.
        #expect(Self.instants(read.events[1].item) == ["2027-01-20T04:00:00Z", "2027-02-03T04:00:00Z"])
        // Cancelled from there on: the series just ends.
        let cancelled = try CalendarImport.read(Self.file(master, "RECURRENCE-ID;RANGE=THISANDFUTURE:20270120T030000Z\r\nSTATUS:CANCELLED\r\n"
                                                             + "DTSTART:20270120T030000Z\r\n"),
                                                file: "r.ics", defaultZone: "UTC", organisation: "")
        #expect(cancelled.events.count == 1 && Self.instants(cancelled.events[0].item) == ["2027-01-06T03:00:00Z", "2027-01-13T03:00:00Z"])
    }

    @Test("RDATE adds meetings to a series, or makes one of an event without RRULE; EXDATE leaves them out too")
    func addedDates() throws {
        let read = try CalendarImport.read(Self.file("DTSTART;TZID=Asia/Bangkok:20270106T100000\r\nRRULE:FREQ=WEEKLY;COUNT=2\r\n"
                                                        + "RDATE;TZID=Asia/Bangkok:20270108T140000,20270113T100000\r\nRDATE:20270301T020000Z\r\n"
                                                        + "EXDATE;TZID=Asia/Bangkok:20270108T140000\r\n",
                                                     "RECURRENCE-ID:20270301T020000Z\r\nDTSTART:20270302T020000Z\r\n"),
                                           file: "d.ics", defaultZone: "UTC", organisation: "")
        // 13 January is the rule's and an RDATE's: one meeting. 1 March, added, is then moved.
        #expect(Self.instants(read.events[0].item) == ["2027-01-06T03:00:00Z", "2027-01-13T03:00:00Z"])
        #expect(Self.instants(read.events[1].item) == ["2027-03-02T02:00:00Z"])
        let dates = try CalendarImport.read("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:d@x\r\nDTSTART;VALUE=DATE:20270210\r\n"
                                                + "RDATE;VALUE=DATE:20270407,20270310\r\nSUMMARY:ตรวจ\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
                                            file: "d.ics", defaultZone: "Asia/Bangkok", organisation: "")
        #expect(Self.instants(dates.events[0].item) == ["2027-02-10", "2027-03-10", "2027-04-07"])
        #expect(dates.events[0].item.recurrence?.isDatesOnly == true)
    }

    @Test("changes and dates that cannot be honoured are refused with file:line", arguments: [
        (file("DTSTART:20270106T030000Z\r\n", "RECURRENCE-ID:20270113T030000Z\r\nDTSTART:20270113T030000Z\r\nSTATUS:CANCELLED\r\n"), "c.ics:12",
         "which does not repeat"),
        (file("DTSTART:20270106T030000Z\r\nRRULE:FREQ=WEEKLY\r\n", "RECURRENCE-ID:20270114T030000Z\r\nDTSTART:20270114T030000Z\r\n"), "c.ics:13",
         "is not a meeting of the event of line 5"),
        (file("DTSTART:20270106T030000Z\r\nRRULE:FREQ=WEEKLY\r\n", "RECURRENCE-ID;RANGE=THISANDPRIOR:20270113T030000Z\r\nDTSTART:20270113T030000Z\r\n"),
         "c.ics:13", "RANGE=THISANDPRIOR"),
        (file("DTSTART:20270106T030000Z\r\nRRULE:FREQ=WEEKLY\r\n", "RECURRENCE-ID;RANGE=THISANDFUTURE:20270106T030000Z\r\nDTSTART:20270106T040000Z\r\n"),
         "c.ics:13", "from the first meeting"),
        (file("DTSTART:20270106T030000Z\r\nRRULE:FREQ=WEEKLY\r\n", "RECURRENCE-ID:20270113T030000Z\r\nDTSTART:20270113T030000Z\r\n"
                + "RECURRENCE-ID:20270120T030000Z\r\n"), "c.ics:15", "RECURRENCE-ID appears twice"),
        (file("DTSTART:20270106T030000Z\r\nRRULE:FREQ=WEEKLY\r\nRDATE;VALUE=PERIOD:20270108T030000Z/PT1H\r\n", "RECURRENCE-ID:20270113T030000Z\r\n"
                + "STATUS:CANCELLED\r\nDTSTART:20270113T030000Z\r\n"), "c.ics:9", "periods"),
        (file("DTSTART:20270106T030000Z\r\nRDATE:20270101T030000Z\r\n", "RECURRENCE-ID:20270113T030000Z\r\nSTATUS:CANCELLED\r\n"
                + "DTSTART:20270113T030000Z\r\n"), "c.ics:8", "is before DTSTART"),
    ])
    func refusedChanges(text: String, location: String, message: String) {
        let error = #expect(throws: ICalendarError.self) { try CalendarImport.read(text, file: "c.ics", defaultZone: "UTC", organisation: "") }
        #expect(error?.location == location && error?.message.contains(message) == true, "\(error.map { "\($0)" } ?? "none")")
    }

    @Test("a moved meeting exports as RECURRENCE-ID, the rest of a series changed from a meeting on as a series of its own, RDATE as RDATE; each reads back the same",
          arguments: [("exchange-2016-moved.ics", "RECURRENCE-ID;TZID=Asia/Bangkok:20270119T133000\r\n"),
                      ("apple-rdate.ics", "UID:5D3A8C1E-7B2F-4E61-9A0D-2C4B6E8F1A3D_R20270303T030000Z\r\n"),
                      ("apple-rdate.ics", "RDATE;TZID=Asia/Bangkok:20270217T140000\r\n")])
    func changesRoundTrip(name: String, written: String) throws {
        let read = try Self.read(name)
        let items = read.events.enumerated().map {
            Item(id: Int64($0.offset + 1), fields: $0.element.item, uid: $0.element.uid, recurrenceID: $0.element.recurrenceID)
        }
        let text = CalendarExport.calendar(items.map { CalendarExport.Entry(item: $0, alarms: []) }, now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(text.contains(written))
        // The series does not also leave the moved meeting out: calendar programs would drop it.
        #expect(!text.contains("EXDATE;TZID=Asia/Bangkok:20270119T133000"))
        let back = try CalendarImport.read(text, file: "feed.ics", defaultZone: "UTC", organisation: "")
        #expect(back.events.map(\.item) == read.events.map(\.item))
        #expect(back.events.map(\.recurrenceID) == read.events.map(\.recurrenceID))
    }

    @Test("an imported yearly series exports and reads back the same")
    func yearlyRoundTrip() throws {
        let read = try Self.read("outlook-desktop.ics")
        let items = read.events.enumerated().map { Item(id: Int64($0.offset + 1), fields: $0.element.item, uid: $0.element.uid) }
        let text = CalendarExport.calendar(items.map { CalendarExport.Entry(item: $0, alarms: []) }, now: Date(timeIntervalSince1970: 1_800_000_000))
        #expect(text.contains("RRULE:FREQ=YEARLY;BYMONTHDAY=24;BYMONTH=5\r\n") && text.contains("RRULE:FREQ=YEARLY;COUNT=3;BYDAY=-1FR;BYMONTH=9\r\n"))
        let back = try CalendarImport.read(text, file: "feed.ics", defaultZone: "UTC", organisation: "")
        #expect(back.events.map(\.item) == read.events.map(\.item))
    }
}
