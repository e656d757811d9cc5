import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// kill -9 at random moments while reminders are firing: every reminder is delivered at least
/// once, and a reminder is delivered twice only where the store shows it was in flight (sent,
/// then re-sent after the crash: attempts ≥ 2).
@Suite("Crash safety", .serialized)
struct ChaosTests {
    static let reminders = 300
    static let rounds = 20

    @Test("20 rounds of SIGKILL while 300 reminders fire: none lost, repeats only when in flight, at most what was in flight per kill",
          arguments: [("file", 7.0), ("command", 7.0), ("command", 0.0)])
    func killNine(channel: String, spread: Double) throws {
        try Binaries.require()
        let box = try Sandbox()
        let delivered = box.path + "/delivered.txt"
        // Each channel writes one idempotency key a line. What a kill may repeat: the sends in
        // flight, `concurrency` slots each with `unrecorded` sends not yet in the store (64 for
        // a file, 1 for a command).
        let perKill: Int
        if channel == "file" {
            try box.fileChannelConfig(box.path + "/delivered.jsonl")
            perKill = 64
        } else {
            let hook = box.path + "/hook.sh"
            try "#!/bin/sh\ncat > /dev/null\nprintf '%s\\n' \"$DEADLINED_IDEMPOTENCY_KEY\" >> \(delivered)\n"
                .write(toFile: hook, atomically: true, encoding: .utf8)
            chmod(hook, 0o755)
            try box.writeConfig("channels:\n  hook:\n    type: command\n    command: \(hook)\n    concurrency: 2\ndelivery:\n  channels: hook\n")
            perKill = 2
        }
        let env = box.environment(notifySocket: nil)
        var seed = UInt64(Date().timeIntervalSince1970 * 1000)
        print("chaos: seed \(seed)")
        func random() -> Double {   // xorshift: reproducible from the printed seed
            seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17
            return Double(seed % 1_000_000) / 1_000_000
        }

        func start() throws -> RunningProcess {
            let p = try RunningProcess(Binaries.deadlined, [], environment: env)
            _ = try #require(p.waitForLine(containing: "ready;"), "no start: \(p.stderrLines.map(\.1))")
            return p
        }

        var daemon = try start()
        // Reminders spread over `spread` seconds (0: a burst, all at once), starting in 1 s:
        // the kills land while they fire.
        let zone = TimeZone(identifier: "Asia/Bangkok")!
        let first = Date().addingTimeInterval(1)
        var agenda = "meetings:\n"
        for i in 0..<Self.reminders {
            let at = DateOutput.iso8601(first.addingTimeInterval(Double(i) * spread / Double(Self.reminders)), timeZone: zone)
            agenda += "  - { key: c-\(i), title: \"ประชุม \(i)\", at: \"\(at)\", leads: [\"0\"] }\n"
        }
        let file = box.path + "/chaos.yaml"
        try agenda.write(toFile: file, atomically: true, encoding: .utf8)
        let imported = try deadlinectl(["import", file, "--socket", box.socket])
        #expect(imported.out.contains("\(Self.reminders) added"), "\(imported.err)")

        for _ in 0..<Self.rounds {
            usleep(useconds_t(50_000 + random() * 350_000))
            daemon.signal(SIGKILL)
            #expect(daemon.waitForExit(timeout: 10) == 128 + SIGKILL)
            daemon = try start()
        }

        // Let everything due be sent (bounded), then stop cleanly.
        let end = Date().addingTimeInterval(30)
        var status: ControlAPI.StatusReply?
        while Date() < end {
            let out = try deadlinectl(["status", "--json", "--socket", box.socket]).out
            status = try? JSONDecoder().decode(ControlAPI.StatusReply.self, from: Data(out.utf8))
            if let s = status, s.pending == 0, s.firing == 0, s.retrying == 0 { break }
            usleep(100_000)
        }
        #expect(status?.delivered == Self.reminders, "\(String(describing: status))")
        #expect(status?.missed == 0)
        let list = try deadlinectl(["list", "--all", "--json", "--socket", box.socket]).out
        let items = try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(list.utf8)).items
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)

        // What the channel received, by idempotency key.
        var keys: [String] = []
        if channel == "file" {
            for line in try String(contentsOfFile: box.path + "/delivered.jsonl", encoding: .utf8).split(separator: "\n") {
                let key = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])["key"] as? String
                keys.append(try #require(key))
            }
        } else {
            keys = try String(contentsOfFile: delivered, encoding: .utf8).split(separator: "\n").map(String.init)
        }
        let lines = keys
        var count: [String: Int] = [:]
        for key in keys { count[key, default: 0] += 1 }
        let occurrences = items.flatMap(\.reminders)
        #expect(occurrences.count == Self.reminders)
        var repeated = 0
        for o in occurrences {
            let key = "deadlined-\(o.id)-\(channel == "file" ? "file" : "hook")"
            let n = count[key] ?? 0
            #expect(n >= 1, "reminder \(o.id) was never delivered")
            if n > 1 {
                repeated += 1
                #expect(o.attempts >= n, "\(key) arrived \(n) times but the store shows \(o.attempts) attempt(s): not in flight")
            }
        }
        #expect(count.count == Self.reminders, "keys that belong to no reminder: \(count.keys.sorted().prefix(5))")
        let extra = lines.count - Self.reminders
        #expect(extra <= Self.rounds * perKill, "\(extra) repeats in \(Self.rounds) kills: more than the \(perKill) in flight at each")
        print("chaos (\(channel), over \(spread) s): \(Self.rounds) kills, \(Self.reminders) reminders, \(lines.count) deliveries, \(repeated) repeated while in flight "
              + "(bound: \(perKill) per kill)")
    }
}
