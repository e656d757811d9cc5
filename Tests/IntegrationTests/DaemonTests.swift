import Control
import DeadlineCore
import Foundation
import Glibc
import Testing
import Varlink

/// The real `deadlined` and `deadlinectl`, as systemd and an admin would run them.
@Suite("deadlined, end to end", .serialized)
struct DaemonTests {
    @Test("readiness, watchdog, an on-time reminder, clean stop, and state across a restart")
    func lifecycle() throws {
        try Binaries.require()
        let box = try Sandbox()
        let notify = try DatagramListener(path: box.path + "/notify.sock")
        defer { notify.stop() }
        // 400 ms: the daemon must ping every 200 ms.
        let env = box.environment(notifySocket: notify.path, extra: ["WATCHDOG_USEC": "400000"])
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: env)
        defer { daemon.ensureStopped() }

        // READY=1 arrives only once the control socket accepts connections.
        let ready = try #require(notify.wait(for: { $0 == "READY=1" }), "no READY=1; stderr: \(daemon.stderrLines.map(\.1))")
        let status = try VarlinkClient(path: box.socket).call("io.deadlined.Status", ControlAPI.NoParameters(),
                                                              as: ControlAPI.StatusReply.self)
        #expect(status.pending == 0)
        #expect(status.watchdogUsec == 400_000)
        let readyDatagram = try #require(notify.messages.first { $0.1.contains("READY=1") })
        #expect(readyDatagram.1.contains("STATUS=0 pending"), "READY=1 travels with STATUS=: \(readyDatagram.1)")

        // WATCHDOG=1 keeps coming, at about half the interval.
        Thread.sleep(forTimeInterval: 1.2)
        let pings = notify.assignments.filter { $0.1 == "WATCHDOG=1" && $0.0 >= ready.0 }
        #expect(pings.count >= 4, "expected ~6 pings in 1.2 s, got \(pings.count)")

        // A meeting 2 s ahead fires within 50 ms of its time, and not before.
        let target = Date().addingTimeInterval(2)
        let at = DateOutput.iso8601(target, timeZone: TimeZone(identifier: "Asia/Bangkok")!)
        // --remind 0: one reminder, at the meeting's own time (the rule's leads are all past).
        let add = try deadlinectl(["add", "meeting", "ประชุมคณะทำงาน ครั้งที่ 2", "--at", at, "--location", "ห้องประชุมสีโห",
                                   "--remind", "0", "--socket", box.socket])
        #expect(add.status == 0, "\(add.err)")
        #expect(add.out.contains("added meeting m1"))
        #expect(add.out.components(separatedBy: "reminder ").count == 2, "one reminder: \(add.out)")
        let fired = try #require(daemon.waitForLine(containing: "[ประชุม] ประชุมคณะทำงาน ครั้งที่ 2", timeout: 10))
        let lateness = fired.0.timeIntervalSince(target)
        print("integration: reminder lateness \(String(format: "%.2f", lateness * 1000)) ms")
        #expect(lateness >= -0.002, "fired \(lateness) s early")
        #expect(lateness < 0.050, "fired \(lateness * 1000) ms late")
        #expect(fired.1.contains("item_id=1"))
        #expect(fired.1.contains("item_key=m1"))
        #expect(fired.1.contains("lead=0"))
        #expect(fired.1.contains("idempotency_key=deadlined-1-journal"))

        // STATUS= follows the work: after the add, one pending and its instant.
        #expect(notify.assignments.contains { $0.1.hasPrefix("STATUS=1 pending, next reminder ") })

        // SIGTERM: STOPPING=1, then exit 0, and the socket file is gone.
        daemon.signal(SIGTERM)
        let exit = daemon.waitForExit()
        #expect(exit == 0)
        #expect(notify.wait(for: { $0 == "STOPPING=1" }, timeout: 1) != nil)
        #expect(!FileManager.default.fileExists(atPath: box.socket))

