import Foundation
import Glibc
import Synchronization
import Testing

/// Where `swift build` put the binaries: beside the test bundle.
enum Binaries {
    static let directory: String = {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The runner may sit inside an .xctest bundle directory.
        if dir.pathExtension == "xctest" { dir = dir.deletingLastPathComponent() }
        return dir.path
    }()
    static var deadlined: String { directory + "/deadlined" }
    static var deadlinectl: String { directory + "/deadlinectl" }

    static func require() throws {
        try #require(FileManager.default.isExecutableFile(atPath: deadlined), "build the products first: \(deadlined)")
        try #require(FileManager.default.isExecutableFile(atPath: deadlinectl), "build the products first: \(deadlinectl)")
    }
}

/// A fresh directory with short paths (Unix socket paths are limited to 107 bytes).
final class Sandbox: @unchecked Sendable {
    let path: String
    init() throws {
        var template = Array("/tmp/dl-XXXXXX".utf8CString)
        let made = template.withUnsafeMutableBufferPointer { mkdtemp($0.baseAddress!) }
        try #require(made != nil)
        path = String(decoding: template.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
    var state: String { path + "/state" }
    var runtime: String { path + "/run" }
    var socket: String { runtime + "/control.sock" }
    deinit { try? FileManager.default.removeItem(atPath: path) }

    /// Where `writeConfig` puts `deadlined.yaml`; the daemon reads it from there.
    var configuration: String { path + "/etc" }

    /// Writes the daemon's config file (`$CONFIGURATION_DIRECTORY/deadlined.yaml`).
    func writeConfig(_ yaml: String) throws {
        try FileManager.default.createDirectory(atPath: configuration, withIntermediateDirectories: true)
        try yaml.write(toFile: configuration + "/deadlined.yaml", atomically: true, encoding: .utf8)
    }

    /// A config whose only channel appends to `file`, for tests that count deliveries.
    func fileChannelConfig(_ file: String) throws {
        try writeConfig("""
            channels:
              file:
                type: file
                path: \(file)
            delivery:
              channels: file
            """)
    }

    /// The environment a daemon gets: only what the test chooses.
    func environment(notifySocket: String?, extra: [String: String] = [:]) -> [String: String] {
        var env = ["PATH": "/usr/bin:/bin", "HOME": path, "STATE_DIRECTORY": state, "RUNTIME_DIRECTORY": runtime,
                   "CONFIGURATION_DIRECTORY": configuration]
        if let notifySocket { env["NOTIFY_SOCKET"] = notifySocket }
        env.merge(extra) { $1 }
        return env
    }

    /// The built daemon started in this sandbox, once it says it is ready; the caller stops it
    /// (`ensureStopped`, or SIGTERM and `waitForExit`).
    func startDaemon(extra: [String: String] = [:]) throws -> RunningProcess {
        try Binaries.require()
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: environment(notifySocket: nil, extra: extra))
        guard daemon.waitForLine(containing: "ready;") != nil else {
            daemon.ensureStopped()
            throw SandboxError(message: "deadlined did not get ready: \(daemon.stderrLines.map(\.1).joined(separator: "\n"))")
        }
        return daemon
    }

    /// `deadlinectl` on this sandbox's socket.
    func ctl(_ arguments: [String], timeout: TimeInterval = 30) throws -> (status: Int32?, out: String, err: String) {
        try deadlinectl(arguments + ["--socket", socket], timeout: timeout)
    }
}

struct SandboxError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// A datagram socket standing in for systemd's notify socket or journald's: records every
/// message with the time it arrived, or (`reading: false`) a manager that never reads, whose
/// queue fills after `net.unix.max_dgram_qlen` messages.
final class DatagramListener: @unchecked Sendable {
    let path: String
    private let fd: Int32
    private let received = Mutex<[(Date, [UInt8])]>([])
    private let stopped = Mutex(false)
    private var thread: Thread?

    init(path: String, reading: Bool = true) throws {
        self.path = path
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        try #require(fd >= 0)
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &addr.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        try #require(r == 0, "bind \(path): \(String(cString: strerror(errno)))")
        _ = chmod(path, 0o666)
        var tv = timeval(tv_sec: 0, tv_usec: 100_000)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        guard reading else { return }
        let t = Thread { [self] in
            var buffer = [UInt8](repeating: 0, count: 1 << 16)
            while !stopped.withLock({ $0 }) {
                let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
                if n > 0 {
                    let bytes = Array(buffer[..<n])
                    received.withLock { $0.append((Date(), bytes)) }
                }
            }
        }
        t.start()
        thread = t
    }

