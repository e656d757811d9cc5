import CoreMetrics
import Dispatch

/// What the control socket counts for the metrics system (a no-op until the daemon bootstraps
/// one): calls by method and outcome with their latency, and connections.
public enum VarlinkMetrics {
    public static let calls = "deadlined_control_calls_total"
    public static let callSeconds = "deadlined_control_call_duration_seconds"
    public static let connectionsOpen = "deadlined_control_connections"
    public static let connectionsAccepted = "deadlined_control_connections_accepted_total"

    /// - Parameter result: ok, error (a Varlink error reply) or closed (not a call).
    static func call(_ prepared: VarlinkService.PreparedCall, _ result: String, nanoseconds: UInt64) {
        // Only methods the service knows are named: a hostile client must not make a label per
        // string it sends.
        let method: String = switch prepared.target {
        // Found in the interface's tables: one of its names.
        case .method, .stream: prepared.call?.method ?? "unknown"
        case .service(let name) where ["GetInfo", "GetInterfaceDescription"].contains(name): prepared.call?.method ?? "unknown"
        case .service, .unknown: "unknown"
        }
        Counter(label: calls, dimensions: [("method", method), ("outcome", result)]).increment()
        CoreMetrics.Timer(label: callSeconds, dimensions: [("method", method)]).recordNanoseconds(Int64(nanoseconds))
    }

    static func connections(open: Int, accepted: Bool) {
        Gauge(label: connectionsOpen).record(open)
        if accepted { Counter(label: connectionsAccepted).increment() }
    }
}
