import Application
import Control
import DeadlineCore
import DeadlineStore
import Delivery
import Foundation
import Logging
import Scheduler
import ServiceLifecycle
import Systemd
import UnixSignals
import Varlink

/// Wires the layers together and runs until SIGTERM or SIGINT.
///
/// Start order matters to systemd: the store is opened and the timer core loaded before the
/// control socket listens, and READY=1 goes out only once it does, so `systemctl start`
/// returns when `deadlinectl` can already talk to the daemon.
public enum Daemon {
    public static let version = "0.1.0"

    /// - Parameter reloadConfig: reads the config again (same file, same environment) for a
    ///   reload; nil: reloads keep the config they started with and re-read holidays only.
    public static func run(config: DaemonConfig, directories: ServiceDirectories, logger: Logger,
                           reloadConfig: (@Sendable () async throws -> DaemonConfig)? = nil) async throws {
        let notifier = Notifier()
        // Before anything counts: what is counted before the bootstrap is lost.
        let registry = config.metrics.map { _ in MetricsEndpoint.bootstrap() }
        let clock = SystemClock()
        let startedAt = clock.now()
        notifier.notify(.status("opening the store"))

        let store = try config.openStore(environment: ProcessInfo.processInfo.environment, logger: logger)
        let auditKey = try config.auditSigningKey(environment: ProcessInfo.processInfo.environment, logger: logger)
        let holidays = HolidayLoader.folder(configured: config.holidaysPath, configurationDirectory: directories.configuration)
        let calendar = SharedCalendar(try HolidayLoader.load(folder: holidays, store: store))
        HolidayLoader.report(calendar.current, folder: holidays, spans: try store.workingDaySpans(),
                             today: LocalDate(startedAt, in: TimeZone(identifier: config.timeZone)!), logger: logger)
        let renderer = try MessageRenderer(overrides: config.templates, dayTime: config.dayTime, calendar: { calendar.current })
        let channels = try ChannelFactory.make(config: config, renderer: renderer, logger: logger,
                                               environment: ProcessInfo.processInfo.environment)
        let described: [String] = config.channels.map { "\($0.name) (\($0.type))" }
        let everyReminder = config.routes.defaults.isEmpty ? "none" : config.routes.defaults.joined(separator: ", ")
        logger.info("channels: \(described.joined(separator: ", ")); every reminder goes to: \(everyReminder)")
        var options = TimerCore.Options()
        options.lateAfter = TimeInterval(config.lateAfter)
        options.poll = TimeInterval(config.pollSeconds)
        let current = CurrentConfig(config)
        let core = TimerCore(store: store, channels: channels, clock: clock, logger: logger, options: options,
                             misfirePolicy: { current.config.rules.rule(for: $0.fields).misfire })
        let zone = TimeZone(identifier: config.timeZone)!
        let lastAlive = try store.daemonState("last_alive_ms").flatMap(Int64.init).map { Date(timeIntervalSince1970: Double($0) / 1000) }
        let lateAtStart = try store.pendingCount(before: startedAt.addingTimeInterval(-options.lateAfter))
        // Called on the timer core's queue: it must never wait for the service manager.
        let statusNotifier = StatusNotifier(environment: ProcessInfo.processInfo.environment)
        _ = try core.start(onChange: { snapshot in
            statusNotifier.status(statusLine(snapshot, zone: zone))
        })
        // What came due while the daemon was down is settled now, before anyone connects,
        // and told once: in the journal and, until the next start, in `status`.
        core.fireNow()
        let initial = core.snapshot()
        if let lastAlive, lateAtStart > 0 {
            let summary = "down from \(DateOutput.iso8601(lastAlive, timeZone: zone)) to \(DateOutput.iso8601(startedAt, timeZone: zone)): "
                + "\(lateAtStart) reminder(s) came due; \(initial.caughtUpSinceStart) sent late, \(initial.missedSinceStart) missed"
            logger.notice("\(summary)", metadata: ["missed": "\(initial.missedSinceStart)", "caught_up": "\(initial.caughtUpSinceStart)"])
            try store.setDaemonState("last_downtime", summary)
        }
        let watchdogUsec = Watchdog.intervalMicroseconds()
        if let watchdogUsec {
            core.startWatchdog(intervalMicroseconds: watchdogUsec) { statusNotifier.watchdog() }
            logger.info("watchdog enabled: \(watchdogUsec / 1000) ms, pinging every \(watchdogUsec / 2000) ms")
        }

        let listener = try controlListener(config: config, directories: directories, logger: logger)
        let app = Application(store: store, queue: TimerCoreQueue(core: core), calendar: calendar, settings: { current.config.settings },
                              clock: clock, executor: ThreadPoolExecutor())
        core.setEventSink { [events = app.events] event in
            switch event {
            case .sent(let occurrence, let key, let at): events.publish(.sent(occurrence: occurrence, itemKey: key, at: at))
            case .failed(let occurrence, let key, let channel, let error, let final, let at):
                events.publish(.failed(occurrence: occurrence, itemKey: key, channel: channel, error: error, final: final, at: at))
            }
        }
        let handler = DaemonControl(app: app, core: core, config: current, startedAt: startedAt, watchdogUsec: watchdogUsec,
                                   auditKey: auditKey, logger: logger)
        let changeGroup = Caller.groupID(named: config.controlGroup)
        if let changeGroup {
            logger.info("control: anyone who can open the socket may read; root and group \(config.controlGroup) (gid \(changeGroup)) may change")
        } else {
            logger.notice("control: group '\(config.controlGroup)' does not exist; only root and this daemon's own user may change things over the control socket")
        }
        // Clients must never take the descriptors a reminder needs (a file, a child, a socket).
        let descriptors = DescriptorLimit.raiseSoftToHard()
        let budget = DescriptorLimit.connectionBudget(soft: descriptors.soft)
        let connections = min(config.maxConnections, budget)
        if connections < config.maxConnections {
            logger.warning("""
                control.max_connections is \(config.maxConnections), but the descriptor limit is \(descriptors.soft) (LimitNOFILE=): \
                at most \(connections) control connections, \(DescriptorLimit.reserved) descriptors kept for the store and channels
                """)
        } else {
            logger.info("descriptor limit \(descriptors.soft); at most \(connections) control connections")
        }
        let server = VarlinkServer(
            listener: listener,
            service: ControlAPI.service(handler, version: version, onRefusal: { caller, method in
                logger.warning("refused \(method) from \(caller): not root and not in group \(config.controlGroup)",
                               metadata: ["caller_uid": "\(caller.uid)", "caller_pid": "\(caller.pid)", "caller_command": "\(caller.command)"])
            }),
            maxMessageBytes: config.maxMessageBytes,
            limits: .init(maxConnections: connections, idleTimeout: config.idleTimeout, maxChangeMessageBytes: config.maxChangeMessageBytes),
            logger: logger,
            changeGroup: changeGroup,
            onListening: {
                notifier.notify(.ready, .status(statusLine(initial, zone: zone)))
                logger.info("deadlined \(version) ready; store \(store.location)")
            }
        )
        let reloader = Reloader(load: reloadConfig ?? { config }, current: current, calendar: calendar, core: core, store: store,
                                directories: directories, notifier: notifier, logger: logger)
        handler.reloader.withLock { $0 = reloader }
        var feed: [ServiceGroupConfiguration.ServiceConfiguration] = []
        if let path = config.calendarFeed {
            feed.append(.init(service: CalendarFeed(path: path, app: app, logger: logger)))
            logger.info("calendar feed: \(path)")
        }
        if let listener = config.metrics, let registry {
            feed.append(.init(service: MetricsEndpoint(listener: listener, maxConnections: config.metricsMaxConnections,
                                                       idleTimeout: config.metricsIdleTimeout, registry: registry, app: app, core: core,
                                                       controlGroup: changeGroup, logger: logger)))
        }
        if let directory = config.boardDirectory {
            feed.append(.init(service: BoardFiles(directory: directory, app: app, language: config.language, zone: zone, logger: logger)))
            logger.info("boards: \(directory)/board-*.html")
        }
        let group = ServiceGroup(configuration: .init(
            services: feed + [
                .init(service: server),
                .init(service: ReloadOnHangup(reloader: reloader, app: app, logger: logger)),
                .init(service: SeriesPlanning(app: app, interval: .seconds(3600), logger: logger)),
                .init(service: AuditCheckpoints(app: app, key: auditKey, interval: .seconds(config.checkpointInterval), logger: logger)),
                .init(service: StallOnSignal(core: core, enabled: config.stallOnSIGUSR2, seconds: Double(watchdogUsec ?? 10_000_000) * 3 / 1e6,
                                             logger: logger)),
                .init(service: StoppingNotice(notifier: notifier, logger: logger), successTerminationBehavior: .gracefullyShutdownGroup),
            ],
            gracefulShutdownSignals: [.sigterm, .sigint],
            logger: logger
        ))
        try await group.run()
        await core.stop()
        logger.info("deadlined stopped")
    }

