/// The Buddhist holidays of one Gregorian year, from the Thai lunar calendar.
public struct BuddhistHolidays: Hashable, Sendable {
    /// 15th waxing of month 3 (of month 4 in a leap-month year).
    public var makhaBucha: LocalDate
    /// 15th waxing of month 6 (of month 7 in a leap-month year).
    public var visakhaBucha: LocalDate
    /// 15th waxing of month 8 (of the second month 8, 8-8, in a leap-month year).
    public var asanhaBucha: LocalDate
    /// 1st waning of month 8 (of 8-8): the day after Asanha Bucha.
    public var khaoPhansa: LocalDate

    public init(makhaBucha: LocalDate, visakhaBucha: LocalDate, asanhaBucha: LocalDate, khaoPhansa: LocalDate) {
        self.makhaBucha = makhaBucha
        self.visakhaBucha = visakhaBucha
        self.asanhaBucha = asanhaBucha
        self.khaoPhansa = khaoPhansa
    }
}

/// The Thai lunisolar calendar (จันทรคติ) as the Suriyayatra (สุริยยาตร์) reckons it, enough to
/// place the four Buddhist public holidays of a year without a data file.
///
/// A lunar year starts on the 1st waxing of month 1 (late November or December of the previous
/// Gregorian year) and has twelve months of alternately 29 and 30 days (354 days). An
/// adhikavara year (อธิกวาร) gives month 7 a 30th day (355 days); an adhikamasa year (อธิกมาส)
/// repeats month 8 as a 30-day month 8-8 (384 days). A year is never both. The lunar year is
/// labelled here by the Gregorian year its Asanha Bucha falls in (Chulasakarat year + 638).
///
/// Which years are which comes from the Suriyayatra quantities of the Chulasakarat new year
/// (horakhun, kammacapon, avoman, tithi; J.C. Eade, *The Calendrical Systems of Mainland
/// South-East Asia*, with the thresholds the splendidmoons project tuned against printed
/// calendars), then a short list of past years where the official calendar placed the extra day
/// elsewhere. Dates are counted from a published year start, 11 Dec 2015 (1st waxing of month 1
/// of 2559), so an error in one year's type moves later years by a day, not the anchor.
///
/// Trusted for 1950...2200 CE. Up to 2026 the results are the official dates; later years are
/// the Suriyayatra's prediction, and the Royal calendar makers may still move an adhikavara a
/// year or two (long-range Thai tables put it in 2032 rather than 2030, for instance), so treat
/// them as provisional by up to a day.
public enum ThaiLunarCalendar {
    public static let trustedYears = 1950...2200

    /// nil outside `trustedYears`.
    public static func buddhistHolidays(gregorianYear year: Int) -> BuddhistHolidays? {
        guard trustedYears.contains(year) else { return nil }
        let start = yearStart(year)
        // Days after 1st waxing of month 1 to the 15th waxing of month n is the sum of months
        // 1..n-1 (29, 30, 29, ...) plus 14.
        let makha: Int, visakha: Int, asanha: Int
        if leapMonth(year) {
            // Makha moves to month 4 and Visakha to month 7 by convention, keeping them a
            // month after the usual place as the whole year runs a month "early"; Asanha is in 8-8.
            (makha, visakha, asanha) = (102, 191, 250)
        } else {
            // The extra day of an adhikavara year is in month 7: after Visakha, before Asanha.
            (makha, visakha, asanha) = (73, 161, leapDay(year) ? 221 : 220)
        }
        return BuddhistHolidays(
            makhaBucha: LocalDate(dayNumber: start + makha),
            visakhaBucha: LocalDate(dayNumber: start + visakha),
            asanhaBucha: LocalDate(dayNumber: start + asanha),
            khaoPhansa: LocalDate(dayNumber: start + asanha + 1))
    }

    /// Whether the lunar year has the extra month 8 (อธิกมาส); nil outside `trustedYears`.
    public static func hasLeapMonth(gregorianYear year: Int) -> Bool? {
        trustedYears.contains(year) ? leapMonth(year) : nil
    }

