import ArgumentParser
import Control
import DeadlineCore
import Foundation
import Glibc
import Varlink

/// l. 7,850 e-mail reminders due at one instant, one to each organisation of the country, through
/// the e-mail channel (msmtp as sendmail, one child process each) to a local SMTP server
/// (aiosmtpd, Tests/IntegrationTests/Receivers/smtp_receiver.py): how long until the last one
/// arrives, and that each office got exactly one at its own address.
struct CenterMail: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "center-mail", abstract: "7,850 e-mail reminders due at once through msmtp to a local SMTP server.")
    @Option(help: "The registry generator (run with python3).") var generator = "Benchmarks/registry/make-registry.py"
    @Option(help: "The SMTP receiver (aiosmtpd).") var receiver = "Tests/IntegrationTests/Receivers/smtp_receiver.py"
    @Option(help: "Sends at once (the channel's concurrency).") var concurrency = 16
    @Option(help: "Seconds from the assignment to the due instant.") var lead = 30.0

    func run() throws {
        let dir = try scratch("center-mail")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/registry.csv", record = dir + "/mail.jsonl", portFile = dir + "/port"
        var status: Int32 = 0
        waitpid(spawn("/usr/bin/python3", [generator, "-o", csv], env: ["PATH": "/usr/bin:/bin"]), &status, 0)
        // The receiver prints its port; a shell sends it to a file for us to read.
        // The python3 of the caller's PATH: the one aiosmtpd was installed for (pip's, pyenv's).
        let smtp = spawn("/bin/sh", ["-c", "exec python3 \(receiver) \(record) > \(portFile)"],
                         env: ProcessInfo.processInfo.environment)
        defer { kill(smtp, SIGTERM); waitpid(smtp, &status, 0) }
        let up = Date().addingTimeInterval(20)
        var port: Int?
        while port == nil && Date() < up { port = (try? String(contentsOfFile: portFile, encoding: .utf8)).flatMap { Int($0.trimmingCharacters(in: .whitespacesAndNewlines)) }; usleep(50_000) }
        guard let port else { throw ValidationError("the SMTP receiver did not start (pip install aiosmtpd)") }
        let rc = dir + "/msmtprc"
        try "account default\nhost 127.0.0.1\nport \(port)\nauth off\ntls off\nfrom center@example.go.th\n".write(toFile: rc, atomically: true, encoding: .utf8)
        chmod(rc, 0o600)
        try FileManager.default.createDirectory(atPath: dir + "/etc", withIntermediateDirectories: true)
        try """
            channels:
              mail:
                type: email
                sendmail: /usr/bin/msmtp -C \(rc)
                from: center@example.go.th
                to: center@example.go.th
                concurrency: \(concurrency)
            delivery:
              channels: mail
            board:
              directory: "off"
            """.write(toFile: dir + "/etc/deadlined.yaml", atomically: true, encoding: .utf8)
        let daemon = BenchDaemon(in: dir, env: ["CONFIGURATION_DIRECTORY": dir + "/etc", "DEADLINED_DELIVERY_CHANNELS": "mail"])
        defer { daemon.stop() }
        let client = try VarlinkClient(path: daemon.socket)
        let data = try Data(contentsOf: URL(fileURLWithPath: csv))
        let imported = try client.call(ControlAPI.importOrganisations, ControlAPI.ImportOrganisationsParameters(name: "registry.csv", data: data.base64EncodedString()))
        let withMail = try client.call(ControlAPI.listOrganisations, ControlAPI.ListOrganisationsParameters()).organisations.filter { $0.email != nil }.count
        let due = Date().addingTimeInterval(lead)
        var add = ControlAPI.AddItemParameters(kind: .deadline, title: "ส่งแผนปฏิบัติการป้องกันการทุจริต", at: DateOutput.iso8601(due, timeZone: TimeZone(identifier: "Asia/Bangkok")!), key: "nacc")
        add.leads = ["0"]
        _ = try client.call(ControlAPI.addItem, add)
        _ = try client.call(ControlAPI.assign, ControlAPI.AssignParameters(key: "nacc", all: true))
        let expected = withMail + 1   // and the center's own
        func mails() -> [[String: Any]] {
            ((try? String(contentsOfFile: record, encoding: .utf8)) ?? "").split(separator: "\n")
                .compactMap { try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any] }
        }
        var firstAt: Date?, lastAt = Date()
        var count = 0
        let end = due.addingTimeInterval(900)
        while Date() < end {
            let n = mails().count
            if n > 0 && firstAt == nil { firstAt = Date() }
            if n != count { count = n; lastAt = Date() }
            if n >= expected { break }
            usleep(200_000)
        }
        usleep(2_000_000)
        let all = mails()
        let recipients = all.flatMap { $0["rcpt_tos"] as? [String] ?? [] }
        let distinct = Set(recipients)
        let span = lastAt.timeIntervalSince(due)
        table("l. \(imported.added.count) organisations, one deadline due at once, e-mail through msmtp (concurrency \(concurrency)) to a local SMTP server", [
            ("organisations with an e-mail address", "\(withMail)"),
            ("mails received", "\(all.count) of \(expected) expected"),
            ("distinct recipients / duplicates", "\(distinct.count) / \(recipients.count - distinct.count)"),
            ("first mail after the due instant", firstAt.map { String(format: "%.2f s", $0.timeIntervalSince(due)) } ?? "-"),
            ("last mail after the due instant", String(format: "%.1f s", span)),
            ("mails/s", String(format: "%.0f", Double(all.count) / max(span, 0.001))),
        ])
    }
}
