import Foundation
import Glibc
import Testing

/// The metrics endpoint as Prometheus meets it: scraped over loopback and over a Unix socket,
/// and read by prometheus_client's own parser, not ours.
@Suite("Metrics: Prometheus text on loopback or a Unix socket")
struct MetricsTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Receivers/metrics_scrape.py").path

    struct Scrape {
        var status: Int
        var type: String?
        /// (name, labels, value) as the parser read them.
        var samples: [(String, [String: String], Double)]

        func value(_ name: String, _ labels: [String: String] = [:]) -> Double? {
            samples.first { s in s.0 == name && labels.allSatisfy { k, v in s.1[k] == v } }?.2
        }
    }

    static func scrape(_ target: String) throws -> Scrape {
        let p = try RunningProcess(try python3(), [script, target], environment: ProcessInfo.processInfo.environment)
        #expect(p.waitForExit(timeout: 30) == 0, "\(p.stderrLines.map(\.1).joined(separator: "\n"))")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any], "\(p.stdout)")
        let samples = (json["samples"] as? [[Any]] ?? []).compactMap { s -> (String, [String: String], Double)? in
            guard s.count == 3, let name = s[0] as? String, let labels = s[1] as? [String: String], let value = s[2] as? Double else { return nil }
            return (name, labels, value)
        }
        return Scrape(status: json["status"] as? Int ?? 0, type: json["type"] as? String, samples: samples)
    }

    /// A loopback port nobody listens on now.
    static func freePort() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { close(fd) }
        var addr = sockaddr_in(sin_family: sa_family_t(AF_INET), sin_port: 0, sin_addr: in_addr(s_addr: inet_addr("127.0.0.1")), sin_zero: (0, 0, 0, 0, 0, 0, 0, 0))
        var len = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, len) == 0 && getsockname(fd, $0, &len) == 0 }
        }
        try #require(bound, "cannot bind a loopback port: \(String(cString: strerror(errno)))")
        return Int(UInt16(bigEndian: addr.sin_port))
    }

    @Test("a reminder sent, calls made and refused: each counted, with its lateness, latency and the reminders by state")
    func loopback() throws {
        let box = try Sandbox()
        let delivered = box.path + "/delivered.jsonl"
        try box.fileChannelConfig(delivered)
        let port = try Self.freePort()
        let daemon = try box.startDaemon(extra: ["DEADLINED_METRICS_LISTEN": "127.0.0.1:\(port)"])
        defer { daemon.ensureStopped() }
        let url = "http://127.0.0.1:\(port)/metrics"
        #expect(try box.ctl(["add", "deadline", "ส่งรายงาน", "--due", "+1m", "--remind", "1m", "--key", "report"]).status == 0)
        #expect(try box.ctl(["add", "deadline", "ส่งแผน", "--due", "+30d", "--remind", "1d", "--key", "plan"]).status == 0)
        #expect(try box.ctl(["add", "deadline", "ซ้ำ", "--due", "+30d", "--key", "plan"]).status != 0, "a key taken: an error reply")
        // A method the interface does not have, from a client of our own: counted as "unknown", not by its name.
        let raw = try RunningProcess(try python3(), ["-c", """
            import socket, sys
            s = socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]); s.sendall(b'{"method":"io.deadlined.MadeUp123"}\\0'); print(s.recv(4096))
            s.sendall(b'{"method":"org.varlink.service.MadeUp456"}\\0'); print(s.recv(4096))
            """, box.socket], environment: ProcessInfo.processInfo.environment)
        #expect(raw.waitForExit(timeout: 20) == 0)

        #expect(waitFor({ (try? Self.scrape(url).value("deadlined_reminders", ["state": "delivered"])) == 1 }, timeout: 30))
        let scrape = try Self.scrape(url)
        #expect(scrape.status == 200 && scrape.type?.hasPrefix("text/plain; version=0.0.4") == true)
        let pending = try #require(scrape.value("deadlined_reminders", ["state": "pending"]))
        #expect(pending > 0 && scrape.value("deadlined_timer_queued") == pending, "plan's reminders wait, each in the heap")
        #expect(scrape.value("deadlined_reminders", ["state": "failed"]) == 0, "every state is there, at 0 when none is")
        #expect(scrape.value("deadlined_deliveries_total", ["channel": "file", "outcome": "accepted"]) == 1)
        #expect(scrape.value("deadlined_reminders_settled_total", ["outcome": "sent"]) == 1)
        #expect(scrape.value("deadlined_reminder_lateness_seconds_count") == 1)
        #expect(scrape.value("deadlined_timer_queue_delay_seconds_count").map { $0 >= 1 } == true)
        #expect(scrape.value("deadlined_control_calls_total", ["method": "io.deadlined.AddItem", "outcome": "ok"]) == 2)
        #expect(scrape.value("deadlined_control_calls_total", ["method": "io.deadlined.AddItem", "outcome": "error"]) == 1)
        #expect(scrape.value("deadlined_control_calls_total", ["method": "unknown", "outcome": "error"]) == 2)
        #expect(!scrape.samples.contains { $0.1["method"]?.contains("MadeUp") == true })
        #expect(scrape.value("deadlined_control_call_duration_seconds_count", ["method": "io.deadlined.AddItem"]) == 3)
        #expect(scrape.value("deadlined_control_connections_accepted_total").map { $0 >= 4 } == true)
        #expect(scrape.value("deadlined_store_transaction_duration_seconds_count", ["kind": "change"]).map { $0 >= 2 } == true)
        #expect(scrape.value("deadlined_store_transaction_duration_seconds_count", ["kind": "delivery"]).map { $0 >= 1 } == true)
        #expect(scrape.value("deadlined_store_bytes").map { $0 > 0 } == true)
        #expect(try Self.scrape("http://127.0.0.1:\(port)/other").status == 404)
        // Every series the shipped alert rules read is one the daemon serves.
        let rules = try String(contentsOfFile: Self.repository + "/Config/prometheus/deadlined-alerts.yaml", encoding: .utf8)
        let used = Set(rules.matches(of: /deadlined_[a-z_]+/).map { String($0.output) })
        let served = Set(scrape.samples.map(\.0))
        #expect(!used.isEmpty && used.isSubset(of: served), "not served: \(used.subtracting(served))")
    }

    static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

    @Test("the shipped alert rules load in promtool, and fire on the series that should raise them (promtool test rules)")
    func alertRules() throws {
        let promtool = try #require(["/usr/bin/promtool", "/usr/local/bin/promtool"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                    "promtool is not installed (Debian package prometheus; make test-deps installs it)")
        let check = try RunningProcess(promtool, ["check", "rules", Self.repository + "/Config/prometheus/deadlined-alerts.yaml"], environment: [:])
        #expect(check.waitForExit(timeout: 60) == 0 && check.stdout.contains("SUCCESS: 5 rules found"), "\(check.stdout) \(check.stderrLines.map(\.1))")
        let test = try RunningProcess(promtool, ["test", "rules", Self.repository + "/Tests/Fixtures/prometheus/deadlined-alerts-test.yaml"], environment: [:])
        #expect(test.waitForExit(timeout: 60) == 0, "\(test.stdout) \(test.stderrLines.map(\.1))")
    }

    @Test("a connection beyond metrics.max_connections is closed at once, a silent one after metrics.idle_timeout; scrapes go on")
    func connectionLimits() throws {
        let box = try Sandbox()
        let port = try Self.freePort()
        let daemon = try box.startDaemon(extra: ["DEADLINED_METRICS_LISTEN": "127.0.0.1:\(port)", "DEADLINED_METRICS_MAX_CONNECTIONS": "3",
                                                 "DEADLINED_METRICS_IDLE_TIMEOUT": "3"])
        defer { daemon.ensureStopped() }
        // Seconds from connecting to the server's close (recv gives b''), for one beyond the
        // limit and for one of the three held silent.
        let peer = try RunningProcess(try python3(), ["-c", """
            import socket, sys, time
            def closed_after(s, since):
                assert s.recv(1) == b"", "the server sent something"
                return time.monotonic() - since
            since = time.monotonic()
            held = [socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20) for _ in range(3)]
            time.sleep(0.3)
            extra_since = time.monotonic()
            extra = socket.create_connection(("127.0.0.1", int(sys.argv[1])), timeout=20)
            print(closed_after(extra, extra_since), closed_after(held[0], since))
            """, String(port)], environment: ProcessInfo.processInfo.environment)
        #expect(peer.waitForExit(timeout: 60) == 0, "\(peer.stderrLines.map(\.1))")
        let times = peer.stdout.split(separator: " ").compactMap { Double($0.trimmingCharacters(in: .whitespacesAndNewlines)) }
        try #require(times.count == 2, "\(peer.stdout)")
        #expect(times[0] < 2, "the fourth connection was closed after \(times[0]) s")
        #expect(times[1] >= 2.5 && times[1] < 20, "a silent connection was closed after \(times[1]) s; the idle timeout is 3 s")
        // The closed ones no longer count: a scrape is served.
        #expect(try Self.scrape("http://127.0.0.1:\(port)/metrics").status == 200)
    }

    @Test("a Unix socket in the group's hands (0660); a non-loopback address is refused at start, naming the key")
    func unixSocketAndRefusal() throws {
        let box = try Sandbox()
        let path = box.path + "/metrics.sock"
        let daemon = try box.startDaemon(extra: ["DEADLINED_METRICS_LISTEN": path])
        defer { daemon.ensureStopped() }
        #expect(try box.ctl(["status"]).status == 0)
        let scrape = try Self.scrape("unix:" + path)
        #expect(scrape.status == 200 && scrape.value("deadlined_control_calls_total", ["method": "io.deadlined.Status", "outcome": "ok"]) == 1)
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.posixPermissions] as? Int == 0o660)

        for bad in ["0.0.0.0:9464", "192.168.1.5:9464", "127.0.0.1:http"] {
            let refused = try RunningProcess(Binaries.deadlined, ["--check-config"],
                                             environment: box.environment(notifySocket: nil, extra: ["DEADLINED_METRICS_LISTEN": bad]))
            #expect(refused.waitForExit() == 78, "\(bad)")
            #expect(refused.waitForLine(containing: "DEADLINED_METRICS_LISTEN", timeout: 2) != nil, "\(bad): \(refused.stderrLines.map(\.1))")
        }
    }
}
