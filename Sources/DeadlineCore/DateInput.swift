import Foundation

/// Turns what a person typed for WHEN (on the command line, in an agenda file, over the
/// socket) into a `When`: an exact instant, or a whole day when no time of day is given.
///
/// Thai forms are read as official letters write them: Buddhist Era years (`2560`, `พ.ศ. 2560`,
/// or `60` in short forms), full or abbreviated month names, an optional weekday that must agree
/// with the date, `เวลา 14.00 น.`, and Thai digits anywhere. A time without an offset is read in
/// the item's zone.
public enum DateInput {
    /// Examples of every accepted form, shown in errors.
    public static let acceptedForms: [String] = [
        "2017-05-16T14:00:00+07:00",
        "2017-05-16 14:00 (in the item's time zone)",
        "2017-05-24 (a whole day)",
        "16 พฤษภาคม 2560",
        "16 พ.ค. 60",
        "วันอังคารที่ 16 พฤษภาคม พ.ศ. 2560 เวลา 14.00 น.",
        "๑๖ พฤษภาคม ๒๕๖๐ เวลา ๑๔.๐๐ น.",
        "16 May 2017 14:00",
        "Tuesday, May 16, 2017",
        "tomorrow 09:00 / พรุ่งนี้ 09.00 น.",
        "+3d, +2h, +30m, +1w",
        "FY2561-end / สิ้นปีงบประมาณ 2561",
    ]

    /// - Parameters:
    ///   - timeZone: the zone for times without an offset, and for "today".
    ///   - now: the current instant, for relative forms.
    public static func parse(_ input: String, timeZone: TimeZone, now: Date = Date()) throws(DateInputError) -> When {
        let when = try parseAnyYear(input, timeZone: timeZone, now: now)
        let year = when.localDate(in: timeZone).year
        guard NewItem.years.contains(year) else {
            throw DateInputError(input: input, reason: "the year \(year) is outside \(ItemValidationError.years)", accepted: acceptedForms)
        }
        return when
    }

    private static func parseAnyYear(_ input: String, timeZone: TimeZone, now: Date) throws(DateInputError) -> When {
        let text = normalize(input)
        let fail = { (reason: String) in DateInputError(input: input, reason: reason, accepted: acceptedForms) }
        if text.isEmpty { throw fail("nothing was given") }
        // Offsets ("+3d") are read by hand: they are what scripts send most, and compiling
        // the other forms' patterns first cost over a millisecond a call.
        if let w = offset(text, zone: timeZone, now: now) { return w }
        do {
            if let w = try iso(text, zone: timeZone) { return w }
            if let w = try thai(text, zone: timeZone) { return w }
            if let w = try english(text, zone: timeZone) { return w }
            if let w = try relative(text, zone: timeZone, now: now) { return w }
            if let w = try fiscal(text) { return w }
        } catch let reason as Reason {
            throw fail(reason.text)
        } catch {
            throw fail("\(error)")
        }
        if text.wholeMatch(of: /\d{1,2}\/\d{1,2}\/\d{2,4}.*/) != nil {
            throw fail("ambiguous: day/month order and era are not clear in numbers alone; write the month as a word (16 พ.ค. 2560) or use 2017-05-16")
        }
        if text.wholeMatch(of: /(?:เวลา\s*)?\d{1,2}[.:]\d{2}(?:\s*น\.)?/) != nil {
            throw fail("a time needs a date (e.g. tomorrow 09:00)")
        }
        if thaiMonths.keys.contains(where: { text.contains($0) })
            || englishMonths.keys.contains(where: { text.lowercased().split(whereSeparator: { !$0.isLetter }).contains(Substring($0)) }) {
            throw fail("a day and month need a year (16 พ.ค. 60, 16 พฤษภาคม 2560)")
        }
        throw fail("not a recognised date")
    }

