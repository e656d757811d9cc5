import CLinux
import Foundation
import Glibc
import Logging
import NIOCore

/// One connection: reads calls, runs them in order and answers them in order.
///
/// A sequential call starts once every call before it is answered. A pipelined one starts as
/// soon as the call before it has taken its place in line (`PlaceInLine`), so that a client that
/// pipelines adds has them share commits; its reply still waits for those before it.
final class VarlinkConnectionHandler: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// Calls a client may queue beyond those running; more is abuse, not pipelining.
    static let maxQueuedCalls = 128
    /// Bytes of calls a client may queue so (a few imports of the largest message).
    static let maxQueuedBytes = 8 << 20
    /// Pipelined calls of one connection running at once: enough to fill a group commit.
    static let maxRunning = 64

    let service: VarlinkService
    let logger: Logger
    let stallTimeout: Int
    let changeGroup: gid_t?
    let connections: OpenConnections

    /// A call started and not yet answered, in the order the calls came.
    private struct Running {
        var admitted: Bool
        var outcome: VarlinkService.Outcome?
    }

    // Event-loop confined, like every channel handler.
    private var queued = CircularBuffer<(call: VarlinkService.PreparedCall, bytes: Int)>()
    private var queuedBytes = 0
    private var running = CircularBuffer<Running>()
    /// The number of the first call in `running`, counted from the connection's first call:
    /// a finishing call finds its entry by its own number.
    private var firstRunning = 0
    /// A `more` call holds the connection until the client goes away.
    private var streaming: Task<Void, Never>?
    private var closing = false
    /// The client leaves its replies unread: no call is read or started until it reads.
    private var stalled = false
    private var stallTimer: Scheduled<Void>?
    /// From SO_PEERCRED when the connection opens; until then (and if unreadable) no changes.
    private var caller = Caller(uid: uid_t.max, gid: gid_t.max, pid: 0, command: "?", mayChange: false)

    /// The frame decoder's limit, raised to `changeMessageBytes` for a peer that may change things.
    private let messageLimit: MessageLimit?
    private let changeMessageBytes: Int

    init(service: VarlinkService, logger: Logger, changeGroup: gid_t?, connections: OpenConnections, stallTimeout: Int = 30,
         messageLimit: MessageLimit? = nil, changeMessageBytes: Int = 0) {
        self.stallTimeout = stallTimeout
        self.messageLimit = messageLimit
        self.changeMessageBytes = changeMessageBytes
        self.service = service
        self.logger = logger
        self.changeGroup = changeGroup
        self.connections = connections
    }

    private var busy: Bool { !running.isEmpty || streaming != nil }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        // Idle means no call in flight and nothing read: a Watch (in flight) is never idle, nor
        // a connection whose replies wait to be read (the stall timer closes that one).
        if let idle = event as? IdleStateHandler.IdleStateEvent, idle == .read, !busy, !stalled, queued.isEmpty {
            logger.debug("closing idle control connection")
            context.close(promise: nil)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelActive(context: ChannelHandlerContext) {
        if let provider = context.channel as? any SocketOptionProvider {
            let future: EventLoopFuture<deadlined_peer_credentials> = provider.unsafeGetSocketOption(level: .init(rawValue: SOL_SOCKET),
                                                                                name: .init(rawValue: SO_PEERCRED))
            // Answered on the event loop before any read is handled: the option is read at once.
            let changeGroup = self.changeGroup
            future.assumeIsolated().whenSuccess {
                self.caller = Caller.peer(of: $0, changeGroup: changeGroup)
                if self.caller.mayChange, let limit = self.messageLimit { limit.bytes = Swift.max(limit.bytes, self.changeMessageBytes) }
            }
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !closing else { return }
        let message = unwrapInboundIn(data)
        queued.append((service.prepare(Data(message.readableBytesView)), message.readableBytes))
        queuedBytes += message.readableBytes
        if queued.count > Self.maxQueuedCalls {
            close(context, reason: "more than \(Self.maxQueuedCalls) calls queued")
            return
        }
        // Room for two of the longest messages this peer may send, at least.
        let queueBound = Swift.max(Self.maxQueuedBytes, 2 * (messageLimit?.bytes ?? 0))
        if queuedBytes > queueBound {
            close(context, reason: "more than \(queueBound >> 20) MiB of calls queued")
            return
        }
        startCalls(context)
    }

    /// Unread replies passed the bound (not writable): stop reading and starting calls, and
    /// close the connection if it stays so for `stallTimeout`; go on once the client catches up.
    func channelWritabilityChanged(context: ChannelHandlerContext) {
        if !context.channel.isWritable, !stalled {
            stalled = true
            context.channel.setOption(.autoRead, value: false).whenFailure { _ in }
            let seconds = stallTimeout
            stallTimer = context.eventLoop.assumeIsolated().scheduleTask(in: .seconds(Int64(seconds))) {
                self.close(context, reason: "its replies were left unread for \(seconds) s")
            }
        } else if context.channel.isWritable, stalled {
            stalled = false
            stallTimer?.cancel()
            stallTimer = nil
            context.channel.setOption(.autoRead, value: true).whenFailure { _ in }
            startCalls(context)
        }
        context.fireChannelWritabilityChanged()
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let frameError = error as? VarlinkFrameError {
            close(context, reason: "\(frameError)")
        } else {
            logger.debug("control connection error: \(error)")
            context.close(promise: nil)
        }
    }

    /// Starts the queued calls that may start now, in order.
    private func startCalls(_ context: ChannelHandlerContext) {
        while !closing, !stalled, streaming == nil, let next = queued.first {
            if let last = running.last {
                // Behind a call still holding its place, or a sequential call behind anything: wait.
                guard next.call.ordering == .pipelined, last.admitted, running.count < Self.maxRunning else { return }
            }
            queued.removeFirst()
            queuedBytes -= next.bytes
            start(next.call, context)
        }
    }

    private func start(_ call: VarlinkService.PreparedCall, _ context: ChannelHandlerContext) {
        if running.isEmpty { connections.mark(context.channel, busy: true) }
        let number = firstRunning + running.count
        running.append(Running(admitted: false))
        let loop = context.eventLoop
        var place: PlaceInLine?
        if call.ordering == .pipelined {
            let inLine = loop.makePromise(of: Void.self)
            inLine.futureResult.assumeIsolated().whenSuccess { self.admitted(number, context) }
            place = PlaceInLine { inLine.succeed() }
        }
        let answered = loop.makePromise(of: VarlinkService.Outcome.self)
        let (service, caller) = (self.service, self.caller)
        answered.completeWithTask { [place] in
            let outcome = await PlaceInLine.$current.withValue(place) { await service.run(call, caller: caller) }
            place?.taken()
            return outcome
        }
        answered.futureResult.assumeIsolated().whenSuccess { self.answered(number, $0, context) }
    }

    /// Where the call of this number is in `running`; nil once the connection is closing.
    private func offset(of number: Int) -> Int? {
        let i = number - firstRunning
        return !closing && i >= 0 && i < running.count ? i : nil
    }

    private func admitted(_ number: Int, _ context: ChannelHandlerContext) {
        guard let i = offset(of: number) else { return }
        running[offset: i].admitted = true
        startCalls(context)
    }

    private func answered(_ number: Int, _ outcome: VarlinkService.Outcome, _ context: ChannelHandlerContext) {
        guard let i = offset(of: number) else { return }
        running[offset: i].admitted = true
        running[offset: i].outcome = outcome
        writeAnswered(context)
        startCalls(context)
    }

    /// Sends the replies of the calls answered at the head of the line, with one flush.
    private func writeAnswered(_ context: ChannelHandlerContext) {
        var wrote = false
        defer { if wrote { context.flush() } }
        while let first = running.first, let outcome = first.outcome {
            running.removeFirst()
            firstRunning += 1
            switch outcome {
            case .reply(let bytes):
                context.write(wrapOutboundOut(context.channel.allocator.frame(bytes)), promise: nil)
                wrote = true
            case .none:
                break
            case .close(let reason):
                if wrote { context.flush() }
                wrote = false
                close(context, reason: reason)
                return
            case .stream(let replies):
                // Sequential: it runs alone. Later calls wait until the client goes away.
                follow(replies, context: context)
                return
            }
        }
        if running.isEmpty { connections.mark(context.channel, busy: false) }
    }

    private func follow(_ replies: AsyncThrowingStream<Data, any Error>, context: ChannelHandlerContext) {
        let channel = context.channel
        streaming = Task {
            do {
                for try await bytes in replies {
                    try await channel.writeAndFlush(channel.allocator.frame(bytes))
                }
            } catch {}
            channel.close(promise: nil)
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        streaming?.cancel()
        stallTimer?.cancel()
        stallTimer = nil
        context.fireChannelInactive()
    }

    private func close(_ context: ChannelHandlerContext, reason: String) {
        guard !closing else { return }
        closing = true
        queued.removeAll()
        running.removeAll()
        logger.notice("closing control connection: \(reason)")
        context.close(promise: nil)
    }
}

extension ByteBufferAllocator {
    /// A reply as it goes on the wire: its JSON and a NUL.
    fileprivate func frame(_ bytes: Data) -> ByteBuffer {
        var buffer = buffer(capacity: bytes.count + 1)
        buffer.writeBytes(bytes)
        buffer.writeInteger(UInt8(0))
        return buffer
    }
}
