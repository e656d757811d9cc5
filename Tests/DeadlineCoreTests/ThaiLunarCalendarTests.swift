import DeadlineCore
import Testing

@Suite("Thai lunar calendar")
struct ThaiLunarCalendarTests {
    static func d(_ y: Int, _ m: Int, _ day: Int) -> LocalDate { LocalDate(year: y, month: m, day: day)! }

    /// (year, Makha Bucha, Visakha Bucha, Asanha Bucha, Khao Phansa).
    typealias Row = (year: Int, makha: LocalDate, visakha: LocalDate, asanha: LocalDate, phansa: LocalDate)

    /// Official dates. 2015–2019: the Bank of Thailand's yearly holiday lists (bot.or.th,
    /// Asanha as collected in splendidmoons/suriya-go utils/years.csv) and the government's
    /// annual announcements, as python-holidays tests/calendars/test_thai.py has them.
    /// 2020–2025: Royal Gazette / cabinet announcements, as python-holidays
    /// tests/countries/test_thailand.py asserts them. 2026: the cabinet's 2569 holiday list.
    static let official: [Row] = [
        (2015, d(2015, 3, 4), d(2015, 6, 1), d(2015, 7, 30), d(2015, 7, 31)),    // adhikamasa
        (2016, d(2016, 2, 22), d(2016, 5, 20), d(2016, 7, 19), d(2016, 7, 20)),  // adhikavara
        (2017, d(2017, 2, 11), d(2017, 5, 10), d(2017, 7, 8), d(2017, 7, 9)),
        (2018, d(2018, 3, 1), d(2018, 5, 29), d(2018, 7, 27), d(2018, 7, 28)),   // adhikamasa
        (2019, d(2019, 2, 19), d(2019, 5, 18), d(2019, 7, 16), d(2019, 7, 17)),
        (2020, d(2020, 2, 8), d(2020, 5, 6), d(2020, 7, 5), d(2020, 7, 6)),      // adhikavara
        (2021, d(2021, 2, 26), d(2021, 5, 26), d(2021, 7, 24), d(2021, 7, 25)),  // adhikamasa
        (2022, d(2022, 2, 16), d(2022, 5, 15), d(2022, 7, 13), d(2022, 7, 14)),
        (2023, d(2023, 3, 6), d(2023, 6, 3), d(2023, 8, 1), d(2023, 8, 2)),      // adhikamasa
        (2024, d(2024, 2, 24), d(2024, 5, 22), d(2024, 7, 20), d(2024, 7, 21)),
        (2025, d(2025, 2, 12), d(2025, 5, 11), d(2025, 7, 10), d(2025, 7, 11)),  // adhikavara
        (2026, d(2026, 3, 3), d(2026, 5, 31), d(2026, 7, 29), d(2026, 7, 30)),   // adhikamasa
    ]

    /// Not yet announced by the government: the printed long-range Thai lunar calendar
    /// (1757–2157), as python-holidays tests/calendars/test_thai.py lists it.
    static let published: [Row] = [
        (2027, d(2027, 2, 21), d(2027, 5, 20), d(2027, 7, 18), d(2027, 7, 19)),
        (2028, d(2028, 2, 10), d(2028, 5, 8), d(2028, 7, 6), d(2028, 7, 7)),
        (2029, d(2029, 2, 27), d(2029, 5, 27), d(2029, 7, 25), d(2029, 7, 26)),
        (2040, d(2040, 2, 26), d(2040, 5, 25), d(2040, 7, 23), d(2040, 7, 24)),
        (2050, d(2050, 3, 7), d(2050, 6, 4), d(2050, 8, 2), d(2050, 8, 3)),
    ]

    @Test("official dates 2015–2026", arguments: official.map(\.year))
    func officialDates(year: Int) throws {
        try check(Self.official.first { $0.year == year }!)
    }

    @Test("published long-range dates", arguments: published.map(\.year))
    func publishedDates(year: Int) throws {
        try check(Self.published.first { $0.year == year }!)
    }

    func check(_ row: Row) throws {
        let h = try #require(ThaiLunarCalendar.buddhistHolidays(gregorianYear: row.year))
        #expect(h.makhaBucha == row.makha, "Makha Bucha \(row.year)")
        #expect(h.visakhaBucha == row.visakha, "Visakha Bucha \(row.year)")
        #expect(h.asanhaBucha == row.asanha, "Asanha Bucha \(row.year)")
        #expect(h.khaoPhansa == row.phansa, "Khao Phansa \(row.year)")
    }

