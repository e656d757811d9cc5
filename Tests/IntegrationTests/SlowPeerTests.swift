import Control
import DeadlineCore
import Foundation
import Glibc
import Testing
import Varlink

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
        _ = try VarlinkClient(path: box.socket, timeout: 10).call(ControlAPI.status, ControlAPI.NoParameters())
        let answered = Date().timeIntervalSince(started)
        #expect(answered < 2, "Status took \(answered) s")
        let late = try #require(arrival(of: "ส่งแผนตรงเวลา", in: sent, due: due), "the reminder never went out")
        #expect(late < 2, "the reminder went out \(late) s late")
        print("deaf notify socket: Status in \(Int(answered * 1000)) ms, reminder \(Int(late * 1000)) ms after its time")
    }

    /// Resident memory of a process, in KiB (VmRSS of /proc/PID/status).
    func residentKiB(_ pid: pid_t) -> Int {
        let status = (try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)) ?? ""
        let line = status.split(separator: "\n").first { $0.hasPrefix("VmRSS:") } ?? ""
        return Int(line.split(separator: " ").dropFirst().first ?? "") ?? 0
    }

    /// A raw, non-blocking connection to the control socket.
    func rawConnection(_ path: String) throws -> Int32 {
        let fd = ConnectionLimitTests.connect(path)
        try #require(fd >= 0, "connect: \(String(cString: strerror(errno)))")
        _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        return fd
    }

    @Test("a client that pipelines calls and never reads the replies: reading stops, memory stays flat, the connection is closed")
    func neverReads() throws {
        try Binaries.require()
        let box = try Sandbox()
        try box.writeConfig("control:\n  idle_timeout: 5\n")
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"), "\(daemon.stderrLines.map(\.1))")
        // An item with long notes: each Get of it is a reply of some 30 KiB.
        #expect(try deadlinectl(["add", "meeting", "ประชุมใหญ่", "--at", "+3d", "--key", "big", "--notes",
                                 String(repeating: "วาระการประชุมที่ต้องพิจารณา ", count: 330), "--socket", box.socket]).status == 0)
        let before = residentKiB(daemon.pid)
        let greedy = try rawConnection(box.socket)
        defer { close(greedy) }
        let call = Array(#"{"method":"io.deadlined.Get","parameters":{"key":"big"}}"#.utf8) + [0]
        var sent = 0, refusedChunks = 0
        // Up to 2,000 calls, 16 every 20 ms: paced under the 128 a connection may queue. Once
        // the daemon stops reading, the socket fills and sends are refused: a second of that ends it.
        for _ in 0..<(2000 / 16) where refusedChunks < 50 {
            var chunk = 0
            for _ in 0..<16 {
                let n = call.withUnsafeBytes { send(greedy, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                if n == call.count { chunk += 1 } else { break }
            }
            sent += chunk
            refusedChunks = chunk == 0 ? refusedChunks + 1 : 0
            usleep(20_000)
        }
        usleep(500_000)
        let after = residentKiB(daemon.pid)
        // Another client is answered meanwhile.
        let started = Date()
        _ = try VarlinkClient(path: box.socket, timeout: 5).callUntyped(ControlAPI.status, ControlAPI.NoParameters())
        let answered = Date().timeIntervalSince(started)
        print("never-reading client: \(sent) calls sent; daemon RSS \(before) KiB before, \(after) KiB after (+\((after - before) / 1024) MiB); "
              + "Status for another client in \(Int(answered * 1000)) ms")
        #expect(after - before < 32 * 1024, "the daemon grew by \((after - before) / 1024) MiB")
        #expect(answered < 2)
        // Closed once its replies have sat unread for the idle timeout (5 s here).
        // POLLRDHUP (0x2000) is _GNU_SOURCE-only in Glibc's module: the peer shut its side.
        let peerClosed: Int16 = 0x2000
        var p = pollfd(fd: greedy, events: peerClosed, revents: 0)
        var hungUp = false
        let end = Date().addingTimeInterval(15)
        while !hungUp && Date() < end {
            if poll(&p, 1, 500) > 0 && p.revents & (Int16(POLLHUP) | peerClosed) != 0 { hungUp = true }
        }
        #expect(hungUp, "the never-reading connection was not closed")
        #expect(daemon.waitForLine(containing: "replies were left unread for 5 s", timeout: 5) != nil, "\(daemon.stderrLines.suffix(5).map(\.1))")
    }

    @Test("under a descriptor limit of 1024, 2,000 connections at once: a reminder due meanwhile goes out on time, on its first attempt, and Status answers")
    func descriptorFlood() throws {
        try Binaries.require()
        try #require(FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit"), "prlimit is not installed (util-linux)")
        // This process needs 2,000 descriptors of its own.
        var mine = rlimit()
        getrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &mine)
        try #require(mine.rlim_max >= 4096, "the test's own hard limit is \(mine.rlim_max)")
        mine.rlim_cur = mine.rlim_max
        setrlimit(__rlimit_resource_t(RLIMIT_NOFILE.rawValue), &mine)
        let box = try Sandbox()
        let sent = box.path + "/sent.txt"
        try box.fileChannelConfig(sent)
        let daemon = try RunningProcess("/usr/bin/prlimit", ["--nofile=1024:1024", Binaries.deadlined], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"), "\(daemon.stderrLines.map(\.1))")
        #expect(daemon.stderrLines.contains { $0.1.contains("at most 896 control connections") }, "\(daemon.stderrLines.map(\.1))")
        let due = Date().addingTimeInterval(4)
        let at = DateOutput.iso8601(due, timeZone: TimeZone(identifier: "Asia/Bangkok")!)
        #expect(try deadlinectl(["add", "deadline", "ส่งแผนระหว่างน้ำท่วม", "--due", at, "--remind", "0", "--key", "flood", "--socket", box.socket]).status == 0)
        var open: [Int32] = []
        defer { for fd in open { close(fd) } }
        var refused = 0
        for _ in 0..<2000 {
            let fd = ConnectionLimitTests.connect(box.socket)
            if fd >= 0 { open.append(fd) } else { refused += 1 }
        }
        let started = Date()
        let status = try VarlinkClient(path: box.socket, timeout: 10).call(ControlAPI.status, ControlAPI.NoParameters())
        let answered = Date().timeIntervalSince(started)
        let late = try #require(arrival(of: "ส่งแผนระหว่างน้ำท่วม", in: sent, due: due), "the reminder never went out: \(daemon.stderrLines.suffix(5).map(\.1))")
        let closed = open.filter { ConnectionLimitTests.closedByPeer($0, timeout: 0) }.count
        print("descriptor flood: \(open.count) connected, \(refused) refused, \(closed) closed by the daemon; Status in \(Int(answered * 1000)) ms; "
              + "reminder \(Int(late * 1000)) ms after its time")
        #expect(status.storeHealth == "ok")
        #expect(answered < 3, "Status took \(answered) s")
        #expect(late < 2, "the reminder went out \(late) s late")
        #expect(closed >= open.count - 896, "the daemon holds more connections than its budget")
        // The outcome is written just after the send (the next turn of the core's queue, one
        // transaction for what finished together): wait for it, bounded.
        func reminder() -> ControlAPI.Reminder? {
            let out = (try? deadlinectl(["get", "flood", "--json", "--socket", box.socket]).out) ?? ""
            return (try? JSONDecoder().decode(ControlAPI.ItemReply.self, from: Data(out.utf8)))?.item.reminders.first { $0.label == "0" }
        }
        #expect(waitFor({ reminder()?.state != .firing }, timeout: 10))
        let onTime = try #require(reminder())
        #expect(onTime.state == .delivered && onTime.attempts == 1 && onTime.lastError == nil, "\(onTime)")
        #expect(!daemon.stderrLines.contains { $0.1.contains("Too many open files") })
    }
}
