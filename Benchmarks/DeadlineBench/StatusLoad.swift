import ArgumentParser
import Control
import Foundation
import Glibc
import Synchronization
import Varlink

/// g. 64 clients at once, each on its own connection, calling Status as fast as answers come,
/// against the real daemon (release build) with 10,000 items in its store.
struct StatusLoad: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "status-load", abstract: "64 concurrent clients calling Status: calls/s and latency.")
    @Option var clients = 64
    @Option var seconds = 10.0
    @Option var items = 10_000
    @Option(help: "Serve metrics on this loopback address meanwhile (metrics.listen), to see what counting costs.")
    var metrics: String?

    func run() throws {
        let dir = try scratch("status-load")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let daemon = BenchDaemon(in: dir, env: metrics.map { ["DEADLINED_METRICS_LISTEN": $0] } ?? [:])
        defer { daemon.stop() }
        let socket = daemon.socket
        let filler = try VarlinkClient(path: socket)
        // A store of some size: Status reads counters, so its cost should not grow with it.
        var agenda = "deadlines:\n"
        for i in 0..<items { agenda += "  - {key: s\(i), title: \"งาน \(i)\", due: 2030-01-01}\n" }
        _ = try filler.callUntyped(ControlAPI.importAgenda, ControlAPI.FileParameters(name: "bench.yaml", content: agenda))

        let latencies = Mutex<[Double]>([])
        let failures = Atomic<Int>(0)
        let start = DispatchTime.now().uptimeNanoseconds
        let end = start + UInt64(seconds * 1e9)
        let threads = (0..<clients).map { _ in
            Thread {
                var mine: [Double] = []
                mine.reserveCapacity(100_000)
                guard let client = try? VarlinkClient(path: socket) else { failures.add(1, ordering: .relaxed); return }
                while DispatchTime.now().uptimeNanoseconds < end {
                    let t0 = DispatchTime.now().uptimeNanoseconds
                    do { _ = try client.callUntyped(ControlAPI.status, ControlAPI.NoParameters()) } catch { failures.add(1, ordering: .relaxed); return }
                    mine.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e6)
                }
                latencies.withLock { $0 += mine }
            }
        }
        for t in threads { t.start() }
        while latencies.withLock({ _ in true }) && DispatchTime.now().uptimeNanoseconds < end + 2_000_000_000 { usleep(100_000) }
        usleep(500_000)
        let all = latencies.withLock { $0 }.sorted()
        let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        func pct(_ p: Double) -> String { all.isEmpty ? "-" : String(format: "%.2f ms", all[min(all.count - 1, Int(Double(all.count) * p))]) }
        table("g. \(clients) concurrent clients calling Status for \(seconds) s (\(items) items in the store)\(metrics == nil ? "" : ", metrics on")", [
            ("calls", "\(all.count) (\(failures.load(ordering: .relaxed)) failed)"),
            ("calls/s", String(format: "%.0f", Double(all.count) / min(elapsed, seconds))),
            ("p50", pct(0.50)),
            ("p99", pct(0.99)),
            ("max", all.last.map { String(format: "%.2f ms", $0) } ?? "-"),
        ])
    }
}