    /// 2030 is where the rule and the long-range table part: both give Makha 17 Feb and
    /// Visakha 16 May, but the table delays the adhikavara to 2032 (Asanha 14 Jul) where the
    /// Suriyayatra puts it in 2030 (Asanha 15 Jul). Only the agreed dates are asserted.
    @Test("2030: the dates before the extra day agree with the published table")
    func year2030() throws {
        let h = try #require(ThaiLunarCalendar.buddhistHolidays(gregorianYear: 2030))
        #expect(h.makhaBucha == Self.d(2030, 2, 17))
        #expect(h.visakhaBucha == Self.d(2030, 5, 16))
        #expect([Self.d(2030, 7, 14), Self.d(2030, 7, 15)].contains(h.asanhaBucha))
    }

    /// Asanha Bucha as printed in Thai calendars (myhora.com, thaiorc.com, bot.or.th; collected
    /// in splendidmoons/suriya-go utils/years.csv, column "Asalha in Calendar"). 1978–1997
    /// are the years where the official extra day is not where the rule puts it.
    static let asanhaPrinted: [(Int, LocalDate)] = [
        (1970, d(1970, 7, 18)), (1971, d(1971, 7, 7)), (1972, d(1972, 7, 25)), (1973, d(1973, 7, 15)),
        (1974, d(1974, 7, 4)), (1975, d(1975, 7, 23)), (1976, d(1976, 7, 11)), (1977, d(1977, 7, 30)),
        (1978, d(1978, 7, 19)), (1979, d(1979, 7, 9)), (1980, d(1980, 7, 27)), (1981, d(1981, 7, 16)),
        (1982, d(1982, 7, 5)), (1983, d(1983, 7, 24)), (1984, d(1984, 7, 12)), (1985, d(1985, 7, 31)),
        (1986, d(1986, 7, 20)), (1987, d(1987, 7, 10)), (1988, d(1988, 7, 28)), (1989, d(1989, 7, 17)),
        (1990, d(1990, 7, 7)), (1991, d(1991, 7, 26)), (1992, d(1992, 7, 14)), (1993, d(1993, 8, 2)),
        (1994, d(1994, 7, 22)), (1995, d(1995, 7, 11)), (1996, d(1996, 7, 29)), (1997, d(1997, 7, 19)),
        (1998, d(1998, 7, 8)), (1999, d(1999, 7, 27)), (2000, d(2000, 7, 16)), (2001, d(2001, 7, 5)),
        (2002, d(2002, 7, 24)), (2003, d(2003, 7, 13)), (2004, d(2004, 7, 31)),
        (2006, d(2006, 7, 10)), (2007, d(2007, 7, 29)), (2008, d(2008, 7, 17)), (2009, d(2009, 7, 7)),
        (2010, d(2010, 7, 26)), (2011, d(2011, 7, 15)), (2012, d(2012, 8, 2)), (2013, d(2013, 7, 22)),
        (2014, d(2014, 7, 11)),
    ]

    @Test("Asanha Bucha as printed, 1970–2014")
    func asanhaHistory() throws {
        for (year, date) in Self.asanhaPrinted {
            let h = try #require(ThaiLunarCalendar.buddhistHolidays(gregorianYear: year))
            #expect(h.asanhaBucha == date, "Asanha Bucha \(year)")
        }
    }

    /// 2005: the rule gives the extra day to 2005 (Asanha 21 Jul, as the Forest Sangha calendar
    /// printed it); the Thai long-range table (python-holidays) has it in 2006 and Asanha on
    /// 20 Jul. Followed here because that table matches every other official year 1970–2026;
    /// not checked against the 2548 Gazette itself.
    @Test("2005 follows the Thai table, not the rule")
    func year2005() throws {
        let h = try #require(ThaiLunarCalendar.buddhistHolidays(gregorianYear: 2005))
        #expect(h.asanhaBucha == Self.d(2005, 7, 20))
        #expect(ThaiLunarCalendar.hasLeapDay(gregorianYear: 2005) == false)
        #expect(ThaiLunarCalendar.hasLeapDay(gregorianYear: 2006) == true)
    }

    @Test("year types of the official years")
    func yearTypes() {
        let leapMonths = [2015, 2018, 2021, 2023, 2026]
        let leapDays = [2016, 2020, 2025]
        for year in 2015...2026 {
            #expect(ThaiLunarCalendar.hasLeapMonth(gregorianYear: year) == leapMonths.contains(year), "\(year)")
            #expect(ThaiLunarCalendar.hasLeapDay(gregorianYear: year) == leapDays.contains(year), "\(year)")
        }
    }

