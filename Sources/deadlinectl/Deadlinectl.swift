import ArgumentParser
import Control
import DeadlineCore
import Foundation
import Systemd
import Varlink

@main
struct Deadlinectl: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "deadlinectl",
        abstract: "Ask and tell deadlined, over its control socket.",
        discussion: "Options every command takes (--socket, --json, --lang, --thai-digits) may come before the command too, as with systemctl.",
        version: "0.1.0",
        subcommands: [Status.self, Add.self, List.self, Submit.self, Held.self, Cancel.self, Import.self,
                      Simulate.self, CalendarCommand.self, Holidays.self, TestChannel.self, Watch.self, Check.self, Get.self, Update.self, Remove.self, Reload.self, Backup.self, Audit.self,
                      Export.self, Instances.self, Org.self, Assign.self, Exempt.self, Reopen.self, Board.self, Remind.self]
    )

    /// `deadlinectl --socket X status` as well as `deadlinectl status --socket X`.
    static func main() {
        main(GlobalOptions.afterTheCommand(Array(CommandLine.arguments.dropFirst())))
    }
}

/// The options each command declares for itself (`ConnectionOptions`, `LanguageOptions`), when
/// given before the command's name: moved after it, where the command's parser reads them.
enum GlobalOptions {
    static let valued: Set<String> = ["--socket", "--lang"]
    static let flags: Set<String> = ["--json", "--thai-digits"]

    static func afterTheCommand(_ arguments: [String]) -> [String] {
        var moved: [String] = [], rest = arguments[...]
        while let first = rest.first {
            let name = String(first.split(separator: "=", maxSplits: 1).first ?? "")
            if flags.contains(first) || (valued.contains(name) && first.contains("=")) {
                moved.append(first)
                rest = rest.dropFirst()
            } else if valued.contains(first), rest.count >= 2 {
                moved += rest.prefix(2)
                rest = rest.dropFirst(2)
            } else {
                break
            }
        }
        guard !moved.isEmpty, !rest.isEmpty else { return arguments }
        // Before a `--` (what follows it is never an option), else at the end.
        var out = Array(rest)
        out.insert(contentsOf: moved, at: out.firstIndex(of: "--") ?? out.count)
        return out
    }
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

    /// Runs one exchange with the daemon; its errors become messages a person can read.
    /// A `more` call: each reply to `body` until it returns false or the daemon ends it.
    func stream<R>(_ method: VarlinkMethod<ControlAPI.NoParameters, R>, _ body: (R) throws -> Bool) throws {
        try exchange { try $0.stream(method, ControlAPI.NoParameters(), body) }
    }

    /// How long to wait for a reply that is the end of a long job (an import of thousands of
    /// items, a check of a million audit entries): it comes once the job is done.
    static let longJob: TimeInterval = 600

    private func exchange<T>(timeout: TimeInterval = 30, _ body: (VarlinkClient) throws -> T) throws -> T {
        do {
            return try body(try VarlinkClient(path: socketPath(), timeout: timeout))
        } catch let error as VarlinkError {
            throw CLIError(message: TerminalText.visible(Self.explain(error)))
        } catch {
            throw CLIError(message: TerminalText.visible("\(error)"))
        }
    }

    /// The reply decoded, whatever `--json` says.
    func fetch<P, R>(_ method: VarlinkMethod<P, R>, _ parameters: P, timeout: TimeInterval = 30) throws -> R {
        try exchange(timeout: timeout) { try $0.call(method, parameters) }
    }

    func status() throws -> ControlAPI.StatusReply {
        try fetch(ControlAPI.status, ControlAPI.NoParameters())
    }

    /// Calls, then prints the reply as it came (with `--json`) or decodes it for the caller to print.
    func call<P, R>(_ method: VarlinkMethod<P, R>, _ parameters: P, timeout: TimeInterval = 30) throws -> R? {
        if json {
            try printJSON(exchange(timeout: timeout) { try $0.callUntyped(method, parameters) })
            return nil
        }
        return try fetch(method, parameters, timeout: timeout)
    }

    func printJSON(_ value: some Encodable) throws {
        let e = JSONEncoder()
        e.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        Swift.print(String(decoding: try e.encode(value), as: UTF8.self))
    }

