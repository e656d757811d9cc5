import ArgumentParser
import DeadlineDaemon
import Foundation
import Logging
import Systemd

@main
struct DeadlinedCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlined",
        abstract: "Keeps meetings and submission due dates, and reminds people before each one.",
        discussion: """
            Runs on built-in defaults when no config file exists. Config keys can be overridden \
            by DEADLINED_* environment variables (e.g. DEADLINED_STORE_PATH).
            """,
        version: Daemon.version
    )

    @Option(name: .long, help: "Config file (default: $CONFIGURATION_DIRECTORY/deadlined.yaml, or /etc/deadlined/deadlined.yaml, or ~/.config/deadlined/deadlined.yaml).")
    var config: String?

    @Flag(name: .long, help: "Check the config and exit: 0 if it is usable, 78 (EX_CONFIG) naming the bad key if not.")
    var checkConfig = false

    func run() async throws {
        let environment = ProcessInfo.processInfo.environment
        let directories = ServiceDirectories.resolve(environment: environment)
        let settings: DaemonConfig
        do {
            settings = try await DaemonConfig.load(file: config, environment: environment, directories: directories)
        } catch let error as ConfigError {
            FileHandle.standardError.write(Data("deadlined: config error: \(error)\n".utf8))
            Notifier().notify(.status("config error: \(error)"), .errno(EINVAL))
            throw ExitCode(78)
        }
        if checkConfig {
            print("config OK (\(settings.sourceFile ?? "built-in defaults"))")
            print("  time_zone: \(settings.timeZone)")
            print("  log.level: \(settings.logLevel)")
            print("  log.target: \(settings.logTarget.rawValue)")
            print("  store: \(settings.storeBackend.rawValue) \(settings.storeLocation)")
            print("  control.socket: \(settings.controlSocket ?? directories.defaultControlSocket + " (unless systemd passes one)")")
            print("  control.max_message_bytes: \(settings.maxMessageBytes)")
            print("  control.max_change_message_bytes: \(settings.maxChangeMessageBytes)")
            print("  calendar.feed: \(settings.calendarFeed ?? "off")")
            print("  board.directory: \(settings.boardDirectory ?? "off")")
            return
        }
        let level = settings.logLevel
        let sink: JournalLogHandler.Sink = switch settings.logTarget {
        case .auto: JournalLogHandler.detectSink()
        case .journal: .journal
        case .console: .stderr
        }
        LoggingSystem.bootstrap { _ in JournalLogHandler(identifier: "deadlined", level: level, sink: sink) }
        let logger = Logger(label: "deadlined")
        do {
            let file = config
            try await Daemon.run(config: settings, directories: directories, logger: logger, reloadConfig: {
                try await DaemonConfig.load(file: file, environment: ProcessInfo.processInfo.environment, directories: directories)
            })
        } catch {
            logger.critical("deadlined failed: \(error)")
            Notifier().notify(.status("failed: \(error)"))
            throw ExitCode.failure
        }
    }
}
