import ArgumentParser
import Control
import DeadlineCore
import Foundation

struct Import: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Import an agenda file (YAML) or an iCalendar file (.ics); importing it again changes nothing.",
        discussion: "An .ics file's events are matched by UID. Nothing is imported if any part of the file is in error."
    )
    @Argument(help: "The agenda or .ics file.") var file: String
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let p = ControlAPI.FileParameters(name: file, content: try readFile(file))
        let reply: ControlAPI.ImportReply?
        do {
            reply = try connection.call(ControlAPI.importAgenda, p, timeout: ConnectionOptions.longJob)
        } catch let error as CLIError where p.content.utf8.count > messageLimitHintAbove {
            // The daemon closes a connection whose message is over its limit, mid-send.
            throw CLIError(message: "\(error.message)\n\(file) is \(p.content.utf8.count >> 10) KiB: \(messageLimitHint)")
        }
        guard let r = reply else { return }
        var line = "\(file): \(r.added.count) added, \(r.updated.count) updated, \(r.unchanged.count) unchanged"
        if let cancelled = r.cancelled { line += ", \(cancelled.count) cancelled" } else { line += ", \(r.plans) plan(s)" }
        print(line)
        for note in r.notes ?? [] { FileHandle.standardError.write(Data("note: \(TerminalText.visible(note))\n".utf8)) }
        printWarnings(r.warnings)
    }
}

struct Export: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write the agenda as an iCalendar file, for calendar programs.",
        discussion: "Meetings are events with their reminders as alarms; deadlines are all-day events on their due date. The daemon also keeps a feed file (calendar.feed) up to date."
    )
    @Option(name: .long, help: "The format: ics.") var format = "ics"
    @Option(name: .long, help: "Only items (or instances of a series) from this date.") var from: String?
    @Option(name: .long, help: "Only items up to this date; a whole day counts to its end.") var to: String?
    @Option(name: [.short, .long], help: "Write to this file (atomically) instead of standard output.") var output: String?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let r = try connection.fetch(ControlAPI.export, ControlAPI.ExportParameters(format: format, from: from, to: to))
        if connection.json { return try connection.printJSON(r) }
        guard let output else { return FileHandle.standardOutput.write(Data(r.text.utf8)) }
        let temporary = output + ".partial"
        do {
            try Data(r.text.utf8).write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, output) == 0 else { throw CLIError(message: String(cString: strerror(errno))) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw CLIError(message: "cannot write \(output): \(error.localizedDescription)")
        }
        print("\(output): \(r.items) item(s)")
    }
}

struct Instances: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List when a repeating meeting takes place.")
    @Argument(help: "The item's key.") var key: String
    @Option(name: .long, help: "From, e.g. today or 2017-05-01.") var from: String
    @Option(name: .long, help: "To; a whole day counts to its end.") var to: String
    @Option(name: .long, help: "At most this many (default 1000).") var limit: Int?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let p = ControlAPI.InstancesParameters(key: key, from: from, to: to, limit: limit)
        guard let r = try connection.call(ControlAPI.listInstances, p) else { return }
        if let rule = r.recurrence { print("\(r.key): \(rule)") }
        for i in r.instances { print(i) }
    }
}

struct Simulate: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the reminders the daemon would send, sending nothing.")
    @Option(name: .long, help: "From, e.g. \"10 พ.ค. 60\" or today.") var from: String
    @Option(name: .long, help: "To; a whole day counts to its end.") var to: String
    @OptionGroup var language: LanguageOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let r = try connection.call(ControlAPI.simulate, ControlAPI.SimulateParameters(from: from, to: to)) else { return }
        if r.reminders.isEmpty { return print("no reminders") }
        let status = try connection.status()
        let lang = language.resolve(status)
        printTable(header: lang == .thai ? ["เวลาเตือน", "รหัส", "เหตุ", "เรื่อง"] : ["WHEN", "KEY", "WHY", "TITLE"],
                   rows: r.reminders.map { [readable($0.fireAt, zone: status.timeZone, language: lang, thaiDigits: language.thaiDigits),
                                            $0.key, language.digits($0.label), $0.title] })
    }
}

/// Why the daemon may have closed the connection while a large file was being sent.
let messageLimitHint = "the daemon refuses messages larger than control.max_change_message_bytes (16 MiB unless configured) "
    + "from callers that may change things, control.max_message_bytes (1 MiB) from others; raise it and reload, or split the file"

/// A file sent in a message larger than this gets `messageLimitHint` with a failure: the least
/// a daemon might be configured to take.
let messageLimitHintAbove = 64 << 10
