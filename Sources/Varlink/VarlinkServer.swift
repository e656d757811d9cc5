import CLinux
import Dispatch
import Foundation
import Glibc
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Serves Varlink on a Unix stream socket: one it binds at a path, or one systemd passed.
///
/// Each connection answers its calls in order, as the protocol requires; a client may pipeline,
/// and calls of pipelined methods then run side by side (`VarlinkConnectionHandler`). A message that is not JSON, not a call, or longer than the cap closes
/// its connection; no input can end the server.
///
/// Built on classic channel handlers rather than NIO's async `bind`: that API can trap
/// (`Deinited NIOAsyncWriter without calling finish()`) when connections are still buffered
/// at shutdown (swift-nio #2637), and a daemon must not crash on its way out.
public struct VarlinkServer: Service {
    public enum Listener: Sendable, Equatable {
        /// Bind here, replacing a stale socket file from an earlier run.
        case path(String)
        /// A listening socket passed by systemd (`FileDescriptorName=control`).
        case inherited(fd: Int32)
    }

    let listener: Listener
    let service: VarlinkService
    let maxMessageBytes: Int
    let limits: Limits
    let logger: Logger
    let group: any EventLoopGroup
    /// Members of this group (and root) may call methods that change things.
    let changeGroup: gid_t?
    let onListening: @Sendable () -> Void

    /// - Parameter onListening: called once the socket accepts connections; the daemon
    ///   sends READY=1 from there.
    /// How many connections, and how long one may sit idle.
    public struct Limits: Sendable {
        public var maxConnections: Int
        /// Seconds a connection may stay open with no call in flight; 0: no limit.
        public var idleTimeout: Int
        /// Replies a connection may leave unread before the daemon stops reading its calls.
        public var unreadBytes: Int
        /// The longest message from a peer that may change things (an import of a whole
        /// registry); nil: the same as everyone's. Others cannot make the daemon buffer more.
        public var maxChangeMessageBytes: Int?
        public init(maxConnections: Int = 1024, idleTimeout: Int = 300, unreadBytes: Int = 256 << 10, maxChangeMessageBytes: Int? = nil) {
            self.maxConnections = maxConnections
            self.idleTimeout = idleTimeout
            self.unreadBytes = unreadBytes
            self.maxChangeMessageBytes = maxChangeMessageBytes
        }

        /// Seconds a connection may leave `unreadBytes` of replies unread before it is closed:
        /// the idle timeout, at most 30 s.
        public var stallTimeout: Int { idleTimeout > 0 ? min(idleTimeout, 30) : 30 }
    }

    public init(listener: Listener, service: VarlinkService, maxMessageBytes: Int = 1 << 20, limits: Limits = Limits(),
                logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                changeGroup: gid_t? = nil, onListening: @escaping @Sendable () -> Void = {}) {
        self.changeGroup = changeGroup
        self.listener = listener
        self.service = service
        self.maxMessageBytes = maxMessageBytes
        self.limits = limits
        self.logger = logger
        self.group = group
        self.onListening = onListening
    }

