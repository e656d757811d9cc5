import Foundation

/// Turns what a person typed for WHEN into an instant.
///
/// Accepted now: ISO 8601 date-time, `2017-05-16T14:00:00+07:00`, with `T` or a space, with or
/// without seconds and a fraction, with `Z` or a `±hh:mm` / `±hhmm` offset. Without an offset the
/// time is read in the given zone (the item's, default Asia/Bangkok). Thai and relative forms
/// join with the domain work; they extend `acceptedForms`.
public enum DateInput {
    /// Examples of every accepted form, shown in errors.
    public static let acceptedForms: [String] = [
        "2017-05-16T14:00:00+07:00",
        "2017-05-16T14:00+07:00",
        "2017-05-16 14:00:30.250Z",
        "2017-05-16T14:00 (read in the item's time zone)",
    ]

    public static func parse(_ input: String, timeZone: TimeZone) throws(DateInputError) -> Date {
        let text = input.trimmingCharacters(in: .whitespaces)
        let fail = { (reason: String) in DateInputError(input: input, reason: reason, accepted: acceptedForms) }
        let pattern = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}:?\d{2})?$/
        guard let m = text.wholeMatch(of: pattern) else {
            if text.wholeMatch(of: /^\d{4}-\d{2}-\d{2}$/) != nil {
                throw fail("a date without a time of day is not accepted yet")
            }
            throw fail("not a recognised date and time")
        }
        let year = Int(m.1)!, month = Int(m.2)!, day = Int(m.3)!
        let hour = Int(m.4)!, minute = Int(m.5)!
        let second = m.6.map { Int($0)! } ?? 0
        let nanos: Int = m.7.map { frac in
            let digits = String(frac).padding(toLength: 9, withPad: "0", startingAt: 0)
            return Int(digits)!
        } ?? 0
        guard (1...12).contains(month) else { throw fail("month \(month) is not 1–12") }
        guard (0...23).contains(hour), (0...59).contains(minute), (0...59).contains(second) else {
            throw fail("time \(hour):\(minute):\(second) is out of range")
        }
        var zone = timeZone
        if let offset = m.8 {
            if offset == "Z" || offset == "z" {
                zone = TimeZone(secondsFromGMT: 0)!
            } else {
                let sign = offset.first == "-" ? -1 : 1
                let digits = offset.dropFirst().filter(\.isNumber)
                let hh = Int(digits.prefix(2))!, mm = Int(digits.suffix(2))!
                guard hh <= 18, mm <= 59, let z = TimeZone(secondsFromGMT: sign * (hh * 3600 + mm * 60)) else {
                    throw fail("offset \(offset) is out of range")
                }
                zone = z
            }
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let parts = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard let date = calendar.date(from: parts) else { throw fail("no such date") }
        // Calendar rolls 31 April over to 1 May: a date that does not read back is not real.
        let back = calendar.dateComponents([.year, .month, .day], from: date)
        guard back.year == year, back.month == month, back.day == day else {
            throw fail("\(m.1)-\(m.2)-\(m.3) is not a day of the calendar")
        }
        return date.addingTimeInterval(Double(nanos) / 1e9)
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
        "cannot read '\(input)' as a date and time: \(reason); accepted forms: " + accepted.joined(separator: ", ")
    }
}

/// How instants are written on the wire and in `--json` output: ISO 8601 with the offset of
/// the item's zone, so a person reads local time and a program gets an exact instant.
/// Milliseconds appear only when there are any; instants are kept to the millisecond.
public enum DateOutput {
    public static func iso8601(_ date: Date, timeZone: TimeZone) -> String {
        // Round to the millisecond first: the formatter truncates, and a Double that stands
        // for .313 s may be .31299999, which it would print as .312.
        let ms = Int64((date.timeIntervalSince1970 * 1000).rounded())
        let seconds = ms >= 0 ? ms / 1000 : (ms - 999) / 1000
        let fraction = ms - seconds * 1000
        let style = Date.ISO8601FormatStyle(timeZoneSeparator: .colon, timeZone: timeZone)
        let whole = Date(timeIntervalSince1970: Double(seconds)).formatted(style)
        guard fraction != 0 else { return whole }
        // "2017-05-16T14:00:00" is 19 characters for every four-digit year.
        let cut = whole.index(whole.startIndex, offsetBy: 19)
        return whole[..<cut] + "." + String(format: "%03d", Int(fraction)) + whole[cut...]
    }
}
