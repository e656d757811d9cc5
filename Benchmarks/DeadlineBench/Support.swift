import Control
import DeadlineCore
import DeadlineStore
import Delivery
import Foundation
import Glibc
import Synchronization
import Varlink

/// A channel that only notes when each reminder reached it.
final class NullChannel: Channel {
    let name = "null"
    private let arrivals = Mutex<[(fireAt: Date, at: Date)]>([])

    func deliver(_ reminder: Reminder) async throws -> String? {
        let now = Date()
        arrivals.withLock { $0.append((reminder.occurrence.fireAt, now)) }
        return nil
    }

    var count: Int { arrivals.withLock { $0.count } }
    var all: [(fireAt: Date, at: Date)] { arrivals.withLock { $0 } }
}

/// A fresh folder under /tmp, removed at exit unless asked to keep it.
func scratch(_ name: String) throws -> String {
    let path = "/tmp/deadlined-bench-\(name)-\(getpid())"
    try? FileManager.default.removeItem(atPath: path)
    try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    return path
}

/// `count` one-reminder meetings at the instants given, imported in transactions of 10,000.
/// Returns items per second.
@discardableResult
func fill(_ store: any Store, instants: [Date], prefix: String = "b") throws -> Double {
    let start = Date()
    let nine = TimeOfDay(hour: 9, minute: 0)!
    var i = 0
    while i < instants.count {
        let chunk = instants[i..<min(i + 10_000, instants.count)]
        let items = chunk.enumerated().map { n, at in
            NewItem(kind: .meeting, key: "\(prefix)\(i + n)", title: "ประชุม \(i + n)", when: .instant(at), timeZone: "Asia/Bangkok", leads: [Lead("0")!])
        }
        _ = try store.importItems(ImportBatch(plans: [], items: items, references: []), dayTime: nine, now: start) { item in
            .init(reminders: [PlannedReminder(fireAt: item.instant(dayTime: nine), purpose: .lead("0"))], plannedThrough: nil)
        }
        i += chunk.count
    }
    return Double(instants.count) / Date().timeIntervalSince(start)
}

/// Resident set size of a process, in MiB.
func rssMiB(pid: pid_t = getpid()) -> Double {
    guard let text = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8),
          let line = text.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }),
          let kb = Double(line.split(separator: " ", omittingEmptySubsequences: true).dropFirst().first ?? "") else { return -1 }
    return kb / 1024
}

/// Voluntary + involuntary context switches of every thread of a process: each one is a
/// wake-up or a preemption.
func contextSwitches(pid: pid_t) -> Int {
    let dir = "/proc/\(pid)/task"
    guard let tasks = try? FileManager.default.contentsOfDirectory(atPath: dir) else { return -1 }
    var total = 0
    for t in tasks {
        guard let text = try? String(contentsOfFile: "\(dir)/\(t)/status", encoding: .utf8) else { continue }
        for line in text.split(separator: "\n") where line.hasPrefix("voluntary_ctxt_switches") || line.hasPrefix("nonvoluntary_ctxt_switches") {
            total += Int(line.split(separator: "\t").last?.trimmingCharacters(in: .whitespaces) ?? "") ?? 0
        }
    }
    return total
}

func percentile(_ sorted: [Double], _ p: Double) -> Double {
    guard !sorted.isEmpty else { return .nan }
    return sorted[min(sorted.count - 1, Int((p / 100 * Double(sorted.count - 1)).rounded()))]
}

func ms(_ seconds: Double) -> String { String(format: "%.2f ms", seconds * 1000) }

/// Prints a two-column table: what was measured, and the figure.
func table(_ title: String, _ rows: [(String, String)]) {
    let w = rows.map(\.0.count).max() ?? 0
    print("\n## \(title)")
    for (k, v) in rows { print(k.padding(toLength: w, withPad: " ", startingAt: 0) + "  " + v) }
}

/// The release binaries beside this one.
func sibling(_ name: String) -> String {
    URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent().appendingPathComponent(name).path
}

/// Runs a command to its end; its exit status.
@discardableResult
func runCommand(_ path: String, _ args: [String], env: [String: String]? = nil, stdin: String? = nil) -> Int32 {
    var argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var envp: [UnsafeMutablePointer<CChar>?] = (env ?? ProcessInfo.processInfo.environment).map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { envp.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    var fds: [Int32] = [0, 0]
    if stdin != nil {
        _ = pipe(&fds)
        posix_spawn_file_actions_adddup2(&actions, fds[0], 0)
        posix_spawn_file_actions_addclose(&actions, fds[1])
    }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    guard posix_spawnp(&pid, path, &actions, nil, &argv, &envp) == 0 else { return -1 }
    if let stdin {
        close(fds[0])
        let bytes = Array(stdin.utf8)
        _ = bytes.withUnsafeBytes { write(fds[1], $0.baseAddress, $0.count) }
        close(fds[1])
    }
    var status: Int32 = 0
    waitpid(pid, &status, 0)
    return (status >> 8) & 0xff
}

/// Starts a command in the background; its pid.
func spawn(_ path: String, _ args: [String], env: [String: String]) -> pid_t {
    var argv = ([path] + args).map { strdup($0) } + [nil]
    defer { argv.forEach { free($0) } }
    var envp: [UnsafeMutablePointer<CChar>?] = env.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer { envp.forEach { free($0) } }
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
    var pid: pid_t = 0
    _ = posix_spawnp(&pid, path, &actions, nil, &argv, &envp)
    return pid
}

/// The release daemon on a store of its own in `dir`, with no channels, its control socket up.
struct BenchDaemon {
    let pid: pid_t
    let socket: String

    init(in dir: String, env extra: [String: String] = [:]) {
        let env = ["STATE_DIRECTORY": dir + "/state", "RUNTIME_DIRECTORY": dir + "/run", "PATH": "/usr/bin:/bin",
                   "DEADLINED_DELIVERY_CHANNELS": ""].merging(extra) { $1 }
        pid = spawn(sibling("deadlined"), [], env: env)
        socket = dir + "/run/control.sock"
        let up = Date().addingTimeInterval(30)
        while (try? VarlinkClient(path: socket)) == nil && Date() < up { usleep(50_000) }
    }

    func stop() {
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
    }
}
