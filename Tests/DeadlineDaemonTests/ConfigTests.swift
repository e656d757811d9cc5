import DeadlineCore
@testable import DeadlineDaemon
import Foundation
import Logging
@testable import Systemd
import Testing

@Suite("Config")
struct ConfigTests {
    let dirs = ServiceDirectories(state: "/var/lib/deadlined", runtime: "/run/deadlined", configuration: "/etc/deadlined")

    /// Writes `text` to a temporary file and loads it.
    func load(_ text: String?, environment: [String: String] = [:], name: String = "deadlined.yaml") async throws -> DaemonConfig {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("dl-cfg-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let file = dir + "/" + name
        if let text { try text.write(toFile: file, atomically: true, encoding: .utf8) }
        return try await DaemonConfig.load(file: text == nil ? nil : file, environment: environment,
                                           directories: ServiceDirectories(state: dir, runtime: dir, configuration: dir + "/none"))
    }

    /// The error a config gives, as text ("" if it loads).
    func error(_ text: String, environment: [String: String] = [:]) async -> String {
        do {
            _ = try await load(text, environment: environment)
            return ""
        } catch {
            return "\(error)"
        }
    }

    @Test("no config file at all: built-in defaults")
    func embeddedDefaults() async throws {
        let c = try await DaemonConfig.load(file: nil, environment: [:], directories: dirs)
        #expect(c.timeZone == "Asia/Bangkok")
        #expect(c.logLevel == .info)
        #expect(c.logTarget == .auto)
        #expect(c.storePath == "/var/lib/deadlined/deadlined.sqlite")
        #expect(c.controlSocket == nil)
        #expect(c.maxMessageBytes == 1 << 20)
        #expect(c.maxChangeMessageBytes == 16 << 20)
        #expect(c.boardDirectory == "/var/lib/deadlined", "beside the calendar feed")
        #expect(c.sourceFile == nil)
    }

    @Test("the shipped sample config is valid and states the defaults")
    func shippedSample() async throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/deadlined.yaml").path
        let c = try await DaemonConfig.load(file: sample, environment: [:], directories: dirs)
        let defaults = try await DaemonConfig.load(file: nil, environment: [:], directories: dirs)
        #expect(c.timeZone == defaults.timeZone)
        #expect(c.logLevel == defaults.logLevel)
        #expect(c.logTarget == defaults.logTarget)
        #expect(c.maxMessageBytes == defaults.maxMessageBytes)
        #expect(c.maxChangeMessageBytes == defaults.maxChangeMessageBytes)
        #expect(c.boardDirectory == defaults.boardDirectory)
        #expect(c.language == defaults.language)
        #expect(c.dayTime == defaults.dayTime)
        #expect(c.rules.meeting == defaults.rules.meeting)
        #expect(c.rules.deadline == defaults.rules.deadline)
        #expect(c.rules.named.keys.sorted() == ["urgent"])
        #expect(c.channels == defaults.channels)
        #expect(c.routes == defaults.routes)
        #expect(c.templates.isEmpty)
    }

    @Test("values from the file")
    func fromFile() async throws {
        let c = try await load("""
            time_zone: Europe/Berlin
            log:
              level: debug
              target: journal
            store:
              path: /srv/deadlined/agenda.sqlite
            control:
              socket: /srv/deadlined/control.sock
              max_message_bytes: 65536
              max_change_message_bytes: 4194304
            """)
        #expect(c.timeZone == "Europe/Berlin")
        #expect(c.logLevel == .debug)
        #expect(c.logTarget == .journal)
        #expect(c.storePath == "/srv/deadlined/agenda.sqlite")
        #expect(c.controlSocket == "/srv/deadlined/control.sock")
        #expect(c.maxMessageBytes == 65536)
        #expect(c.maxChangeMessageBytes == 4 << 20)
        // Never below what anyone may send.
        #expect(try await load("control:\n  max_message_bytes: 2097152\n  max_change_message_bytes: 65536\n").maxChangeMessageBytes == 2 << 20)
    }

