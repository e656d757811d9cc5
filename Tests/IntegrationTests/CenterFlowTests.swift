import Control
import DeadlineCore
import Foundation
import Glibc
import Testing

/// A provincial center through the real daemon and deadlinectl: a deadline assigned to the
/// offices of a province, one submitting on time, one late, one exempted and reopened, one
/// added later; the board; the audit trail; Watch naming the organisation.
@Suite("A center's obligations through the daemon", .serialized)
struct CenterFlowTests {
    static let registry = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fixtures/organisations/khonkaen-windows-874.csv").path

    /// A day relative to today where the daemon is (YYYY-MM-DD): dates in the past, which the
    /// relative forms (+3d) do not give.
    func day(_ offset: Int) -> String {
        LocalDate(Date(), in: TimeZone(identifier: "Asia/Bangkok")!).adding(days: offset).description
    }

    func obligations(_ box: Sandbox, _ key: String, _ filters: [String] = []) throws -> ControlAPI.ListObligationsReply {
        let r = try box.ctl(["board", key, "--format", "json"] + filters)
        try #require(r.status == 0, "\(r.err)")
        let json = try JSONSerialization.jsonObject(with: Data(r.out.utf8)) as? [String: Any]
        let rows = try JSONSerialization.data(withJSONObject: json?["obligations"] ?? [])
        return ControlAPI.ListObligationsReply(key: json?["key"] as? String ?? "", title: json?["title"] as? String ?? "",
                                               items: json?["items"] as? [String] ?? [],
                                               obligations: try JSONDecoder().decode([ControlAPI.Obligation].self, from: rows))
    }

    @Test("assign a province; submissions on time and late with their evidence; exempt and reopen, audited; a later office gets it too")
    func assignAndSubmit() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        let watch = try RunningProcess(Binaries.deadlinectl, ["watch", "--json", "--socket", box.socket], environment: ["PATH": "/usr/bin:/bin"])
        defer { watch.ensureStopped() }
        #expect(try box.ctl(["org", "import", Self.registry]).status == 0)
        #expect(try box.ctl(["add", "deadline", "ส่งแผนปฏิบัติการป้องกันการทุจริต", "--due", day(-3), "--key", "plan-due", "--plan", "nacc"]).status == 0)
        #expect(try box.ctl(["add", "meeting", "ประชุม", "--at", "+3d", "--key", "wg"]).status == 0)

