import ArgumentParser
import Control
import DeadlineCore
import Foundation
import Glibc
import Varlink

/// 10,000 adds and 10,000 cancels over one connection to the real daemon, with the store's
/// two durability settings side by side.
struct ControlPath: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "control", abstract: "Adds and cancels over one connection, normal vs full durability.")
    @Option var count = 10_000

    func run() throws {
        var rows: [(String, String)] = []
        for durability in ["normal", "full"] {
            let dir = try scratch("control-\(durability)")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let daemon = BenchDaemon(in: dir, env: ["DEADLINED_STORE_DURABILITY": durability])
            defer { daemon.stop() }
            let socket = daemon.socket
            let client = try VarlinkClient(path: socket)
            let (add, cancel) = try addThenCancel(count, over: client)
            let (addPipelined, cancelPipelined) = try addThenCancel(count, over: client, window: 64)
            var latencies: [Double] = []
            latencies.reserveCapacity(count)
            let t0 = Date()
            for _ in 0..<count {
                let started = ContinuousClock.now
                _ = try client.callUntyped(ControlAPI.status, ControlAPI.NoParameters())
                latencies.append(Double((ContinuousClock.now - started).components.attoseconds) / 1e15)
            }
            let status = Date().timeIntervalSince(t0)
            latencies.sort()
            rows += [
                ("\(durability): add \(count)", String(format: "%.2f s (%.0f/s)", add, Double(count) / add)),
                ("\(durability): cancel \(count)", String(format: "%.2f s (%.0f/s)", cancel, Double(count) / cancel)),
                ("\(durability): add \(count), pipelined (64 ahead)", String(format: "%.2f s (%.0f/s)", addPipelined, Double(count) / addPipelined)),
                ("\(durability): cancel \(count), pipelined (64 ahead)", String(format: "%.2f s (%.0f/s)", cancelPipelined, Double(count) / cancelPipelined)),
                ("\(durability): status \(count)", String(format: "%.2f s (%.0f/s), p50 %.3f ms, p99 %.3f ms", status, Double(count) / status,
                                                     latencies[count / 2], latencies[count * 99 / 100])),
            ]
            // A call is at most control.max_message_bytes (1 MiB): about 9,000 of these items.
            for batch in [1_000, 5_000] {
                let t1 = Date()
                var added = 0
                // A daemon from before AddItems answers MethodNotFound: say so, and go on.
                if (try? client.callUntyped(ControlAPI.addItems, ControlAPI.AddItemsParameters(items: []))) == nil {
                    rows.append(("\(durability): AddItems", "not served by this daemon"))
                    break
                }
                while added < count {
                    let items = (added..<min(count, added + batch)).map { i in
                        var p = ControlAPI.AddItemParameters(kind: .deadline, title: "งาน \(i)", at: "+30d", key: "batch\(batch)-\(i)")
                        p.leads = ["1wd@09:00"]
                        return p
                    }
                    added += try client.call(ControlAPI.addItems, ControlAPI.AddItemsParameters(items: items)).keys.count
                }
                let took = Date().timeIntervalSince(t1)
                rows.append(("\(durability): add \(count) by AddItems of \(batch)", String(format: "%.2f s (%.0f/s)", took, Double(count) / took)))
            }
        }
        table("f. control path: one connection, one call at a time or pipelined (each add plans and stores its reminders)", rows)
    }
}

/// Adds `count` deadlines (one reminder each) over one connection, then cancels them all the
/// same way: one call at a time (`window` nil), or pipelined with `window` calls ahead of the
/// replies. Returns the seconds each half took.
func addThenCancel(_ count: Int, over client: VarlinkClient, window: Int? = nil) throws -> (add: TimeInterval, cancel: TimeInterval) {
    let tag = window.map { "p\($0)-" } ?? ""
    let adds = (0..<count).map { i in
        var p = ControlAPI.AddItemParameters(kind: .deadline, title: "งาน \(i)", at: "+30d", key: window == nil ? nil : "\(tag)\(i)")
        p.leads = ["1wd@09:00"]
        return p
    }
    var t0 = Date()
    var keys: [String] = []
    if let window {
        keys = try client.pipeline(ControlAPI.addItem, adds, window: window).map { try $0.get().item.key }
    } else {
        keys.reserveCapacity(count)
        for p in adds { keys.append(try client.call(ControlAPI.addItem, p).item.key) }
    }
    let add = Date().timeIntervalSince(t0)
    let cancels = keys.map { ControlAPI.AcknowledgeParameters(key: $0, state: .cancelled, by: "bench") }
    t0 = Date()
    if let window {
        for result in try client.pipeline(ControlAPI.acknowledge, cancels, window: window) { _ = try result.get() }
    } else {
        for p in cancels { _ = try client.callUntyped(ControlAPI.acknowledge, p) }
    }
    return (add, Date().timeIntervalSince(t0))
}
