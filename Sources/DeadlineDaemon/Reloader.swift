import Application
import DeadlineCore
import DeadlineStore
import Delivery
import Foundation
import Logging
import Scheduler
import Synchronization
import Systemd

/// Re-reads the config, the holidays and the templates as one unit (SIGHUP, `systemctl
/// reload`, the `Reload` method). Everything new is built and checked first; only then is it
/// put in force, so a broken file leaves the old settings running, says why in STATUS= and
/// the journal (with file:line:column), and the call reports it.
final class Reloader: Sendable {
    struct Summary: Sendable, Encodable {
        let source: String
        let channels: [String]
        let holidayYears: Int
    }

    let load: @Sendable () async throws -> DaemonConfig
    let current: CurrentConfig
    let calendar: SharedCalendar
    let core: TimerCore
    let store: any Store
    let directories: ServiceDirectories
    let notifier: Notifier
    let logger: Logger
    private let busy = Mutex(false)

    init(load: @escaping @Sendable () async throws -> DaemonConfig, current: CurrentConfig, calendar: SharedCalendar, core: TimerCore,
         store: any Store, directories: ServiceDirectories, notifier: Notifier, logger: Logger) {
        self.load = load
        self.current = current
        self.calendar = calendar
        self.core = core
        self.store = store
        self.directories = directories
        self.notifier = notifier
        self.logger = logger
    }

    func reload() async throws -> Summary {
        guard busy.withLock({ b in defer { b = true }; return !b }) else { throw ConfigError(location: "reload", message: "a reload is already running") }
        defer { busy.withLock { $0 = false } }
        notifier.notify(.reloading, .monotonicNow, .status("reloading"))
        do {
            let new = try await load()
            let old = current.config
            let folder = HolidayLoader.folder(configured: new.holidaysPath, configurationDirectory: directories.configuration)
            let holidays = try HolidayLoader.load(folder: folder, store: store)
            let renderer = try MessageRenderer(overrides: new.templates, dayTime: new.dayTime, calendar: { [calendar] in calendar.current })
            let channels = try ChannelFactory.make(config: new, renderer: renderer, logger: logger,
                                                   environment: ProcessInfo.processInfo.environment)
            // All built: put it in force.
            for (what, before, after) in [("store", old.storeLocation, new.storeLocation),
                                          ("control.socket", old.controlSocket ?? "", new.controlSocket ?? ""),
                                          ("log.target", old.logTarget.rawValue, new.logTarget.rawValue),
                                          ("calendar.feed", old.calendarFeed ?? "off", new.calendarFeed ?? "off"),
                                          ("board.directory", old.boardDirectory ?? "off", new.boardDirectory ?? "off"),
                                          ("metrics.listen", old.metrics?.description ?? "off", new.metrics?.description ?? "off")] where before != after {
                logger.notice("\(what) changed to '\(after)'; it takes effect at the next start")
            }
            current.replace(new)
            calendar.withLock { $0 = holidays }
            let retired = core.replaceChannels(channels)
            Task {
                _ = await core.settled(limit: .seconds(60))
                await retired.shutdown()
            }
            let summary = Summary(source: new.sourceFile ?? "built-in defaults", channels: channels.channels.keys.sorted(),
                                  holidayYears: holidays.years.count)
            logger.notice("reloaded \(summary.source): channels \(summary.channels.joined(separator: ", ")); \(summary.holidayYears) holiday year(s)")
            HolidayLoader.report(holidays, folder: folder, spans: (try? store.workingDaySpans()) ?? [],
                                 today: LocalDate(Date(), in: TimeZone(identifier: new.timeZone)!), logger: logger)
            let snapshot = core.snapshot()
            notifier.notify(.ready, .status(Daemon.statusLine(snapshot, zone: TimeZone(identifier: new.timeZone)!)))
            return summary
        } catch {
            logger.error("reload refused, the old settings stay in force: \(error)")
            notifier.notify(.ready, .status("reload refused: \(error)"))
            throw error
        }
    }
}