    @Test("outside the trusted range there is no answer", arguments: [1800, 1949, 2201, 3000])
    func outOfRange(year: Int) {
        #expect(ThaiLunarCalendar.buddhistHolidays(gregorianYear: year) == nil)
        #expect(ThaiLunarCalendar.hasLeapMonth(gregorianYear: year) == nil)
        #expect(ThaiLunarCalendar.hasLeapDay(gregorianYear: year) == nil)
    }

    /// Spans follow from the month lengths (odd months 29 days, even 30; month 7 has 30 in an
    /// adhikavara year; 8-8 has 30): Makha→Visakha is months 3,4,5 = 88 days, or 4,5,6 = 89
    /// in an adhikamasa year; Visakha→Asanha is months 6,7 = 59 (+1 adhikavara), or 7,8 = 59
    /// in an adhikamasa year. From one Asanha to the next is the next lunar year's length
    /// because its holidays all sit after the start of month 1 by fixed offsets.
    @Test("structure of every year 1950–2150")
    func structure() throws {
        var leapMonthYears: [Int] = []
        var leapDayYears: [Int] = []
        for year in 1950...2150 {
            let h = try #require(ThaiLunarCalendar.buddhistHolidays(gregorianYear: year))
            let next = try #require(ThaiLunarCalendar.buddhistHolidays(gregorianYear: year + 1))
            let leapMonth = try #require(ThaiLunarCalendar.hasLeapMonth(gregorianYear: year) as Bool?)
            let leapDay = try #require(ThaiLunarCalendar.hasLeapDay(gregorianYear: year) as Bool?)
            let nextLeapMonth = try #require(ThaiLunarCalendar.hasLeapMonth(gregorianYear: year + 1) as Bool?)
            let nextLeapDay = try #require(ThaiLunarCalendar.hasLeapDay(gregorianYear: year + 1) as Bool?)
            if leapMonth { leapMonthYears.append(year) }
            if leapDay { leapDayYears.append(year) }

            #expect(!(leapMonth && leapDay), "\(year) has both")
            #expect(h.khaoPhansa.dayNumber - h.asanhaBucha.dayNumber == 1)
            #expect(h.visakhaBucha.dayNumber - h.makhaBucha.dayNumber == (leapMonth ? 89 : 88), "\(year)")
            #expect(h.asanhaBucha.dayNumber - h.visakhaBucha.dayNumber == (leapDay ? 60 : 59), "\(year)")
            let yearLength = 354 + (nextLeapMonth ? 30 : 0) + (nextLeapDay ? 1 : 0)
            #expect(next.asanhaBucha.dayNumber - h.asanhaBucha.dayNumber == yearLength, "\(year)")
            // Asanha of one year to Makha of the next: months 8 (second half), 9..12, 1, 2, 3.
            #expect(next.makhaBucha.dayNumber - h.asanhaBucha.dayNumber == (nextLeapMonth ? 236 : 207), "\(year)")
            // The seasons stay put: all four in their Gregorian year, in their usual months.
            #expect(h.makhaBucha.year == year && (1...3).contains(h.makhaBucha.month), "\(year)")
            #expect(h.visakhaBucha.year == year && (4...6).contains(h.visakhaBucha.month), "\(year)")
            #expect(h.asanhaBucha.year == year && (6...8).contains(h.asanhaBucha.month), "\(year)")
        }
        // Leap months two or three years apart, 7 (rarely 8) in any 19 years.
        for (a, b) in zip(leapMonthYears, leapMonthYears.dropFirst()) {
            #expect([2, 3].contains(b - a), "leap months \(a), \(b)")
        }
        for start in 1950...(2150 - 18) {
            let n = leapMonthYears.filter { (start...(start + 18)).contains($0) }.count
            #expect((7...8).contains(n), "\(n) leap months from \(start)")
        }
        // About 11 extra days in 57 years keep the months at the mean synodic month.
        #expect((36...41).contains(leapDayYears.count), "\(leapDayYears.count) leap days")
        let first = try #require(ThaiLunarCalendar.buddhistHolidays(gregorianYear: 1950))
        let last = try #require(ThaiLunarCalendar.buddhistHolidays(gregorianYear: 2150))
        let months = 200 * 12 + leapMonthYears.filter { $0 > 1950 }.count
        let meanMonth = Double(last.asanhaBucha.dayNumber - first.asanhaBucha.dayNumber) / Double(months)
        #expect(abs(meanMonth - 29.530_59) < 0.001, "mean month \(meanMonth)")
    }
}
