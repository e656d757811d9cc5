import Application
import Configuration
import DeadlineCore
import DeadlineStore
import SQLiteStore
import Delivery
import Foundation
import Logging
import Systemd
import Yams

/// The daemon's settings, after defaults, the config file and `DEADLINED_*` overrides.
public struct DaemonConfig: Sendable, Equatable {
    public var timeZone: String
    public var logLevel: Logger.Level
    public var logTarget: LogTarget
    public var storePath: String
    /// `normal`: commits survive a crash at once, a power cut from the next checkpoint;
    /// `full`: every commit survives a power cut (one fsync each).
    public var storeDurability: SQLiteStore.Durability
    /// `sqlite` (the file at `storePath`) or `postgresql` (the database at `storeURL`, shared
    /// with other nodes).
    public var storeBackend: StoreBackend = .sqlite
    public var storeURL: String?
    /// The PostgreSQL password, from a file or a systemd credential; nil: none (peer or trust login).
    public var storePassword: SecretSource?
    /// Connections to PostgreSQL at most.
    public var storeConnections = 4
    /// This node among those sharing a PostgreSQL store: its name (default the host's), how
    /// long its claims hold without renewal, and how often it polls the store, in seconds.
    public var node = NodeIdentity(name: NodeIdentity.host)
    public var pollSeconds = 2
    /// The key that signs the audit chain's checkpoints: this systemd credential when it is
    /// passed, else this file (made when absent); and seconds between checkpoints.
    public var auditKeyCredential = "audit-signing-key"
    public var auditKeyFile = ""
    public var checkpointInterval = 3600
    /// Public keys that signed checkpoints before a key change: theirs count in a verification.
    public var auditTrustedKeys: [String] = []
    /// nil: `$RUNTIME_DIRECTORY/control.sock`, unless systemd passes a socket.
    public var controlSocket: String?
    public var maxMessageBytes: Int
    /// The longest message from a caller that may change things (root or the group): an
    /// import of a whole registry is larger than what anyone may send.
    public var maxChangeMessageBytes: Int
    /// Members of this group (and root) may call the control methods that change things.
    public var controlGroup: String
    /// SIGUSR2 blocks the timer core for three watchdog intervals: to prove that the watchdog
    /// restarts a wedged daemon. Off unless asked for.
    public var stallOnSIGUSR2: Bool
    /// Connections at once (the one idle longest gives way), and seconds one may idle.
    public var maxConnections: Int
    public var idleTimeout: Int
    /// The time of day at which a date-only item counts (a due date "24 พ.ค. 60").
    public var dayTime: TimeOfDay
    /// The language of dates and reminders, unless a client asks for another.
    public var language: Language
    /// The organisation (LAO) items belong to unless they name one.
    public var organisation: String
    /// Folder of holiday files; nil: the first of the usual places that exists.
    public var holidaysPath: String?
    /// The reminder rule for each kind of item.
    public var rules: RuleBook
    /// Attempts per reminder before it is `failed`.
    public var maxAttempts: Int
    /// Seconds before the first retry of a failed send; it doubles up to an hour.
    public var retryDelay: Int
    /// Seconds past its instant after which a reminder counts as late (the misfire policy decides).
    public var lateAfter: Int
    /// The channel instances, the built-in `journal` first unless the file redefines it.
    public var channels: [ChannelConfig]
    /// Which channels each reminder goes through.
    public var routes: ChannelRoutes
    /// Template overrides by `"<event>.<language>"`.
    public var templates: [String: String]
    /// The iCalendar feed rewritten after every change, readable by all; nil: none
    /// (`calendar.feed: off`).
    public var calendarFeed: String?
    /// Where the HTML boards are written (`board.directory`; default beside the calendar feed,
    /// else in the state directory); nil: none (`off`).
    public var boardDirectory: String?
    /// Where Prometheus text is served (nil: nowhere, the default).
    var metrics: MetricsListener?
    /// Scrape connections open at once (one more is closed at once), and seconds one may stay
    /// silent: a local program cannot hold the daemon's descriptors.
    var metricsMaxConnections: Int
    var metricsIdleTimeout: Int
    /// The file the values came from, nil for built-in defaults only.
    public var sourceFile: String?

