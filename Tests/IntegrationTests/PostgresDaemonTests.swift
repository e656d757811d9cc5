import Control
import DeadlineCore
import Foundation
import Glibc
import PostgresTestKit
import Testing

/// The daemon on a PostgreSQL store: the same commands, the same reminders, nothing in the
/// state directory but the feeds.
@Suite("Daemon on PostgreSQL")
struct PostgresDaemonTests {
    @Test("store.backend postgresql: an added reminder is sent, and a restarted daemon finds it delivered in the database")
    func endToEnd() throws {
        try Binaries.require()
        let cluster = try PostgresTestCluster.shared.get()
        let database = try cluster.createDatabase()
        let box = try Sandbox()
        let delivered = box.path + "/delivered.jsonl"
        try box.fileChannelConfig(delivered)
        let env = box.environment(notifySocket: nil, extra: [
            "DEADLINED_STORE_BACKEND": "postgresql", "DEADLINED_STORE_URL": cluster.url(database: database),
        ])
        var daemon = try RunningProcess(Binaries.deadlined, [], environment: env)
        defer { daemon.ensureStopped() }
        let ready = try #require(daemon.waitForLine(containing: "ready;"), "\(daemon.stderrLines.map(\.1))")
        #expect(ready.1.contains("postgresql://postgres@/\(database)"), "\(ready.1)")
        let at = DateOutput.iso8601(Date().addingTimeInterval(1.5), timeZone: TimeZone(identifier: "Asia/Bangkok")!)
        #expect(try box.ctl(["add", "meeting", "ประชุมคณะทำงาน", "--key", "nacc", "--at", at, "--remind", "0"]).status == 0)
        #expect(waitFor({ ((try? String(contentsOfFile: delivered, encoding: .utf8)) ?? "").contains("nacc") }, timeout: 15))
        // Written to the database by the daemon itself, not only told to the channel.
        #expect(waitFor({ (try? cluster.psql("SELECT state FROM occurrence", database: database)) == "delivered" }, timeout: 5))
        #expect(try cluster.psql("SELECT count(*) FROM delivery_log WHERE outcome = 'delivered'", database: database) == "1")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)

        daemon = try RunningProcess(Binaries.deadlined, [], environment: env)
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let status = try JSONDecoder().decode(ControlAPI.StatusReply.self, from: Data(try box.ctl(["status", "--json"]).out.utf8))
        #expect(status.delivered == 1 && status.pending == 0 && status.items == 1)
        #expect(status.store.hasPrefix("postgresql://") && status.storeHealth == "ok" && status.storeBytes > 0)
        let files = (try? FileManager.default.contentsOfDirectory(atPath: box.state)) ?? []
        #expect(!files.contains { $0.hasSuffix(".sqlite") }, "no SQLite file beside a PostgreSQL store: \(files)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }

    @Test("a PostgreSQL backend without a URL, or with a bad one, is a config error that names the key")
    func badConfig() throws {
        try Binaries.require()
        let box = try Sandbox()
        for (extra, says) in [(["DEADLINED_STORE_BACKEND": "postgresql"], "store.url"),
                              (["DEADLINED_STORE_BACKEND": "postgresql", "DEADLINED_STORE_URL": "postgresql://u@h/d?sslmode=maybe"], "sslmode 'maybe'")] {
            let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil, extra: extra))
            #expect(daemon.waitForExit() == 78)
            #expect(daemon.stderrLines.contains { $0.1.contains(says) }, "\(daemon.stderrLines.map(\.1))")
        }
    }
}
