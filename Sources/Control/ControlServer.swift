import Foundation
import Logging
import NIOCore
import NIOPosix
import ServiceLifecycle

/// Serves Varlink on a Unix stream socket: one it binds at a path, or one systemd passed.
///
/// Each connection is read in order, one call at a time, as the protocol requires (a client
/// may pipeline; replies come back in call order). A message that is not JSON, not a call, or
/// longer than the cap closes its connection; no input can end the server.
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
    let onListening: @Sendable () -> Void

    /// - Parameter onListening: called once the socket accepts connections; the daemon
    ///   sends READY=1 from there.
    public init(listener: Listener, service: VarlinkService, maxMessageBytes: Int = 1 << 20,
                logger: Logger, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton,
                onListening: @escaping @Sendable () -> Void = {}) {
        self.listener = listener
        self.service = service
        self.maxMessageBytes = maxMessageBytes
        self.logger = logger
        self.group = group
        self.onListening = onListening
    }

    public func run() async throws {
        let max = maxMessageBytes
        let initialize: @Sendable (any Channel) -> EventLoopFuture<NIOAsyncChannel<ByteBuffer, ByteBuffer>> = { channel in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(VarlinkFrameDecoder(maxMessageBytes: max)))
                return try NIOAsyncChannel<ByteBuffer, ByteBuffer>(wrappingChannelSynchronously: channel)
            }
        }
        let bootstrap = ServerBootstrap(group: group)
            .serverChannelOption(.backlog, value: 256)
        let server: NIOAsyncChannel<NIOAsyncChannel<ByteBuffer, ByteBuffer>, Never>
        switch listener {
        case .path(let path):
            server = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true,
                                              childChannelInitializer: initialize)
            logger.info("control socket listening at \(path)")
        case .inherited(let fd):
            server = try await bootstrap.bind(fd, childChannelInitializer: initialize)
            logger.info("control socket passed by systemd (fd \(fd))")
        }
        onListening()

        try await withGracefulShutdownHandler {
            try await withThrowingDiscardingTaskGroup { group in
                try await server.executeThenClose { connections in
                    for try await connection in connections {
                        group.addTask { await serve(connection) }
                    }
                }
                // The listener is closed: end the idle connections too.
                group.cancelAll()
            }
        } onGracefulShutdown: {
            server.channel.close(promise: nil)
        }
        if case .path(let path) = listener { unlink(path) }
    }

    private func serve(_ connection: NIOAsyncChannel<ByteBuffer, ByteBuffer>) async {
        do {
            try await connection.executeThenClose { inbound, outbound in
                for try await frame in inbound {
                    switch await service.handle(message: Data(frame.readableBytesView)) {
                    case .reply(let bytes):
                        var buffer = connection.channel.allocator.buffer(capacity: bytes.count + 1)
                        buffer.writeBytes(bytes)
                        buffer.writeInteger(UInt8(0))
                        try await outbound.write(buffer)
                    case .none:
                        continue
                    case .close(let reason):
                        logger.notice("closing control connection: \(reason)")
                        return
                    }
                }
            }
        } catch let error as VarlinkFrameError {
            logger.notice("closing control connection: \(error)")
        } catch {
            logger.debug("control connection ended: \(error)")
        }
    }
}
