import Control
import Foundation
import Glibc
import Testing

/// Reload by SIGHUP and by the Reload method, against the real binary and a notify socket.
@Suite("Reload", .serialized)
struct ReloadTests {
    @Test("SIGHUP applies a changed config with RELOADING=1 then READY=1; a broken one is refused and the old stays")
    func reload() throws {
        try Binaries.require()
        let box = try Sandbox()
        let notify = try DatagramListener(path: box.path + "/notify.sock")
        defer { notify.stop() }
        try box.writeConfig("delivery:\n  channels: journal\n")
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: notify.path))
        defer { daemon.ensureStopped() }
        _ = try #require(notify.wait(for: { $0 == "READY=1" }), "\(daemon.stderrLines.map(\.1))")
        func channels() throws -> [String] {
            let out = try deadlinectl(["status", "--json", "--socket", box.socket]).out
            return try JSONDecoder().decode(ControlAPI.StatusReply.self, from: Data(out.utf8)).channels.map(\.name)
        }
        #expect(try channels() == ["journal"])

        try box.writeConfig("channels:\n  log-file:\n    type: file\n    path: \(box.path)/r.jsonl\ndelivery:\n  channels: journal, log-file\n")
        daemon.signal(SIGHUP)
        #expect(notify.wait(for: { $0 == "RELOADING=1" }) != nil)
        #expect(notify.wait(for: { $0.hasPrefix("MONOTONIC_USEC=") }) != nil)
        #expect(notify.wait(for: { _ in notify.assignments.filter { $0.1 == "READY=1" }.count == 2 }) != nil)
        #expect(try channels() == ["journal", "log-file"])

        // Broken: refused with file:line:column, by SIGHUP and by the method; the old config stays.
        try box.writeConfig("channels:\n  log-file:\n    type: pigeon\n")
        daemon.signal(SIGHUP)
        let refused = try #require(daemon.waitForLine(containing: "reload refused"), "\(daemon.stderrLines.map(\.1))")
        #expect(refused.1.contains("deadlined.yaml:3:11"), "\(refused.1)")
        #expect(notify.wait(for: { $0.hasPrefix("STATUS=reload refused") }) != nil)
        let viaMethod = try deadlinectl(["reload", "--socket", box.socket])
        #expect(viaMethod.status != 0 && viaMethod.err.contains("3:11") && viaMethod.err.contains("pigeon"), "\(viaMethod.err)")
        #expect(try channels() == ["journal", "log-file"])

        try box.writeConfig("delivery:\n  channels: journal\n")
        let ok = try deadlinectl(["reload", "--socket", box.socket])
        #expect(ok.status == 0 && ok.out.contains("channels journal"), "\(ok.out) \(ok.err)")
        #expect(try channels() == ["journal"])
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }
}
