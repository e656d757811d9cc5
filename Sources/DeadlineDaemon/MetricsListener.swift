import Foundation

/// Where the metrics endpoint listens (`metrics.listen`): a loopback address and port, or a
/// Unix socket. Never another address: the figures say what the office is working on.
enum MetricsListener: Sendable, Equatable {
    case tcp(host: String, port: Int)
    case unix(path: String)

    /// nil for "" (off); throws why a value cannot be used.
    static func parse(_ text: String) throws(ConfigValueError) -> MetricsListener? {
        if text.isEmpty || text == "off" { return nil }
        if text.hasPrefix("/") { return .unix(path: text) }
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else {
            throw ConfigValueError("'\(text)' is not HOST:PORT on loopback (127.0.0.1:9464, [::1]:9464) nor a socket's absolute path")
        }
        var host = String(text[..<colon])
        if host.hasPrefix("["), host.hasSuffix("]") { host = String(host.dropFirst().dropLast()) }
        guard isLoopback(host) else {
            throw ConfigValueError("'\(host)' is not a loopback address: metrics are served on 127.0.0.1, ::1 or a Unix socket only")
        }
        return .tcp(host: host == "localhost" ? "127.0.0.1" : host, port: port)
    }

    static func isLoopback(_ host: String) -> Bool {
        if host == "localhost" || host == "::1" { return true }
        var v4 = in_addr()
        return inet_pton(AF_INET, host, &v4) == 1 && UInt32(bigEndian: v4.s_addr) >> 24 == 127
    }

    var description: String {
        switch self {
        case .tcp(let host, let port): host.contains(":") ? "http://[\(host)]:\(port)/metrics" : "http://\(host):\(port)/metrics"
        case .unix(let path): "\(path) (HTTP, /metrics)"
        }
    }
}

struct ConfigValueError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
