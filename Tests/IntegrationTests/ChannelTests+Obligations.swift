import DeadlineCore
import Foundation
import Glibc
import Testing

extension ChannelTests {
    @Test("a deadline assigned to a province: each office reminded at its own address with its name, one that submitted not at all, one without e-mail through the other channel")
    func obligationReminders() throws {
        try Binaries.require()
        let msmtp = try #require(["/usr/bin/msmtp"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                 "msmtp is not installed (apt-get install msmtp)")
        let box = try Sandbox()
        let record = box.path + "/mail.jsonl", lines = box.path + "/reminders.jsonl"
        let (server, port) = try receiver("smtp_receiver.py", [record])
        defer { server.ensureStopped() }
        let rc = box.path + "/msmtprc"
        try "account default\nhost 127.0.0.1\nport \(port)\nauth off\ntls off\nfrom center@example.go.th\n"
            .write(toFile: rc, atomically: true, encoding: .utf8)
        chmod(rc, 0o600)
        try box.writeConfig("""
            channels:
              mail:
                type: email
                sendmail: \(msmtp) -C \(rc)
                from: "ศูนย์ปฏิบัติการต่อต้านการทุจริต <center@example.go.th>"
                to: center@example.go.th
              log:
                type: file
                path: \(lines)
            delivery:
              channels: mail, log
            """)
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let registry = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/organisations/khonkaen-windows-874.csv").path
        #expect(try box.ctl(["org", "import", registry]).status == 0)
        let due = DateOutput.iso8601(Date().addingTimeInterval(6), timeZone: Self.zone)
        #expect(try box.ctl(["add", "deadline", "ส่งแผนปฏิบัติการป้องกันการทุจริต", "--due", due, "--remind", "0", "--key", "d1"]).status == 0)
        let assign = try box.ctl(["assign", "d1", "--province", "ขอนแก่น"])
        #expect(assign.out.contains("4 organisation(s) assigned now"), "\(assign.out) \(assign.err)")
        let submit = try box.ctl(["submit", "d1", "--org", "4000103", "--ref", "ขก 52001/130"])
        #expect(submit.status == 0, "\(submit.err)")

        // The center's own reminder, and one for each office with an e-mail address that has not submitted.
        #expect(waitFor({ jsonLines(record).count >= 3 && jsonLines(lines).count >= 4 }, timeout: 30),
                "mail: \(jsonLines(record).count), lines: \(jsonLines(lines).count); daemon: \(daemon.stderrLines.suffix(5).map(\.1))")
        usleep(500_000)
        let mails = jsonLines(record)
        let byRecipient = Dictionary(grouping: mails, by: { ($0["rcpt_tos"] as? [String] ?? []).joined(separator: ",") })
        #expect(Set(byRecipient.keys) == ["center@example.go.th", "saraban.4000001@example.org", "saraban.4000101@example.org"],
                "\(byRecipient.keys)")
        #expect(byRecipient.values.allSatisfy { $0.count == 1 }, "each once")
        let city = try #require(byRecipient["saraban.4000101@example.org"]?.first)
        #expect((city["body"] as? String)?.contains("หน่วยงาน: เทศบาลนครขอนแก่น") == true, "\(city["body"] ?? "")")
        // Through the file channel: the item once, and each office not submitted, with or without e-mail.
        let logged = jsonLines(lines)
        #expect(logged.compactMap { $0["organisationCode"] as? String }.sorted() == ["4000001", "4000101", "4000102"], "\(logged)")
        #expect(logged.filter { $0["organisationCode"] == nil }.count == 1)
        #expect(logged.first { $0["organisationCode"] as? String == "4000102" }?["organisation"] as? String == "เทศบาลตำบลบ้านฝาง, สำนักปลัด")

        // "Remind those still open": one more each, to exactly those three.
        let remind = try box.ctl(["remind", "d1", "--not-submitted"])
        #expect(remind.out.contains("d1: 3 organisation(s) reminded now"), "\(remind.out) \(remind.err)")
        #expect(waitFor({ jsonLines(lines).filter { $0["lead"] as? String == "nudge" }.count >= 3 && jsonLines(record).count >= 5 }, timeout: 20),
                "\(jsonLines(lines).count) lines, \(jsonLines(record).count) mails")
        let nudged = jsonLines(lines).filter { $0["lead"] as? String == "nudge" }.compactMap { $0["organisationCode"] as? String }
        #expect(nudged.sorted() == ["4000001", "4000101", "4000102"])

        // Nothing failed: the office without an address was not tried by e-mail.
        let status = try box.ctl(["status", "--json"])
        let json = try JSONSerialization.jsonObject(with: Data(status.out.utf8)) as? [String: Any]
        #expect(json?["failed"] as? Int == 0 && json?["retrying"] as? Int == 0, "\(status.out)")
    }

    @Test("an obligation's escalation goes to its district's office, else its province's, the organisation in copy")
    func obligationEscalation() throws {
        try Binaries.require()
        let msmtp = try #require(["/usr/bin/msmtp"].first { FileManager.default.isExecutableFile(atPath: $0) }, "msmtp is not installed")
        let box = try Sandbox()
        let record = box.path + "/mail.jsonl"
        let (server, port) = try receiver("smtp_receiver.py", [record])
        defer { server.ensureStopped() }
        let rc = box.path + "/msmtprc"
        try "account default\nhost 127.0.0.1\nport \(port)\nauth off\ntls off\nfrom center@example.go.th\n".write(toFile: rc, atomically: true, encoding: .utf8)
        chmod(rc, 0o600)
        // The escalation at the due instant itself, so that the test need not wait for working days.
        try box.writeConfig("""
            rules:
              escalate: "0"
            channels:
              mail:
                type: email
                sendmail: \(msmtp) -C \(rc)
                from: center@example.go.th
                to: center@example.go.th
            delivery:
              channels: mail
            """)
        let daemon = try startDaemon(box)
        defer { daemon.ensureStopped() }
        let registry = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Fixtures/organisations/khonkaen-windows-874.csv").path
        #expect(try box.ctl(["org", "import", registry]).status == 0)
        #expect(try box.ctl(["org", "escalation", "--province", "ขอนแก่น", "--name", "สำนักงานส่งเสริมการปกครองท้องถิ่นจังหวัดขอนแก่น",
                             "--email", "lg.kk@example.go.th"]).status == 0)
        let district = try box.ctl(["org", "escalation", "--province", "ขอนแก่น", "--district", "อ.บ้านฝาง", "--name", "ท้องถิ่นอำเภอบ้านฝาง",
                                    "--email", "lg.banfang@example.go.th"])
        #expect(district.out.contains("escalation for ขอนแก่น/บ้านฝาง: ท้องถิ่นอำเภอบ้านฝาง"), "\(district.out) \(district.err)")
        let due = DateOutput.iso8601(Date().addingTimeInterval(6), timeZone: Self.zone)
        #expect(try box.ctl(["add", "deadline", "ส่งแผน", "--due", due, "--remind", "0", "--key", "d1"]).status == 0)
        #expect(try box.ctl(["assign", "d1", "--province", "ขอนแก่น"]).status == 0)
        #expect(try box.ctl(["submit", "d1", "--org", "4000103", "--ref", "ขก 1"]).status == 0)

        // The center's two (its lead and its escalation), two for each office with an address, one
        // escalation for the office without one.
        #expect(waitFor({ jsonLines(record).count >= 7 }, timeout: 30), "\(jsonLines(record).count) mails; \(daemon.stderrLines.suffix(5).map(\.1))")
        usleep(500_000)
        let mails = jsonLines(record)
        #expect(mails.count == 7)
        let escalations = mails.filter { ($0["subject"] as? String)?.hasPrefix("[แจ้งเพื่อทราบ]") == true }
        func sent(to: String) -> [[String: Any]] { escalations.filter { $0["to"] as? String == to } }
        #expect(sent(to: "lg.banfang@example.go.th").count == 1, "บ้านฝาง's own office")
        #expect(sent(to: "lg.banfang@example.go.th").first?["cc"] == nil || sent(to: "lg.banfang@example.go.th").first?["cc"] is NSNull,
                "the office has no address to copy")
        let province = sent(to: "lg.kk@example.go.th")
        #expect(Set(province.compactMap { $0["cc"] as? String }) == ["saraban.4000001@example.org", "saraban.4000101@example.org"], "\(province)")
        let body = province.first { $0["cc"] as? String == "saraban.4000101@example.org" }?["body"] as? String ?? ""
        #expect(body.contains("หน่วยงาน: เทศบาลนครขอนแก่น") && body.contains("ผู้รับผิดชอบ: นาย ‘สมชาย’ รักดี"), "\(body)")
        #expect(escalations.filter { $0["to"] as? String == "center@example.go.th" }.count == 1, "the center's own escalation")
    }
}
