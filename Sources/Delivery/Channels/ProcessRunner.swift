import CLinux
import Foundation
import Glibc
import Subprocess
import Synchronization
#if canImport(System)
import System
#else
import SystemPackage
#endif

/// Runs a program for a channel (a hook, sendmail): input on stdin, the tail of its stderr
/// kept, and a time limit after which its whole session gets SIGTERM, then SIGKILL 2 s
/// later. The child gets its own session so that `sh -c 'sleep 100'` dies with its shell.
enum ProcessRunner {
    struct Result: Sendable {
        let status: TerminationStatus
        /// The last few KiB of what it wrote to stderr, as text.
        let stderr: String

        var succeeded: Bool { status == .exited(0) }

        /// `exit 3: <stderr>` or `killed by signal 9`, for the delivery log.
        var summary: String {
            let head = switch status {
            case .exited(let code): "exit \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
            let text = stderr.trimmingCharacters(in: .whitespacesAndNewlines)
            return text.isEmpty ? head : "\(head): \(text.split(whereSeparator: \.isNewline).suffix(3).joined(separator: " | "))"
        }
    }

    static let stderrLimit = 4096

    static func run(_ argv: [String], environment: [String: String], input: [UInt8], timeout: Duration) async throws -> Result {
        guard let program = argv.first else { throw ChannelError("no program to run") }
        var options = PlatformOptions()
        options.createSession = true
        options.teardownSequence = [.gracefulShutDown(toProcessGroup: true, allowedDurationToNextStep: .seconds(2))]
        var env: [Environment.Key: String] = [:]
        for (k, v) in environment { env[Environment.Key(stringLiteral: k)] = v }
        let configuration = Configuration(
            executable: .path(FilePath(program)), arguments: Arguments(Array(argv.dropFirst())),
            environment: .custom(env), workingDirectory: FilePath("/"), platformOptions: options
        )
        // The input is a file in memory rather than a pipe that Subprocess writes: a hook that
        // exits without reading its stdin left the library's writer unclosed, and it traps
        // ("FileDescriptor … was not closed"), taking the daemon down.
        let stdin = try memoryFile(input)
        // The child leads its own session and process group: the group id is its pid.
        let group = ProcessGroupBox()
        defer {
            // Whatever the program left running in its group goes with it.
            if let pgid = group.pid.withLock({ $0 }) { kill(-pgid, SIGKILL) }
        }
        return try await withThrowingTaskGroup(of: Result?.self) { tasks in
            tasks.addTask {
                let result = try await Subprocess.run(configuration, input: .fileDescriptor(stdin, closeAfterSpawningProcess: true),
                                                      output: .discarded, error: .sequence) { execution in
                    group.pid.withLock { $0 = execution.processIdentifier.value }
                    var tail: [UInt8] = []
                    for try await buffer in execution.standardError {
                        buffer.withUnsafeBytes { tail.append(contentsOf: $0) }
                        if tail.count > stderrLimit { tail.removeFirst(tail.count - stderrLimit) }
                    }
                    return tail
                }
                return Result(status: result.terminationStatus, stderr: String(decoding: result.closureResult, as: UTF8.self))
            }
            tasks.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            // The first to finish decides; cancelling the other tears the process down.
            let first = try await tasks.next()!
            if first == nil, let pgid = group.pid.withLock({ $0 }) { kill(-pgid, SIGTERM) }
            tasks.cancelAll()
            guard let first else {
                throw ChannelError("\(program) did not finish within \(timeout) and was killed")
            }
            return first
        }
    }
}

extension ProcessRunner {
    /// `bytes` in an anonymous file in memory (memfd), positioned at its start: the child
    /// reads it at its own pace, or not at all, and nobody waits on a pipe for it.
    static func memoryFile(_ bytes: [UInt8]) throws -> FileDescriptor {
        let fd = deadlined_memfd_create("deadlined-input")
        guard fd >= 0 else { throw ChannelError("cannot hold the input for the program: \(String(cString: strerror(errno)))") }
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { write(fd, $0.baseAddress! + offset, bytes.count - offset) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw ChannelError("cannot hold the input for the program: \(reason)")
            }
            offset += n
        }
        lseek(fd, 0, SEEK_SET)
        return FileDescriptor(rawValue: fd)
    }
}

/// The running child's process group, set once it has started.
private final class ProcessGroupBox: Sendable {
    let pid = Mutex<pid_t?>(nil)
}
