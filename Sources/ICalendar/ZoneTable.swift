import DeadlineCore
import Foundation

/// The file's VTIMEZONEs, to read a TZID that is not an IANA name.
struct ZoneTable {
    /// TZID → IANA or fixed-offset zone identifier.
    private var known: [String: String] = [:]

    /// Zones that Outlook and Exchange name their own way: Windows' ids and, as Office 365
    /// writes them, display names.
    static let windowsNames: [String: String] = [
        "(UTC+07:00) Bangkok, Hanoi, Jakarta": "Asia/Bangkok", "(GMT+07:00) Bangkok, Hanoi, Jakarta": "Asia/Bangkok",
        "(UTC) Coordinated Universal Time": "UTC", "(UTC+08:00) Kuala Lumpur, Singapore": "Asia/Singapore",
        "(UTC+08:00) Beijing, Chongqing, Hong Kong, Urumqi": "Asia/Shanghai", "(UTC+09:00) Osaka, Sapporo, Tokyo": "Asia/Tokyo",
        "(UTC+05:30) Chennai, Kolkata, Mumbai, New Delhi": "Asia/Kolkata", "(UTC+06:30) Yangon (Rangoon)": "Asia/Yangon",
        "SE Asia Standard Time": "Asia/Bangkok", "UTC": "UTC", "GMT Standard Time": "Europe/London",
        "W. Europe Standard Time": "Europe/Berlin", "Romance Standard Time": "Europe/Paris",
        "Eastern Standard Time": "America/New_York", "Pacific Standard Time": "America/Los_Angeles",
        "Tokyo Standard Time": "Asia/Tokyo", "Singapore Standard Time": "Asia/Singapore", "China Standard Time": "Asia/Shanghai",
        "India Standard Time": "Asia/Kolkata", "Myanmar Standard Time": "Asia/Yangon",
    ]

    init(_ calendar: Component, file: String) throws(ICalendarError) {
        for tz in calendar.components where tz.name == "VTIMEZONE" {
            // TZID's value is TEXT, escaped (`Bangkok\, Hanoi`); the TZID parameter that names it
            // is quoted instead (RFC 5545 §3.2, §3.8.3.1).
            guard let id = tz.first("TZID").map({ ContentLine.unescape($0.value) }) else {
                throw ICalendarError(location: "\(file):\(tz.line)", message: "VTIMEZONE has no TZID")
            }
            // A zone that never changes its offset can be used whatever it is called. Exchange
            // writes a DAYLIGHT observance with the standard offset for zones without daylight
            // saving time: every observance at one offset is still a fixed offset.
            let offsets = Set(tz.components.filter { $0.name == "STANDARD" || $0.name == "DAYLIGHT" }.compactMap { $0.first("TZOFFSETTO")?.value })
            // Offsets on Earth run from -12:00 to +14:00; anything else is left unresolved, and
            // the TZID that names it is then an error.
            if offsets.count == 1, let seconds = Self.offset(offsets.first!),
               (-12 * 3600...14 * 3600).contains(seconds), let fixed = TimeZone(secondsFromGMT: seconds) {
                let whole = "Etc/GMT\(seconds > 0 ? "-" : "+")\(abs(seconds) / 3600)"
                known[id] = seconds % 3600 == 0 && seconds != 0 && TimeZone(identifier: whole) != nil ? whole : fixed.identifier
            }
        }
    }

    /// An IANA name as it is (or at the end of a longer TZID, as in
    /// `/mozilla.org/20050126_1/Asia/Bangkok` or `/Asia/Bangkok`), a Windows name, or a
    /// fixed-offset VTIMEZONE.
    func resolve(_ tzid: String) -> String? {
        if NewItem.isZoneName(tzid) {
            if Self.isIANA(tzid) { return tzid }
            // The longest tail that is a zone: America/Argentina/Buenos_Aires has three parts.
            let parts = tzid.split(separator: "/")
            for n in stride(from: min(3, parts.count), through: 1, by: -1) {
                let tail = parts.suffix(n).joined(separator: "/")
                if Self.isIANA(tail) { return tail }
            }
        }
        if let found = Self.windowsNames[tzid] ?? known[tzid] { return found }
        // A parameter cannot be backslash-escaped, but some programs do it as in the TZID value.
        let unescaped = ContentLine.unescape(tzid)
        return unescaped == tzid ? nil : Self.windowsNames[unescaped] ?? known[unescaped]
    }

    /// A zone Foundation knows by that very name (`Asia/Bangkok`, `UTC`; not `Bangkok` or
    /// `/Asia/Bangkok`, which Foundation may read as a path).
    static func isIANA(_ name: String) -> Bool {
        guard name == "UTC" || name.contains("/"), !name.hasPrefix("/"), !name.hasSuffix("/"), !name.contains("//"), !name.contains(".."),
              let zone = TimeZone(identifier: name) else { return false }
        // Foundation calls UTC "GMT".
        return name == "UTC" || zone.identifier == name
    }

    static func offset(_ text: String) -> Int? {
        let t = Array(text)
        guard t.count == 5 || t.count == 7, t[0] == "+" || t[0] == "-", let h = Int(String(t[1...2])), let m = Int(String(t[3...4])) else { return nil }
        let s = t.count == 7 ? Int(String(t[5...6])) ?? 0 : 0
        return (t[0] == "-" ? -1 : 1) * (h * 3600 + m * 60 + s)
    }
}
