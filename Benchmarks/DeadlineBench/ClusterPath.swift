import ArgumentParser
import DeadlineCore
import DeadlineStore
import Delivery
import Foundation
import Glibc
import Logging
import PostgresStore
import PostgresTestKit
@_spi(Testing) import Scheduler
import Synchronization

/// m. Several timer cores, each with its own PostgresStore (a node), on one database of a
/// throw-away PostgreSQL server: a burst drained with 1, 2 and 3 nodes (null channel), steady
/// lateness with three nodes, and the failover when a node that claimed a batch stops. Needs Debian's postgresql (make test-deps).
struct ClusterPath: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "cluster", abstract: "Nodes on one PostgreSQL: burst drain rate and failover.")
    @Option(help: "Items in the burst; each has `reminders` reminders.") var items = 7_850
    @Option var reminders = 15
    @Option(help: "Node counts to measure, comma-separated.") var nodes = "1,2,3"
    @Option(help: "The lease of the failover run, in seconds.") var lease = 10.0
    @Option var poll = 2.0
    @Option(help: "Seconds a burst may take before it is reported unfinished.") var timeout = 60
    @Option(help: "Reminders of the steady run, spread evenly over `over` seconds (0: no steady run).") var steady = 10_000
    @Option var over = 60.0
    @Option(help: "Nodes of the steady run.") var steadyNodes = 3

    func run() throws {
        let server = try PostgresTestCluster(name: "bench")
        defer { try? server.stop(mode: "immediate") }
        var rows: [(String, String)] = []
        for n in nodes.split(separator: ",").compactMap({ Int($0) }) {
            let (seconds, delivered, twice) = try burst(server, nodes: n)
            let total = items * reminders
            rows.append(("burst, \(n) node(s)", String(format: "%d of %d in %.2f s: %.0f reminders/s, %d twice", delivered, total, seconds,
                                                         Double(delivered) / seconds, twice)))
        }
        if steady > 0 {
            let (late, twice) = try steadyRun(server, nodes: steadyNodes)
            rows.append(("steady, \(steadyNodes) node(s), \(steady) over \(Int(over)) s",
                         "\(late.count) sent, \(twice) twice; lateness p50 \(ms(percentile(late, 50))), p99 \(ms(percentile(late, 99))), max \(ms(late.last ?? .nan))"))
        }
        let (failover, recovered) = try failover(server)
        rows.append(("failover (lease \(Int(lease)) s, poll \(Int(poll)) s)", String(format: "%.1f s from the stop to the last of %d sent by the other node", failover, recovered)))
        table("m. cluster: nodes on one PostgreSQL (in one process, null channel)", rows)
    }

    final class Counting: Channel {
        let name = "null"
        /// Recorded in batches like the journal and file channels: a send costs no process or peer.
        var policy: ChannelPolicy { ChannelPolicy(unrecorded: 64) }
        let hang: Bool
        private let seen = Mutex<(ids: [Int64], last: Date, late: [Double])>(([], .distantPast, []))
        init(hang: Bool = false) { self.hang = hang }
        func deliver(_ reminder: Reminder) async throws -> String? {
            if hang { try await Task.sleep(for: .seconds(3600)) }
            let now = Date()
            seen.withLock { $0.ids.append(reminder.occurrence.id); $0.last = now; $0.late.append(now.timeIntervalSince(reminder.occurrence.fireAt)) }
            return nil
        }
        var ids: [Int64] { seen.withLock { $0.ids } }
        /// Seconds from each reminder's instant to its send.
        var lateness: [Double] { seen.withLock { $0.late } }
        var last: Date { seen.withLock { $0.last } }
    }

    func stores(_ server: PostgresTestCluster, _ n: Int, lease: Double) throws -> [PostgresStore] {
        let url = server.url(database: try server.createDatabase())
        return try (0..<n).map { try PostgresStore(PostgresLocation(url: url), node: NodeIdentity(name: "n\($0)", lease: lease), logger: quiet) }
    }

    /// Fills the first store far ahead, then moves every reminder to `due` in one statement,
    /// spread over the next second, or evenly over `spread` seconds.
    func fill(_ store: PostgresStore, server: PostgresTestCluster, items: Int, reminders: Int, spread: Double? = nil,
              due: () -> Date) throws -> Date {
        let nine = TimeOfDay(hour: 9, minute: 0)!
        let far = Date().addingTimeInterval(86_400)
        for start in stride(from: 0, to: items, by: 1_000) {
            let batch = (start..<min(start + 1_000, items)).map { i in
                NewItem(kind: .meeting, key: "c\(i)", title: "ประชุม \(i)", when: .instant(far), timeZone: "Asia/Bangkok", leads: [Lead("0")!])
            }
            _ = try store.importItems(ImportBatch(items: batch), dayTime: nine, now: Date()) { _ in
                .init(reminders: (0..<reminders).map { _ in PlannedReminder(fireAt: far, purpose: .lead("0")) }, plannedThrough: nil)
            }
        }
        let at = due()
        let offset = spread.map { "(id - 1) * \(Int64($0 * 1000)) / \(items * reminders)" } ?? "id % 1000"
        try server.psql("UPDATE occurrence SET fire_at_ms = \(Int64(at.timeIntervalSince1970 * 1000)) + \(offset)",
                        database: store.place.database)
        return at
    }

    func burst(_ server: PostgresTestCluster, nodes n: Int) throws -> (TimeInterval, Int, Int) {
        let stores = try stores(server, n, lease: 30)
        let due = try fill(stores[0], server: server, items: items, reminders: reminders) { Date().addingTimeInterval(15) }
        var options = TimerCore.Options()
        options.poll = 1
        let channels = stores.map { _ in Counting() }
        let cores = zip(stores, channels).map { TimerCore(store: $0, channels: ChannelSet([$1]), logger: warnings, options: options) }
        for core in cores { _ = try core.start(watchClock: false) }
        let total = items * reminders
        let end = due.addingTimeInterval(Double(timeout))
        while channels.map(\.ids.count).reduce(0, +) < total && Date() < end { usleep(50_000) }
        let last = channels.map(\.last).max() ?? Date()
        for core in cores { core.stopTimers() }
        keptCores.withLock { $0 += cores }
        let ids = channels.flatMap(\.ids)
        return (last.timeIntervalSince(due), Set(ids).count, ids.count - Set(ids).count)
    }

    /// `steady` reminders, one item each, spread evenly over `over` seconds; how late each is sent.
    func steadyRun(_ server: PostgresTestCluster, nodes n: Int) throws -> (lateness: [Double], twice: Int) {
        let stores = try stores(server, n, lease: 30)
        let due = try fill(stores[0], server: server, items: steady, reminders: 1, spread: over) { Date().addingTimeInterval(10) }
        var options = TimerCore.Options()
        options.poll = 1
        let channels = stores.map { _ in Counting() }
        let cores = zip(stores, channels).map { TimerCore(store: $0, channels: ChannelSet([$1]), logger: warnings, options: options) }
        for core in cores { _ = try core.start(watchClock: false) }
        let end = due.addingTimeInterval(over + Double(timeout))
        while channels.map(\.ids.count).reduce(0, +) < steady && Date() < end { usleep(50_000) }
        for core in cores { core.stopTimers() }
        keptCores.withLock { $0 += cores }
        let ids = channels.flatMap(\.ids)
        print("steady: sent by node", channels.map { "\($0.ids.count)" }.joined(separator: ", "))
        return (channels.flatMap(\.lateness).sorted(), ids.count - Set(ids).count)
    }

    /// Node a claims a batch and its channel hangs; at `stop` its timers stop (no renewal, as if
    /// it were killed); node b sends the batch once the lease runs out.
    func failover(_ server: PostgresTestCluster) throws -> (TimeInterval, Int) {
        let stores = try stores(server, 2, lease: lease)
        let count = 200
        _ = try fill(stores[0], server: server, items: count, reminders: 1) { Date().addingTimeInterval(2) }
        var options = TimerCore.Options()
        options.poll = poll
        let hanging = Counting(hang: true), other = Counting()
        let a = TimerCore(store: stores[0], channels: ChannelSet([hanging]), logger: quiet, options: options)
        _ = try a.start(watchClock: false)
        Thread.sleep(forTimeInterval: 4)   // a has claimed all of them by now
        let b = TimerCore(store: stores[1], channels: ChannelSet([other]), logger: warnings, options: options)
        _ = try b.start(watchClock: false)
        a.stopTimers()
        let stopped = Date()
        let end = stopped.addingTimeInterval(lease * 3 + poll * 3)
        while other.ids.count < count && Date() < end { usleep(50_000) }
        b.stopTimers()
        keptCores.withLock { $0 += [a, b] }
        if other.ids.count < count {
            print("failover: b sent \(other.ids.count); store:", (try? server.psql("SELECT state, owner, count(*), min(lease_until_ms - db_now_ms()), max(fence), min(attempts) FROM occurrence GROUP BY 1, 2",
                                                                              database: stores[0].place.database)) ?? "?")
        }
        return (other.last.timeIntervalSince(stopped), Set(other.ids).count)
    }
}

/// Cores stopped with sends still in flight live until the process ends: a core is never
/// released while running (the daemon keeps its one), and its lanes hold it unowned.
private let keptCores = Mutex<[TimerCore]>([])

/// What goes wrong in a node shows (a failed claim or record), not the routine.
private let warnings = { var l = Logger(label: "node"); l.logLevel = .warning; return l }()