    @Test("boards: beside the feed, where it is put, in the state directory without a feed, or off")
    func boardDirectory() async throws {
        #expect(try await load("calendar:\n  feed: /srv/www/kk/agenda.ics\n").boardDirectory == "/srv/www/kk")
        let noFeed = try await load("calendar:\n  feed: \"off\"\n")
        #expect(noFeed.calendarFeed == nil && noFeed.boardDirectory == (noFeed.storePath as NSString).deletingLastPathComponent, "in the state directory")
        #expect(try await load("board:\n  directory: /srv/boards\n").boardDirectory == "/srv/boards")
        #expect(try await load("board:\n  directory: \"off\"\n").boardDirectory == nil)
    }

    @Test("rule sets: named lead sets, and the kind defaults changed by the config")
    func ruleSets() async throws {
        let c = try await load("""
            rules:
              meeting: "1d@16:00, 30m"
              past: skip
              overdue_max: 5
            rule_sets:
              urgent: "3wd@09:00, 1wd@09:00, 0"
            """)
        #expect(c.rules.meeting.leads.map(\.description) == ["1d@16:00", "30m"])
        #expect(c.rules.meeting.past == .skip)
        #expect(c.rules.deadline.overdue?.maxReminders == 5)
        #expect(c.rules.named["urgent"]?.map(\.description) == ["3wd@09:00", "1wd@09:00", "0"])
        let day = When.day(LocalDate(year: 2017, month: 5, day: 24)!)
        var item = NewItem(kind: .deadline, title: "t", when: day, timeZone: "Asia/Bangkok", rule: "urgent")
        #expect(c.rules.rule(for: item).leads.map(\.description) == ["3wd@09:00", "1wd@09:00", "0"])
        #expect(c.rules.rule(for: item).overdue?.maxReminders == 5)   // the kind's other settings stay
        item.leads = [Lead("2h")!]
        #expect(c.rules.rule(for: item).leads.map(\.description) == ["2h"])  // the item's own leads win
        item.rule = "nope"
        #expect(c.rules.unknownRule(item)?.contains("the config has: urgent") == true)
        let bad = await error("rule_sets:\n  urgent: 3wd, later\n")
        #expect(bad.contains(":2:11: 'rule_sets.urgent': 'later' is not a lead time"), "\(bad)")
        let badName = await error("rule_sets:\n  not ok: 3wd\n")
        #expect(badName.contains(":2:3: 'not ok' is not a usable rule name"), "\(badName)")
    }

    @Test("DEADLINED_* environment variables override the file")
    func environmentOverrides() async throws {
        let c = try await load("time_zone: Europe/Berlin\ncontrol:\n  max_message_bytes: 100\n",
                               environment: ["DEADLINED_TIME_ZONE": "Asia/Tokyo", "DEADLINED_CONTROL_MAX_MESSAGE_BYTES": "2048",
                                             "DEADLINED_STORE_PATH": "/tmp/x.sqlite", "HOME": "/root"])
        #expect(c.timeZone == "Asia/Tokyo")
        #expect(c.maxMessageBytes == 2048)
        #expect(c.storePath == "/tmp/x.sqlite")
    }

    @Test("an empty file or empty sections mean defaults")
    func emptyFile() async throws {
        #expect(try await load("").timeZone == "Asia/Bangkok")
        #expect(try await load("# only a comment\n").timeZone == "Asia/Bangkok")
        #expect(try await load("control:\n").maxMessageBytes == 1 << 20)
    }