    /// Whether the lunar year has the extra day (อธิกวาร); nil outside `trustedYears`.
    public static func hasLeapDay(gregorianYear year: Int) -> Bool? {
        trustedYears.contains(year) ? leapDay(year) : nil
    }

    // MARK: - Suriyayatra

    /// The new-year quantities of the Chulasakarat year that holds Asanha Bucha of `year`.
    /// The solar year is 292207/800 days; 373/800 is the era's offset at its epoch (638 CE).
    private static func newYear(_ year: Int) -> (kammacapon: Int, avoman: Int, tithi: Int) {
        let elapsed = (year - 638) * 292_207 + 373
        let horakhun = elapsed / 800 + 1                 // days since the epoch
        let kammacapon = 800 - elapsed % 800             // 800ths of a day left at the new year
        // Lunar days run ahead of solar days by 11/692 a day: avoman is that excess, tithi the
        // lunar day (0...29) reached at the new year.
        let moon = horakhun * 11 + 650
        return (kammacapon, moon % 692, (horakhun + moon / 692) % 30)
    }

    /// The new moon falls within a few lunar days of the solar new year: the months have
    /// slipped far enough that a month must be added. Eade gives tithi >= 25; 24 is needed
    /// for 2012 (2555), which was officially adhikamasa.
    private static func qualifiesForLeapMonth(_ year: Int) -> Bool {
        let tithi = newYear(year).tithi
        return tithi >= 24 || tithi <= 5
    }

    /// Of two qualifying years in a row only the second takes the month (the slip is largest
    /// there), which is what keeps it to 7 leap months in 19 years.
    private static func leapMonth(_ year: Int) -> Bool {
        qualifiesForLeapMonth(year) && !qualifiesForLeapMonth(year + 1)
    }

    /// Eade: when the solar year is a leap one (kammacapon <= 207) a small avoman (<= 126)
    /// means the moon needs a day; otherwise avoman must be below 137 (137 itself fails
    /// against printed calendars).
    private static func qualifiesForLeapDay(_ year: Int) -> Bool {
        let y = newYear(year)
        return y.kammacapon <= 207 ? y.avoman <= 126 : y.avoman < 137
    }

    /// Past years where the official calendar (ปฏิทินหลวง, as printed year by year and collected
    /// in the Thai 1757–2157 lunar tables) put the extra day in another year than the rule
    /// does — always a nearby year, so the count of extra days is unchanged. From 2007 to 2026
    /// the rule and the official calendar agree.
    private static let officialLeapDay: [Int: Bool] = [
        1952: true, 1954: false, 1957: true, 1959: false, 1968: false, 1970: true,
        1978: false, 1979: true, 1984: false, 1987: true, 1989: false, 1990: true,
        1994: false, 1997: true, 2005: false, 2006: true,
    ]

    private static func leapDay(_ year: Int) -> Bool {
        if let official = officialLeapDay[year] { return official }
        // A year cannot hold both; an adhikamasa year's extra day is carried to the next year.
        if leapMonth(year) { return false }
        return (leapMonth(year - 1) && qualifiesForLeapDay(year - 1)) || qualifiesForLeapDay(year)
    }

    private static func length(_ year: Int) -> Int {
        leapMonth(year) ? 384 : leapDay(year) ? 355 : 354
    }

    /// 1st waxing of month 1 of 2016's lunar year (2559): 11 Dec 2015, 15 days after the
    /// Loy Krathong full moon of 25 Nov 2015. Day number 16780 since 1970-01-01.
    private static let anchorYear = 2016
    private static let anchorStart = 16_780

    /// Day number of the 1st waxing of month 1 of the lunar year that holds `year`'s Asanha.
    private static func yearStart(_ year: Int) -> Int {
        var day = anchorStart
        if year >= anchorYear {
            for y in anchorYear..<year { day += length(y) }
        } else {
            for y in year..<anchorYear { day -= length(y) }
        }
        return day
    }
}
