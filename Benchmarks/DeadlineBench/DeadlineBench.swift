import ArgumentParser
import CoreMetrics
import Prometheus
import Control
import DeadlineCore
import DeadlineStore
import SQLiteStore
import Delivery
import Foundation
import Glibc
import Logging
@_spi(Testing) import Scheduler

/// Benchmarks of the timer core and the daemon, built in release mode, printing tables.
/// `swift run -c release deadlined-bench all` runs every one (about 6 minutes).
@main
struct DeadlineBench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlined-bench",
        abstract: "Measure deadlined: lateness, a million pending, bursts, idle wake-ups, and atd side by side.",
        subcommands: [All.self, Lateness.self, Pending.self, PendingStart.self, Burst.self, Idle.self, Atd.self, ControlPath.self, StorePath.self, StatusLoad.self, AddLoad.self, CalendarPath.self, ListPath.self, CenterPath.self, CenterMail.self, ClusterPath.self, AuditPath.self]
    )
}

let quiet = Logger(label: "bench", factory: { _ in SwiftLogNoOpLogHandler() })

struct All: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Every benchmark with its default size.")
    func run() throws {
        // Parsed from no arguments, so every option takes its default.
        try Lateness.parse([]).run()
        try Pending.parse([]).run()
        try Burst.parse([]).run()
        try Idle.parse([]).run()
        try ControlPath.parse([]).run()
        try Atd.parse([]).run()
    }
}

/// a. How late reminders fire: 10,000 spread over 60 s through the real Dispatch wall timer.
struct Lateness: ParsableCommand {
    @Option var count = 10_000
    @Option var seconds = 60.0

    func run() throws {
        let dir = try scratch("lateness")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let start = Date().addingTimeInterval(3)
        let instants = (0..<count).map { start.addingTimeInterval(Double($0) * seconds / Double(count)) }
        try fill(store, instants: instants)
        let channel = NullChannel()
        let core = TimerCore(store: store, channels: ChannelSet([channel]), logger: quiet)
        _ = try core.start()
        let end = Date().addingTimeInterval(seconds + 30)
        while channel.count < count && Date() < end { usleep(100_000) }
        core.stopTimers()
        let late = channel.all.map { $0.at.timeIntervalSince($0.fireAt) }.sorted()
        table("a. lateness: \(count) reminders over \(Int(seconds)) s (null channel, SQLite store)", [
            ("delivered", "\(late.count) of \(count)"),
            ("early (fired before its time)", "\(late.filter { $0 < 0 }.count)"),
            ("p50", ms(percentile(late, 50))), ("p99", ms(percentile(late, 99))), ("max", ms(late.last ?? .nan)),
        ])
    }
}

/// b. A million pending reminders: insert rate, then start time and RSS of a fresh process.
struct Pending: ParsableCommand {
    @Option var count = 1_000_000
    @Option(help: "Keep the store at this path (for `idle`).") var keep: String?

    func run() throws {
        let dir = try scratch("pending")
        let path = keep ?? dir + "/s.sqlite"
        defer { if keep == nil { try? FileManager.default.removeItem(atPath: dir) } }
        try? FileManager.default.removeItem(atPath: path)
        let store = try SQLiteStore(path: path)
        // All at least two hours ahead: nothing fires while measuring.
        let base = Date().addingTimeInterval(7200)
        let rate = try fill(store, instants: (0..<count).map { base.addingTimeInterval(Double($0) * 0.5) })
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? 0
        // Start time and memory from a process that has done nothing else.
        let out = dir + "/start.txt"
        runCommand(sibling("deadlined-bench"), ["pending-start", path, "--out", out])
        let figures = (try? String(contentsOfFile: out, encoding: .utf8))?.split(separator: " ").map(String.init) ?? []
        table("b. \(count) pending reminders", [
            ("insert rate (transactions of 10,000)", String(format: "%.0f items/s", rate)),
            ("store size", String(format: "%.0f MiB", Double(size) / 1_048_576)),
            ("start: open + load + arm", figures.count == 3 ? "\(figures[0]) s" : "?"),
            ("RSS after start", figures.count == 3 ? "\(figures[1]) MiB" : "?"),
            ("pending in the heap", figures.count == 3 ? figures[2] : "?"),
        ])
    }
}

