import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// The journal log handler and the journal channel against journald's native protocol.
///
/// No journald runs here, so the daemon is started in a private mount namespace whose
/// `/run/systemd/journal/` is a folder of the test, where a datagram socket of the test's takes
/// what `sd_journal_sendv` sends. The host's /run is not touched.
@Suite("Structured journal fields", .serialized, .enabled(if: getuid() == 0, "needs root for a mount namespace"))
struct JournalTests {
    @Test("a reminder reaches the journal with its structured fields")
    func reminderFields() throws {
        try Binaries.require()
        let box = try Sandbox()
        let journalDir = box.path + "/journal"
        try FileManager.default.createDirectory(atPath: journalDir, withIntermediateDirectories: true)
        let journal = try DatagramListener(path: journalDir + "/socket")
        defer { journal.stop() }
        var env = box.environment(notifySocket: nil, extra: ["DEADLINED_LOG_TARGET": "journal"])
        env["PATH"] = "/usr/sbin:/usr/bin:/sbin:/bin"
        let script = """
            mount -t tmpfs tmpfs /run && mkdir -p /run/systemd/journal && \
            mount --bind "\(journalDir)" /run/systemd/journal && exec "\(Binaries.deadlined)"
            """
        let daemon = try RunningProcess("/usr/bin/unshare", ["--mount", "--propagation", "private", "/bin/sh", "-c", script],
                                        environment: env)
        defer { daemon.ensureStopped() }

        let readyEnd = Date().addingTimeInterval(15)
        while !journal.journalEntries.contains(where: { $0["MESSAGE"]?.contains("ready") == true }) && Date() < readyEnd {
            usleep(10_000)
        }
        try #require(journal.journalEntries.contains { $0["MESSAGE"]?.contains("ready") == true },
                     "no 'ready' entry in the journal; stderr: \(daemon.stderrLines.map(\.1))")

        let at = DateOutput.iso8601(Date().addingTimeInterval(0.5), timeZone: TimeZone(identifier: "Asia/Bangkok")!)
        let add = try deadlinectl(["add", "deadline", "ส่งแผน ป.ป.ช.\nบรรทัดที่สอง", "--due", at, "--remind", "0", "--key", "nacc-1",
                                   "--socket", box.socket])
        #expect(add.status == 0, "\(add.err)")

        let end = Date().addingTimeInterval(10)
        var reminder: [String: String]?
        while reminder == nil && Date() < end {
            // A deadline at its own instant: the "due today" event.
            reminder = journal.journalEntries.first { $0["MESSAGE_ID"] == "8b0e6f1d2c3a4e5f9a7b6c5d4e3f2a10" }
            usleep(10_000)
        }
        let fields = try #require(reminder, "no reminder entry; got \(journal.journalEntries.map { $0["MESSAGE"] ?? "?" })")
        #expect(fields["PRIORITY"] == "5")
        #expect(fields["SYSLOG_IDENTIFIER"] == "deadlined")
        #expect(fields["ITEM_ID"] == "1")
        #expect(fields["OCCURRENCE_ID"] == "1")
        #expect(fields["ITEM_KEY"] == "nacc-1")
        #expect(fields["LEAD"] == "0")
        #expect(fields["KIND"] == "deadline")
        #expect(fields["DUE"] == at)
        #expect(fields["IDEMPOTENCY_KEY"] == "deadlined-1-journal")
        #expect(fields["EVENT"] == "due-today")
        // The subject is one line; the body keeps the title's newline, in the protocol's binary-safe form.
        #expect(fields["MESSAGE"] == "[ครบกำหนดวันนี้] ส่งแผน ป.ป.ช. บรรทัดที่สอง")
        #expect(fields["REMINDER_BODY"]?.contains("\"ส่งแผน ป.ป.ช.\nบรรทัดที่สอง\"") == true)
        #expect(fields["CODE_FILE"]?.hasSuffix("JournalChannel.swift") == true)
        #expect(Int(fields["CODE_LINE"] ?? "") != nil)
        #expect(fields["CODE_FUNC"]?.hasPrefix("deliver") == true)
        // Nothing went to stderr instead.
        #expect(!daemon.stderrLines.contains { $0.1.contains("ครบกำหนดวันนี้") })

        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
    }
}