    var messages: [(Date, String)] { received.withLock { $0 }.map { ($0.0, String(decoding: $0.1, as: UTF8.self)) } }

    /// Messages parsed as journal native-protocol entries: `FIELD=value` lines, or a field
    /// name, newline, 64-bit little-endian length and the raw value (for values with newlines).
    var journalEntries: [[String: String]] {
        received.withLock { $0 }.map { Self.parseJournal($0.1) }
    }

    static func parseJournal(_ bytes: [UInt8]) -> [String: String] {
        var fields: [String: String] = [:]
        var i = 0
        while i < bytes.count {
            guard let nl = bytes[i...].firstIndex(of: 0x0A) else { break }
            let line = bytes[i..<nl]
            if let eq = line.firstIndex(of: 0x3D) {
                fields[String(decoding: line[..<eq], as: UTF8.self)] = String(decoding: line[(eq + 1)...], as: UTF8.self)
                i = nl + 1
            } else {
                let name = String(decoding: line, as: UTF8.self)
                guard nl + 9 <= bytes.count else { break }
                let length = (0..<8).reduce(0) { $0 | Int(bytes[nl + 1 + $1]) << (8 * $1) }
                let start = nl + 9
                guard start + length <= bytes.count else { break }
                fields[name] = String(decoding: bytes[start..<start + length], as: UTF8.self)
                i = start + length + 1
            }
        }
        return fields
    }

    /// Assignments seen so far, e.g. "READY=1", each with the time its datagram arrived.
    var assignments: [(Date, String)] {
        messages.flatMap { m in m.1.split(separator: "\n").map { (m.0, String($0)) } }
    }

    /// Waits (bounded) until an assignment satisfies `match`; returns it and when it came.
    func wait(for match: (String) -> Bool, timeout: TimeInterval = 15) -> (Date, String)? {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let hit = assignments.first(where: { match($0.1) }) { return hit }
            usleep(5_000)
        }
        return nil
    }

    func stop() {
        stopped.withLock { $0 = true }
        while thread?.isFinished == false { usleep(10_000) }
        close(fd)
        unlink(path)
    }
}

/// A running binary whose stderr is read line by line, each line stamped on arrival.
///
/// Spawned with posix_spawn and reaped with waitpid by the test itself: Foundation's
/// `Process` was seen to wedge its reaper thread here, leaving `waitUntilExit` hanging.
final class RunningProcess: @unchecked Sendable {
    let pid: pid_t
    private let lines = Mutex<[(Date, String)]>([])
    private let stdoutData = Mutex(Data())
    private let exitStatus = Mutex<Int32?>(nil)
    private var readers: [Thread] = []

    init(_ executable: String, _ arguments: [String], environment: [String: String]) throws {
        var errPipe: [Int32] = [0, 0], outPipe: [Int32] = [0, 0]
        try #require(pipe(&errPipe) == 0 && pipe(&outPipe) == 0)
        // Only the child's dup2'ed copies may survive exec; other children must not hold these.
        for fd in errPipe + outPipe { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, outPipe[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errPipe[1], 2)
        let argv = ([executable] + arguments).map { strdup($0) } + [nil]
        let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer { (argv + envp).forEach { free($0) } }
        var child: pid_t = 0
        let r = posix_spawn(&child, executable, &actions, nil, argv, envp)
        close(errPipe[1])
        close(outPipe[1])
        try #require(r == 0, "cannot start \(executable): \(String(cString: strerror(r)))")
        pid = child
        readers = [
            Self.reader(fd: errPipe[0]) { [self] chunk, now, pending in
                pending.append(chunk)
                while let nl = pending.firstIndex(of: 0x0A) {
                    let line = String(decoding: pending[pending.startIndex..<nl], as: UTF8.self)
                    lines.withLock { $0.append((now, line)) }
                    pending.removeSubrange(pending.startIndex...nl)
                }
            },
            Self.reader(fd: outPipe[0]) { [self] chunk, _, _ in stdoutData.withLock { $0.append(chunk) } },
        ]
    }

    /// A thread that reads `fd` until end of file, handing each chunk over with its arrival time.
    private static func reader(fd: Int32, _ handle: @escaping @Sendable (Data, Date, inout Data) -> Void) -> Thread {
        let t = Thread {
            var buffer = [UInt8](repeating: 0, count: 65536)
            var pending = Data()
            while true {
                let n = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
                if n < 0 && errno == EINTR { continue }
                if n <= 0 { break }
                handle(Data(buffer[..<n]), Date(), &pending)
            }
            close(fd)
        }
        t.start()
        return t
    }

    var stderrLines: [(Date, String)] { lines.withLock { $0 } }
    var stdout: String { String(decoding: stdoutData.withLock { $0 }, as: UTF8.self) }

    func waitForLine(containing text: String, timeout: TimeInterval = 15) -> (Date, String)? {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let hit = stderrLines.first(where: { $0.1.contains(text) }) { return hit }
            usleep(2_000)
        }
        return nil
    }

