import Foundation
import Glibc
import Testing

/// The daemon under libfaketime (Debian `faketime`): with its clock three days behind the
/// machine's, a reminder still fires at its own (fake) wall-clock time, so the Dispatch wall
/// timer follows the process's clock.
@Suite("Under libfaketime", .serialized)
struct FaketimeTests {
    static func date(_ text: String?) -> Date? {
        guard let text else { return nil }
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return f.date(from: text) ?? ISO8601DateFormatter().date(from: text)
    }

    @Test("three days in the past, a reminder 3 s ahead (in fake time) fires on time")
    func offsetClock() throws {
        try Binaries.require()
        let faketime = try #require(["/usr/bin/faketime"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                    "faketime is not installed (apt-get install faketime)")
        let box = try Sandbox()
        let delivered = box.path + "/delivered.jsonl"
        try box.fileChannelConfig(delivered)
        // Only the wall clock is behind, as on a machine whose clock is wrong; by default
        // libfaketime would shift the monotonic clocks too, which no real machine does.
        let env = box.environment(notifySocket: nil, extra: ["FAKETIME_DONT_FAKE_MONOTONIC": "1"])
        let daemon = try RunningProcess(faketime, ["-f", "-3d", Binaries.deadlined], environment: env)
        defer { daemon.ensureStopped() }
        // Generous: under the whole suite's load a start under libfaketime was once seen to take over 15 s.
        _ = try #require(daemon.waitForLine(containing: "ready;", timeout: 45), "\(daemon.stderrLines.map(\.1))")
        // The instant is given in the daemon's (fake) time: three days behind ours, 3 s ahead.
        let fakeNow = Date().addingTimeInterval(-3 * 86400)
        let due = fakeNow.addingTimeInterval(3)
        let f = ISO8601DateFormatter()
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        let add = try deadlinectl(["add", "meeting", "faked", "--at", f.string(from: due), "--remind", "0", "--socket", box.socket])
        #expect(add.status == 0, "\(add.err)")
        let end = Date().addingTimeInterval(15)
        var line: [String: Any]?
        while line == nil && Date() < end {
            if let text = try? String(contentsOfFile: delivered, encoding: .utf8), let first = text.split(separator: "\n").first {
                line = try JSONSerialization.jsonObject(with: Data(first.utf8)) as? [String: Any]
            }
            usleep(10_000)
        }
        let sent = try #require(line, "nothing was delivered")
        #expect(sent["lead"] as? String == "0", "an on-time reminder, not a catch-up: \(sent)")
        let fireAt = try #require(Self.date(sent["fireAt"] as? String))
        let sentAt = try #require(Self.date(sent["sentAt"] as? String))
        let late = sentAt.timeIntervalSince(fireAt)
        print("faketime: lateness \(String(format: "%.2f", late * 1000)) ms in fake time")
        #expect(late >= -0.002 && late < 0.1, "sent \(late) s after its time")
        // The wrapper does not pass signals on: stop the daemon, its child, and the wrapper ends.
        let children = (try? String(contentsOfFile: "/proc/\(daemon.pid)/task/\(daemon.pid)/children", encoding: .utf8)) ?? ""
        let child = try #require(children.split(separator: " ").first.flatMap { pid_t($0) }, "no daemon under faketime")
        kill(child, SIGTERM)
        let exit = daemon.waitForExit()
        #expect(exit == 0, "daemon \(child) under faketime: \(daemon.stderrLines.suffix(5).map(\.1)); still there: \(kill(child, 0) == 0)")
    }
}
