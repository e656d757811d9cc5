import Application
import CoreMetrics
import DeadlineCore
import DeadlineStore
import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import Prometheus
import Scheduler
import ServiceLifecycle
import Synchronization
import Varlink

/// Prometheus text at `GET /metrics` (metrics.listen): what the timer core, the control socket
/// and the store counted, and, read at each scrape, the reminders by state and the store's size.
struct MetricsEndpoint: Service {
    let listener: MetricsListener
    let maxConnections: Int
    /// Seconds; 0: none.
    let idleTimeout: Int
    let registry: PrometheusCollectorRegistry
    let app: Application
    let core: TimerCore
    let controlGroup: gid_t?
    let logger: Logger

    static let reminders = "deadlined_reminders"
    static let storeBytes = "deadlined_store_bytes"
    static let queued = "deadlined_timer_queued"

    /// The registry every metric of this process goes to; bootstrapped once (swift-metrics
    /// allows one), with buckets that fit each figure.
    static func bootstrap() -> PrometheusCollectorRegistry {
        bootstrapped.withLock { registry in
            if let registry { return registry }
            let made = PrometheusCollectorRegistry()
            var factory = PrometheusMetricsFactory(registry: made)
            let seconds: ([Double]) -> [Duration] = { $0.map { .nanoseconds(Int64($0 * 1e9)) } }
            factory.durationHistogramBuckets = [
                SchedulerMetrics.lateness: seconds([0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300, 900, 3600]),
                SchedulerMetrics.queueDelay: seconds([0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 60]),
                VarlinkMetrics.callSeconds: seconds([0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5, 30]),
                StoreMetrics.transactionSeconds: seconds([0.0005, 0.001, 0.005, 0.01, 0.05, 0.1, 0.5, 1, 5]),
            ]
            MetricsSystem.bootstrap(factory)
            registry = made
            return made
        }
    }
    private static let bootstrapped = Mutex<PrometheusCollectorRegistry?>(nil)

    /// The figures read at a scrape, then the whole registry as text.
    func scrape() async throws -> [UInt8] {
        let (counts, bytes) = try await app.read { store in (try store.countsByState(), store.bytesOnDisk) }
        for state in OccurrenceState.allCases {
            Gauge(label: Self.reminders, dimensions: [("state", state.rawValue)]).record(counts[state] ?? 0)
        }
        Gauge(label: Self.storeBytes).record(bytes)
        Gauge(label: Self.queued).record(core.snapshot().pending)
        var out: [UInt8] = []
        registry.emit(into: &out)
        return out
    }

    func run() async throws {
        let endpoint = self
        let open = OpenScrapes()
        let bootstrap = ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelInitializer { channel in
                guard open.admit(limit: endpoint.maxConnections) else {
                    endpoint.logger.notice("metrics connection refused: \(endpoint.maxConnections) open (metrics.max_connections)")
                    channel.close(promise: nil)
                    return channel.eventLoop.makeSucceededVoidFuture()
                }
                channel.closeFuture.whenComplete { _ in open.release() }
                return channel.eventLoop.makeCompletedFuture {
                    if endpoint.idleTimeout > 0 {
                        try channel.pipeline.syncOperations.addHandler(IdleStateHandler(readTimeout: .seconds(Int64(endpoint.idleTimeout))))
                    }
                    try channel.pipeline.syncOperations.configureHTTPServerPipeline(withErrorHandling: true)
                    try channel.pipeline.syncOperations.addHandler(MetricsHTTPHandler(endpoint: endpoint))
                }
            }
        let server: any Channel
        switch listener {
        case .tcp(let host, let port):
            server = try await bootstrap.bind(host: host, port: port).get()
        case .unix(let path):
            server = try await bootstrap.bind(unixDomainSocketPath: path, cleanupExistingSocketFile: true).get()
            VarlinkServer.restrict(path, to: controlGroup, logger: logger)
        }
        logger.info("metrics at \(listener.description)")
        await serveUntilShutdown(server)
        if case .unix(let path) = listener { unlink(path) }
    }
}

/// How many scrape connections are open.
private final class OpenScrapes: Sendable {
    private let count = Mutex(0)

    /// Counts one more if that stays within `limit`.
    func admit(limit: Int) -> Bool {
        count.withLock { n in
            guard n < limit else { return false }
            n += 1
            return true
        }
    }

    func release() { count.withLock { $0 -= 1 } }
}

/// One HTTP/1.1 request at a time per connection: `GET /metrics` (or `HEAD`), 404 elsewhere;
/// a connection silent for the idle timeout is closed.
final class MetricsHTTPHandler: ChannelInboundHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let endpoint: MetricsEndpoint
    private var head: HTTPRequestHead?

    init(endpoint: MetricsEndpoint) { self.endpoint = endpoint }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is IdleStateHandler.IdleStateEvent { context.close(promise: nil) } else { context.fireUserInboundEventTriggered(event) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head(let h): head = h
        case .body: break
        case .end:
            guard let head else { return }
            self.head = nil
            answer(head, context)
        }
    }

    private func answer(_ head: HTTPRequestHead, _ context: ChannelHandlerContext) {
        let path = head.uri.split(separator: "?", maxSplits: 1).first.map(String.init) ?? head.uri
        guard path == "/metrics" else { return respond(head, .notFound, Array("not found: try /metrics\n".utf8), context) }
        guard head.method == .GET || head.method == .HEAD else { return respond(head, .methodNotAllowed, Array("GET /metrics\n".utf8), context) }
        let endpoint = self.endpoint
        let scraped = context.eventLoop.makeFutureWithTask { try await endpoint.scrape() }
        scraped.assumeIsolated().whenComplete { result in
            switch result {
            case .success(let text): self.respond(head, .ok, text, context, type: "text/plain; version=0.0.4; charset=utf-8")
            case .failure(let error):
                endpoint.logger.warning("metrics scrape failed: \(error)")
                self.respond(head, .serviceUnavailable, Array("cannot read the store: \(error)\n".utf8), context)
            }
        }
    }

    private func respond(_ request: HTTPRequestHead, _ status: HTTPResponseStatus, _ body: [UInt8], _ context: ChannelHandlerContext,
                         type: String = "text/plain; charset=utf-8") {
        var headers = HTTPHeaders([("Content-Type", type), ("Content-Length", "\(body.count)")])
        if !request.isKeepAlive { headers.add(name: "Connection", value: "close") }
        context.write(wrapOutboundOut(.head(HTTPResponseHead(version: request.version, status: status, headers: headers))), promise: nil)
        if request.method != .HEAD {
            context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(bytes: body)))), promise: nil)
        }
        let done = context.writeAndFlush(wrapOutboundOut(.end(nil)))
        if !request.isKeepAlive { done.assumeIsolated().whenComplete { _ in context.close(promise: nil) } }
    }
}
