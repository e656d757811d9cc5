import ArgumentParser
import Control
import Foundation
import Glibc
import Synchronization
import Varlink

/// j. The same number of adds spread over 1, 8 and 64 clients at once, each on its own
/// connection, against the real daemon: what group commit gives concurrent callers (each
/// answered only once its add is durable).
struct AddLoad: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "add-load", abstract: "Concurrent adds: 1, 8 and 64 clients, adds/s.")
    @Option var count = 10_000
    @Option(parsing: .upToNextOption) var clients: [Int] = [1, 8, 64]

    func run() throws {
        var rows: [(String, String)] = []
        for n in clients {
            let dir = try scratch("add-load-\(n)")
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let daemon = BenchDaemon(in: dir)
            defer { daemon.stop() }
            let socket = daemon.socket
            let each = count / n
            let done = DispatchGroup()
            let failures = Atomic<Int>(0)
            let t0 = Date()
            for c in 0..<n {
                done.enter()
                Thread {
                    defer { done.leave() }
                    guard let client = try? VarlinkClient(path: socket) else { failures.add(each, ordering: .relaxed); return }
                    for i in 0..<each {
                        var p = ControlAPI.AddItemParameters(kind: .deadline, title: "งาน \(c)-\(i)", at: "+30d")
                        p.leads = ["1wd@09:00"]
                        if (try? client.call(ControlAPI.addItem, p)) == nil { failures.add(1, ordering: .relaxed) }
                    }
                }.start()
            }
            done.wait()
            let seconds = Date().timeIntervalSince(t0)
            rows.append(("\(n) client(s), \(each * n) adds", String(format: "%.2f s (%.0f/s), %d failed", seconds, Double(each * n) / seconds, failures.load(ordering: .relaxed))))
        }
        table("j. adds from concurrent clients (a deadline with one lead each; normal durability)", rows)
    }
}