    @Test("bad configs name file:line:column and the key", arguments: [
        ("time_zone: Asia/Bangkok\ncontrol:\n  sokcet: /x\n", ":3:3: unknown key 'control.sokcet'; known here: group, idle_timeout, max_change_message_bytes, max_connections, max_message_bytes, socket"),
        ("tmie_zone: UTC\n", ":1:1: unknown key 'tmie_zone'; known here: audit, board, calendar, channels, cluster, control, day_time, debug, delivery, holidays, language, log, metrics, organisation, rule_sets, rules, store, templates, time_zone"),
        ("channels:\n  mail:\n    type: pigeon\n", ":3:11: 'pigeon' is not a channel type; known: journal, file, command, email, webhook"),
        ("channels:\n  mail:\n    type: email\n", ":3:5: channel 'mail' needs 'from:'"),
        ("channels:\n  mail:\n    type: email\n    from: nobody\n", ":4:11: 'nobody' is not an e-mail address"),
        ("channels:\n  mail:\n    type: email\n    from: a@b.org\n    to: \"x@y.org, bad\"\n", ":5:9: 'bad' is not an e-mail address"),
        ("channels:\n  mail:\n    type: email\n    from: a@b.org\n    passwd: x\n", ":5:5: unknown key 'passwd' for a email channel"),
        ("channels:\n  hook:\n    type: command\n    command: notify-send hi\n", ":4:14: 'notify-send' must be an absolute path"),
        ("channels:\n  chat:\n    type: webhook\n    url: ftp://x.org/\n", ":4:10: 'ftp://x.org/' is not an http:// or https:// URL"),
        ("channels:\n  chat:\n    type: webhook\n    url: https://x.org/\n    preset: icq\n", ":5:13: 'icq' is not a preset"),
        ("channels:\n  line:\n    type: webhook\n    preset: line\n    url: https://api.line.me/v2/bot/message/push\n", "the line preset needs 'to:'"),
        ("channels:\n  chat:\n    type: webhook\n    url: https://x.org/\n    token_file: /a\n    token_credential: b\n", ":6:23: give either 'token_file' or 'token_credential'"),
        ("delivery:\n  channels: journal, mail\n", "'delivery.channels' names channel 'mail', which is not defined; defined: journal"),
        ("delivery:\n  by_tag:\n    nacc: chat\n", "'delivery.by_tag.nacc' names channel 'chat', which is not defined"),
        ("templates:\n  birthday:\n    th: \"Subject: x\"\n", ":2:3: 'birthday' is not an event; known: meeting, deadline, due-today, overdue, escalation"),
        ("templates:\n  overdue:\n    th: \"no subject line\"\n", ":3:9: template overdue.th: the first line must be 'Subject: …'"),
        ("templates:\n  overdue:\n    en: \"Subject: {{#title}}\"\n", ":3:9: template overdue.en: not valid Mustache"),
        ("time_zone: Mars/Olympus\n", ":1:12: 'time_zone': 'Mars/Olympus' is not an IANA time zone"),
        ("control:\n  max_message_bytes: lots\n", ":2:22: 'control.max_message_bytes': 'lots' is not a whole number"),
        ("control:\n  max_message_bytes: 0\n", "'control.max_message_bytes': '0' is not a whole number from 1"),
        ("rules:\n  meeting: 1wd, soon\n", ":2:12: 'rules.meeting': 'soon' is not a lead time"),
        ("rules:\n  shift: sideways\n", ":2:10: 'rules.shift': 'sideways' is not one of: before, after, skip, keep"),
        ("rules:\n  misfire: later\n", ":2:12: 'rules.misfire': 'later' is not a misfire policy"),
        ("language: fr\n", ":1:11: 'language': 'fr' is not one of: th, en"),
        ("metrics:\n  listen: 10.1.2.3:9464\n", ":2:11: 'metrics.listen': '10.1.2.3' is not a loopback address"),
        ("metrics:\n  listen: 127.0.0.1\n", ":2:11: 'metrics.listen': '127.0.0.1' is not HOST:PORT on loopback"),
        ("audit:\n  trusted_keys: abc\n", ":2:17: 'audit.trusted_keys': 'abc' is not a public key"),
        ("day_time: 9am\n", ":1:11: 'day_time': '9am' is not a time of day"),
        ("log:\n  level: loud\n", ":2:10: 'log.level': 'loud' is not one of: trace, debug, info, notice, warning, error, critical"),
        ("control: /run/x.sock\n", ":1:10: 'control' is a section"),
        ("time_zone:\n  - UTC\n", ":2:3: 'time_zone' takes a single value"),
        ("time_zone: UTC\nlog:\n  level: info\n  level: debug\n", "given more than once: 'level'"),
        ("- a\n- b\n", ":1:1: the top level must be a mapping"),
        ("time_zone: [unclosed\n", ":2:1: not valid YAML"),
        ("log:\n  level: info\n bad indent: x\n", ":3:2: not valid YAML"),
    ])
    func badConfig(text: String, expected: String) async {
        let message = await error(text)
        #expect(message.contains("deadlined.yaml"), "\(message)")
        #expect(message.contains(expected), "\(message)")
    }

