import DeadlineCore
import Foundation
import Glibc
import Testing

/// The control interface through a client we did not write: Python's `varlink` package.
@Suite("Independent Varlink client")
struct VarlinkPeerTests {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Receivers/varlink_client.py").path

    @Test("python varlink parses the IDL and calls GetInfo, Status, AddItem, ListItems and Watch")
    func pythonClient() throws {
        try Binaries.require()
        let python = try python3()
        let box = try Sandbox()
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"), "\(daemon.stderrLines.map(\.1))")
        let due = DateOutput.iso8601(Date().addingTimeInterval(3), timeZone: TimeZone(identifier: "Asia/Bangkok")!)
        let client = try RunningProcess(python, [Self.script, box.socket, due], environment: ProcessInfo.processInfo.environment)
        let status = client.waitForExit(timeout: 30)
        #expect(status == 0, "\(client.stderrLines.map(\.1).joined(separator: "\n"))")
        let out = try #require(try JSONSerialization.jsonObject(with: Data(client.stdout.utf8)) as? [String: Any], "\(client.stdout)")
        let info = try #require(out["info"] as? [String: Any])
        #expect(info["vendor"] as? String == "deadlined")
        #expect(info["interfaces"] as? [String] == ["io.deadlined", "org.varlink.service"])
        let methods = out["methods"] as? [String] ?? []
        for m in ["AddItem", "Audit", "ListItems", "Status", "TestChannel", "Watch"] { #expect(methods.contains(m), "\(methods)") }
        #expect(out["status_pending_before"] as? Int == 0)
        #expect((out["added"] as? [String: Any])?["key"] as? String == "py-1")
        #expect(out["listed"] as? [String] == ["py-1"])
        #expect(out["bad_date_error"] as? String == "io.deadlined.InvalidDate")
        #expect(out["bad_date_input"] as? String == "not a date")
        let events = out["events"] as? [[String: Any]] ?? []
        let sent = try #require(events.last)
        #expect(sent["kind"] as? String == "reminder_sent" && sent["item"] as? String == "py-1", "\(events)")
    }
}
