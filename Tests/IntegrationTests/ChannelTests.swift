import DeadlineCore
import Foundation
import Glibc
import Testing

/// The channels against real receivers on loopback: an HTTP server, an SMTP server behind
/// msmtp as sendmail, a real child process.
@Suite("Channels against real receivers", .serialized)
struct ChannelTests {
    static let receivers = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Receivers").path
    static let zone = TimeZone(identifier: "Asia/Bangkok")!

    /// Starts a Python receiver and returns it with the port it printed.
    func receiver(_ script: String, _ arguments: [String]) throws -> (RunningProcess, Int) {
        let python = try python3()
        let process = try RunningProcess(python, [Self.receivers + "/" + script] + arguments,
                                         environment: ProcessInfo.processInfo.environment)
        let end = Date().addingTimeInterval(15)
        while Int(process.stdout.trimmingCharacters(in: .whitespacesAndNewlines)) == nil && Date() < end { usleep(10_000) }
        let port = try #require(Int(process.stdout.trimmingCharacters(in: .whitespacesAndNewlines)),
                                "\(script) did not start: \(process.stderrLines.map(\.1))")
        return (process, port)
    }

    func jsonLines(_ path: String) -> [[String: Any]] {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
    }


    func startDaemon(_ box: Sandbox, extra: [String: String] = [:]) throws -> RunningProcess {
        let env = box.environment(notifySocket: nil, extra: ["DEADLINED_DELIVERY_RETRY_DELAY": "1"].merging(extra) { $1 })
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: env)
        _ = try #require(daemon.waitForLine(containing: "ready;"), "daemon did not start: \(daemon.stderrLines.map(\.1))")
        return daemon
    }

    /// How a message sent now says a meeting two hours off: "tomorrow" after 22:00 in Bangkok.
    /// A send that straddles midnight may say either, so both days (added, now) count.
    static func twoHoursAhead(addedAt added: Date, meeting: Date) -> Set<String> {
        var bangkok = Calendar(identifier: .gregorian)
        bangkok.timeZone = zone
        return Set([added, Date()].map {
            let days = bangkok.dateComponents([.day], from: bangkok.startOfDay(for: $0), to: bangkok.startOfDay(for: meeting)).day
            return days == 0 ? "อีก 2 ชั่วโมง" : "พรุ่งนี้"
        })
    }

    @Test("webhook: JSON body from the preset, Idempotency-Key, 500 then 200 → retried and delivered once; the secret never shows")
    func webhook() throws {
        try Binaries.require()
        let box = try Sandbox()
        let record = box.path + "/posts.jsonl"
        let (server, port) = try receiver("webhook_receiver.py", [record, "500,200"])
        defer { server.ensureStopped() }
        let secret = "tok-\(UUID().uuidString)"
        let credentials = box.path + "/creds"
        try FileManager.default.createDirectory(atPath: credentials, withIntermediateDirectories: true)
        try (secret + "\n").write(toFile: credentials + "/chat-token", atomically: true, encoding: .utf8)
        try box.writeConfig("""
            channels:
              chat:
                type: webhook
                preset: slack
                url: http://127.0.0.1:\(port)/hooks/office
                token_credential: chat-token
                timeout: 5
            delivery:
              channels: chat
            """)
        var daemon = try startDaemon(box, extra: ["CREDENTIALS_DIRECTORY": credentials])
        defer { daemon.ensureStopped() }
        let added = Date()
        let meeting = added.addingTimeInterval(2 * 3600 + 1)
        let at = DateOutput.iso8601(meeting, timeZone: Self.zone)
        let add = try deadlinectl(["add", "meeting", "ประชุมคณะทำงาน \"ครั้งที่ 2\"", "--at", at, "--remind", "2h", "--key", "wg-2",
                                   "--socket", box.socket])
        #expect(add.status == 0, "\(add.err)")

        #expect(waitFor { jsonLines(record).count >= 2 }, "posts: \(jsonLines(record).count)")
        let posts = jsonLines(record)
        #expect(posts.count == 2, "a delivered reminder is not posted again")
        let headers = posts.map { $0["headers"] as? [String: String] ?? [:] }
        #expect(headers.map { $0["Idempotency-Key"] } == ["deadlined-1-chat", "deadlined-1-chat"])
        #expect(headers.allSatisfy { $0["Authorization"] == "Bearer \(secret)" })
        #expect(headers.allSatisfy { $0["Content-Type"]?.hasPrefix("application/json") == true })
        #expect(posts.allSatisfy { $0["path"] as? String == "/hooks/office" })
        let body = try #require(posts.last?["body"] as? String)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(body.utf8)) as? [String: Any])
        let text = try #require(json["text"] as? String)
        // The slack preset: the subject in bold, then the body; quotes in the title are escaped JSON.
        let relatives = Self.twoHoursAhead(addedAt: added, meeting: meeting)
        #expect(relatives.contains { text.hasPrefix("*[ประชุม] ประชุมคณะทำงาน \"ครั้งที่ 2\" \($0)*\n") }, "\(text)")
        #expect(relatives.contains { text.contains("ขอเรียนเตือนการประชุม \"ประชุมคณะทำงาน \"ครั้งที่ 2\"\" \($0)") }, "\(text)")

        // The first attempt's error is kept (redacted) in the delivery log; the state is delivered.
        let list = try deadlinectl(["list", "--json", "--socket", box.socket])
        #expect(list.out.contains("\"state\" : \"delivered\"") || list.out.contains("\"state\":\"delivered\""), "\(list.out)")
        #expect(daemon.waitForLine(containing: "HTTP 500: refused: Bearer [secret]", timeout: 5) != nil,
                "\(daemon.stderrLines.map(\.1))")
        let status = try deadlinectl(["status", "--socket", box.socket])
        let statusJSON = try deadlinectl(["status", "--json", "--socket", box.socket])
        #expect(status.out.contains("chat (webhook)"), "\(status.out)")
        for text in [status.out, statusJSON.out, list.out] + daemon.stderrLines.map(\.1) {
            #expect(!text.contains(secret), "the secret leaked: \(text)")
        }
        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        daemon = try startDaemon(box, extra: ["CREDENTIALS_DIRECTORY": credentials])
        usleep(500_000)
        let afterRestart = jsonLines(record).count
        #expect(afterRestart == 2, "a restart sends nothing again")
    }

    @Test("e-mail through msmtp to a real SMTP server: the Thai subject and body decode back to the template's text")
    func email() throws {
        try Binaries.require()
        let msmtp = try #require(["/usr/bin/msmtp"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                 "msmtp is not installed (apt-get install msmtp)")
        let box = try Sandbox()
        let record = box.path + "/mail.jsonl"
        let (server, port) = try receiver("smtp_receiver.py", [record])
        defer { server.ensureStopped() }
        let rc = box.path + "/msmtprc"
        try "account default\nhost 127.0.0.1\nport \(port)\nauth off\ntls off\nfrom deadlined@example.go.th\n"
            .write(toFile: rc, atomically: true, encoding: .utf8)
        chmod(rc, 0o600)
        try box.writeConfig("""
            channels:
              office-mail:
                type: email
                sendmail: \(msmtp) -C \(rc)
                from: "ระบบเตือนกำหนดการ <deadlined@example.go.th>"
                cc: clerk@example.go.th
            delivery:
              channels: office-mail
            """)
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let title = "ประชุมคณะทำงานจัดทำแผนปฏิบัติการป้องกันการทุจริต ครั้งที่ 3/2560 (ติดตามผล)"
        let added = Date()
        let meeting = added.addingTimeInterval(2 * 3600 + 1)
        let at = DateOutput.iso8601(meeting, timeZone: Self.zone)
        let add = try deadlinectl(["add", "meeting", title, "--at", at, "--remind", "2h", "--key", "wg-3",
                                   "--location", "ห้องประชุมใหญ่ ชั้น 2", "--notify", "สมชาย ใจดี <somchai@example.go.th>",
                                   "--socket", box.socket])
        #expect(add.status == 0, "\(add.err)")
        #expect(waitFor { !jsonLines(record).isEmpty }, "no mail arrived; daemon: \(daemon.stderrLines.map(\.1))")
        let mail = try #require(jsonLines(record).first)
        let relatives = Self.twoHoursAhead(addedAt: added, meeting: meeting)
        #expect(relatives.contains { mail["subject"] as? String == "[ประชุม] \(title) \($0)" }, "\(mail)")
        let body = try #require(mail["body"] as? String)
        #expect(relatives.contains { body.contains("ขอเรียนเตือนการประชุม \"\(title)\" \($0)\n") }, "\(body)")
        #expect(body.contains("สถานที่: ห้องประชุมใหญ่ ชั้น 2\n"), "\(body)")
        #expect(body.contains("deadlinectl held wg-3"), "\(body)")
        // Python's address parser keeps the space between two adjacent encoded-words, which
        // RFC 2047 §6.2 says to drop; compare without spaces.
        #expect((mail["from"] as? String)?.replacingOccurrences(of: " ", with: "") == "ระบบเตือนกำหนดการ<deadlined@example.go.th>")
        #expect(mail["to"] as? String == "สมชาย ใจดี <somchai@example.go.th>")
        #expect(mail["cc"] as? String == "clerk@example.go.th")
        #expect(Set(mail["rcpt_tos"] as? [String] ?? []) == ["somchai@example.go.th", "clerk@example.go.th"])
        #expect(mail["mail_from"] as? String == "deadlined@example.go.th")
        #expect(mail["message_id"] as? String == "<deadlined-1-office-mail@example.go.th>")
        #expect(mail["auto_submitted"] as? String == "auto-generated")
        #expect(mail["charset"] as? String == "utf-8")
        // On the wire: plain ASCII, each header line within RFC 2047's 76 characters.
        let raw = try #require(mail["raw_headers"] as? String)
        let ascii = raw.unicodeScalars.allSatisfy(\.isASCII)
        #expect(ascii)
        let subjectLines = raw.components(separatedBy: "\n").drop { !$0.hasPrefix("Subject:") }.prefix { $0.hasPrefix("Subject:") || $0.hasPrefix(" ") }
        #expect(subjectLines.count > 2, "a long Thai subject is folded")
        #expect(subjectLines.allSatisfy { $0.count <= 76 }, "\(subjectLines)")
    }

    @Test("command: the reminder in env and on stdin; a hanging command is killed at its timeout, with its children, and retried")
    func command() throws {
        try Binaries.require()
        let box = try Sandbox()
        let hook = box.path + "/hook.sh"
        try """
            #!/bin/sh
            # First call: hang (in a child, as scripts do) until killed. Later calls: record and succeed.
            if [ ! -e "\(box.path)/hung" ]; then
                touch "\(box.path)/hung"
                sleep 300 & echo $! > "\(box.path)/sleep.pid"
                wait
            fi
            # stdin first: the test waits for env.txt, then reads both.
            cat >> "\(box.path)/stdin.jsonl"
            printf '%s|%s|%s\\n' "$DEADLINED_ITEM_KEY" "$DEADLINED_EVENT" "$DEADLINED_IDEMPOTENCY_KEY" >> "\(box.path)/env.txt"
            echo "noted" >&2
            """.write(toFile: hook, atomically: true, encoding: .utf8)
        chmod(hook, 0o755)
        try box.writeConfig("""
            channels:
              hook:
                type: command
                command: \(hook)
                timeout: 2
            delivery:
              channels: hook
            """)
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let add = try deadlinectl(["add", "deadline", "ส่งรายงาน", "--due", "+1m", "--remind", "1m", "--key", "report", "--socket", box.socket])
        #expect(add.status == 0, "\(add.err)")
        #expect(waitFor({ FileManager.default.fileExists(atPath: box.path + "/env.txt") }, timeout: 30),
                "the hook never succeeded; daemon: \(daemon.stderrLines.map(\.1))")
        let stdin = jsonLines(box.path + "/stdin.jsonl")
        let occurrence = try #require((stdin.first?["occurrence"] as? [String: Any])?["id"] as? Int)
        let env = try String(contentsOfFile: box.path + "/env.txt", encoding: .utf8)
        #expect(env == "report|due-today|deadlined-\(occurrence)-hook\n")
        let item = try #require(stdin.first?["item"] as? [String: Any])
        #expect(item["key"] as? String == "report")
        #expect(item["title"] as? String == "ส่งรายงาน")
        #expect(stdin.first?["idempotencyKey"] as? String == "deadlined-\(occurrence)-hook")
        #expect((stdin.first?["subject"] as? String)?.contains("ส่งรายงาน") == true)
        // The first attempt was killed at 2 s, with the sleep it had started.
        #expect(daemon.stderrLines.contains { $0.1.contains("did not finish within 2") }, "\(daemon.stderrLines.map(\.1))")
        let sleepPID = try #require(Int32(try String(contentsOfFile: box.path + "/sleep.pid", encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)))
        // Gone, or a zombie waiting for a reaper (PID 1 here may not reap): either way not running.
        let stat = (try? String(contentsOfFile: "/proc/\(sleepPID)/stat", encoding: .utf8)) ?? ""
        let state = stat.split(separator: ")").last?.split(separator: " ").first.map(String.init) ?? "gone"
        #expect(state == "gone" || state == "Z", "the hook's child survived its timeout: state \(state)")
        let list = try deadlinectl(["list", "--json", "--socket", box.socket])
        #expect(list.out.contains("delivered"), "\(list.out)")
    }

    @Test("deadlinectl test-channel reports success, failure and unknown channels")
    func testChannel() throws {
        try Binaries.require()
        let box = try Sandbox()
        let record = box.path + "/posts.jsonl"
        let (server, port) = try receiver("webhook_receiver.py", [record, "200,503"])
        defer { server.ensureStopped() }
        try box.writeConfig("""
            channels:
              chat:
                type: webhook
                url: http://127.0.0.1:\(port)/hook
            delivery:
              channels: journal
            """)
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let ok = try deadlinectl(["test-channel", "chat", "--socket", box.socket])
        #expect(ok.status == 0, "\(ok.out) \(ok.err)")
        #expect(ok.out.contains("chat: delivered"), "\(ok.out)")
        let posted = try #require(jsonLines(record).first?["body"] as? String)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(posted.utf8)) as? [String: Any])
        #expect((json["subject"] as? String)?.contains("ทดสอบช่องทางแจ้งเตือน") == true, "\(json)")
        let bad = try deadlinectl(["test-channel", "chat", "--socket", box.socket])
        #expect(bad.status == 1)
        #expect(bad.out.contains("FAILED") && bad.out.contains("HTTP 503"), "\(bad.out)")
        let unknown = try deadlinectl(["test-channel", "pigeon", "--socket", box.socket])
        #expect(unknown.status != 0)
        #expect(unknown.err.contains("NoSuchChannel") || unknown.err.contains("pigeon"), "\(unknown.err)")
    }
}
