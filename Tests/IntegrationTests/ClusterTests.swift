import DeadlineCore
import Foundation
import Glibc
import PostgresTestKit
import Testing

/// Several daemons on one PostgreSQL database, each with its own file channel (a receiver
/// that does not deduplicate): every reminder goes out, a node that dies or stops loses
/// nothing, and a node that lost its claim writes nothing.
@Suite("Cluster: several daemons on one PostgreSQL", .serialized)
struct ClusterTests {
    /// One daemon of the cluster, in its own sandbox.
    final class Node {
        let box: Sandbox
        let name: String
        var daemon: RunningProcess
        let environment: [String: String]
        var delivered: String { box.path + "/delivered.jsonl" }

        /// - Parameter config: the daemon's config; by default a file channel writing `delivered`.
        init(_ name: String, url: String, lease: Int, config: ((_ delivered: String) -> String)? = nil) throws {
            self.name = name
            box = try Sandbox()
            if let config { try box.writeConfig(config(box.path + "/delivered.jsonl")) } else { try box.fileChannelConfig(box.path + "/delivered.jsonl") }
            environment = [
                "DEADLINED_STORE_BACKEND": "postgresql", "DEADLINED_STORE_URL": url, "DEADLINED_CLUSTER_NODE": name,
                "DEADLINED_CLUSTER_LEASE": String(lease), "DEADLINED_CLUSTER_POLL": "1", "DEADLINED_CALENDAR_FEED": "off",
            ]
            daemon = try box.startDaemon(extra: environment)
        }

        /// A new process of the same node, once the last one has ended.
        func restart() throws { daemon = try box.startDaemon(extra: environment) }

        /// What this node's channel wrote: (idempotency key, occurrence, sent at).
        func lines() -> [(key: String, occurrence: Int64, sentAt: String)] {
            ((try? String(contentsOfFile: delivered, encoding: .utf8)) ?? "").split(separator: "\n").compactMap { line in
                guard let o = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let key = o["key"] as? String, let occurrence = o["occurrence"] as? Int64, let sent = o["sentAt"] as? String else { return nil }
                return (key, occurrence, sent)
            }
        }
    }

    /// `count` meetings whose one reminder falls `from` seconds from now, spread over `over` seconds.
    static func agenda(_ count: Int, from: TimeInterval, over: TimeInterval, in box: Sandbox) throws -> String {
        let zone = TimeZone(identifier: "Asia/Bangkok")!
        let start = Date().addingTimeInterval(from)
        var text = "time_zone: Asia/Bangkok\nmeetings:\n"
        for i in 0..<count {
            let at = DateOutput.iso8601(start.addingTimeInterval(over * Double(i) / Double(count)), timeZone: zone)
            text += "  - { key: c\(i), title: ประชุม \(i), at: \"\(at)\", leads: [\"0\"] }\n"
        }
        let path = box.path + "/cluster.yaml"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }

    static func cluster(_ count: Int, lease: Int = 3, server: PostgresTestCluster? = nil) throws -> (PostgresTestCluster, String, [Node]) {
        try Binaries.require()
        let cluster = try server ?? PostgresTestCluster.shared.get()
        let name = try cluster.createDatabase()
        let url = cluster.url(database: name)
        return (cluster, name, try (0..<count).map { try Node("node-\($0)", url: url, lease: lease) })
    }

    /// Occurrences with more than one accepted delivery per channel in the daemon's own record.
    static func doubleRecords(_ cluster: PostgresTestCluster, _ database: String) throws -> String {
        try cluster.psql("""
            SELECT count(*) FROM (SELECT occurrence_id, channel FROM delivery_log WHERE outcome = 'delivered'
                                  GROUP BY 1, 2 HAVING count(*) > 1) d
            """, database: database)
    }

    /// Where the rows stand and what each node said last, for a failure's message.
    static func diagnosis(_ cluster: PostgresTestCluster, _ database: String, _ nodes: [Node]) -> String {
        let rows = (try? cluster.psql("""
            SELECT string_agg(state || ' ' || coalesce(owner, '-') || ' ' || n || ' lease ' || coalesce(lease::text, '-'), '; ')
            FROM (SELECT state, owner, count(*) AS n, min(lease_until_ms - db_now_ms()) AS lease FROM occurrence GROUP BY 1, 2) s
            """, database: database)) ?? "?"
        return "rows: \(rows); " + nodes.map { "\($0.name): \($0.daemon.stderrLines.suffix(8).map(\.1))" }.joined(separator: "; ")
    }

