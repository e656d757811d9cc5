import Agenda
import DeadlineCore
import DeadlineStore
import Foundation
import Logging

/// Builds the working calendar: every `*.yaml` in the holidays folder, then the years imported
/// at run time (kept in the store), which replace the files' years.
enum HolidayLoader {
    /// The holidays folder: the config's, else the first of these that exists: the config
    /// directory's `holidays/`, the installed share folder beside the binary, the system
    /// share folders, and `Config/holidays` of a checkout (for `make run`).
    static func folder(configured: String?, configurationDirectory: String) -> String? {
        if let configured { return configured }
        let exe = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
        let candidates = [
            configurationDirectory + "/holidays",
            exe.deletingLastPathComponent().appendingPathComponent("share/deadlined/holidays").path,
            "/usr/local/share/deadlined/holidays",
            "/usr/share/deadlined/holidays",
            FileManager.default.currentDirectoryPath + "/Config/holidays",
        ]
        return candidates.first { FileManager.default.fileExists(atPath: $0) }
    }

    static func load(folder: String?, store: any Store) throws -> WorkingCalendar {
        var calendar = WorkingCalendar()
        if let folder {
            let files: [String]
            do { files = try FileManager.default.contentsOfDirectory(atPath: folder).filter { $0.hasSuffix(".yaml") }.sorted() }
            catch { throw AgendaError(location: folder, message: "cannot read the holidays folder: \(error.localizedDescription)") }
            for name in files {
                let path = folder + "/" + name
                let text: String
                do { text = try TextFile.read(path) } catch { throw AgendaError(location: error.location, message: error.message) }
                calendar.replace(try HolidayFile.read(yaml: text, file: path))
            }
        }
        for year in try store.holidayYears() { calendar.replace(year) }
        return calendar
    }

    /// Says where the holidays come from, and at warning level what rests on data that is not
    /// announced: this year or the next, and every year open items' working-day reminders count
    /// through (one line each, with the items).
    static func report(_ calendar: WorkingCalendar, folder: String?, spans: [WorkingDaySpan], today: LocalDate, logger: Logger) {
        let loaded = calendar.years.values.sorted { $0.year < $1.year }
        let byStatus = Dictionary(grouping: loaded, by: \.status).sorted { $0.key < $1.key }
            .map { "\($0.value.count) \($0.key.rawValue)" }.joined(separator: ", ")
        logger.info("holidays: \(loaded.count) year(s) from \(folder ?? "no folder") and imports (\(byStatus.isEmpty ? "none" : byStatus)); other years computed")
        let caveats = calendar.caveats(spans)
        for year in [today.buddhistYear, today.buddhistYear + 1] where !caveats.contains(where: { $0.year == year }) {
            let status = calendar.status(ofYear: year)
            guard status != .announced else { continue }
            logger.warning("\(HolidayCaveat(year: year, status: status, items: []).yearSentence)")
        }
        for caveat in caveats {
            logger.warning("\(caveat.sentence)", metadata: ["holiday_year": "\(caveat.year)", "items": "\(caveat.items.count)"])
        }
    }
}
