import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// What came due while the daemon was stopped: settled at start by the misfire policy, logged
/// once, shown by `status`.
@Suite("Downtime", .serialized)
struct DowntimeTests {
    @Test("down while a reminder came due: skip marks it missed, catch-up sends it late; status tells", arguments: ["skip", "catch-up"])
    func downtime(policy: String) throws {
        try Binaries.require()
        let box = try Sandbox()
        let delivered = box.path + "/delivered.jsonl"
        // Late after 1 s instead of 60, so that the test need not wait minutes.
        try box.fileChannelConfig(delivered)
        let env = box.environment(notifySocket: nil, extra: [
            "DEADLINED_DELIVERY_LATE_AFTER": "1", "DEADLINED_RULES_MISFIRE": policy,
        ])
        var daemon = try RunningProcess(Binaries.deadlined, [], environment: env)
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let at = DateOutput.iso8601(Date().addingTimeInterval(1.5), timeZone: TimeZone(identifier: "Asia/Bangkok")!)
        #expect(try deadlinectl(["add", "meeting", "ระหว่างหยุด", "--at", at, "--remind", "0", "--socket", box.socket]).status == 0)
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        sleep(4)   // due while down, and more than 1 s late by the restart

        daemon = try RunningProcess(Binaries.deadlined, [], environment: env)
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let summary = try #require(daemon.waitForLine(containing: "reminder(s) came due", timeout: 5), "\(daemon.stderrLines.map(\.1))")
        // What to send and what to let go is decided before READY; the sending itself runs on.
        func currentStatus() throws -> ControlAPI.StatusReply {
            try JSONDecoder().decode(ControlAPI.StatusReply.self, from: Data(try deadlinectl(["status", "--json", "--socket", box.socket]).out.utf8))
        }
        var status = try currentStatus()
        for _ in 0..<100 where status.firing > 0 || status.pending > 0 {
            usleep(50_000)
            status = try currentStatus()
        }
        let sent = (try? String(contentsOfFile: delivered, encoding: .utf8))?.split(separator: "\n").count ?? 0
        if policy == "skip" {
            #expect(summary.1.contains("1 reminder(s) came due; 0 sent late, 1 missed"))
            #expect(status.missed == 1 && status.delivered == 0)
            #expect(sent == 0)
        } else {
            #expect(summary.1.contains("1 reminder(s) came due; 1 sent late, 0 missed"))
            #expect(status.missed == 0 && status.delivered == 1)
            #expect(sent == 1)
        }
        #expect(status.lastDowntime?.contains("1 reminder(s) came due") == true)
        // Logged once: a second start has nothing to add, and the summary stays for status.
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon = try RunningProcess(Binaries.deadlined, [], environment: env)
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        #expect(!daemon.stderrLines.contains { $0.1.contains("came due") })
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }
}
