/// A provisional year of holidays for a year without data: the fixed-date holidays as the
/// Cabinet's standing list has them since 2562 (2019), the Buddhist holidays from the Thai lunar
/// calendar, and the substitution days the standing rule gives. It cannot know the Royal
/// Ploughing Day (set by the court astrologers each year) nor the special days the Cabinet adds,
/// so a computed year is never `announced`.
public enum ComputedHolidays {
    /// The Gregorian years computed and kept for lookups; outside them only weekends are known.
    public static let span = 1900...2200

    /// Every year of `span`, computed once (about 300 years: milliseconds), by Buddhist Era year.
    static let table: [Int: HolidayYear] = Dictionary(uniqueKeysWithValues: span.map { ($0 + 543, year($0 + 543)) })

    /// The weekdays offices are closed in every computed year, sorted.
    static let closedWeekdays: [LocalDate] = Set(table.values.flatMap { $0.holidays.map(\.date) }.filter { !$0.isWeekend }).sorted()

    /// The holidays of a Buddhist Era year, computed.
    public static func year(_ buddhistYear: Int) -> HolidayYear {
        let year = buddhistYear - 543
        let days = substituted(year).filter { $0.date.year == year }
        let lunar = ThaiLunarCalendar.buddhistHolidays(gregorianYear: year) != nil
        let source = "computed by deadlined: fixed-date holidays, "
            + (lunar ? "the Buddhist holidays from the lunar calendar, " : "no Buddhist holidays (outside the lunar computation's range), ")
            + "substitution days; without the Royal Ploughing Day and the Cabinet's special days"
        return HolidayYear(year: buddhistYear, status: .computed, source: source, holidays: days)
    }

    /// A holiday the standing list gives, and whether a weekend falling on it earns a substitution day.
    private struct Standing {
        var holiday: Holiday
        var substituted: Bool
    }

    private static func standing(_ year: Int) -> [Standing] {
        func day(_ m: Int, _ d: Int, _ name: String, _ english: String, substituted: Bool = true) -> Standing? {
            guard let date = LocalDate(year: year, month: m, day: d) else { return nil }
            return Standing(holiday: Holiday(date: date, name: name, english: english, source: "standing list of official holidays"),
                            substituted: substituted)
        }
        var days: [Standing?] = [
            day(1, 1, "วันขึ้นปีใหม่", "New Year's Day"),
            day(4, 6, "วันจักรี", "Chakri Memorial Day"),
            day(4, 13, "วันสงกรานต์", "Songkran Festival"),
            day(4, 14, "วันสงกรานต์", "Songkran Festival"),
            day(4, 15, "วันสงกรานต์", "Songkran Festival"),
            day(5, 4, "วันฉัตรมงคล", "Coronation Day"),
            day(6, 3, "วันเฉลิมพระชนมพรรษาสมเด็จพระนางเจ้าฯ พระบรมราชินี", "Queen Suthida's Birthday"),
            day(7, 28, "วันเฉลิมพระชนมพรรษาพระบาทสมเด็จพระเจ้าอยู่หัว", "King Vajiralongkorn's Birthday"),
            day(8, 12, "วันแม่แห่งชาติ", "Queen Mother's Birthday and Mother's Day"),
            day(10, 13, "วันนวมินทรมหาราช", "King Bhumibol Memorial Day"),
            day(10, 23, "วันปิยมหาราช", "Chulalongkorn Day"),
            day(12, 5, "วันพ่อแห่งชาติ", "King Bhumibol's Birthday, National Day and Father's Day"),
            day(12, 10, "วันรัฐธรรมนูญ", "Constitution Day"),
            day(12, 31, "วันสิ้นปี", "New Year's Eve"),
        ]
        if let lunar = ThaiLunarCalendar.buddhistHolidays(gregorianYear: year) {
            let source = "the Thai lunar calendar"
            days += [
                Standing(holiday: Holiday(date: lunar.makhaBucha, name: "วันมาฆบูชา", english: "Makha Bucha Day", source: source), substituted: true),
                Standing(holiday: Holiday(date: lunar.visakhaBucha, name: "วันวิสาขบูชา", english: "Visakha Bucha Day", source: source), substituted: true),
                Standing(holiday: Holiday(date: lunar.asanhaBucha, name: "วันอาสาฬหบูชา", english: "Asanha Bucha Day", source: source), substituted: true),
                // Khao Phansa follows Asanha Bucha and has never had a substitution day of its own.
                Standing(holiday: Holiday(date: lunar.khaoPhansa, name: "วันเข้าพรรษา", english: "Buddhist Lent Day", source: source), substituted: false),
            ]
        }
        return days.compactMap { $0 }.sorted { $0.holiday.date < $1.holiday.date }
    }

    /// The standing holidays of `year` with their substitution days, including those of the
    /// December before (31 December on a weekend is made up in January).
    ///
    /// The rule as the Cabinet has applied it: a run of consecutive holidays that touches a
    /// weekend gets one substitution day, the first working day after the run (Songkran on
    /// Saturday–Monday: Tuesday; New Year's Eve on Saturday and New Year on Sunday: Monday; two
    /// holidays on one Saturday: Monday).
    static func substituted(_ year: Int) -> [Holiday] {
        let all = standing(year - 1).filter { $0.holiday.date.month == 12 } + standing(year)
            + standing(year + 1).filter { $0.holiday.date.month == 1 }
        var closed = Set(all.map(\.holiday.date))
        var result = all.map(\.holiday)
        var i = 0
        while i < all.count {
            // The run of holidays starting at all[i]: days with no gap between them.
            var end = all[i].holiday.date
            var members: [Standing] = []
            var j = i
            while j < all.count, all[j].holiday.date.dayNumber <= end.dayNumber + 1 {
                members.append(all[j])
                end = max(end, all[j].holiday.date)
                j += 1
            }
            let weekendMembers = members.filter { $0.substituted && $0.holiday.date.isWeekend }
            if !weekendMembers.isEmpty {
                var d = end.adding(days: 1)
                while d.isWeekend || closed.contains(d) { d = d.adding(days: 1) }
                closed.insert(d)
                let names = uniqued(weekendMembers.map(\.holiday.name))
                let english = uniqued(weekendMembers.compactMap(\.holiday.english))
                result.append(Holiday(date: d, name: "ชดเชย" + names.joined(separator: " และ"),
                                      english: "Substitution for " + english.joined(separator: " and "),
                                      source: "weekend substitution rule"))
            }
            i = j
        }
        return result.sorted { $0.date < $1.date }
    }

    private static func uniqued(_ names: [String]) -> [String] {
        var seen = Set<String>()
        return names.filter { seen.insert($0).inserted }
    }
}
