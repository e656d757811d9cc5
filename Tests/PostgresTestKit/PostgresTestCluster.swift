import Foundation
import Glibc
import Synchronization

/// A throw-away PostgreSQL cluster from Debian's packages, started once per test process:
/// `initdb` in a temporary directory, `pg_ctl start` on a Unix socket in it and on one loopback
/// port, stopped at exit. As root (CI), the server runs as the `postgres` user, since PostgreSQL
/// refuses to run as root. Each test gets a database of its own (`createDatabase`).
public final class PostgresTestCluster: Sendable {
    /// The cluster of this process, started at first use; the error says what is missing.
    public static let shared: Result<PostgresTestCluster, PostgresTestClusterError> = {
        do { return .success(try PostgresTestCluster()) } catch let error as PostgresTestClusterError { return .failure(error) }
        catch { return .failure(PostgresTestClusterError("\(error)")) }
    }()

    /// The data directory; the server's socket is in it too.
    public let directory: String
    public let port: Int
    /// The bootstrap superuser; its password is for logins over TCP (the socket trusts it).
    public let user = "postgres"
    public let password: String
    let bin: String

    /// A cluster of its own (tests that stop or restart the server use one, not `shared`).
    /// - Parameter name: tells the clusters of one process apart.
    public init(name: String = "shared") throws {
        guard let bin = Self.binDirectory() else {
            throw PostgresTestClusterError("no PostgreSQL server is installed (/usr/lib/postgresql/*/bin/initdb): run `make test-deps` or apt-get install postgresql")
        }
        self.bin = bin
        Self.stopLeftovers()
        directory = "/tmp/deadlined-pg-\(getpid())-\(name)"
        port = try Self.freePort()
        password = UUID().uuidString
        try? FileManager.default.removeItem(atPath: directory)
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: false)
        let passwordFile = directory + ".password"
        try password.write(toFile: passwordFile, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(atPath: passwordFile) }
        if getuid() == 0 {
            guard let pw = getpwnam("postgres") else { throw PostgresTestClusterError("running as root needs the postgres user (apt-get install postgresql)") }
            chown(directory, pw.pointee.pw_uid, pw.pointee.pw_gid)
            chown(passwordFile, pw.pointee.pw_uid, pw.pointee.pw_gid)
        }
        try run("initdb", ["-D", directory + "/data", "-U", user, "--auth-local=trust", "--auth-host=scram-sha-256",
                           "--pwfile=" + passwordFile, "-E", "UTF8", "--locale=C.UTF-8", "--no-sync"])
        let first = Self.started.withLock { list in
            defer { list.append(directory) }
            return list.isEmpty
        }
        if first { atexit { PostgresTestCluster.stopAtExit() } }
        try start()
    }

    /// Starts the server (again, after `stop`), waiting until it takes connections.
    public func start() throws {
        // Durability is not what these tests are about: no fsync, so a test run stays fast.
        let options = "-k \(directory) -p \(port) -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off "
            + "-c full_page_writes=off -c max_connections=400 -c shared_buffers=64MB"
        try run("pg_ctl", ["-D", directory + "/data", "-l", directory + "/server.log", "-o", options, "-w", "-t", "60", "start"])
    }

    /// Stops the server: `fast` rolls back open transactions and closes connections, as an
    /// admin's restart would; `immediate` is a crash.
    public func stop(mode: String = "fast") throws {
        try run("pg_ctl", ["-D", directory + "/data", "-m", mode, "-w", "stop"])
    }

    /// A new, empty database; its name.
    @discardableResult
    public func createDatabase(_ name: String = "t" + UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(20)) throws -> String {
        _ = try psql("CREATE DATABASE \(name)")
        return name
    }

    /// The URL of `database` over the Unix socket (trusted: no password).
    public func url(database: String) -> String { "postgresql://\(user)@/\(database)?host=\(directory)&port=\(port)" }
    /// The URL of `database` over loopback TCP, without the password (it takes `password`).
    public func tcpURL(database: String) -> String { "postgresql://\(user)@127.0.0.1:\(port)/\(database)?sslmode=disable" }

    /// Runs SQL with psql over the socket; its output (unaligned, tuples only).
    @discardableResult
    public func psql(_ sql: String, database: String = "postgres") throws -> String {
        try run("psql", ["-X", "-q", "-A", "-t", "-v", "ON_ERROR_STOP=1", "-h", directory, "-p", String(port), "-U", user, "-d", database,
                         "-c", sql], asServer: false)
    }

    /// Runs one of the server's tools, as the postgres user when we are root; its standard output.
    @discardableResult
    func run(_ tool: String, _ arguments: [String], asServer: Bool = true) throws -> String {
        let command = asServer && getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--", bin + "/" + tool] : [bin + "/" + tool]
        let (status, output, errors) = try Self.spawn(command + arguments, outputBase: directory)
        guard status == 0 else {
            throw PostgresTestClusterError("\(tool) \(arguments.joined(separator: " ")) exited \(status): \(errors)\(output)")
        }
        return output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// posix_spawn and waitpid, output through files: Foundation's `Process` waits until every
    /// descendant closed a socket it hands down, and the server that pg_ctl starts never does.
    static func spawn(_ argv: [String], outputBase: String) throws -> (status: Int32, out: String, err: String) {
        let outPath = "\(outputBase)-\(UUID().uuidString).out", errPath = outPath + ".err"
        defer { unlink(outPath); unlink(errPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        posix_spawn_file_actions_addopen(&actions, 2, errPath, O_WRONLY | O_CREAT | O_TRUNC, 0o644)
        var cArgs = argv.map { strdup($0) } + [nil]
        defer { cArgs.forEach { free($0) } }
        var child: pid_t = 0
        let r = posix_spawn(&child, argv[0], &actions, nil, &cArgs, environ)
        guard r == 0 else { throw PostgresTestClusterError("cannot run \(argv[0]): \(String(cString: strerror(r)))") }
        var status: Int32 = 0
        while waitpid(child, &status, 0) < 0 && errno == EINTR {}
        let exit = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        let read = { (path: String) in String(decoding: FileManager.default.contents(atPath: path) ?? Data(), as: UTF8.self) }
        return (exit, read(outPath), read(errPath))
    }

    static func binDirectory() -> String? {
        let root = "/usr/lib/postgresql"
        let versions = ((try? FileManager.default.contentsOfDirectory(atPath: root)) ?? []).compactMap(Int.init).sorted()
        return versions.reversed().map { "\(root)/\($0)/bin" }.first { FileManager.default.isExecutableFile(atPath: $0 + "/initdb") }
    }

    private static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw PostgresTestClusterError("socket: \(errno)") }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { p in
            p.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw PostgresTestClusterError("no free loopback port: \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    // MARK: Cleaning up

    /// The data directories of the clusters this process started.
    private static let started = Mutex<[String]>([])

    private static func stopAtExit() {
        guard let bin = binDirectory() else { return }
        for directory in started.withLock({ $0 }) {
            stop(directory: directory, bin: bin)
            try? FileManager.default.removeItem(atPath: directory)
        }
    }

    private static func stop(directory: String, bin: String) {
        let pgCtl = [bin + "/pg_ctl", "-D", directory + "/data", "-m", "immediate", "-w", "stop"]
        _ = try? spawn(getuid() == 0 ? ["/usr/sbin/runuser", "-u", "postgres", "--"] + pgCtl : pgCtl, outputBase: directory)
    }

    /// Clusters of test processes that were killed before their exit handler ran.
    private static func stopLeftovers() {
        guard let bin = binDirectory() else { return }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? [] where name.hasPrefix("deadlined-pg-") {
            guard let pid = Int32(name.dropFirst("deadlined-pg-".count).prefix { $0 != "-" }), kill(pid, 0) != 0 else { continue }
            stop(directory: "/tmp/" + name, bin: bin)
            try? FileManager.default.removeItem(atPath: "/tmp/" + name)
        }
    }
}

public struct PostgresTestClusterError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
