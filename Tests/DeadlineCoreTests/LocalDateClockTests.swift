import DeadlineCore
import Foundation
import Testing

@Suite("LocalDate.clock: the day and second an instant falls on")
struct LocalDateClockTests {
    /// Zones with offsets of minutes, daylight saving both ways and a date-line jump.
    static let zones = ["Asia/Bangkok", "UTC", "America/New_York", "Europe/London", "Asia/Kolkata", "Australia/Lord_Howe",
                        "Pacific/Chatham", "Pacific/Apia", "America/St_Johns"].map { TimeZone(identifier: $0)! }

    @Test("the day and second of the day agree with Foundation's calendar, from the year 1000 to 2200, in zones of every kind", arguments: zones)
    func agreesWithFoundation(zone: TimeZone) {
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = zone
        // A fixed generator: the same instants every run, so a failure repeats.
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 { state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407; return state >> 11 }
        let from = -30_610_224_000.0, span = 7_258_118_400.0 + 30_610_224_000.0   // 1000-01-01 … 2200-01-01
        var wrong: [String] = []
        for _ in 0..<3_000 {
            let date = Date(timeIntervalSince1970: (from + Double(next() % UInt64(span))).rounded(.down) + Double(next() % 1000) / 1000)
            let c = cal.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
            let (day, second) = LocalDate.clock(of: date, in: zone)
            if (day.year, day.month, day.day, second) != (c.year!, c.month!, c.day!, c.hour! * 3600 + c.minute! * 60 + c.second!) {
                wrong.append("\(date.timeIntervalSince1970): \(day) \(second) vs \(c.year!)-\(c.month!)-\(c.day!) \(c.hour!):\(c.minute!):\(c.second!)")
            }
        }
        #expect(wrong.isEmpty, "\(wrong.prefix(5))")
    }

    @Test("around midnight and a daylight-saving change, the instant goes to the day its own zone says")
    func aroundMidnight() {
        let bangkok = TimeZone(identifier: "Asia/Bangkok")!
        // 2017-05-16 16:59:59 and 17:00:00 UTC: the last second of the 16th and the first of the 17th in Bangkok.
        #expect(LocalDate.clock(of: Date(timeIntervalSince1970: 1_494_953_999), in: bangkok) == (LocalDate(year: 2017, month: 5, day: 16)!, 86_399))
        #expect(LocalDate.clock(of: Date(timeIntervalSince1970: 1_494_954_000), in: bangkok) == (LocalDate(year: 2017, month: 5, day: 17)!, 0))
        // New York, 2024-03-10 07:00 UTC is 03:00 EDT, the hour after the gap.
        let newYork = TimeZone(identifier: "America/New_York")!
        #expect(LocalDate.clock(of: Date(timeIntervalSince1970: 1_710_054_000), in: newYork) == (LocalDate(year: 2024, month: 3, day: 10)!, 3 * 3600))
    }
}
