import ArgumentParser
import Control
import DeadlineCore
import Foundation

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's health and workload.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let s = try connection.call(ControlAPI.status, ControlAPI.NoParameters()) else { return }
        print("deadlined \(s.version), up \(s.uptimeSeconds) s")
        print("store:     \(s.store) (\(s.storeBytes / 1024) KiB, \(s.storeHealth))")
        if let node = s.node {
            let others = s.nodes.map { "\($0.name) seen \($0.silentSeconds) s ago, holds \($0.holding)" }
            print("node:      \(node), lease \(s.leaseSeconds ?? 0) s; nodes: \(others.isEmpty ? "none yet" : others.joined(separator: "; "))")
            if let waited = s.unclaimedSeconds { print("unclaimed: the oldest due reminder has waited \(waited) s for a node") }
        }
        print("items:     \(s.items)")
        print("reminders: \(s.pending) pending, \(s.firing) firing, \(s.delivered) delivered, \(s.retrying) retrying, "
              + "\(s.failed) failed, \(s.missed) missed, \(s.cancelled) cancelled")
        print("next:      \(s.nextReminder ?? "none")")
        print("watchdog:  " + (s.watchdogUsec > 0 ? "\(s.watchdogUsec / 1000) ms" : "off"))
        if let downtime = s.lastDowntime { print("downtime:  \(downtime)") }
        if !s.channels.isEmpty {
            print("channels:  " + s.channels.map { "\($0.name) (\($0.type))" }.joined(separator: ", "))
        }
        print("holidays:  " + HolidayYearsText.summary(s.holidayYears))
        printWarnings(s.holidayCaveats.map(\.message))
        if !s.problems.isEmpty {
            print("problems:")
            for p in s.problems {
                print("  \(p.state) reminder \(p.reminder) of \(p.item) (due \(p.fireAt), \(p.attempts) attempt(s)): \(p.error)")
            }
        }
    }
}

struct Reload: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Re-read the config, holidays and templates (as systemctl reload does).",
        discussion: "A config that cannot be used is refused, naming file:line:column; the old one stays in force."
    )
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let r = try connection.fetch(ControlAPI.reload, ControlAPI.NoParameters())
        if connection.json { return try connection.printJSON(r) }
        print("reloaded \(r.source): channels \(r.channels.joined(separator: ", ")); \(r.holidayYears) holiday year(s)")
    }
}

struct Backup: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Write a consistent copy of the store while the daemon runs.")
    @Argument(help: "Where, as an absolute path the daemon may write (under systemd: in /var/lib/deadlined/).")
    var path: String
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let r = try connection.fetch(ControlAPI.backup, ControlAPI.BackupParameters(path: path))
        if connection.json { return try connection.printJSON(r) }
        print("backed up to \(r.path) (\(r.bytes) bytes)")
    }
}

struct Watch: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Follow what happens, as it happens: reminders sent, deliveries refused, items and obligations changed.",
        discussion: "Like journalctl -f: runs until interrupted. --json prints one JSON object per line."
    )
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        try connection.stream(ControlAPI.watch) { reply in
            let e = reply.event
            if connection.json {
                Swift.print(String(decoding: try encoder.encode(e), as: UTF8.self))
            } else {
                var line = "\(e.at)  \(e.kind.rawValue)  \(e.item)"
                if let o = e.organisation { line += "  organisation \(o)" }
                if let r = e.reminder { line += "  reminder \(r)" }
                if let c = e.channel { line += "  channel \(c)" }
                if let s = e.state { line += "  \(s)" }
                if let d = e.detail { line += "  \(d)" }
                print(line)
            }
            fflush(nil)   // a line as it happens, also into a pipe
            return true
        }
    }
}

struct TestChannel: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "test-channel",
        abstract: "Send a sample reminder through one channel now and report what happened.",
        discussion: "Nothing is stored or retried; the sample has an idempotency key of its own. Exits 1 if the channel refused it."
    )
    @Argument(help: "The channel's name in the config (deadlinectl status lists them).")
    var channel: String
    @Option(name: .long, help: "Sample a meeting or a deadline (default: deadline).")
    var kind: ItemKind?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let r = try connection.fetch(ControlAPI.testChannel, ControlAPI.TestChannelParameters(channel: channel, kind: kind))
        if connection.json {
            try connection.printJSON(r)
        } else if r.delivered {
            print("\(r.channel): delivered in \(r.milliseconds) ms" + (r.detail.map { " (\($0))" } ?? ""))
        } else {
            print("\(r.channel): FAILED after \(r.milliseconds) ms: \(r.error ?? "unknown error")")
        }
        if !r.delivered { throw ExitCode(1) }
    }
}