    /// The first line of standard output holding `text`, once it has come (nil after `timeout`).
    func waitForOutput(containing text: String, timeout: TimeInterval = 15) -> String? {
        let end = Date().addingTimeInterval(timeout)
        while Date() < end {
            if let hit = stdout.split(separator: "\n").first(where: { $0.contains(text) }) { return String(hit) }
            usleep(2_000)
        }
        return nil
    }

    /// Reaps the child if it has ended; its exit code, or 128+signal.
    private func poll() -> Int32? {
        exitStatus.withLock { status in
            if status != nil { return status }
            var raw: Int32 = 0
            guard waitpid(pid, &raw, WNOHANG) == pid else { return nil }
            let signal = raw & 0x7f
            status = signal == 0 ? (raw >> 8) & 0xff : 128 + signal
            return status
        }
    }

    var isRunning: Bool { poll() == nil }

    /// Waits (bounded) for the process to end; kills it if it does not (and returns nil).
    /// Also waits for its output to be read to the end.
    @discardableResult
    func waitForExit(timeout: TimeInterval = 15) -> Int32? {
        let end = Date().addingTimeInterval(timeout)
        while poll() == nil && Date() < end { usleep(2_000) }
        var status = poll()
        if status == nil {
            kill(pid, SIGKILL)
            while poll() == nil { usleep(2_000) }
            status = nil
        }
        let drained = Date().addingTimeInterval(5)
        while readers.contains(where: { !$0.isFinished }) && Date() < drained { usleep(2_000) }
        return status
    }

    func signal(_ sig: Int32) { kill(pid, sig) }

    /// Kills the process if a test left it running.
    func ensureStopped() {
        if isRunning {
            kill(pid, SIGKILL)
            waitForExit(timeout: 5)
        }
    }
}

/// Runs `deadlinectl` to completion (bounded) and returns exit status, stdout, stderr.
func deadlinectl(_ arguments: [String], environment: [String: String] = ["PATH": "/usr/bin:/bin"],
                 timeout: TimeInterval = 30) throws -> (status: Int32?, out: String, err: String) {
    let p = try RunningProcess(Binaries.deadlinectl, arguments, environment: environment)
    let status = p.waitForExit(timeout: timeout)
    return (status, p.stdout, p.stderrLines.map(\.1).joined(separator: "\n"))
}

/// Held while a test changes the host's user database (useradd) and while the real-systemd
/// test runs: its sandbox is an overlay whose lower layer is the host's `/`, and a lower layer
/// that changes underneath an overlay gives undefined results (a group written by
/// systemd-sysusers inside was seen to vanish).
let hostFilesLock = NSLock()

/// The python3 on PATH: the one `pip install` (make test-deps) put the test tools into.
/// Polls `what` until it holds (true) or `timeout` passes (false).
func waitFor(_ what: () -> Bool, timeout: TimeInterval = 20) -> Bool {
    let end = Date().addingTimeInterval(timeout)
    while Date() < end {
        if what() { return true }
        usleep(20_000)
    }
    return what()
}

func python3() throws -> String {
    try #require((ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin").split(separator: ":")
        .map { "\($0)/python3" }.first { FileManager.default.isExecutableFile(atPath: $0) }, "python3 is not installed")
}
