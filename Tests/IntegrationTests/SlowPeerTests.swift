import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// Peers that do not keep up: a service manager that never reads its notify socket, a
/// client that never reads its replies, more clients than descriptors. Reminders still go
/// out on time and the admin still gets answers.
@Suite("Slow and greedy peers", .serialized)
struct SlowPeerTests {
    /// Seconds from `due` until `text` is in `file`; nil if it never came within `timeout`.
    func arrival(of text: String, in file: String, due: Date, timeout: TimeInterval = 20) -> TimeInterval? {
        var arrived: Date?
        _ = waitFor({
            if ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").contains(text) { arrived = Date() }
            return arrived != nil
        }, timeout: timeout)
        return arrived.map { $0.timeIntervalSince(due) }
    }

    @Test("a notify socket nobody reads: reminders go out on time and Status answers at once")
    func deafServiceManager() throws {
        try Binaries.require()
        let box = try Sandbox()
        let notify = try DatagramListener(path: box.path + "/notify.sock", reading: false)
        defer { notify.stop() }
        let sent = box.path + "/sent.txt"
        try box.fileChannelConfig(sent)
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: notify.path))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"), "\(daemon.stderrLines.map(\.1))")
        // Every change is a STATUS=; the socket's queue holds ten (net.unix.max_dgram_qlen).
        let client = try VarlinkClient(path: box.socket, timeout: 10)
        for n in 0..<60 {
            _ = try client.call("io.deadlined.AddItem", ["kind": "deadline", "title": "งานที่ \(n)", "at": "+30d"])
        }
        let due = Date().addingTimeInterval(3)
        let at = DateOutput.iso8601(due, timeZone: TimeZone(identifier: "Asia/Bangkok")!)
        #expect(try deadlinectl(["add", "deadline", "ส่งแผนตรงเวลา", "--due", at, "--remind", "0", "--socket", box.socket]).status == 0)
        let started = Date()
        _ = try VarlinkClient(path: box.socket, timeout: 10).call("io.deadlined.Status", ControlAPI.NoParameters(), as: ControlAPI.StatusReply.self)
        let answered = Date().timeIntervalSince(started)
        #expect(answered < 2, "Status took \(answered) s")
        let late = try #require(arrival(of: "ส่งแผนตรงเวลา", in: sent, due: due), "the reminder never went out")
        #expect(late < 2, "the reminder went out \(late) s late")
        print("deaf notify socket: Status in \(Int(answered * 1000)) ms, reminder \(Int(late * 1000)) ms after its time")
    }
}
