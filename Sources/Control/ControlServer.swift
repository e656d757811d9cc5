import Foundation
import CLinux
import Glibc
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle
import Synchronization

/// Serves Varlink on a Unix stream socket: one it binds at a path, or one systemd passed.
///
/// Each connection answers its calls one at a time, in order, as the protocol requires (a
/// client may pipeline). A message that is not JSON, not a call, or longer than the cap closes
/// its connection; no input can end the server.
///
/// Built on classic channel handlers rather than NIO's async `bind`: that API can trap
/// (`Deinited NIOAsyncWriter without calling finish()`) when connections are still buffered
/// at shutdown (swift-nio #2637), and a daemon must not crash on its way out.
public struct ControlServer: Service {
    public enum Listener: Sendable, Equatable {
        /// Bind here, replacing a stale socket file from an earlier run.
        case path(String)
        /// A listening socket passed by systemd (`FileDescriptorName=control`).
        case inherited(fd: Int32)
    }

    let listener: Listener
    let service: VarlinkService
    let maxMessageBytes: Int
    let logger: Logger
    let group: any EventLoopGroup
    /// Members of this group (and root) may call methods that change things.
    let changeGroup: gid_t?
    let onListening: @Sendable () -> Void

    /// - Parameter onListening: called once the socket accepts connections; the daemon
    ///   sends READY=1 from there.
    public init(listener: Listener, service: VarlinkService, maxMessageBytes: Int = 1 << 20,
                logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                changeGroup: gid_t? = nil, onListening: @escaping @Sendable () -> Void = {}) {
        self.changeGroup = changeGroup
        self.listener = listener
        self.service = service
        self.maxMessageBytes = maxMessageBytes
        self.logger = logger
        self.group = group
        self.onListening = onListening
    }

    public func run() async throws {
        let connections = OpenConnections()
        let (service, logger, max, changeGroup) = (self.service, self.logger, self.maxMessageBytes, self.changeGroup)
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
            .childChannelInitializer { channel in
                connections.insert(channel)
                channel.closeFuture.whenComplete { _ in connections.remove(channel) }
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(VarlinkFrameDecoder(maxMessageBytes: max)))
                    try channel.pipeline.syncOperations.addHandler(VarlinkConnectionHandler(service: service, logger: logger,
                                                                                              changeGroup: changeGroup))
                }
            }
        let server: any Channel
        switch listener {
        case .path(let path):
            server = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
            logger.info("control socket listening at \(path)")
        case .inherited(let fd):
            server = try await bootstrap.withBoundSocket(fd).get()
            logger.info("control socket passed by systemd (fd \(fd))")
        }
        onListening()

        await withGracefulShutdownHandler {
            await withTaskCancellationHandler {
                try? await server.closeFuture.get()
            } onCancel: {
                server.close(promise: nil)
            }
        } onGracefulShutdown: {
            server.close(promise: nil)
        }
        // The listener is closed; end the connections still open, and wait for them.
        await connections.closeAll()
        if case .path(let path) = listener { unlink(path) }
    }
}

/// The open connections, so that a stop can close them.
final class OpenConnections: Sendable {
    private let channels = Mutex<[ObjectIdentifier: any Channel]>([:])

    func insert(_ channel: any Channel) { channels.withLock { $0[ObjectIdentifier(channel)] = channel } }
    func remove(_ channel: any Channel) { _ = channels.withLock { $0.removeValue(forKey: ObjectIdentifier(channel)) } }

    func closeAll() async {
        let open = channels.withLock { Array($0.values) }
        for channel in open {
            try? await channel.close()
        }
    }
}

/// One connection: takes decoded messages, answers them one at a time, in order.
final class VarlinkConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Calls a client may queue before the first is answered; more is abuse, not pipelining.
    static let maxQueuedCalls = 128

    let service: VarlinkService
    let logger: Logger
    // Event-loop confined, like every channel handler.
    private var queued: [ByteBuffer] = []
    private var busy = false
    private var closing = false
    let changeGroup: gid_t?
    /// From SO_PEERCRED when the connection opens; until then (and if unreadable) no changes.
    private var caller = Caller(uid: uid_t.max, gid: gid_t.max, pid: 0, command: "?", mayChange: false)

    init(service: VarlinkService, logger: Logger, changeGroup: gid_t?) {
        self.service = service
        self.logger = logger
        self.changeGroup = changeGroup
    }

    func channelActive(context: ChannelHandlerContext) {
        if let provider = context.channel as? any SocketOptionProvider {
            let future: EventLoopFuture<deadlined_peer_credentials> = provider.unsafeGetSocketOption(level: .init(rawValue: SOL_SOCKET),
                                                                                name: .init(rawValue: SO_PEERCRED))
            // Answered on the event loop before any read is handled: the option is read at once.
            let changeGroup = self.changeGroup
            future.assumeIsolated().whenSuccess { self.caller = Caller.peer(of: $0, changeGroup: changeGroup) }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        queued.append(unwrapInboundIn(data))
        if queued.count > Self.maxQueuedCalls {
            close(context, reason: "more than \(Self.maxQueuedCalls) calls queued")
            return
        }
        next(context)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let frameError = error as? VarlinkFrameError {
            close(context, reason: "\(frameError)")
        } else {
            logger.debug("control connection error: \(error)")
            context.close(promise: nil)
        }
    }

    private func next(_ context: ChannelHandlerContext) {
        guard !busy, !closing, !queued.isEmpty else { return }
        busy = true
        let message = Data(queued.removeFirst().readableBytesView)
        let promise = context.eventLoop.makePromise(of: VarlinkService.Outcome.self)
        let (service, caller) = (self.service, self.caller)
        promise.completeWithTask { await service.handle(message: message, caller: caller) }
        promise.futureResult.assumeIsolated().whenSuccess { outcome in
            self.busy = false
            switch outcome {
            case .reply(let bytes):
                var buffer = context.channel.allocator.buffer(capacity: bytes.count + 1)
                buffer.writeBytes(bytes)
                buffer.writeInteger(UInt8(0))
                context.writeAndFlush(self.wrapOutboundOut(buffer), promise: nil)
            case .none:
                break
            case .close(let reason):
                self.close(context, reason: reason)
                return
            case .stream(let replies):
                // The call stays in flight (later calls wait) until the client goes away.
                self.follow(replies, context: context)
                return
            }
            self.next(context)
        }
    }

    private var streaming: Task<Void, Never>?

    private func follow(_ replies: AsyncThrowingStream<Data, any Error>, context: ChannelHandlerContext) {
        let channel = context.channel
        streaming = Task {
            do {
                for try await bytes in replies {
                    var buffer = channel.allocator.buffer(capacity: bytes.count + 1)
                    buffer.writeBytes(bytes)
                    buffer.writeInteger(UInt8(0))
                    try await channel.writeAndFlush(buffer)
                }
            } catch {}
            channel.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        streaming?.cancel()
        streaming = nil
        context.fireChannelInactive()
    }

    private func close(_ context: ChannelHandlerContext, reason: String) {
        guard !closing else { return }
        closing = true
        queued.removeAll()
        logger.notice("closing control connection: \(reason)")
        context.close(promise: nil)
    }
}
