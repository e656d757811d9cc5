import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A blocking Varlink client over a Unix socket: what a command-line tool needs, no event loop.
public final class VarlinkClient {
    private let fd: Int32
    private var pending = [UInt8]()
    public let path: String

    /// Connects to the socket at `path`.
    /// - Parameter timeout: the longest wait for any one reply.
    public init(path: String, timeout: TimeInterval = 30) throws(VarlinkClientError) {
        self.path = path
        var addr = sockaddr_un()
        addr.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(path.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: addr.sun_path) else { throw .pathTooLong(path) }
        withUnsafeMutableBytes(of: &addr.sun_path) { raw in
            raw.copyBytes(from: bytes)
            raw[bytes.count] = 0
        }
        fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { throw .system("socket", errno) }
        var tv = timeval(tv_sec: Int(timeout), tv_usec: Int((timeout - timeout.rounded(.down)) * 1e6))
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        let r = withUnsafePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) }
        }
        if r != 0 {
            let e = errno
            close(fd)
            throw .cannotConnect(path: path, errno: e)
        }
    }

    deinit { close(fd) }

    /// Calls `method` and returns the reply's parameters, or throws the Varlink error.
    public func call<P: Encodable>(_ method: String, _ parameters: P) throws -> JSONValue {
        let message = try VarlinkJSON.encoder.encode(OutgoingCall(method: method, parameters: parameters, oneway: nil, more: nil))
        try send(message)
        let reply = try VarlinkJSON.decoder.decode(IncomingReply.self, from: try receive())
        if let error = reply.error {
            var params: [String: JSONValue] = [:]
            if case .object(let o) = reply.parameters { params = o }
            throw VarlinkError(error, params)
        }
        return reply.parameters ?? .object([:])
    }

    /// Calls `method` and decodes the reply's parameters as `R`, in one pass (no `JSONValue`
    /// in between: finding each value's type by trial is slow, and replies list many values).
    public func call<P: Encodable, R: Decodable>(_ method: String, _ parameters: P, as: R.Type) throws -> R {
        try send(try VarlinkJSON.encoder.encode(OutgoingCall(method: method, parameters: parameters, oneway: nil, more: nil)))
        return try Self.decode(try receive(), as: R.self)
    }

    /// Calls `method` once for each of `parameters` without waiting for each reply: up to
    /// `window` calls are ahead of the replies. Returns each reply or error, in order; the server
    /// runs the calls in order too (a pipelined method shares commits, a sequential one waits).
    public func pipeline<P: Encodable, R: Decodable>(_ method: String, _ parameters: [P], as: R.Type,
                                                      window: Int = 64) throws -> [Result<R, VarlinkError>] {
        precondition(window > 0)
        var results: [Result<R, VarlinkError>] = []
        results.reserveCapacity(parameters.count)
        var sent = 0
        while results.count < parameters.count {
            while sent < parameters.count, sent - results.count < window {
                try send(try VarlinkJSON.encoder.encode(OutgoingCall(method: method, parameters: parameters[sent], oneway: nil, more: nil)))
                sent += 1
            }
            do {
                results.append(.success(try Self.decode(try receive(), as: R.self)))
            } catch let error as VarlinkError {
                results.append(.failure(error))
            }
        }
        return results
    }

    /// A reply's parameters as `R`, or its error thrown.
    private static func decode<R: Decodable>(_ data: Data, as: R.Type) throws -> R {
        try throwIfError(data)
        guard let value = try VarlinkJSON.decoder.decode(ParametersEnvelope<R>.self, from: data).parameters else {
            return try VarlinkJSON.decoder.decode(R.self, from: Data("{}".utf8))
        }
        return value
    }

    /// Throws the error a reply carries, with its parameters.
    private static func throwIfError(_ data: Data) throws {
        if let error = try VarlinkJSON.decoder.decode(ErrorProbe.self, from: data).error {
            var params: [String: JSONValue] = [:]
            if case .object(let o)? = try VarlinkJSON.decoder.decode(IncomingReply.self, from: data).parameters { params = o }
            throw VarlinkError(error, params)
        }
    }

    /// Calls with `more: true` and hands each reply's parameters to `body` as it arrives, until
    /// the server ends the stream, `body` returns false, or the connection closes. Waits as
    /// long as it takes (no receive timeout).
    public func stream<P: Encodable, R: Decodable>(_ method: String, _ parameters: P, as: R.Type,
                                                    _ body: (R) throws -> Bool) throws {
        var tv = timeval(tv_sec: 0, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, socklen_t(MemoryLayout<timeval>.size))
        try send(try VarlinkJSON.encoder.encode(OutgoingCall(method: method, parameters: parameters, oneway: nil, more: true)))
        while true {
            let data = try receive()
            try Self.throwIfError(data)
            let reply = try VarlinkJSON.decoder.decode(StreamedReply<R>.self, from: data)
            if let value = reply.parameters, try !body(value) { return }
            if reply.continues != true { return }
        }
    }

    private func send(_ message: Data) throws(VarlinkClientError) {
        var bytes = [UInt8](message)
        bytes.append(0)
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
            if n < 0 {
                if errno == EINTR { continue }
                throw .system("send", errno)
            }
            offset += n
        }
    }

    private func receive() throws(VarlinkClientError) -> Data {
        var chunk = [UInt8](repeating: 0, count: 65536)
        // Only new bytes are searched for the NUL: a reply of megabytes (an export) comes in
        // many chunks, and searching from the start each time was quadratic.
        var searched = pending.startIndex
        while true {
            if let nul = pending[searched...].firstIndex(of: 0) {
                let message = Data(pending[..<nul])
                pending.removeSubrange(...nul)
                return message
            }
            searched = pending.endIndex
            let n = chunk.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
            if n == 0 { throw .closedByPeer }
            if n < 0 {
                if errno == EINTR { continue }
                if errno == EAGAIN || errno == EWOULDBLOCK { throw .timedOut }
                throw .system("recv", errno)
            }
            pending.append(contentsOf: chunk[..<n])
        }
    }
}

/// Just the `error` of a reply, read before deciding how to decode the rest.
struct ErrorProbe: Decodable { let error: String? }

struct StreamedReply<R: Decodable>: Decodable {
    let parameters: R?
    let continues: Bool?
}

public enum VarlinkClientError: Error, CustomStringConvertible {
    case pathTooLong(String)
    case cannotConnect(path: String, errno: Int32)
    case system(String, Int32)
    case closedByPeer
    case timedOut

    public var description: String {
        switch self {
        case .pathTooLong(let p): "socket path too long: \(p)"
        case .cannotConnect(let p, let e): "cannot connect to \(p): \(String(cString: strerror(e))) (is deadlined running?)"
        case .system(let call, let e): "\(call): \(String(cString: strerror(e)))"
        case .closedByPeer: "the daemon closed the connection"
        case .timedOut: "no reply from the daemon in time"
        }
    }
}