    /// Thai digits to ASCII, blanks folded, so the patterns below stay simple.
    static func normalize(_ input: String) -> String {
        ThaiCalendar.arabicDigits(input)
            .replacingOccurrences(of: "\u{00A0}", with: " ")
            .split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "\n" })
            .joined(separator: " ")
    }

    /// Why a text that matched a form still is not a date.
    struct Reason: Error { let text: String }

    // MARK: ISO 8601

    static func iso(_ text: String, zone: TimeZone) throws -> When? {
        // Cheap test first: ISO 8601 starts with four digits and a dash.
        let head = Array(text.utf8.prefix(5))
        guard head.count == 5, head[0...3].allSatisfy({ (0x30...0x39).contains($0) }), head[4] == 0x2D else { return nil }
        if let m = text.wholeMatch(of: /(\d{4})-(\d{2})-(\d{2})/) {
            return .day(try day(try number(m.1), try number(m.2), try number(m.3)))
        }
        let pattern = /(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?/
        guard let m = text.wholeMatch(of: pattern) else { return nil }
        let date = try day(try number(m.1), try number(m.2), try number(m.3))
        let hour = try number(m.4), minute = try number(m.5), second = try m.6.map { try number($0) } ?? 0
        guard hour <= 23, minute <= 59, second <= 59 else { throw Reason(text: "time \(m.4):\(m.5) is out of range") }
        var z = zone
        if let offset = m.8 {
            if offset == "Z" || offset == "z" {
                z = TimeZone(secondsFromGMT: 0)!
            } else {
                let sign = offset.first == "-" ? -1 : 1
                let digits = offset.dropFirst().filter(\.isNumber)
                let hh = try number(digits.prefix(2)), mm = try number(digits.suffix(2))
                guard hh <= 18, mm <= 59, let made = TimeZone(secondsFromGMT: sign * (hh * 3600 + mm * 60)) else {
                    throw Reason(text: "offset \(offset) is out of range")
                }
                z = made
            }
        }
        let nanos = try m.7.map { try number(String($0).padding(toLength: 9, withPad: "0", startingAt: 0)) } ?? 0
        var cal = Calendar(identifier: .gregorian)
        cal.timeZone = z
        let instant = cal.date(from: DateComponents(year: date.year, month: date.month, day: date.day,
                                                    hour: hour, minute: minute, second: second))!
        return .instant(instant.addingTimeInterval(Double(nanos) / 1e9))
    }

    // MARK: Thai letters

    static let thaiWeekdays = ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "พฤหัส", "ศุกร์", "เสาร์"]

    /// Month name → month number, full names and abbreviations with and without dots.
    static let thaiMonths: [String: Int] = {
        var out: [String: Int] = [:]
        for (i, m) in ThaiCalendar.months.enumerated() {
            out[m.full] = i + 1
            out[m.abbreviation] = i + 1
            out[m.abbreviation.replacingOccurrences(of: ".", with: "")] = i + 1
            out[String(m.abbreviation.dropLast())] = i + 1 // "พ.ค" without its last dot
        }
        return out
    }()

    static func alternation(_ names: some Sequence<String>) -> String {
        // Longest first, so "พฤหัสบดี" wins over "พฤหัส" and "มีนาคม" over "มี.ค.".
        names.sorted { $0.count > $1.count }.map { NSRegularExpression.escapedPattern(for: $0) }.joined(separator: "|")
    }

    static let time = #"(?:\s*,?\s*(?:เวลา|at)?\s*(?<h>\d{1,2})[.:](?<mi>\d{2})(?:\s*(?:น\.|นาฬิกา))?)?"#

    // Pattern sources are kept, not compiled Regex values: Regex is not Sendable, and reading a
    // date is rare enough that compiling per call costs nothing anyone notices.
    // The month is matched as a word and looked up in `thaiMonths`: a small pattern compiles in
    // microseconds, where one listing every month name took milliseconds per call.
    static let thaiPattern =
        #"(?:วัน(?<wd>"# + alternation(thaiWeekdays) + #")(?:\s*ที่)?\s*|วันที่\s*|ที่\s*)?"#
            + #"(?<d>\d{1,2})\s*(?<mon>[^\d\s]+?)\s*"#
            + #"(?:(?<era>พ\.ศ\.|พ\.ศ|ค\.ศ\.|ค\.ศ)\s*)?(?<y>\d{4}|\d{2})"# + time


    static func thai(_ text: String, zone: TimeZone) throws -> When? {
        // Cheap test first: no Thai letter, no Thai form.
        guard text.unicodeScalars.contains(where: { (0x0E01...0x0E4F).contains($0.value) }),
              let m = try Regex(thaiPattern).wholeMatch(in: text),
              let month = thaiMonths[String(m.output["mon"]!.substring!)] else { return nil }
        let dayNumber = try number(m.output["d"]!.substring!)
        let yearText = String(m.output["y"]!.substring!)
        let era = m.output["era"]?.substring.map { $0.hasPrefix("ค") ? "CE" : "BE" }
        let year = try gregorianYear(yearText, era: era)
        let date = try day(year, month, dayNumber)
        if let wd = m.output["wd"]?.substring {
            // "พฤหัส" is the everyday short form of พฤหัสบดี (Thursday).
            let wanted = String(wd) == "พฤหัส" ? 5 : ThaiCalendar.weekdays.firstIndex(of: String(wd))! + 1
            try checkWeekday(date, wanted: wanted)
        }
        return try withTime(date, m.output["h"]?.substring, m.output["mi"]?.substring, zone: zone)
    }

    /// A year as written: BE when it says พ.ศ., is 2400 or more, or has two digits; CE when it
    /// says ค.ศ. or is a plausible Gregorian year.
    static func gregorianYear(_ text: String, era: String?) throws -> Int {
        let n = try number(text)
        if text.count == 2 { return era == "CE" ? 2000 + n : 2500 + n - 543 }
        switch era {
        case "BE": return n - 543
        case "CE": return n
        default: return n >= 2400 ? n - 543 : n
        }
    }

    // MARK: English

    static let englishMonths: [String: Int] = {
        var out: [String: Int] = [:]
        for (i, name) in ThaiCalendar.englishMonths.enumerated() {
            out[name.lowercased()] = i + 1
            out[String(name.prefix(3)).lowercased()] = i + 1
        }
        out["sept"] = 9
        return out
    }()

    static let englishWeekdays: [String: Int] = {
        var out: [String: Int] = [:]
        for (i, name) in ThaiCalendar.englishWeekdays.enumerated() {
            out[name.lowercased()] = i + 1
            out[String(name.prefix(3)).lowercased()] = i + 1
        }
        out["tues"] = 3
        out["thurs"] = 5
        return out
    }()

    // Weekday and month as words, looked up after the match (see `thaiPattern`).
    static let englishDayFirst =
        #"(?:(?<wd>[A-Za-z]+)\.?,?\s+)?(?<d>\d{1,2})(?:st|nd|rd|th)?\s+(?<mon>[A-Za-z]+)\.?,?\s+(?<y>\d{4})"# + time

    static let englishMonthFirst =
        #"(?:(?<wd>[A-Za-z]+)\.?,?\s+)?(?<mon>[A-Za-z]+)\.?\s+(?<d>\d{1,2})(?:st|nd|rd|th)?,?\s+(?<y>\d{4})"# + time

    static func english(_ text: String, zone: TimeZone) throws -> When? {
        // Cheap test first: an English date has a month name, so some ASCII letters.
        guard text.contains(where: { $0.isASCII && $0.isLetter }) else { return nil }
        guard let m = try Regex(englishDayFirst).ignoresCase().wholeMatch(in: text)
            ?? Regex(englishMonthFirst).ignoresCase().wholeMatch(in: text),
              let month = englishMonths[m.output["mon"]!.substring!.lowercased()] else { return nil }
        let weekday = m.output["wd"]?.substring.map { englishWeekdays[$0.lowercased()] }
        if case .some(.none) = weekday { return nil }   // a word there that is no weekday
        let date = try day(try gregorianYear(String(m.output["y"]!.substring!), era: nil), month, try number(m.output["d"]!.substring!))
        if let wanted = weekday ?? nil {
            try checkWeekday(date, wanted: wanted)
        }
        return try withTime(date, m.output["h"]?.substring, m.output["mi"]?.substring, zone: zone)
    }

    // MARK: Relative

    static let relativeDay = #"(?<rel>today|tomorrow|วันนี้|พรุ่งนี้|มะรืนนี้|มะรืน)"# + time

    static func relative(_ text: String, zone: TimeZone, now: Date) throws -> When? {
        let today = LocalDate(now, in: zone)
        if let m = try Regex(relativeDay).ignoresCase().wholeMatch(in: text) {
            let shift = switch m.output["rel"]!.substring!.lowercased() {
            case "today", "วันนี้": 0
            case "tomorrow", "พรุ่งนี้": 1
            default: 2
            }
            return try withTime(today.adding(days: shift), m.output["h"]?.substring, m.output["mi"]?.substring, zone: zone)
        }
        return nil
    }

    /// `+30m`, `+2h`, `+3d`, `+1w` (a blank before the unit allowed), read without a regex.
    static func offset(_ text: String, zone: TimeZone, now: Date) -> When? {
        var chars = Substring(text)
        guard chars.first == "+" else { return nil }
        chars = chars.dropFirst()
        let digits = chars.prefix(while: { $0.isASCII && $0.isNumber })
        guard (1...4).contains(digits.count), let n = Int(digits) else { return nil }
        let unit = chars.dropFirst(digits.count).drop(while: { $0 == " " })
        switch unit {
        case "m": return .instant(now.addingTimeInterval(Double(n) * 60))
        case "h": return .instant(now.addingTimeInterval(Double(n) * 3600))
        case "d", "w":
            // Calendar days keep the clock time across a daylight-saving change.
            var cal = Calendar(identifier: .gregorian)
            cal.timeZone = zone
            return .instant(cal.date(byAdding: .day, value: unit == "w" ? 7 * n : n, to: now)!)
        default: return nil
        }
    }

    // MARK: Fiscal year

    static func fiscal(_ text: String) throws -> When? {
        let pattern = /(?:(start|end|ต้น|สิ้น)\s*)?(?:fy|ปีงบประมาณ|ปีงบ)\s*(?:พ\.ศ\.\s*)?(\d{4})(?:-(start|end))?/.ignoresCase()
        guard let m = text.wholeMatch(of: pattern) else { return nil }
        let which = (m.1 ?? m.3).map { $0.lowercased() }
        guard let which else { throw Reason(text: "say which end of the fiscal year: FY\(m.2)-start or FY\(m.2)-end") }
        let fy = FiscalYear(buddhistYear: try number(m.2))
        return .day(which == "start" || which == "ต้น" ? fy.start : fy.end)
    }

    // MARK: Helpers

    static func day(_ year: Int, _ month: Int, _ day: Int) throws -> LocalDate {
        guard (1...12).contains(month) else { throw Reason(text: "month \(month) is not 1–12") }
        guard let d = LocalDate(year: year, month: month, day: day) else {
            throw Reason(text: "\(ThaiCalendar.months[month - 1].full) \(year + 543) has no day \(day)")
        }
        return d
    }

    static func checkWeekday(_ date: LocalDate, wanted: Int) throws {
        guard date.weekday != wanted else { return }
        throw Reason(text: "\(DateText.day(date, language: .thai)) is a \(ThaiCalendar.englishWeekdays[date.weekday - 1]), "
                     + "not วัน\(ThaiCalendar.weekdays[wanted - 1]) (\(ThaiCalendar.englishWeekdays[wanted - 1]))")
    }

    /// Digits as a number. Swift's regex `\d` matches a digit with a combining mark on it
    /// ("5ิ" is one character), which `Int` then refuses: an error, never a trap.
    static func number(_ text: some StringProtocol) throws -> Int {
        guard let n = Int(text) else { throw Reason(text: "'\(text)' is not a number") }
        return n
    }

    static func withTime(_ date: LocalDate, _ hour: Substring?, _ minute: Substring?, zone: TimeZone) throws -> When {
        guard let hour, let minute else { return .day(date) }
        guard let t = TimeOfDay(hour: try number(hour), minute: try number(minute)) else {
            throw Reason(text: "time \(hour).\(minute) is out of range")
        }
        return .instant(date.at(hour: t.hour, minute: t.minute, in: zone))
    }
}

/// WHEN could not be read: says what was typed, why, and what would have been accepted.
public struct DateInputError: Error, Equatable, CustomStringConvertible {
    public let input: String
    public let reason: String
    public let accepted: [String]

    public init(input: String, reason: String, accepted: [String]) {
        self.input = input
        self.reason = reason
        self.accepted = accepted
    }

    public var description: String {
        "cannot read '\(input)' as a date: \(reason); accepted forms: " + accepted.joined(separator: "; ")
    }
}
