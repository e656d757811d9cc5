import ArgumentParser
import Control
import DeadlineCore
import Foundation
import Systemd

@main
struct Deadlinectl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlinectl",
        abstract: "Ask and tell deadlined, over its control socket.",
        version: "0.1.0",
        subcommands: [Status.self, Add.self, List.self]
    )
}

/// Options every command takes.
struct ConnectionOptions: ParsableArguments {
    @Option(name: .long, help: "Control socket (default: $DEADLINED_CONTROL_SOCKET, else the daemon's runtime directory).")
    var socket: String?

    @Flag(name: .long, help: "Print the daemon's reply as JSON.")
    var json = false

    /// The socket the daemon would have chosen: the same rules, from the same environment.
    func socketPath() -> String {
        if let socket { return socket }
        let env = ProcessInfo.processInfo.environment
        if let s = env["DEADLINED_CONTROL_SOCKET"], !s.isEmpty { return s }
        let mine = ServiceDirectories.resolve(environment: env).defaultControlSocket
        // A user without a daemon of their own talks to the system one.
        let system = ServiceDirectories.resolve(environment: [:], isRoot: true).defaultControlSocket
        return FileManager.default.fileExists(atPath: mine) || !FileManager.default.fileExists(atPath: system) ? mine : system
    }

    func call(_ method: String, _ parameters: some Encodable) throws -> JSONValue {
        do {
            let client = try VarlinkClient(path: socketPath())
            return try client.call(ControlAPI.interfaceName + "." + method, parameters)
        } catch let error as VarlinkError {
            throw CLIError(message: Self.explain(error))
        } catch {
            throw CLIError(message: "\(error)")
        }
    }

    func decode<T: Decodable>(_ value: JSONValue, as: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: JSONEncoder().encode(value))
    }

    func printJSON(_ value: JSONValue) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        print(String(decoding: try e.encode(value), as: UTF8.self))
    }

    static func explain(_ error: VarlinkError) -> String {
        switch error.name {
        case ControlAPI.interfaceName + ".InvalidDate":
            let input = error.parameters["input"]?.stringValue ?? ""
            let reason = error.parameters["reason"]?.stringValue ?? ""
            var accepted: [String] = []
            if case .array(let a)? = error.parameters["accepted"] { accepted = a.compactMap(\.stringValue) }
            return "cannot read '\(input)' as a date and time: \(reason)\naccepted forms:\n" + accepted.map { "  " + $0 }.joined(separator: "\n")
        case "org.varlink.service.InvalidParameter":
            return "invalid value for '\(error.parameters["parameter"]?.stringValue ?? "?")'"
        default:
            return error.description
        }
    }
}

struct CLIError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

struct Status: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show the daemon's health and workload.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let reply = try connection.call("Status", ControlAPI.NoParameters())
        if connection.json { return try connection.printJSON(reply) }
        let s = try connection.decode(reply, as: ControlAPI.StatusReply.self)
        print("deadlined \(s.version), up \(s.uptimeSeconds) s")
        print("store:     \(s.store)")
        print("items:     \(s.items)")
        print("reminders: \(s.pending) pending, \(s.firing) firing, \(s.delivered) delivered")
        print("next:      \(s.nextReminder ?? "none")")
        print("watchdog:  " + (s.watchdogUsec > 0 ? "\(s.watchdogUsec / 1000) ms" : "off"))
    }
}

struct Add: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Add a meeting or a deadline.",
        subcommands: [AddMeeting.self, AddDeadline.self]
    )
}

/// What `add meeting` and `add deadline` share.
struct ItemOptions: ParsableArguments {
    @Argument(help: "What it is called, as people say it.")
    var title: String

    @Option(name: .long, help: "IANA time zone for a time without an offset (default: the daemon's).")
    var timeZone: String?

    @Option(name: .long, help: "Where it happens.")
    var location: String?

    @Option(name: .long, help: "Anything else to remember.")
    var notes: String?

    func add(kind: ItemKind, when: String, connection: ConnectionOptions) throws {
        let parameters = ControlAPI.AddItemParameters(kind: kind, title: title, at: when, timeZone: timeZone,
                                                      location: location, notes: notes)
        let reply = try connection.call("AddItem", parameters)
        if connection.json { return try connection.printJSON(reply) }
        let item = try connection.decode(reply, as: ControlAPI.AddItemReply.self).item
        print("added \(item.kind.rawValue) \(item.id): \(item.title) at \(item.at)")
    }
}

struct AddMeeting: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "meeting", abstract: "Add a meeting.")
    @OptionGroup var item: ItemOptions
    @Option(name: .long, help: "When it starts, e.g. 2017-05-16T14:00+07:00.")
    var at: String
    @OptionGroup var connection: ConnectionOptions

    func run() throws { try item.add(kind: .meeting, when: at, connection: connection) }
}

struct AddDeadline: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deadline", abstract: "Add a submission due date.")
    @OptionGroup var item: ItemOptions
    @Option(name: .long, help: "When it is due, e.g. 2017-05-24T16:30+07:00.")
    var due: String
    @OptionGroup var connection: ConnectionOptions

    func run() throws { try item.add(kind: .deadline, when: due, connection: connection) }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List items, soonest first, with their reminders.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let reply = try connection.call("ListItems", ControlAPI.NoParameters())
        if connection.json { return try connection.printJSON(reply) }
        let items = try connection.decode(reply, as: ControlAPI.ListItemsReply.self).items
        if items.isEmpty { return print("no items") }
        let rows = items.map { item -> [String] in
            let states = item.reminders.map(\.state)
            let reminder = states.isEmpty ? "-" : Dictionary(grouping: states, by: { $0 }).sorted { $0.key < $1.key }
                .map { "\($0.value.count) \($0.key)" }.joined(separator: ", ")
            return [String(item.id), item.kind.rawValue, item.at, item.title, reminder]
        }
        printTable(header: ["ID", "KIND", "WHEN", "TITLE", "REMINDERS"], rows: rows)
    }
}

/// Columns padded to their widest cell, counting grapheme clusters: a Thai consonant with its
/// vowel and tone marks is one cluster and one column on the terminal.
func printTable(header: [String], rows: [[String]]) {
    let all = [header] + rows
    let widths = header.indices.map { i in all.map { $0[i].count }.max() ?? 0 }
    for row in all {
        let cells = row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : cell + String(repeating: " ", count: widths[i] - cell.count)
        }
        print(cells.joined(separator: "  "))
    }
}