        // Restart on the same state: the item and its delivered reminder are still there.
        let again = try RunningProcess(Binaries.deadlined, [], environment: env)
        defer { again.ensureStopped() }
        _ = try #require(notify.wait(for: { _ in notify.assignments.filter { $0.1 == "READY=1" }.count == 2 }))
        let list = try deadlinectl(["list", "--json", "--socket", box.socket])
        #expect(list.status == 0, "\(list.err)")
        let reply = try JSONDecoder().decode(ControlAPI.ListItemsReply.self, from: Data(list.out.utf8))
        #expect(reply.items.map(\.title) == ["ประชุมคณะทำงาน ครั้งที่ 2"])
        #expect(reply.items.first?.location == "ห้องประชุมสีโห")
        #expect(reply.items.first?.reminders.map(\.state) == [.delivered])
        // ...and it is not sent a second time.
        Thread.sleep(forTimeInterval: 0.3)
        #expect(!again.stderrLines.contains { $0.1.contains("[ประชุม]") })
        again.signal(SIGTERM)
        #expect(again.waitForExit() == 0)
    }

    @Test("socket activation: the daemon serves the socket it was passed and binds none of its own")
    func socketActivation() throws {
        try Binaries.require()
        let activate = try #require(["/usr/bin/systemd-socket-activate", "/bin/systemd-socket-activate"]
            .first { FileManager.default.isExecutableFile(atPath: $0) }, "systemd-socket-activate is not installed")
        let box = try Sandbox()
        let notify = try DatagramListener(path: box.path + "/notify.sock")
        defer { notify.stop() }
        let passed = box.path + "/passed.sock"
        var args = ["--listen=" + passed, "--fdname=control"]
        for (k, v) in box.environment(notifySocket: notify.path) { args += ["-E", "\(k)=\(v)"] }
        let launcher = try RunningProcess(activate, args + [Binaries.deadlined], environment: ["PATH": "/usr/bin:/bin"])
        defer { launcher.ensureStopped() }
        // The launcher listens first; the daemon starts on the first connection.
        let end = Date().addingTimeInterval(10)
        while !FileManager.default.fileExists(atPath: passed) && Date() < end { usleep(10_000) }

        let status = try VarlinkClient(path: passed).call(ControlAPI.status, ControlAPI.NoParameters())
        #expect(status.version.isEmpty == false)
        #expect(notify.wait(for: { $0 == "READY=1" }) != nil)
        #expect(launcher.waitForLine(containing: "control socket passed by systemd") != nil)
        #expect(!FileManager.default.fileExists(atPath: box.socket), "the daemon must not bind its own socket")
        let add = try deadlinectl(["add", "deadline", "ส่งแผน ป.ป.ช.", "--due", "2027-05-24T16:30", "--socket", passed])
        #expect(add.status == 0, "\(add.err)")
        launcher.signal(SIGTERM)
        #expect(launcher.waitForExit() == 0)
    }

    @Test("--check-config: 0 for the sample, 78 naming file:line and the key for a typo")
    func checkConfig() throws {
        try Binaries.require()
        let box = try Sandbox()
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Config/deadlined.yaml").path
        let good = try RunningProcess(Binaries.deadlined, ["--check-config", "--config", sample], environment: box.environment(notifySocket: nil))
        #expect(good.waitForExit() == 0)
        #expect(good.stdout.contains("config OK (\(sample))"))

        let bad = box.path + "/bad.yaml"
        try "time_zone: Asia/Bangkok\ncontrol:\n  sokcet: /tmp/x.sock\n".write(toFile: bad, atomically: true, encoding: .utf8)
        let refused = try RunningProcess(Binaries.deadlined, ["--check-config", "--config", bad], environment: box.environment(notifySocket: nil))
        #expect(refused.waitForExit() == 78)
        #expect(refused.waitForLine(containing: "\(bad):3:3: unknown key 'control.sokcet'", timeout: 2) != nil,
                "\(refused.stderrLines.map(\.1))")

        // The same file stops a real start, before anything is opened.
        let start = try RunningProcess(Binaries.deadlined, ["--config", bad], environment: box.environment(notifySocket: nil))
        #expect(start.waitForExit() == 78)
        #expect(!FileManager.default.fileExists(atPath: box.state + "/deadlined.sqlite"))
    }

    @Test("deadlinectl: a date it cannot read is refused with the accepted forms; no daemon is a clear error")
    func ctlErrors() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let bad = try deadlinectl(["add", "meeting", "x", "--at", "16 พฤษภาคม 2560 ???", "--socket", box.socket])
        #expect(bad.status != 0)
        #expect(bad.err.contains("cannot read '16 พฤษภาคม 2560 ???'"))
        #expect(bad.err.contains("2017-05-16T14:00:00+07:00"))
        let empty = try deadlinectl(["add", "meeting", " ", "--at", "2027-01-01T09:00", "--socket", box.socket])
        #expect(empty.status != 0)
        #expect(empty.err.contains("invalid value for 'title'"))
        let list = try deadlinectl(["list", "--socket", box.socket])
        #expect(list.out.contains("no open items"))
        // Options every command takes may come before it, as with systemctl.
        let before = try deadlinectl(["--socket", box.socket, "--json", "status"])
        #expect(before.status == 0 && before.out.contains("\"storeHealth\""), "\(before.err)")
        let equals = try deadlinectl(["--socket=" + box.socket, "list"])
        #expect(equals.status == 0 && equals.out.contains("no open items"), "\(equals.err)")
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)

        let none = try deadlinectl(["status", "--socket", box.socket])
        #expect(none.status != 0)
        #expect(none.err.contains("cannot connect to \(box.socket)"))
    }
}