    /// The control socket: the one systemd passed (named `control`, or the only one), else a
    /// path we bind ourselves.
    static func controlListener(config: DaemonConfig, directories: ServiceDirectories, logger: Logger) throws -> VarlinkServer.Listener {
        let passed = ListenSockets.take()
        if let socket = passed.first(where: { $0.name == "control" }) ?? (passed.count == 1 ? passed.first : nil) {
            return .inherited(fd: socket.fd)
        }
        if !passed.isEmpty {
            logger.warning("ignoring \(passed.count) passed socket(s) without the name 'control': \(passed.map(\.name))")
        }
        let path = config.controlSocket ?? directories.defaultControlSocket
        try makeParentDirectory(of: path)
        return .path(path)
    }

    static func statusLine(_ s: TimerCore.Snapshot, zone: TimeZone) -> String {
        let next = s.next.map { "next reminder " + DateOutput.iso8601($0, timeZone: zone) } ?? "no reminder due"
        return "\(s.pending) pending, \(next)"
    }

    static func makeParentDirectory(of path: String) throws {
        let dir = (path as NSString).deletingLastPathComponent
        guard !dir.isEmpty else { return }
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true,
                                                attributes: [.posixPermissions: 0o750])
    }
}

/// Reloads on SIGHUP (`systemctl reload`, `kill -HUP`), one at a time.
struct ReloadOnHangup: Service {
    let reloader: Reloader
    let app: Application
    let logger: Logger

