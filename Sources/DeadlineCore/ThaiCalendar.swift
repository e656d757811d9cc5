/// The names and numbers Thai official letters use (see DOMAIN.md).
public enum ThaiCalendar {
    /// Full and abbreviated month names, January first.
    public static let months: [(full: String, abbreviation: String)] = [
        ("มกราคม", "ม.ค."), ("กุมภาพันธ์", "ก.พ."), ("มีนาคม", "มี.ค."), ("เมษายน", "เม.ย."),
        ("พฤษภาคม", "พ.ค."), ("มิถุนายน", "มิ.ย."), ("กรกฎาคม", "ก.ค."), ("สิงหาคม", "ส.ค."),
        ("กันยายน", "ก.ย."), ("ตุลาคม", "ต.ค."), ("พฤศจิกายน", "พ.ย."), ("ธันวาคม", "ธ.ค."),
    ]

    /// Weekday names, Sunday first (Calendar's weekday 1).
    public static let weekdays = ["อาทิตย์", "จันทร์", "อังคาร", "พุธ", "พฤหัสบดี", "ศุกร์", "เสาร์"]

    public static let englishMonths = ["January", "February", "March", "April", "May", "June", "July",
                                       "August", "September", "October", "November", "December"]
    public static let englishWeekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Buddhist Era year = Gregorian year + 543.
    public static let buddhistEraOffset = 543

    static let thaiDigits: [Character] = ["๐", "๑", "๒", "๓", "๔", "๕", "๖", "๗", "๘", "๙"]

    /// ๐–๙ → 0–9; everything else unchanged.
    public static func arabicDigits(_ text: String) -> String {
        String(text.map { ch in
            if let i = thaiDigits.firstIndex(of: ch) { return Character(String(i)) }
            return ch
        })
    }

    /// 0–9 → ๐–๙; everything else unchanged.
    public static func thaiDigits(_ text: String) -> String {
        String(text.map { ch in
            if let v = ch.wholeNumberValue, ch.isASCII { return thaiDigits[v] }
            return ch
        })
    }
}