    /// Lateness of the accepted deliveries (the log's time less the reminder's instant), in
    /// milliseconds: p50, p99 and max.
    static func lateness(_ cluster: PostgresTestCluster, _ database: String) throws -> [Int] {
        try cluster.psql("""
            SELECT round(percentile_cont(0.5) WITHIN GROUP (ORDER BY l)) || ' ' || round(percentile_cont(0.99) WITHIN GROUP (ORDER BY l)) || ' ' || max(l)
            FROM (SELECT d.at_ms - o.fire_at_ms AS l FROM delivery_log d JOIN occurrence o ON o.id = d.occurrence_id WHERE d.outcome = 'delivered') x
            """, database: database).split(separator: " ").compactMap { Int($0) }
    }

    @Test("three nodes, 10,000 reminders over a minute: each delivered exactly once, the work shared; lateness reported")
    func exactlyOnce() throws {
        let count = 10_000
        let (cluster, database, nodes) = try Self.cluster(3)
        defer { for n in nodes { n.daemon.ensureStopped() } }
        // The import takes about 30 s on PostgreSQL (a statement per row); longer beside other tests.
        let agenda = try Self.agenda(count, from: 60, over: 60, in: nodes[0].box)
        let started = Date()
        let imports = try nodes[0].box.ctl(["import", agenda], timeout: 60)
        #expect(imports.status == 0, "\(imports.err)")
        let imported = Date().timeIntervalSince(started)
        let all = { nodes.flatMap { $0.lines() } }
        #expect(waitFor({ all().count >= count }, timeout: 60 + 60 + 30), "\(all().count) of \(count)")
        sleep(2)   // a duplicate would come now
        let lines = all()
        let byKey = Dictionary(grouping: lines, by: \.key)
        #expect(lines.count == count && byKey.count == count && byKey.values.allSatisfy { $0.count == 1 })
        #expect(try cluster.psql("SELECT count(*) FROM occurrence WHERE state = 'delivered'", database: database) == String(count))
        #expect(try Self.doubleRecords(cluster, database) == "0")
        let late = try Self.lateness(cluster, database)
        print("cluster: \(count) over 60 s (imported in \(String(format: "%.1f", imported)) s); by node",
              nodes.map { "\($0.name) \($0.lines().count)" }.joined(separator: ", "), "; lateness ms p50/p99/max", late)
    }

