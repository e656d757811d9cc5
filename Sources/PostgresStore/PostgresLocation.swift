import DeadlineStore
import Foundation
import NIOSSL
import PostgresNIO

/// Where a PostgreSQL store is and how to log in, from a libpq-style URL:
/// `postgresql://user[:password]@host[:port]/database[?sslmode=…]`, or over a Unix socket
/// `postgresql://user@/database?host=/run/postgresql`. The password may instead come from a
/// file (`store.password_file`, a systemd credential): it is never in the URL people see.
public struct PostgresLocation: Sendable, Equatable, CustomStringConvertible {
    public var user: String
    public var password: String?
    /// A TCP host, or nil with `socketDirectory`.
    public var host: String?
    public var port: Int
    /// The directory of the server's socket (`.s.PGSQL.<port>` in it), as libpq's `host=/dir`.
    public var socketDirectory: String?
    public var database: String
    public var sslMode: SSLMode
    /// Shown in `pg_stat_activity`, so an admin sees which node holds a connection.
    public var applicationName = "deadlined"

    /// libpq's modes: `require` encrypts without checking the certificate, `verify-full` checks it.
    public enum SSLMode: String, Sendable, CaseIterable {
        case disable, prefer, require
        case verifyFull = "verify-full"
    }

    /// - Parameter password: from a file or credential; it wins over one in the URL.
    public init(url: String, password: String? = nil) throws {
        func bad(_ why: String) -> StoreError { .cannotOpen(path: Self.redacted(url), reason: why) }
        guard let parts = URLComponents(string: url), let scheme = parts.scheme, ["postgresql", "postgres"].contains(scheme) else {
            throw bad("a PostgreSQL URL starts postgresql:// (postgresql://user@host:5432/deadlined)")
        }
        let query = Dictionary((parts.queryItems ?? []).map { ($0.name, $0.value ?? "") }, uniquingKeysWith: { _, last in last })
        let known: Set = ["host", "port", "sslmode", "user", "password", "application_name", "dbname"]
        if let unknown = query.keys.sorted().first(where: { !known.contains($0) }) {
            throw bad("unknown parameter '\(unknown)' (known: \(known.sorted().joined(separator: ", ")))")
        }
        user = parts.percentEncodedUser.flatMap { $0.removingPercentEncoding } ?? query["user"] ?? "deadlined"
        self.password = password ?? parts.percentEncodedPassword.flatMap { $0.removingPercentEncoding } ?? query["password"]
        let hostParameter = query["host"] ?? ""
        let urlHost = parts.host ?? ""
        if hostParameter.hasPrefix("/") {
            socketDirectory = hostParameter
            host = nil
        } else if urlHost.isEmpty && hostParameter.isEmpty {
            // As libpq: no host means the local socket.
            socketDirectory = "/run/postgresql"
            host = nil
        } else {
            socketDirectory = nil
            host = hostParameter.isEmpty ? urlHost : hostParameter
        }
        if let p = query["port"] ?? parts.port.map(String.init) {
            guard let n = Int(p), (1...65535).contains(n) else { throw bad("port '\(p)' is not a number from 1 to 65535") }
            port = n
        } else {
            port = 5432
        }
        let path = parts.path.hasPrefix("/") ? String(parts.path.dropFirst()) : parts.path
        database = query["dbname"] ?? (path.isEmpty ? "deadlined" : path.removingPercentEncoding ?? path)
        if let mode = query["sslmode"] {
            guard let m = SSLMode(rawValue: mode) else {
                throw bad("sslmode '\(mode)' is not one of \(SSLMode.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            sslMode = m
        } else {
            sslMode = socketDirectory == nil ? .prefer : .disable
        }
        if let name = query["application_name"] { applicationName = name }
    }

    /// The URL as people see it: never with the password.
    public var description: String {
        let target = socketDirectory.map { "/\(database)?host=\($0)" + (port == 5432 ? "" : "&port=\(port)") }
            ?? "\(host ?? ""):\(port)/\(database)"
        return "postgresql://\(user)@\(target)"
    }

    static func redacted(_ url: String) -> String {
        guard var parts = URLComponents(string: url) else { return "the store URL" }
        if parts.password != nil { parts.password = "…" }
        parts.queryItems = parts.queryItems?.map { $0.name == "password" ? URLQueryItem(name: "password", value: "…") : $0 }
        return parts.string ?? "the store URL"
    }

    func configuration() throws -> PostgresConnection.Configuration {
        var config: PostgresConnection.Configuration
        if let socketDirectory {
            config = .init(unixSocketPath: "\(socketDirectory)/.s.PGSQL.\(port)", username: user, password: password, database: database)
        } else {
            config = .init(host: host ?? "localhost", port: port, username: user, password: password, database: database, tls: try tls())
        }
        config.options.additionalStartupParameters = [("application_name", applicationName)]
        config.options.connectTimeout = .seconds(10)
        return config
    }

    private func tls() throws -> PostgresConnection.Configuration.TLS {
        var client = TLSConfiguration.makeClientConfiguration()
        if sslMode != .verifyFull { client.certificateVerification = .none }
        switch sslMode {
        case .disable: return .disable
        case .prefer: return .prefer(try NIOSSLContext(configuration: client))
        case .require, .verifyFull: return .require(try NIOSSLContext(configuration: client))
        }
    }
}
