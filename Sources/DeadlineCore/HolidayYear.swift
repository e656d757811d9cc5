/// A public holiday: a day government offices are closed.
public struct Holiday: Hashable, Codable, Sendable {
    public var date: LocalDate
    public var name: String
    public var english: String?
    /// Where this day comes from: the Cabinet resolution, a report of it, or the rule that computed it.
    public var source: String?

    public init(date: LocalDate, name: String, english: String? = nil, source: String? = nil) {
        self.date = date
        self.name = name
        self.english = english
        self.source = source
    }
}

/// A day people may take for a holiday on which government offices work (Labour Day), or a
/// holiday that was moved away; kept in the data so that its absence is a decision, not an oversight.
public struct NotHoliday: Hashable, Codable, Sendable {
    public var date: LocalDate
    public var name: String
    public var english: String?
    public var why: String

    public init(date: LocalDate, name: String, english: String? = nil, why: String) {
        self.date = date
        self.name = name
        self.english = english
        self.why = why
    }
}

/// How far a year's holidays can be trusted.
public enum HolidayStatus: String, Codable, Sendable, CaseIterable, Comparable {
    /// Every day checked against the Cabinet's resolutions.
    case announced
    /// A file, not (fully) checked or not yet announced.
    case provisional
    /// No file: computed by deadlined (fixed dates, the lunar calendar, substitution days),
    /// without the Royal Ploughing Day and the special days the Cabinet adds each year.
    case computed

    /// Worse is greater: announced < provisional < computed.
    public static func < (a: HolidayStatus, b: HolidayStatus) -> Bool {
        allCases.firstIndex(of: a)! < allCases.firstIndex(of: b)!
    }
}

/// One year of holiday data as it was loaded (or computed), with where it came from.
public struct HolidayYear: Hashable, Codable, Sendable {
    /// Buddhist Era year.
    public var year: Int
    public var status: HolidayStatus
    public var source: String
    public var holidays: [Holiday]
    public var notHolidays: [NotHoliday]

    public init(year: Int, status: HolidayStatus, source: String, holidays: [Holiday], notHolidays: [NotHoliday] = []) {
        self.year = year
        self.status = status
        self.source = source
        self.holidays = holidays
        self.notHolidays = notHolidays
    }

    private enum CodingKeys: String, CodingKey { case year, status, source, holidays, notHolidays }

    // Years imported before `notHolidays` existed are kept in the store without it.
    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        year = try c.decode(Int.self, forKey: .year)
        status = try c.decode(HolidayStatus.self, forKey: .status)
        source = try c.decode(String.self, forKey: .source)
        holidays = try c.decode([Holiday].self, forKey: .holidays)
        notHolidays = try c.decodeIfPresent([NotHoliday].self, forKey: .notHolidays) ?? []
    }
}