    static func explain(_ error: VarlinkError) -> String {
        let p = error.parameters
        func s(_ key: String) -> String { p[key]?.stringValue ?? "" }
        switch error.name.replacingOccurrences(of: ControlAPI.interfaceName + ".", with: "") {
        case "InvalidDate":
            var accepted: [String] = []
            if case .array(let a)? = p["accepted"] { accepted = a.compactMap(\.stringValue) }
            return "cannot read '\(s("input"))' as a date: \(s("reason"))\naccepted forms:\n" + accepted.map { "  " + $0 }.joined(separator: "\n")
        case "InvalidLead": return "'\(s("lead"))' is not a lead time; accepted: \(s("accepted"))"
        case "InvalidRecurrence": return "'\(s("input"))': \(s("reason"))"
        case "NoSuchItem": return "no item has key '\(s("key"))'"
        case "NotOpen": return "item '\(s("key"))' is \(s("state")) already"
        case "DuplicateKey": return "an item with key '\(s("key"))' exists already"
        case "NoSuchOrganisation": return "no organisation has code '\(s("code"))'"
        case "NotAssignable": return "'\(s("key"))' cannot be assigned to organisations: \(s("reason"))"
        case "NoSuchObligation": return "'\(s("key"))' is not assigned to organisation '\(s("code"))'"
        case "AmbiguousKey":
            var candidates: [String] = []
            if case .array(let a)? = p["candidates"] { candidates = a.compactMap(\.stringValue) }
            return "'\(s("key"))' could mean \(candidates.joined(separator: ", ")): name one"
        case "DuplicateOrganisation": return "an organisation with code '\(s("code"))' exists already; `org update` changes it"
        case "InvalidFile", "InvalidConfig": return "\(s("location")): \(s("message"))"
        case "StoreFailure": return "the change was not made: \(s("reason"))"
        case "InternalError": return "deadlined failed: \(s("reason"))"
        case "NoHolidayData":
            if case .int(let y)? = p["year"] { return "no holiday data for \(y)" }
            return "no holiday data"
        case "org.varlink.service.InvalidParameter":
            return "invalid value for '\(s("parameter"))'" + (ItemValidationError.rule(forParameter: s("parameter")).map { ": " + $0 } ?? "")
        default: return error.description
        }
    }
}

/// `--lang` and `--thai-digits`, for commands that print dates.
struct LanguageOptions: ParsableArguments {
    @Option(name: .long, help: "th or en (default: the daemon's language).")
    var lang: Language?

    @Flag(name: .long, help: "Write Thai dates with Thai digits (๑๖ พฤษภาคม ๒๕๖๐).")
    var thaiDigits = false

    /// A number or date as this command prints it: in Thai digits with `--thai-digits`.
    func digits(_ text: String) -> String { thaiDigits ? ThaiCalendar.thaiDigits(text) : text }

    /// `--lang`, else the daemon's language; the status is fetched only when needed.
    func resolve(_ status: @autoclosure () throws -> ControlAPI.StatusReply) rethrows -> Language {
        if let lang { return lang }
        return Language(rawValue: try status().language) ?? .thai
    }
}

extension Language: ExpressibleByArgument {}
extension ItemKind: ExpressibleByArgument {}
extension ItemState: ExpressibleByArgument {}

struct CLIError: Error, CustomStringConvertible {
    let message: String
    var description: String { message }
}

/// An instant or day from the wire (`2017-05-16T14:00:00+07:00` or `2017-05-24`) as people read it.
func readable(_ wire: String, zone: String, language: Language, thaiDigits: Bool) -> String {
    let tz = TimeZone(identifier: zone) ?? TimeZone(secondsFromGMT: 0)!
    guard let when = DateOutput.when(wire) else { return wire }
    return DateText.when(when, zone: tz, language: language, thaiDigits: thaiDigits)
}

/// Columns padded to their widest cell in terminal columns (`TerminalWidth`: Thai vowel and tone
/// marks above and below take none). The header is bold, and rows `alert` says are urgent are
/// red, on a terminal that wants colour.
func printTable(header: [String], rows: [[String]], alert: (Int) -> Bool = { _ in false }) {
    let all = ([header] + rows).map { $0.map { TerminalText.visible($0, keepingLines: false) } }
    let widths = header.indices.map { i in all.map { TerminalWidth.of($0[i]) }.max() ?? 0 }
    for (n, row) in all.enumerated() {
        let cells = row.enumerated().map { i, cell in
            i == row.count - 1 ? cell : TerminalWidth.padded(cell, to: widths[i])
        }
        // A cell is one line: a line break in it would forge a row.
        let line = cells.joined(separator: "  ")
        if n == 0 { Style.bold(line) } else if alert(n - 1) { Style.red(line) } else { print(line) }
    }
}

/// Terminal colour, only on a terminal, and never with NO_COLOR set (no-color.org) or TERM=dumb.
enum Style {
    static let enabled: Bool = {
        let env = ProcessInfo.processInfo.environment
        return isatty(STDOUT_FILENO) == 1 && env["NO_COLOR"].map(\.isEmpty) != false && env["TERM"] != "dumb"
    }()
    static func bold(_ s: String) { styled("\u{1B}[1m", s) }
    static func red(_ s: String) { styled("\u{1B}[31m", s) }

    /// Prints a line in a style: the text made visible first, the style's own escapes raw.
    private static func styled(_ code: String, _ s: String) {
        let text = TerminalText.visible(s)
        Swift.print(enabled ? code + text + "\u{1B}[0m" : text)
    }
}

func readFile(_ path: String) throws -> String {
    do { return try TextFile.read(path) } catch { throw CLIError(message: error.description) }
}