    @Test("kill -9 of a node while it sends: nothing lost, its reminders go out within lease + poll, a repeat has the same key")
    func killedNode() throws {
        let (cluster, database, nodes) = try Self.cluster(3)
        defer { for n in nodes { n.daemon.ensureStopped() } }
        let agenda = try Self.agenda(300, from: 2, over: 1, in: nodes[0].box)
        #expect(try nodes[0].box.ctl(["import", agenda]).status == 0)
        // node-0 has all of them in its heap at their instants: kill it in the middle of the burst.
        #expect(waitFor({ nodes[0].lines().count >= 20 }, timeout: 20))
        nodes[0].daemon.signal(SIGKILL)
        let killedAt = Date()
        let survivors = { nodes.dropFirst().flatMap { $0.lines() } + nodes[0].lines() }
        #expect(waitFor({ Set(survivors().map(\.occurrence)).count >= 300 }, timeout: 3 + 1 + 15),
                "\(Set(survivors().map(\.occurrence)).count) of 300 within lease + poll")
        let recovered = Date().timeIntervalSince(killedAt)
        sleep(1)
        #expect(try cluster.psql("SELECT count(*) FROM occurrence WHERE state = 'delivered'", database: database) == "300")
        #expect(try Self.doubleRecords(cluster, database) == "0")
        let byOccurrence = Dictionary(grouping: survivors(), by: \.occurrence)
        #expect(byOccurrence.values.allSatisfy { Set($0.map(\.key)).count == 1 }, "every repeat carries the same key")
        let repeats = byOccurrence.values.filter { $0.count > 1 }.count
        print("cluster: after kill -9, all 300 out \(String(format: "%.1f", recovered)) s later; \(repeats) sent twice (at-least-once)")
    }

    @Test("SIGSTOP of a node for twice the lease in a burst, then SIGCONT: its late writes are fenced out, nothing recorded twice")
    func stoppedNode() throws {
        let (cluster, database, nodes) = try Self.cluster(2)
        defer { for n in nodes { n.daemon.signal(SIGCONT); n.daemon.ensureStopped() } }
        let agenda = try Self.agenda(300, from: 2, over: 1, in: nodes[0].box)
        #expect(try nodes[0].box.ctl(["import", agenda]).status == 0)
        #expect(waitFor({ nodes[0].lines().count >= 10 }, timeout: 20))
        nodes[0].daemon.signal(SIGSTOP)
        let stoppedLines = nodes[0].lines().count
        #expect(waitFor({ Set((nodes[0].lines() + nodes[1].lines()).map(\.occurrence)).count >= 300 }, timeout: 20))
        sleep(3)   // past twice the lease of 3 s since the stop
        nodes[0].daemon.signal(SIGCONT)
        let resumed = Date()
        sleep(3)
        #expect(try cluster.psql("SELECT count(*) FROM occurrence WHERE state = 'delivered'", database: database) == "300")
        #expect(try Self.doubleRecords(cluster, database) == "0", "no occurrence recorded delivered twice")
        // What node-0 sends after it wakes: nothing that node-1 has already sent.
        let taken = Set(nodes[1].lines().map(\.occurrence))
        let late = nodes[0].lines().dropFirst(stoppedLines).filter { taken.contains($0.occurrence) }
        #expect(late.isEmpty, "node-0 sent \(late.count) reminder(s) node-1 had claimed, after SIGCONT at \(resumed)")
        let fencedOut = nodes[0].daemon.stderrLines.contains { $0.1.contains("claimed by another node") || $0.1.contains("claim ran out") }
        print("cluster: node-0 stopped after \(stoppedLines) sends; fenced-out message logged: \(fencedOut)")
    }

    @Test("PostgreSQL restarted under load: the nodes reconnect, nothing is lost, nothing recorded twice")
    func serverRestart() throws {
        let server = try PostgresTestCluster(name: "cluster-restart")
        defer { try? server.stop(mode: "immediate") }
        let (_, database, nodes) = try Self.cluster(2, server: server)
        defer { for n in nodes { n.daemon.ensureStopped() } }
        let agenda = try Self.agenda(300, from: 2, over: 6, in: nodes[0].box)
        #expect(try nodes[0].box.ctl(["import", agenda]).status == 0)
        #expect(waitFor({ nodes.flatMap { $0.lines() }.count >= 50 }, timeout: 20))
        try server.stop()
        sleep(2)
        try server.start()
        let out = { Set(nodes.flatMap { $0.lines() }.map(\.occurrence)).count }
        #expect(waitFor({ out() >= 300 }, timeout: 30), "\(out()) of 300 after the restart; \(Self.diagnosis(server, database, nodes))")
        #expect(waitFor({ (try? server.psql("SELECT count(*) FROM occurrence WHERE state = 'delivered'", database: database)) == "300" },
                        timeout: 10))
        #expect(try Self.doubleRecords(server, database) == "0")
        let repeats = nodes.flatMap { $0.lines() }.count - out()
        print("cluster: PostgreSQL restarted under load; all 300 delivered, \(repeats) sent twice")
    }

    @Test("status shows the node and its peers; check is CRITICAL when no node has claimed a due reminder for longer than the lease")
    func unclaimedIsCritical() throws {
        try Binaries.require()
        let cluster = try PostgresTestCluster.shared.get()
        let database = try cluster.createDatabase()
        let box = try Sandbox()
        try box.fileChannelConfig(box.path + "/delivered.jsonl")
        // A poll of ten minutes: what another writer puts in the table is not seen soon.
        let daemon = try box.startDaemon(extra: [
            "DEADLINED_STORE_BACKEND": "postgresql", "DEADLINED_STORE_URL": cluster.url(database: database), "DEADLINED_CLUSTER_NODE": "solo",
            "DEADLINED_CLUSTER_LEASE": "3", "DEADLINED_CLUSTER_POLL": "600", "DEADLINED_CALENDAR_FEED": "off",
        ])
        defer { daemon.ensureStopped() }
        let healthy = try box.ctl(["check"])
        #expect(healthy.status == 0, "\(healthy.out)")
        let status = try box.ctl(["status"]).out
        #expect(status.contains("node:      solo, lease 3 s; nodes: solo seen"), "\(status)")
        // A reminder due 40 s ago that no node claimed (written behind the daemons' backs).
        try cluster.psql("""
            INSERT INTO item (key, kind, title, at_ms, time_zone, created_ms, uid) VALUES ('ghost', 'meeting', 'ghost', db_now_ms(), 'UTC', db_now_ms(), 'ghost@t');
            INSERT INTO occurrence (item_id, fire_at_ms, state, updated_ms) SELECT id, db_now_ms() - 40000, 'pending', db_now_ms() FROM item WHERE key = 'ghost'
            """, database: database)
        let check = try box.ctl(["check"])
        #expect(check.status == 2, "\(check.out)")
        #expect(check.out.contains("no node has claimed a due reminder for 4"), "\(check.out)")
    }
}
