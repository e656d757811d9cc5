import DeadlineCore
import Foundation
import Glibc
import Testing
import Control
import Varlink

/// `deadlinectl check` as Nagios/Icinga run it: the exit status and the first line.
@Suite("Monitoring check", .serialized)
struct CheckTests {
    @Test("a year not announced that 15 items count through: Status names the first 10 and counts 15, check counts each item once")
    func manyCaveatItems() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let today = LocalDate(Date(), in: TimeZone(identifier: "Asia/Bangkok")!)
        for year in [today.buddhistYear, today.buddhistYear + 1] {
            let file = box.path + "/th-\(year).yaml"
            try "year: \(year)\nstatus: provisional\nsource: test\nholidays: []\n".write(toFile: file, atomically: true, encoding: .utf8)
            #expect(try deadlinectl(["holidays", "import", file, "--socket", box.socket]).status == 0)
        }
        let client = try VarlinkClient(path: box.socket, timeout: 10)
        // Due in 40 days, reminded 5 working days before: every span is in this year or the next.
        let items = (0..<15).map { i in
            var p = ControlAPI.AddItemParameters(kind: .deadline, title: "ส่งแผน \(i)", at: today.adding(days: 40).description, key: String(format: "k%02d", i))
            p.leads = ["5wd@09:00"]
            return p
        }
        _ = try client.call(ControlAPI.addItems, ControlAPI.AddItemsParameters(items: items))
        let status = try client.call(ControlAPI.status, ControlAPI.NoParameters())
        #expect(status.holidayCaveatItems == 15)
        let years = status.holidayCaveats
        #expect(!years.isEmpty && years.allSatisfy { $0.items.count <= 10 && $0.items == Array($0.items.sorted().prefix(10)) }, "\(years)")
        #expect(years.map(\.itemCount).max() == 15, "\(years)")
        let check = try deadlinectl(["check", "--socket", box.socket])
        #expect(check.out.contains("15 item(s) count working days through holidays not announced") && check.out.contains("holiday_caveat_items=15"),
                "\(check.out)")
    }

    @Test("OK, WARNING for a deadline within --warn, CRITICAL when overdue or when the daemon is down")
    func nagios() throws {
        try Binaries.require()
        let box = try Sandbox()
        var daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let zone = TimeZone(identifier: "Asia/Bangkok")!
        let today = LocalDate(Date(), in: zone)

        // Whatever the shipped data says of this year and the next: first provisional, then announced.
        func loadYears(_ status: String) throws {
            for year in [today.buddhistYear, today.buddhistYear + 1] {
                let file = box.path + "/th-\(year).yaml"
                try "year: \(year)\nstatus: \(status)\nsource: test\nholidays: []\n".write(toFile: file, atomically: true, encoding: .utf8)
                let loaded = try deadlinectl(["holidays", "import", file, "--socket", box.socket])
                #expect(loaded.status == 0, "\(loaded.err)")
            }
        }
        try loadYears("provisional")
        _ = try deadlinectl(["add", "deadline", "far", "--due", today.adding(days: 30).description, "--key", "far", "--socket", box.socket])
        let caveat = try deadlinectl(["check", "--socket", box.socket])
        #expect(caveat.status == 1, "\(caveat.out)")
        #expect(caveat.out.contains("1 item(s) count working days through holidays not announced: \(today.buddhistYear) provisional (1)")
                && caveat.out.contains("holiday_caveat_items=1"), "\(caveat.out)")
        try loadYears("announced")
        let ok = try deadlinectl(["check", "--socket", box.socket])
        #expect(ok.status == 0, "\(ok.out)")
        #expect(ok.out.hasPrefix("DEADLINED OK - 1 open deadline(s)") && ok.out.contains("| overdue=0"), "\(ok.out)")

        _ = try deadlinectl(["add", "deadline", "soon", "--due", today.adding(days: 2).description, "--key", "soon", "--socket", box.socket])
        let warn = try deadlinectl(["check", "--warn", "5d", "--crit", "1d", "--socket", box.socket])
        #expect(warn.status == 1, "\(warn.out)")
        #expect(warn.out.hasPrefix("DEADLINED WARNING - 1 due within 5d: soon"), "\(warn.out)")

        _ = try deadlinectl(["add", "deadline", "late", "--due", today.adding(days: -3).description, "--key", "late", "--socket", box.socket])
        let crit = try deadlinectl(["check", "--socket", box.socket])
        #expect(crit.status == 2, "\(crit.out)")
        #expect(crit.out.contains("1 overdue: late (overdue"), "\(crit.out)")

        _ = try deadlinectl(["submit", "late", "--socket", box.socket])
        #expect(try deadlinectl(["check", "--warn", "1d", "--socket", box.socket]).status == 0, "submitted deadlines do not count")

        let bad = try deadlinectl(["check", "--warn", "soon", "--socket", box.socket])
        #expect(bad.status == 3 && bad.out.hasPrefix("DEADLINED UNKNOWN"), "\(bad.out)")

        daemon.signal(SIGTERM)
        #expect(daemon.waitForExit() == 0)
        let down = try deadlinectl(["check", "--socket", box.socket])
        #expect(down.status == 2 && down.out.hasPrefix("DEADLINED CRITICAL - deadlined is not reachable"), "\(down.out)")
        daemon = try RunningProcess("/bin/true", [], environment: [:])
    }
}
