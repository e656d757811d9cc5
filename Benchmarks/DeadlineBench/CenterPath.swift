import ArgumentParser
import Control
import DeadlineCore
import Foundation
import Glibc
import Varlink

/// k. A national center against the real daemon (release build): the synthetic registry of the
/// country (7,850 organisations, made by Benchmarks/registry/make-registry.py) imported, three
/// deadlines assigned to all of it, then the board, a province's listing and the daemon's RSS.
struct CenterPath: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "center", abstract: "Registry import, assigning 3 plans to 7,850 organisations, board, list, RSS.")
    @Option(help: "The registry generator (run with python3).") var generator = "Benchmarks/registry/make-registry.py"
    @Option var plans = 3
    @Option var rounds = 5

    func run() throws {
        let dir = try scratch("center")
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let csv = dir + "/registry.csv"
        let made = spawn("/usr/bin/python3", [generator, "-o", csv], env: ["PATH": "/usr/bin:/bin"])
        var status: Int32 = 0
        waitpid(made, &status, 0)
        let data = try Data(contentsOf: URL(fileURLWithPath: csv))
        let daemon = BenchDaemon(in: dir)
        defer { daemon.stop() }
        let client = try VarlinkClient(path: daemon.socket)
        func time<T>(_ body: () throws -> T) rethrows -> (T, Double) {
            let t0 = DispatchTime.now().uptimeNanoseconds
            let r = try body()
            return (r, Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        func median(_ body: () throws -> Void) rethrows -> Double {
            var xs: [Double] = []
            for _ in 0..<rounds { xs.append(try time(body).1) }
            return xs.sorted()[xs.count / 2]
        }
        let upload = ControlAPI.ImportOrganisationsParameters(name: "registry.csv", data: data.base64EncodedString())
        let (imported, importTime) = try time { try client.call(ControlAPI.importOrganisations, upload) }
        let (_, reimportTime) = try time { try client.call(ControlAPI.importOrganisations, upload) }

        let due = LocalDate(Date(), in: TimeZone(identifier: "Asia/Bangkok")!).adding(days: 60)
        for p in 0..<plans {
            var add = ControlAPI.AddItemParameters(kind: .deadline, title: "แผนที่ \(p + 1)", at: due.adding(days: p * 7).description, key: "plan-\(p)")
            add.plan = "plan-\(p)"
            _ = try client.call(ControlAPI.addItem, add)
        }
        let before = try client.call(ControlAPI.status, ControlAPI.NoParameters())
        var assignTimes: [Double] = []
        for p in 0..<plans {
            assignTimes.append(try time { try client.call(ControlAPI.assign, ControlAPI.AssignParameters(key: "plan-\(p)", all: true)) }.1)
        }
        let obligationReminders = try client.call(ControlAPI.status, ControlAPI.NoParameters()).pending - before.pending
        var rows = 0
        let board = try median { rows = try client.call(ControlAPI.listObligations, ControlAPI.ListObligationsParameters(key: "plan-0")).obligations.count }
        var inProvince = 0
        let list = try median { inProvince = try client.call(ControlAPI.listOrganisations, ControlAPI.ListOrganisationsParameters(province: "ขอนแก่น")).organisations.count }
        let rss = (try? String(contentsOfFile: "/proc/\(daemon.pid)/status", encoding: .utf8))?
            .split(separator: "\n").first { $0.hasPrefix("VmRSS:") }.map { String($0.dropFirst(6)).trimmingCharacters(in: .whitespaces) } ?? "?"
        table("k. a national center: \(imported.added.count) organisations, \(plans) deadlines assigned to all (release daemon, SQLite)", [
            ("import the registry (\(data.count >> 10) KiB CSV)", String(format: "%.2f s", importTime)),
            ("import it again (all unchanged)", String(format: "%.2f s", reimportTime)),
            ("assign \(plans) deadlines to all", String(format: "%.2f s (%@ each)", assignTimes.reduce(0, +),
                                                     assignTimes.map { String(format: "%.2f", $0) }.joined(separator: ", "))),
            ("reminders added by the assignments", "\(obligationReminders)"),
            ("board of one deadline (\(rows) rows), median of \(rounds)", String(format: "%.0f ms", board * 1000)),
            ("list of ขอนแก่น (\(inProvince) organisations), median of \(rounds)", String(format: "%.0f ms", list * 1000)),
            ("daemon RSS with all of it loaded", rss),
        ])
    }
}