    /// Where log entries (and journal-channel reminders) go.
    public enum LogTarget: String, Sendable, CaseIterable {
        /// The journal when stderr is connected to it (`$JOURNAL_STREAM`), else stderr.
        case auto
        /// The journal's native protocol, always.
        case journal
        /// Plain lines on stderr, always.
        case console
    }

    /// Built-in defaults: what runs with no config file at all.
    public static let defaultTimeZone = "Asia/Bangkok"
    public static let defaultMaxMessageBytes = 1 << 20
    /// Enough for the national registry (7,850 organisations, about 2 MiB as sent).
    public static let defaultMaxChangeMessageBytes = 16 << 20

    /// Reads and checks the config.
    /// - Parameters:
    ///   - file: `--config`; when nil, the default path is read if it exists.
    ///   - environment: the process environment, for `DEADLINED_*` overrides.
    ///   - directories: where defaults point.
    public static func load(file: String?, environment: [String: String],
                            directories: ServiceDirectories) async throws -> DaemonConfig {
        let path = file ?? directories.defaultConfigFile
        var text: String?
        if FileManager.default.fileExists(atPath: path) {
            do { text = try TextFile.read(path) } catch { throw ConfigError(location: error.location, message: error.message) }
        } else if file != nil {
            throw ConfigError(location: path, message: "no such file")
        }
        let validated = try text.map { try ConfigValidator.validate(yaml: $0, file: path) } ?? ConfigValidator.Result()
        let hasSettings = validated.hasSettings
        let overrides = try ConfigValidator.validate(environment: environment)

        var providers: [any ConfigProvider] = [
            EnvironmentVariablesProvider(environmentVariables: overrides).prefixKeys(with: ConfigKey("deadlined")),
        ]
        if hasSettings {
            providers.append(try await FileProvider<YAMLSnapshot>(filePath: .init(path)))
        }
        let reader = ConfigReader(providers: providers)
        func string(_ key: String) -> String? {
            reader.string(forKey: ConfigKey(key)).flatMap { $0.isEmpty ? nil : $0 }
        }
        var channels = validated.channels
        if !channels.contains(where: { $0.name == "journal" }) { channels.insert(.builtInJournal, at: 0) }
        // Empty is a choice (no channel for every reminder); absent is the default, the journal.
        let defaults = reader.string(forKey: ConfigKey("delivery.channels")) ?? "journal"
        let routes = ChannelRoutes(
            defaults: ConfigSchema.list(defaults),
            byRule: validated.byRule, byTag: validated.byTag)
        try checkRoutes(routes, channels: channels, file: text == nil ? "environment" : path)
        let maxMessageBytes = string("control.max_message_bytes").flatMap(Int.init) ?? defaultMaxMessageBytes
        let storeBackend = string("store.backend").flatMap(StoreBackend.init(rawValue:)) ?? .sqlite
        let storeURL = string("store.url")
        let origin = text == nil ? "environment" : path
        if storeBackend == .postgresql && storeURL == nil {
            throw ConfigError(location: origin, message: "store.backend 'postgresql' needs store.url (postgresql://deadlined@/deadlined?host=/run/postgresql)")
        }
        let storePassword: SecretSource?
        switch (string("store.password_file"), string("store.password_credential")) {
        case (_?, _?): throw ConfigError(location: origin, message: "give either store.password_file or store.password_credential, not both")
        case (let file?, nil): storePassword = .file(file)
        case (nil, let name?):
            guard !name.contains("/") else { throw ConfigError(location: origin, message: "store.password_credential: a credential name has no '/'") }
            storePassword = .credential(name)
        case (nil, nil): storePassword = nil
        }
        let calendarFeed = string("calendar.feed").map { $0 == "off" ? nil : $0 } ?? directories.state + "/deadlined.ics"
        return DaemonConfig(
            timeZone: string("time_zone") ?? defaultTimeZone,
            logLevel: string("log.level").flatMap(Logger.Level.init(rawValue:)) ?? .info,
            logTarget: string("log.target").flatMap(LogTarget.init(rawValue:)) ?? .auto,
            storePath: string("store.path") ?? directories.defaultStore,
            storeDurability: string("store.durability").flatMap(SQLiteStore.Durability.init(rawValue:)) ?? .normal,
            storeBackend: storeBackend,
            storeURL: storeURL,
            storePassword: storePassword,
            storeConnections: string("store.connections").flatMap(Int.init) ?? 4,
            node: NodeIdentity(name: string("cluster.node") ?? NodeIdentity.host,
                               lease: TimeInterval(string("cluster.lease").flatMap(Int.init) ?? 10)),
            pollSeconds: string("cluster.poll").flatMap(Int.init) ?? 2,
            auditKeyCredential: string("audit.signing_key_credential") ?? "audit-signing-key",
            auditKeyFile: string("audit.signing_key_file") ?? directories.state + "/audit-signing-key",
            checkpointInterval: string("audit.checkpoint_interval").flatMap(Int.init) ?? 3600,
            auditTrustedKeys: ConfigSchema.list(string("audit.trusted_keys") ?? ""),
            controlSocket: string("control.socket"),
            maxMessageBytes: maxMessageBytes,
            maxChangeMessageBytes: max(maxMessageBytes, string("control.max_change_message_bytes").flatMap(Int.init) ?? defaultMaxChangeMessageBytes),
            controlGroup: string("control.group") ?? "deadline",
            stallOnSIGUSR2: string("debug.stall_on_sigusr2") == "on",
            maxConnections: string("control.max_connections").flatMap(Int.init) ?? 1024,
            idleTimeout: string("control.idle_timeout").flatMap(Int.init) ?? 300,
            dayTime: string("day_time").flatMap { TimeOfDay($0) } ?? TimeOfDay(hour: 9, minute: 0)!,
            language: string("language").flatMap(Language.init(rawValue:)) ?? .thai,
            organisation: string("organisation") ?? "",
            holidaysPath: string("holidays.path"),
            rules: RuleBook(
                meetingLeads: string("rules.meeting").map(RuleBook.leads),
                deadlineLeads: string("rules.deadline").map(RuleBook.leads),
                time: string("rules.time").flatMap { TimeOfDay($0) },
                shift: string("rules.shift").flatMap(NonWorkingDayShift.init(rawValue:)),
                past: string("rules.past").flatMap(PastLeadPolicy.init(rawValue:)),
                escalate: reader.string(forKey: ConfigKey("rules.escalate")).map { $0.isEmpty ? nil : Lead($0) },
                overdueTime: string("rules.overdue_time").flatMap { TimeOfDay($0) },
                overdueMax: string("rules.overdue_max").flatMap(Int.init),
                misfire: string("rules.misfire").flatMap(MisfirePolicy.init),
                named: validated.ruleSets
            ),
            maxAttempts: string("delivery.max_attempts").flatMap(Int.init) ?? RetryPolicy().maxAttempts,
            retryDelay: string("delivery.retry_delay").flatMap(Int.init) ?? 30,
            lateAfter: string("delivery.late_after").flatMap(Int.init) ?? 60,
            channels: channels,
            routes: routes,
            templates: validated.templates,
            calendarFeed: calendarFeed,
            boardDirectory: string("board.directory").map { $0 == "off" ? nil : $0 }
                ?? calendarFeed.map { ($0 as NSString).deletingLastPathComponent } ?? directories.state,
            // Checked with the file (ConfigSchema): a value that cannot be used stops the start.
            metrics: try? MetricsListener.parse(string("metrics.listen") ?? ""),
            metricsMaxConnections: string("metrics.max_connections").flatMap(Int.init) ?? 16,
            metricsIdleTimeout: string("metrics.idle_timeout").flatMap(Int.init) ?? 120,
            sourceFile: text == nil ? nil : path
        )
    }

    /// Every channel a route names must exist: a typo would otherwise drop reminders.
    static func checkRoutes(_ routes: ChannelRoutes, channels: [ChannelConfig], file: String) throws {
        let known = Set(channels.map(\.name))
        func check(_ names: [String], _ key: String) throws {
            if let bad = names.first(where: { !known.contains($0) }) {
                throw ConfigError(location: file, message: "'\(key)' names channel '\(bad)', which is not defined; defined: "
                    + known.sorted().joined(separator: ", "))
            }
        }
        try check(routes.defaults, "delivery.channels")
        for (rule, names) in routes.byRule { try check(names, "delivery.by_rule.\(rule)") }
        for (tag, names) in routes.byTag { try check(names, "delivery.by_tag.\(tag)") }
    }
}

extension DaemonConfig {
    /// What the application layer plans with.
    var settings: Settings { Settings(timeZone: timeZone, organisation: organisation, dayTime: dayTime, rules: rules) }
}
