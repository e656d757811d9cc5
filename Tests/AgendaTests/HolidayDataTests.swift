import Agenda
import DeadlineCore
import Foundation
import Testing

/// The shipped holiday data against itself, the rules and the lunar computation: every day
/// sourced, Labour Day said not to be a government holiday, the Buddhist days where the lunar
/// calendar puts them, and every day the computation would get wrong explained in the data.
@Suite("Shipped holiday data")
struct HolidayDataTests {
    static let years: [HolidayYear] = {
        let dir = repository.appendingPathComponent("Config/holidays")
        let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".yaml") }.sorted()) ?? []
        return files.compactMap { name in
            (try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)).flatMap { try? HolidayFile.read(yaml: $0, file: name) }
        }
    }()

    @Test("every file reads, every day has its source, an announced year has no unconfirmed day")
    func sourced() throws {
        #expect(Self.years.map(\.year) == Array(2560...2570))
        for y in Self.years {
            for h in y.holidays {
                #expect(!(h.source ?? "").isEmpty, "\(y.year) \(h.date) has no source")
                if y.status == .announced {
                    let source = (h.source ?? "").lowercased()
                    #expect(!source.contains("unconfirmed") && !source.contains("recalled"), "\(y.year) is announced but \(h.date): \(source)")
                }
            }
            #expect(y.notHolidays.allSatisfy { !$0.why.isEmpty })
        }
    }

    @Test("Labour Day is in every year's data as not a government holiday")
    func labourDay() {
        for y in Self.years {
            let may1 = LocalDate(year: y.year - 543, month: 5, day: 1)!
            #expect(!y.holidays.contains { $0.date == may1 }, "\(y.year)")
            #expect(y.notHolidays.contains { $0.date == may1 && $0.english == "National Labour Day" }, "\(y.year)")
        }
    }

    @Test("the Buddhist holidays of every file are where the lunar calendar puts them")
    func lunarDays() throws {
        for y in Self.years {
            let lunar = try #require(ThaiLunarCalendar.buddhistHolidays(gregorianYear: y.year - 543))
            func day(_ english: String) -> LocalDate? { y.holidays.first { $0.english == english }?.date }
            #expect(day("Makha Bucha Day") == lunar.makhaBucha, "\(y.year)")
            #expect(day("Visakha Bucha Day") == lunar.visakhaBucha, "\(y.year)")
            #expect(day("Asanha Bucha Day") == lunar.asanhaBucha, "\(y.year)")
            #expect(day("Buddhist Lent Day") == lunar.khaoPhansa, "\(y.year)")
        }
    }

    /// Days of the data the computation cannot know, by what they are named in the data.
    static func beyondComputation(_ h: Holiday) -> Bool {
        let english = (h.english ?? "").lowercased()
        return english.contains("royal ploughing") || english.contains("special") || english.contains("postponed")
            || english.contains("moved") || english.contains("cremation")
    }

    /// What the computation gets wrong where the Cabinet decided otherwise and the data does not
    /// name it as special: each with the reason, so a change in the rules or the data shows here.
    static let knownDifferences: [Int: (onlyInData: Set<String>, onlyComputed: Set<String>)] = [:]

    @Test("from 2563 on, the computed calendar differs from the data only where the data says why",
          arguments: 2563...2570)
    func computedAgainstData(year: Int) throws {
        let data = try #require(Self.years.first { $0.year == year })
        let computed = ComputedHolidays.year(year)
        let dataDays = Set(data.holidays.map(\.date)), computedDays = Set(computed.holidays.map(\.date))
        let onlyInData = data.holidays.filter { !computedDays.contains($0.date) && !Self.beyondComputation($0) }.map(\.date.description)
        let explained = Set(data.notHolidays.map(\.date))
        let onlyComputed = computed.holidays.filter { !dataDays.contains($0.date) && !explained.contains($0.date) }.map(\.date.description)
        let known = Self.knownDifferences[year] ?? ([], [])
        #expect(Set(onlyInData) == known.onlyInData, "\(year): in the data, not computed: \(onlyInData)")
        #expect(Set(onlyComputed) == known.onlyComputed, "\(year): computed, not in the data: \(onlyComputed)")
    }
}
