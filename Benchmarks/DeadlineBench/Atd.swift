import ArgumentParser
import Control
import DeadlineCore
import Foundation
import Glibc
import Synchronization
import Varlink

/// e. deadlined beside atd (Debian `at`, `atd -f`): the same one-shot jobs through each, and
/// the time to queue and remove many.
struct Atd: ParsableCommand {
    @Option var jobs = 1000
    @Option(help: "Seconds the jobs are spread over.") var spread = 60.0
    @Option(help: "Jobs queued and removed for the queueing figures.") var queue = 10_000
    @Option(help: "deadlinectl processes started, one per add (the way `at` is used).") var processes = 1000

    func run() throws {
        for tool in ["/usr/bin/at", "/usr/bin/atq", "/usr/bin/atrm", "/usr/sbin/atd"] where !FileManager.default.fileExists(atPath: tool) {
            print("\n## e. atd side by side: skipped, \(tool) is missing (apt-get install -y at)")
            return
        }
        let dir = try scratch("atd")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let utc: [String: String] = ["TZ": "UTC", "PATH": "/usr/bin:/bin:/usr/sbin"]
        runCommand("/usr/bin/pkill", ["-x", "atd"])
        let atd = spawn("/usr/sbin/atd", ["-f"], env: utc)
        defer { kill(atd, SIGTERM); var s: Int32 = 0; waitpid(atd, &s, 0) }
        // Any old jobs would disturb the figures.
        clearAtQueue(env: utc)

        // deadlined with the file channel, which records when each reminder was written.
        let delivered = dir + "/deadlined.jsonl"
        try FileManager.default.createDirectory(atPath: dir + "/etc", withIntermediateDirectories: true)
        try "channels:\n  delivered:\n    type: file\n    path: \(delivered)\ndelivery:\n  channels: delivered\n"
            .write(toFile: dir + "/etc/deadlined.yaml", atomically: true, encoding: .utf8)
        let daemonEnv = ["STATE_DIRECTORY": dir + "/state", "RUNTIME_DIRECTORY": dir + "/run", "PATH": "/usr/bin:/bin",
                         "CONFIGURATION_DIRECTORY": dir + "/etc", "DEADLINED_RULES_PAST": "skip"]
        let daemon = spawn(sibling("deadlined"), [], env: daemonEnv)
        defer { kill(daemon, SIGTERM); var s: Int32 = 0; waitpid(daemon, &s, 0) }
        let socket = dir + "/run/control.sock"
        let up = Date().addingTimeInterval(30)
        while (try? VarlinkClient(path: socket)) == nil && Date() < up { usleep(50_000) }
        let client = try VarlinkClient(path: socket)

        // The same instants for both, in whole seconds (at's finest grain), starting in 90 s.
        let first = (Date().timeIntervalSince1970 + 90).rounded(.up)
        let instants = (0..<jobs).map { first + (Double($0) * spread / Double(jobs)).rounded(.down) }
        let atOut = dir + "/at.txt"
        let f = DateFormatter()
        f.timeZone = TimeZone(secondsFromGMT: 0)
        f.dateFormat = "yyyyMMddHHmm.ss"
        for (i, t) in instants.enumerated() {
            runCommand("/usr/bin/at", ["-t", f.string(from: Date(timeIntervalSince1970: t))], env: utc,
                stdin: "echo \(i) \(t) $(date +%s.%N) >> \(atOut)\n")
        }
        for (i, t) in instants.enumerated() {
            var p = ControlAPI.AddItemParameters(kind: .meeting, title: "job \(i)", at: DateOutput.iso8601(Date(timeIntervalSince1970: t), timeZone: TimeZone(secondsFromGMT: 0)!))
            p.leads = ["0"]
            _ = try client.callUntyped(ControlAPI.addItem, p)
        }
        let wait = Date(timeIntervalSince1970: instants.last! + 90)
        while Date() < wait {
            let atDone = (try? String(contentsOfFile: atOut, encoding: .utf8))?.split(separator: "\n").count ?? 0
            let dlDone = (try? String(contentsOfFile: delivered, encoding: .utf8))?.split(separator: "\n").count ?? 0
            if atDone >= jobs && dlDone >= jobs { break }
            sleep(1)
        }
        let atLate = ((try? String(contentsOfFile: atOut, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line -> Double? in
            let p = line.split(separator: " ")
            guard p.count == 3, let due = Double(p[1]), let ran = Double(p[2]) else { return nil }
            return ran - due
        }.sorted()
        let iso = ISO8601DateFormatter()
        iso.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let iso2 = ISO8601DateFormatter()
        func date(_ s: String) -> Date? { iso.date(from: s) ?? iso2.date(from: s) }
        let dlLate = ((try? String(contentsOfFile: delivered, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line -> Double? in
            guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let due = (o["fireAt"] as? String).flatMap(date), let sent = (o["sentAt"] as? String).flatMap(date) else { return nil }
            return sent.timeIntervalSince(due)
        }.sorted()

        // Queueing and removing `queue` jobs.
        let farAhead = f.string(from: Date().addingTimeInterval(30 * 86400))
        var t0 = Date()
        for _ in 0..<queue { runCommand("/usr/bin/at", ["-t", farAhead], env: utc, stdin: "true\n") }
        let atQueue = Date().timeIntervalSince(t0)
        t0 = Date()
        clearAtQueue(env: utc)
        let atRemove = Date().timeIntervalSince(t0)

        let (dlQueue, dlRemove) = try addThenCancel(queue, over: client)
        let (dlPipelined, dlRemovePipelined) = try addThenCancel(queue, over: client, window: 64)
        t0 = Date()
        for i in 0..<processes {
            runCommand(sibling("deadlinectl"), ["add", "deadline", "งาน \(i)", "--due", "+30d", "--remind", "1wd@09:00", "--socket", socket])
        }
        let dlProcesses = Date().timeIntervalSince(t0)

        func row(_ name: String, _ late: [Double]) -> (String, String) {
            (name, "\(late.count)/\(jobs) ran; p50 \(ms(percentile(late, 50))), p99 \(ms(percentile(late, 99))), max \(ms(late.last ?? .nan))")
        }
        table("e. side by side with atd: \(jobs) one-shot jobs over \(Int(spread)) s, then \(queue) queued and removed", [
            row("atd lateness", atLate),
            row("deadlined lateness", dlLate),
            ("atd: queue \(queue) (one `at` each)", String(format: "%.1f s", atQueue)),
            ("atd: remove \(queue) (`atrm`, 500 ids a call)", String(format: "%.1f s", atRemove)),
            ("deadlined: add \(queue) over one connection", String(format: "%.2f s", dlQueue)),
            ("deadlined: cancel \(queue) over one connection", String(format: "%.2f s", dlRemove)),
            ("deadlined: add \(queue) pipelined (64 ahead)", String(format: "%.2f s (%.0f× atd's queueing)", dlPipelined, atQueue / dlPipelined)),
            ("deadlined: cancel \(queue) pipelined (64 ahead)", String(format: "%.2f s", dlRemovePipelined)),
            ("deadlined: \(processes) adds, one deadlinectl each", String(format: "%.1f s (%.1f ms each)", dlProcesses, dlProcesses * 1000 / Double(max(1, processes)))),
        ])
    }

    /// atq, then atrm in batches.
    func clearAtQueue(env: [String: String]) {
        let out = dirOutput("/usr/bin/atq", env: env)
        let ids = out.split(separator: "\n").compactMap { $0.split(separator: "\t").first.map(String.init) }
        var i = 0
        while i < ids.count {
            runCommand("/usr/bin/atrm", Array(ids[i..<min(i + 500, ids.count)]), env: env)
            i += 500
        }
    }

    func dirOutput(_ path: String, env: [String: String]) -> String {
        let out = "/tmp/deadlined-bench-atq-\(getpid()).txt"
        defer { unlink(out) }
        runCommand("/bin/sh", ["-c", "\(path) > \(out)"], env: env)
        return (try? String(contentsOfFile: out, encoding: .utf8)) ?? ""
    }
}

/// Counts datagrams on a Unix socket (a stand-in NOTIFY_SOCKET) by their assignments.
final class DatagramCounter: @unchecked Sendable {
    private let fd: Int32
    private let seen = Mutex<[String: Int]>([:])

    init(path: String) throws {
        unlink(path)
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        _ = withUnsafePointer(to: &addr) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) } }
        let socketFD = fd
        Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let n = buffer.withUnsafeMutableBytes { recv(socketFD, $0.baseAddress, $0.count, 0) }
                if n <= 0 { break }
                for a in String(decoding: buffer[..<n], as: UTF8.self).split(separator: "\n") {
                    seen.withLock { $0[a.hasPrefix("STATUS=") ? "STATUS" : String(a), default: 0] += 1 }
                }
            }
        }.start()
    }

    func count(of assignment: String) -> Int { seen.withLock { $0[assignment] ?? 0 } }
}
