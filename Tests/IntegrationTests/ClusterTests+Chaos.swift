import DeadlineCore
import Foundation
import Glibc
import PostgresTestKit
import Testing

/// The cluster under the faults a real one meets: nodes killed again and again while they
/// work, and a node stopped after a channel accepted a reminder but before it was recorded.
/// In the same serialized suite as the others: two clusters at once would measure each other.
extension ClusterTests {
    @Test("kill -9 of a node at 50 random moments of a minute's load, each restarted: nothing lost, nothing recorded twice, a repeat has the same key, none later than lease + poll")
    func killedOften() throws {
        let count = 3_000, lease = 3, poll = 1
        let (cluster, database, nodes) = try Self.cluster(3, lease: lease)
        defer { for n in nodes { n.daemon.ensureStopped() } }
        // The first due after the import is in (3,000 take 10–15 s here): lateness is the kills', not the import's.
        let agenda = try Self.agenda(count, from: 30, over: 60, in: nodes[0].box)
        #expect(try nodes[0].box.ctl(["import", agenda]).status == 0)
        var moments: [String] = []
        let start = Date()
        for _ in 0..<50 {
            usleep(UInt32.random(in: 300_000...1_300_000))
            let node = nodes.randomElement()!
            moments.append(String(format: "%@ %.1f", node.name, Date().timeIntervalSince(start)))
            node.daemon.signal(SIGKILL)
            node.daemon.waitForExit(timeout: 5)
            try node.restart()
        }
        let delivered = { (try? cluster.psql("SELECT count(*) FROM occurrence WHERE state = 'delivered'", database: database)) ?? "?" }
        #expect(waitFor({ delivered() == String(count) }, timeout: 60 + 30), "\(delivered()) of \(count); kills at \(moments)")
        #expect(try Self.doubleRecords(cluster, database) == "0")
        let lines = nodes.flatMap { $0.lines() }
        let byOccurrence = Dictionary(grouping: lines, by: \.occurrence)
        #expect(byOccurrence.count == count, "every reminder reached the receiver")
        #expect(byOccurrence.values.allSatisfy { Set($0.map(\.key)).count == 1 }, "every repeat carries the same key")
        // A reminder due while its node was dead goes out once the lease lapses and a poll sees
        // it (a restarted node frees its own at once). With kills this close together the node
        // that takes it over may die too: each claim but the last costs at most lease + poll
        // (the occurrence's `attempts` counts its claims). Two seconds of slack for a claim
        // that comes late on a busy machine, and for the send.
        let late = try Self.lateness(cluster, database)
        let overBound = try cluster.psql("""
            SELECT count(*) || ' ' || coalesce(max(o.attempts), 0) FROM delivery_log d JOIN occurrence o ON o.id = d.occurrence_id
            WHERE d.outcome = 'delivered' AND d.at_ms - o.fire_at_ms > (o.attempts - 1) * \((lease + poll) * 1000) + 2000
            """, database: database)
        let claims = try cluster.psql("SELECT max(attempts) FROM occurrence", database: database)
        #expect(late.count == 3 && overBound.hasPrefix("0 "), "lateness ms p50/p99/max \(late); later than their claims allow: \(overBound)")
        print("cluster: 50 kills over \(Int(Date().timeIntervalSince(start))) s; \(lines.count - count) sent twice (at-least-once); lateness ms p50/p99/max \(late); claims of one reminder at most \(claims)")
    }

    @Test("SIGSTOP of a node between a channel's accepting and the record, for twice the lease: its record is fenced out, the other node's send carries the same key")
    func stoppedBeforeRecord() throws {
        try Binaries.require()
        let lease = 3
        let cluster = try PostgresTestCluster.shared.get()
        let database = try cluster.createDatabase()
        let url = cluster.url(database: database)
        // node-0's channel writes its line, then takes two seconds to answer: the window.
        let hook = NSTemporaryDirectory() + "deadlined-slow-hook-\(getpid()).sh"
        try """
            #!/bin/sh
            printf '{"key":"%s","occurrence":%s,"sentAt":"-"}\\n' "$DEADLINED_IDEMPOTENCY_KEY" "$DEADLINED_OCCURRENCE_ID" >> "$1"
            sleep 2
            """.write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        defer { unlink(hook) }
        let slow = try Self.Node("node-0", url: url, lease: lease) { delivered in
            "channels:\n  out:\n    type: command\n    command: \(hook) \(delivered)\n    timeout: 20\ndelivery:\n  channels: out\n"
        }
        defer { slow.daemon.signal(SIGCONT); slow.daemon.ensureStopped() }
        let agenda = try Self.agenda(1, from: 2, over: 0, in: slow.box)
        #expect(try slow.box.ctl(["import", agenda]).status == 0)
        #expect(waitFor({ slow.lines().count == 1 }, timeout: 20), "node-0's channel accepted it")
        slow.daemon.signal(SIGSTOP)
        let stopped = Date()
        // The other node's channel has the same name: one accepted delivery per channel counts.
        let other = try Self.Node("node-1", url: url, lease: lease) { delivered in
            "channels:\n  out:\n    type: file\n    path: \(delivered)\ndelivery:\n  channels: out\n"
        }
        defer { other.daemon.ensureStopped() }
        #expect(waitFor({ other.lines().count == 1 }, timeout: Double(lease) + 1 + 10), "node-1 sends it once the lease lapses")
        usleep(UInt32(max(0, 2 * Double(lease) - Date().timeIntervalSince(stopped)) * 1_000_000))
        slow.daemon.signal(SIGCONT)
        // Its renewal or its record, whichever comes first after SIGCONT, finds the token gone.
        #expect(slow.daemon.waitForLine(containing: "claimed by another node", timeout: 10) != nil,
                "\(slow.daemon.stderrLines.suffix(5).map(\.1))")
        #expect(try cluster.psql("SELECT count(*) FROM delivery_log WHERE outcome = 'delivered'", database: database) == "1",
                "only node-1's send is in the record")
        #expect(try cluster.psql("SELECT state FROM occurrence", database: database) == "delivered")
        #expect(slow.lines().map(\.key) == other.lines().map(\.key), "the repeat carries the same idempotency key")
        print("cluster: stopped between send and record; node-1 re-sent after \(String(format: "%.1f", Date().timeIntervalSince(stopped))) s, node-0's record fenced out")
    }
}