    @Test("a PostgreSQL store: backend, URL and where the password comes from; each mistake named")
    func postgresStore() async throws {
        let c = try await load("store:\n  backend: postgresql\n  url: postgresql://deadlined@db.example/center\n  password_credential: pg\n  connections: 8\n")
        #expect(c.storeBackend == .postgresql && c.storeURL == "postgresql://deadlined@db.example/center" && c.storeConnections == 8)
        #expect(c.storePassword == .credential("pg") && c.storeLocation == "postgresql://deadlined@db.example:5432/center")
        #expect(try await load("").storeBackend == .sqlite, "SQLite unless asked")
        #expect(await error("store:\n  backend: postgresql\n").contains("store.backend 'postgresql' needs store.url"))
        let badURL = await error("store:\n  backend: postgresql\n  url: \"postgresql://u:hunter22@h/d?sslmode=maybe\"\n")
        #expect(badURL.contains(":3:8:") && badURL.contains("sslmode 'maybe'") && !badURL.contains("hunter22"), "\(badURL)")
        #expect(await error("store:\n  password_file: /a\n  password_credential: b\n").contains("not both"))
    }

    @Test("an unknown or bad DEADLINED_* variable is an error naming it")
    func badEnvironment() async {
        let unknown = await error("", environment: ["DEADLINED_STORE_PTH": "/x"])
        #expect(unknown.contains("environment variable DEADLINED_STORE_PTH: not a config key"))
        #expect(unknown.contains("DEADLINED_STORE_PATH"))
        let bad = await error("", environment: ["DEADLINED_LOG_LEVEL": "loud"])
        #expect(bad.contains("environment variable DEADLINED_LOG_LEVEL: 'log.level': 'loud' is not one of"))
    }

    @Test("a --config file that does not exist is an error")
    func missingFile() async {
        do {
            _ = try await DaemonConfig.load(file: "/nonexistent/deadlined.yaml", environment: [:], directories: dirs)
            Issue.record("expected an error")
        } catch {
            #expect("\(error)" == "/nonexistent/deadlined.yaml: no such file")
        }
    }
}

@Suite("Service directories")
struct ServiceDirectoriesTests {
    @Test func systemdDirectoriesWin() {
        let d = ServiceDirectories.resolve(environment: [
            "STATE_DIRECTORY": "/var/lib/deadlined:/var/lib/other", "RUNTIME_DIRECTORY": "/run/deadlined",
            "CONFIGURATION_DIRECTORY": "/etc/deadlined", "XDG_STATE_HOME": "/home/u/.state",
        ], isRoot: false)
        #expect(d == ServiceDirectories(state: "/var/lib/deadlined", runtime: "/run/deadlined", configuration: "/etc/deadlined"))
    }

    @Test func rootWithoutSystemd() {
        let d = ServiceDirectories.resolve(environment: [:], isRoot: true)
        #expect(d == ServiceDirectories(state: "/var/lib/deadlined", runtime: "/run/deadlined", configuration: "/etc/deadlined"))
        #expect(d.defaultControlSocket == "/run/deadlined/control.sock")
    }

    @Test func userFollowsXDG() {
        let d = ServiceDirectories.resolve(environment: [
            "HOME": "/home/somchai", "XDG_RUNTIME_DIR": "/run/user/1000", "XDG_CONFIG_HOME": "/home/somchai/cfg",
        ], isRoot: false)
        #expect(d.state == "/home/somchai/.local/state/deadlined")
        #expect(d.runtime == "/run/user/1000/deadlined")
        #expect(d.configuration == "/home/somchai/cfg/deadlined")
    }
}

@Suite("Journal field names")
struct JournalFieldTests {
    @Test("metadata keys become journal field names", arguments: [
        ("item_id", "ITEM_ID"), ("itemID", "ITEM_ID"), ("occurrenceId", "OCCURRENCE_ID"),
        ("_private", "PRIVATE"), ("9lives", "F_9LIVES"), ("a-b.c", "A_B_C"), ("MESSAGE_ID", "MESSAGE_ID"),
    ])
    func fieldName(key: String, field: String) {
        #expect(JournalLogHandler.fieldName(key) == field)
    }
}