    public func run() async throws {
        let connections = OpenConnections()
        let (service, logger, max, changeGroup, limits) = (self.service, self.logger, self.maxMessageBytes, self.changeGroup, self.limits)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            // Past `unreadBytes` of unwritten replies the channel is not writable: the handler
            // then stops reading calls (backpressure) until the client reads.
            .childChannelOption(.writeBufferWaterMark, value: .init(low: limits.unreadBytes / 4, high: limits.unreadBytes))
            .childChannelInitializer { channel in
                if let evicted = connections.admit(channel, limit: limits.maxConnections) {
                    logger.notice(evicted === channel
                        ? "control connection refused: \(limits.maxConnections) connections open, each with a call in flight"
                        : "control connections at the limit (\(limits.maxConnections)): closing the one idle longest")
                    evicted.close(promise: nil)
                }
                channel.closeFuture.whenComplete { _ in connections.remove(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    if limits.idleTimeout > 0 {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: .seconds(Int64(limits.idleTimeout))))
                    }
                    let limit = MessageLimit(max)
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(VarlinkFrameDecoder(limit: limit)))
                    try channel.pipeline.syncOperations.addHandler(VarlinkConnectionHandler(service: service, logger: logger,
                                                                                              changeGroup: changeGroup, connections: connections,
                                                                                              stallTimeout: limits.stallTimeout, messageLimit: limit,
                                                                                              changeMessageBytes: limits.maxChangeMessageBytes ?? max))
                }
            }
        let server: any Channel
        switch listener {
        case .path(let path):
            server = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
            Self.restrict(path, to: changeGroup, logger: logger)
            logger.info("control socket listening at \(path)")
        case .inherited(let fd):
            server = try await bootstrap.withBoundSocket(fd).get()
            logger.info("control socket passed by systemd (fd \(fd))")
        }
        onListening()

        await serveUntilShutdown(server)
        // The listener is closed; end the connections still open, and wait for them.
        await connections.closeAll()
        if case .path(let path) = listener { unlink(path) }
    }
}

extension VarlinkServer {
    /// A socket it binds itself is as the socket unit makes one (`SocketMode=0660`,
    /// `SocketGroup=`, `DirectoryMode=0755`): root and the group connect, nobody else; its
    /// directory only needs to be passable.
    public static func restrict(_ path: String, to group: gid_t?, logger: Logger) {
        if chmod(path, 0o660) != 0 { logger.warning("cannot set the control socket's mode to 0660: \(String(cString: strerror(errno)))") }
        guard let group else { return }
        if chown(path, uid_t.max, group) != 0 {
            logger.warning("cannot give the control socket to group \(group): \(String(cString: strerror(errno))); only its owner can connect")
        }
        let directory = (path as NSString).deletingLastPathComponent
        var info = stat()
        if !directory.isEmpty, stat(directory, &info) == 0, info.st_uid == geteuid(), info.st_mode & 0o011 != 0o011 {
            chmod(directory, mode_t(info.st_mode & 0o7777) | 0o011)
        }
    }
}

/// The open connections: so that a stop can close them, and so that a new connection beyond
/// the limit takes the place of the one idle longest (many idle clients never lock others out).
final class OpenConnections: Sendable {
    struct Entry {
        let channel: any Channel
        var lastActive: UInt64
        var busy: Bool
    }

    private let entries = Mutex<[ObjectIdentifier: Entry]>([:])

    /// Adds a connection; returns the one to close to stay within `limit` (nil: none), or the
    /// new one itself when every other has a call in flight.
    func admit(_ channel: any Channel, limit: Int) -> (any Channel)? {
        entries.withLock { e in
            let now = DispatchTime.now().uptimeNanoseconds
            e[ObjectIdentifier(channel)] = Entry(channel: channel, lastActive: now, busy: false)
            VarlinkMetrics.connections(open: e.count, accepted: true)
            guard e.count > limit else { return nil }
            let victim = e.filter { !$0.value.busy && $0.key != ObjectIdentifier(channel) }.min { $0.value.lastActive < $1.value.lastActive }
            guard let victim else { return channel }
            e.removeValue(forKey: victim.key)
            return victim.value.channel
        }
    }

    func remove(_ channel: any Channel) {
        entries.withLock { e in
            e.removeValue(forKey: ObjectIdentifier(channel))
            VarlinkMetrics.connections(open: e.count, accepted: false)
        }
    }

    /// A call started (busy) or its answer went out (idle again).
    func mark(_ channel: any Channel, busy: Bool) {
        entries.withLock { e in
            let id = ObjectIdentifier(channel)
            e[id]?.busy = busy
            e[id]?.lastActive = DispatchTime.now().uptimeNanoseconds
        }
    }

    var count: Int { entries.withLock { $0.count } }

    func closeAll() async {
        let open = entries.withLock { $0.values.map(\.channel) }
        for channel in open {
            try? await channel.close()
        }
    }
}