        let none = try box.ctl(["assign", "plan-due"])
        #expect(none.status != 0 && none.err.contains("assign to all organisations with all: true (--all)"), "\(none.err)")
        let meeting = try box.ctl(["assign", "wg", "--all"])
        #expect(meeting.status != 0 && meeting.err.contains("'wg' cannot be assigned to organisations: it is a meeting"), "\(meeting.err)")
        let assign = try box.ctl(["assign", "plan-due", "--province", "จังหวัดขอนแก่น", "--district", "เมืองขอนแก่น"])
        #expect(assign.out.contains("plan-due: 2 organisation(s) assigned now, 2 in all"), "\(assign.out) \(assign.err)")
        #expect(try box.ctl(["assign", "plan-due", "--org", "4000102"]).out.contains("1 organisation(s) assigned now, 3 in all"))
        #expect(watch.waitForOutput(containing: "\"organisation\":\"4000102\"", timeout: 10)?.contains("obligation_changed") == true,
                "Watch names the organisation: \(watch.stdout)")

        // On time (before the due day), late (after it, with the file's SHA-256), exempted.
        let pdf = box.path + "/plan.pdf"
        try Data("%PDF-1.4 แผน".utf8).write(to: URL(fileURLWithPath: pdf))
        let onTime = try box.ctl(["submit", "plan-due", "--org", "4000101", "--ref", "ขก 52001/123", "--date", day(-5), "--by", "นางสาวสมใจ"])
        #expect(onTime.out.contains("submitted on time (ขก 52001/123"), "\(onTime.out) \(onTime.err)")
        let late = try box.ctl(["submit", "nacc", "--org", "4000103", "--ref", "ขก 52001/130", "--date", day(-1), "--file", pdf])
        #expect(late.out.contains("plan-due/4000103") && late.out.contains("submitted late"), "a plan's key names its one deadline: \(late.out) \(late.err)")
        let future = try box.ctl(["submit", "plan-due", "--org", "4000102", "--ref", "x", "--date", "+3d"])
        #expect(future.status != 0 && future.err.contains("not after tomorrow"), "\(future.err)")
        #expect(try box.ctl(["exempt", "plan-due", "--org", "4000102", "--reason", "ยุบรวมกับเทศบาล"]).status == 0)
        let reopen = try box.ctl(["reopen", "plan-due", "--org", "4000102", "--reason", "ยังไม่ได้ยุบรวม"])
        #expect(reopen.out.contains("open again (overdue)"), "\(reopen.out) \(reopen.err)")
        let twice = try box.ctl(["reopen", "plan-due", "--org", "4000102"])
        #expect(twice.status != 0 && twice.err.contains("only a submission or an exemption is reopened"), "\(twice.err)")
        let stranger = try box.ctl(["submit", "plan-due", "--org", "4000001", "--ref", "x"])
        #expect(stranger.status != 0 && stranger.err.contains("'plan-due' is not assigned to organisation '4000001'"), "\(stranger.err)")

        let rows = try obligations(box, "plan-due").obligations
        #expect(rows.map { "\($0.code) \($0.standing.rawValue)" } == ["4000102 overdue", "4000101 on_time", "4000103 late"], "by district, then code")
        let evidence = try #require(rows.first { $0.code == "4000103" })
        // The hash as coreutils computes it.
        let sum = try RunningProcess("/usr/bin/sha256sum", [pdf], environment: ["PATH": "/usr/bin:/bin"])
        #expect(sum.waitForExit() == 0)
        #expect(evidence.sha256 == sum.stdout.split(separator: " ").first.map(String.init) && evidence.reference == "ขก 52001/130")
        #expect(rows.first { $0.code == "4000101" }?.by == "นางสาวสมใจ")

        // An office added later in the scope gets the deadline; one outside it does not.
        #expect(try box.ctl(["org", "add", "4000199", "อบต.ใหม่", "--type", "อบต.", "--province", "ขอนแก่น", "--district", "อ.เมืองขอนแก่น"]).status == 0)
        #expect(try box.ctl(["org", "add", "4000299", "อบต.ไกล", "--type", "อบต.", "--province", "ขอนแก่น", "--district", "ชุมแพ"]).status == 0)
        #expect(try obligations(box, "plan-due").obligations.map(\.code).sorted() == ["4000101", "4000102", "4000103", "4000199"])
        let notSubmitted = try obligations(box, "plan-due", ["--state", "not_submitted"]).obligations.map(\.code)
        #expect(notSubmitted.sorted() == ["4000102", "4000199"])

        // check names the offices overdue, the longest first, and counts them in its performance data.
        let check = try box.ctl(["check"])
        #expect(check.out.contains("2 organisation(s) overdue: 4000102 เทศบาลตำบลบ้านฝาง, สำนักปลัด (plan-due, 3d), 4000199 อบต.ใหม่ (plan-due, 3d)"),
                "\(check.out)")
        #expect(check.out.contains("obligations_overdue=2 obligations_open=0"), "\(check.out)")
        #expect(check.status == 2, "CRITICAL: the center's own deadline is past as well")

        let table = try box.ctl(["board", "plan-due", "--lang", "th"])
        #expect(table.out.contains("ยังไม่ส่ง 2 แห่ง") && table.out.contains("เลยมา 3 วัน"), "\(table.out)")

        let audit = try box.ctl(["audit", "--json", "--limit", "50"])
        let entries = try JSONDecoder().decode(ControlAPI.AuditReply.self, from: Data(audit.out.utf8)).entries
        let methods = entries.map(\.method)
        for m in ["Assign", "Submit", "Exempt", "Reopen"] { #expect(methods.contains(m), "\(methods)") }
        let reopened = try #require(entries.first { $0.method == "Reopen" })
        #expect(reopened.target == "plan-due/4000102")
        #expect(reopened.before?.contains("\"state\":\"exempted\"") == true && reopened.after?.contains("\"state\":\"open\"") == true)
    }

    @Test("a plan's key with two deadlines for one office: the open one is meant, or the call is refused as ambiguous")
    func planKeys() throws {
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        #expect(try box.ctl(["org", "import", Self.registry]).status == 0)
        for (key, due) in [("q1", "+10d"), ("q2", "+40d")] {
            #expect(try box.ctl(["add", "deadline", "รายงานผล \(key)", "--due", due, "--key", key, "--plan", "annual"]).status == 0)
            #expect(try box.ctl(["assign", key, "--org", "4000101"]).status == 0)
        }
        let ambiguous = try box.ctl(["submit", "annual", "--org", "4000101", "--ref", "x"])
        #expect(ambiguous.status != 0 && ambiguous.err.contains("'annual' could mean q1, q2: name one"), "\(ambiguous.err)")
        #expect(try box.ctl(["submit", "q1", "--org", "4000101", "--ref", "ขก 1"]).status == 0)
        let next = try box.ctl(["submit", "annual", "--org", "4000101", "--ref", "ขก 2"])
        #expect(next.out.contains("q2/4000101"), "the one still open: \(next.out) \(next.err)")
        let board = try obligations(box, "annual")
        #expect(board.items == ["q1", "q2"] && board.obligations.map(\.item) == ["q1", "q2"])
    }

    @Test("the shipped center agenda: every office of the province gets the deadline once, however often it is imported")
    func centerAgenda() throws {
        let agenda = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("Config/agenda/khon-kaen-center-2560.yaml").path
        let box = try Sandbox()
        let daemon = try box.startDaemon()
        defer { daemon.ensureStopped() }
        #expect(try box.ctl(["org", "import", Self.registry]).status == 0)
        for _ in 1...2 {
            let r = try box.ctl(["import", agenda])
            #expect(r.status == 0, "\(r.err)")
        }
        let rows = try obligations(box, "submit-nacc-2560-kk").obligations
        #expect(rows.map(\.code).sorted() == ["4000001", "4000101", "4000102", "4000103"])
        #expect(rows.allSatisfy { $0.standing == .overdue && $0.due == "2017-05-24" }, "24 May 2560 is long past")
        let audit = try box.ctl(["audit", "--json"])
        let entries = try JSONDecoder().decode(ControlAPI.AuditReply.self, from: Data(audit.out.utf8)).entries
        #expect(entries.filter { $0.method == "Import" }.count == 2)
    }
}
