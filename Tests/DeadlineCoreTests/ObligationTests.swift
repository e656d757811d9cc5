import DeadlineCore
import Foundation
import Testing

@Suite("Obligations: on time or late by the day received, overdue when open past the due date; the board's counts and order")
struct ObligationTests {
    let zone = TimeZone(identifier: "Asia/Bangkok")!
    func at(_ text: String) -> Date { DateOutput.when(text)!.instant(zone: zone, dayTime: TimeOfDay(hour: 9, minute: 0)!) }
    let due = When.day(LocalDate(year: 2017, month: 5, day: 24)!)

    func obligation(_ state: ObligationState, received: String? = nil) -> Obligation {
        Obligation(itemKey: "submit-nacc-2560", code: "4400201", state: state,
                   submission: received.map { Submission(reference: "ขก 52001/123", received: at($0)) }, updated: at("2017-05-01T09:00:00+07:00"))
    }

    @Test("a due day counts to its end in the item's zone; a due instant to the instant")
    func standing() {
        let now = at("2017-05-20T09:00:00+07:00")
        #expect(obligation(.submitted, received: "2017-05-24T23:59:00+07:00").standing(due: due, zone: zone, now: now) == .onTime)
        #expect(obligation(.submitted, received: "2017-05-25T00:00:00+07:00").standing(due: due, zone: zone, now: now) == .late)
        // 23:30 UTC on the 24th is already the 25th in Bangkok.
        #expect(obligation(.submitted, received: "2017-05-24T23:30:00Z").standing(due: due, zone: zone, now: now) == .late)
        #expect(obligation(.open).standing(due: due, zone: zone, now: now) == .open)
        #expect(obligation(.open).standing(due: due, zone: zone, now: at("2017-05-25T00:00:01+07:00")) == .overdue)
        #expect(obligation(.exempted).standing(due: due, zone: zone, now: at("2017-06-25T00:00:00+07:00")) == .exempted)
        let instant = When.instant(at("2017-05-24T16:30:00+07:00"))
        #expect(obligation(.submitted, received: "2017-05-24T16:31:00+07:00").standing(due: instant, zone: zone, now: now) == .late)
        #expect(obligation(.open).standing(due: instant, zone: zone, now: at("2017-05-24T16:29:00+07:00")) == .open)
    }

    @Test("SHA-256 text: 64 hex digits, either case")
    func sha256() {
        #expect(Submission.isSHA256(String(repeating: "aF0", count: 21) + "9"))
        #expect(!Submission.isSHA256(String(repeating: "a", count: 63)))
        #expect(!Submission.isSHA256(String(repeating: "g", count: 64)))
    }

    @Test("the board: counts by district in order, the total, and the not submitted longest overdue first")
    func board() {
        func entry(_ code: String, _ district: String, _ due: LocalDate, _ s: ObligationStanding, province: String = "ขอนแก่น") -> ObligationBoard.Entry {
            ObligationBoard.Entry(organisation: Organisation(code: code, name: "อบต.\(code)", type: .subdistrictAdministration,
                                                             province: province, district: district),
                                  itemKey: "k", due: due, standing: s)
        }
        let may24 = LocalDate(year: 2017, month: 5, day: 24)!, may10 = LocalDate(year: 2017, month: 5, day: 10)!
        let board = ObligationBoard([
            entry("3", "ชุมแพ", may24, .overdue), entry("1", "บ้านฝาง", may24, .onTime), entry("2", "บ้านฝาง", may24, .late),
            entry("4", "ชุมแพ", may10, .overdue), entry("5", "ชุมแพ", may24, .exempted), entry("6", "บ้านฝาง", LocalDate(year: 2017, month: 5, day: 30)!, .open),
            entry("7", "เมือง", may24, .overdue, province: "กาฬสินธุ์"),
        ])
        #expect(board.districts.map { "\($0.province)/\($0.district)" } == ["กาฬสินธุ์/เมือง", "ขอนแก่น/ชุมแพ", "ขอนแก่น/บ้านฝาง"])
        let chumphae = board.districts[1]
        #expect((chumphae.total, chumphae.overdue, chumphae.exempted, chumphae.submitted) == (3, 2, 1, 0))
        #expect((board.total.total, board.total.onTime, board.total.late, board.total.open, board.total.overdue) == (7, 1, 1, 1, 3))
        #expect(board.notSubmitted.map(\.organisation.code) == ["4", "7", "3", "6"])
        let today = LocalDate(year: 2017, month: 5, day: 26)!
        #expect(board.notSubmitted.map { ObligationBoard.daysOverdue($0, today: today) } == [16, 2, 2, 0])
    }
}