struct PendingStart: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "pending-start", abstract: "(internal) open, load and arm; print time and RSS.")
    @Argument var path: String
    @Option var out: String

    func run() throws {
        let t0 = Date()
        let store = try SQLiteStore(path: path)
        let core = TimerCore(store: store, channels: ChannelSet([NullChannel()]), logger: quiet)
        let snapshot = try core.start()
        let elapsed = Date().timeIntervalSince(t0)
        try String(format: "%.2f %.0f %d", elapsed, rssMiB(), snapshot.pending).write(toFile: out, atomically: true, encoding: .utf8)
        core.stopTimers()
    }
}

/// c. 100,000 reminders due in the same second: time until the last is delivered.
struct Burst: ParsableCommand {
    @Option var count = 100_000
    @Flag(help: "Count into a Prometheus registry, as the daemon does with metrics.listen (one process each way: the bootstrap is once).")
    var metrics = false

    func run() throws {
        if metrics { MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: PrometheusCollectorRegistry())) }
        let dir = try scratch("burst")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let store = try SQLiteStore(path: dir + "/s.sqlite")
        let due = Date().addingTimeInterval(40)
        try fill(store, instants: (0..<count).map { due.addingTimeInterval(Double($0 % 1000) / 1000) })
        let channel = NullChannel()
        let core = TimerCore(store: store, channels: ChannelSet([channel]), logger: quiet)
        _ = try core.start()
        let end = due.addingTimeInterval(120)
        while channel.count < count && Date() < end { usleep(20_000) }
        let last = channel.all.map(\.at).max() ?? Date()
        core.stopTimers()
        let inOrder = zip(channel.all, channel.all.dropFirst()).allSatisfy { $0.fireAt <= $1.fireAt }
        table("c. burst: \(count) due within one second\(metrics ? ", metrics on" : "")", [
            ("delivered", "\(channel.count) of \(count)"),
            ("due → last delivered", String(format: "%.2f s", last.timeIntervalSince(due))),
            ("rate", String(format: "%.0f reminders/s", Double(count) / max(0.001, last.timeIntervalSince(due)))),
            ("in due order", inOrder ? "yes" : "no"),
        ])
    }
}

/// d. An idle daemon with a million pending, none due within the hour: wake-ups per hour.
struct Idle: ParsableCommand {
    @Option var count = 1_000_000
    @Option var seconds = 60.0
    @Option(help: "WatchdogSec in seconds (pings every half of it).") var watchdog = 30.0

    func run() throws {
        let dir = try scratch("idle")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let state = dir + "/state"
        try FileManager.default.createDirectory(atPath: state, withIntermediateDirectories: true)
        print("(filling \(count) pending for the idle daemon)")
        try Pending.parse(["--count", String(count), "--keep", state + "/deadlined.sqlite"]).run()
        let notify = dir + "/notify.sock"
        let listener = try DatagramCounter(path: notify)
        let env = ["STATE_DIRECTORY": state, "RUNTIME_DIRECTORY": dir + "/run", "NOTIFY_SOCKET": notify,
                   "WATCHDOG_USEC": String(Int(watchdog * 1_000_000)), "DEADLINED_DELIVERY_CHANNELS": "", "PATH": "/usr/bin:/bin"]
        let pid = spawn(sibling("deadlined"), [], env: env)
        defer { kill(pid, SIGTERM); var s: Int32 = 0; waitpid(pid, &s, 0) }
        let ready = Date().addingTimeInterval(60)
        while listener.count(of: "READY=1") == 0 && Date() < ready { usleep(50_000) }
        sleep(3)   // let start-up settle
        let switches0 = contextSwitches(pid: pid), pings0 = listener.count(of: "WATCHDOG=1")
        usleep(useconds_t(seconds * 1_000_000))
        let switches = contextSwitches(pid: pid) - switches0, pings = listener.count(of: "WATCHDOG=1") - pings0
        let perHour = 3600 / seconds
        table("d. idle: \(count) pending, none due within the hour, WatchdogSec=\(Int(watchdog))s, over \(Int(seconds)) s", [
            ("context switches (all threads)", "\(switches) → \(Int(Double(switches) * perHour))/hour"),
            ("watchdog pings", "\(pings) → \(Int(Double(pings) * perHour))/hour"),
            ("switches per ping", pings > 0 ? String(format: "%.1f", Double(switches) / Double(pings)) : "-"),
            ("RSS", String(format: "%.0f MiB", rssMiB(pid: pid))),
        ])
    }
}