    /// On the record like a `Reload` call; the signal's sender is not known, so the daemon stands for it.
    func run() async throws {
        for await _ in await UnixSignalsSequence(trapping: .sighup).cancelOnGracefulShutdown() {
            guard let summary = try? await reloader.reload() else { continue }
            let note = AuditNote(method: "Reload", target: summary.source, before: nil as Reloader.Summary?, after: summary)
            do { try await app.record(note, by: Requester(uid: getuid(), pid: getpid(), command: "SIGHUP")) }
            catch { logger.error("cannot record the audit entry for a reload on SIGHUP: \(error)") }
        }
    }
}

/// With `debug.stall_on_sigusr2: on`, SIGUSR2 wedges the timer core, so that a test (or an
/// admin trying a new unit) sees the watchdog kill and restart the daemon.
struct StallOnSignal: Service {
    let core: TimerCore
    let enabled: Bool
    let seconds: Double
    let logger: Logger

    func run() async throws {
        guard enabled else { return try await gracefulShutdown() }
        logger.warning("debug.stall_on_sigusr2 is on: SIGUSR2 will stall the timer core for \(seconds) s")
        for await _ in await UnixSignalsSequence(trapping: .sigusr2).cancelOnGracefulShutdown() {
            core.stall(seconds: seconds)
        }
    }
}

/// Sends STOPPING=1 as soon as a graceful shutdown begins, before the other services wind down.
struct StoppingNotice: Service {
    let notifier: Notifier
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        logger.info("stopping")
        notifier.notify(.stopping, .status("stopping"))
    }
}
