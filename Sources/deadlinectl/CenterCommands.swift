import ArgumentParser
import Control
import Crypto
import DeadlineCore
import Foundation

/// `deadlinectl assign`, `exempt`, `reopen`, `board` and `submit --org`: a center following
/// which organisations met a deadline.
struct Assign: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Assign a deadline to organisations: each gets an obligation of its own.",
        discussion: "Give --all, or any of --province, --district, --type and --org (all must match). Organisations that match later (imported, added, moved) are assigned too.")
    @Argument(help: "The deadline's key.") var key: String
    @Flag(name: .long, help: "Every organisation in the registry.") var all = false
    @Option(name: .long, help: "Only this province.") var province: String?
    @Option(name: .long, help: "Only this district.") var district: String?
    @Option(name: .long, help: "Only this type (อบต., เทศบาลตำบล, …).") var type: OrganisationType?
    @Option(name: .customLong("org"), help: "Only these codes; repeat for more.") var codes: [String] = []
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let p = ControlAPI.AssignParameters(key: key, all: all ? true : nil, province: province, district: district, type: type,
                                            codes: codes.isEmpty ? nil : codes)
        guard let r = try connection.call(ControlAPI.assign, p) else { return }
        print("\(r.key): \(r.assigned.count) organisation(s) assigned now, \(r.obligations) in all")
    }
}

/// `submit KEY --org CODE …`: one organisation's submission, with its evidence.
struct SubmissionOptions: ParsableArguments {
    @Option(name: .long, help: "The organisation that submitted (its code): records its submission, not the item's.") var org: String?
    @Option(name: .long, help: "With --org: the letter's document number, e.g. \"ขก 52001/123\".") var ref: String?
    @Option(name: .long, help: "With --org: the day (or instant) it was received (default: now).") var date: String?
    @Option(name: .long, help: "With --org: the submitted file's SHA-256 (64 hex digits).") var sha256: String?
    @Option(name: .long, help: "With --org: the submitted file, whose SHA-256 is recorded.") var file: String?

    func record(key: String, by: String?, connection: ConnectionOptions) throws {
        guard let org else { return }
        guard let ref else { throw CLIError(message: "--ref: a submission is recorded with its document number") }
        var hash = sha256
        if let file {
            guard hash == nil else { throw CLIError(message: "--file and --sha256: give one of the two") }
            let data: Data
            do { data = try Data(contentsOf: URL(fileURLWithPath: file)) } catch { throw CLIError(message: "cannot read \(file): \(error.localizedDescription)") }
            hash = SHA256.hash(data: data).map { String(format: "%02x", $0) }.joined()
        }
        let p = ControlAPI.RecordObligationParameters(key: key, code: org, action: .submit, reference: ref, received: date, sha256: hash,
                                                      by: by ?? defaultRecorder)
        guard let o = try connection.call(ControlAPI.recordObligation, p)?.obligation else { return }
        print("\(o.item)/\(o.code) \(o.name): submitted \(o.standing == .late ? "late" : "on time") (\(o.reference ?? ""), received \(o.received ?? ""))")
    }
}

/// Who records a change when `--by` is not given.
var defaultRecorder: String {
    let env = ProcessInfo.processInfo.environment
    return env["SUDO_USER"] ?? env["USER"] ?? "uid \(getuid())"
}

struct Exempt: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Exempt an organisation from a deadline, saying why.")
    @Argument(help: "The deadline's key (or its plan's).") var key: String
    @Option(name: .long, help: "The organisation's code.") var org: String
    @Option(name: .long, help: "Why it need not submit.") var reason: String
    @Option(name: .long, help: "Who decides (default: your user name).") var by: String?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let p = ControlAPI.RecordObligationParameters(key: key, code: org, action: .exempt, reason: reason, by: by ?? defaultRecorder)
        guard let o = try connection.call(ControlAPI.recordObligation, p)?.obligation else { return }
        print("\(o.item)/\(o.code) \(o.name): exempted")
    }
}

struct Reopen: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Reopen an organisation's submission or exemption (it is open again, and audited).")
    @Argument(help: "The deadline's key (or its plan's).") var key: String
    @Option(name: .long, help: "The organisation's code.") var org: String
    @Option(name: .long, help: "Why, for the record.") var reason: String?
    @Option(name: .long, help: "Who reopens it (default: your user name).") var by: String?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let p = ControlAPI.RecordObligationParameters(key: key, code: org, action: .reopen, reason: reason, by: by ?? defaultRecorder)
        guard let o = try connection.call(ControlAPI.recordObligation, p)?.obligation else { return }
        print("\(o.item)/\(o.code) \(o.name): open again (\(o.standing.rawValue))")
    }
}

struct Remind: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Send one reminder now to every organisation that has not submitted a deadline (or a plan's deadlines).")
    @Argument(help: "The deadline's key, or a plan's key.") var key: String
    @Flag(name: .long, help: "Those that have not submitted and are not exempted (needed: says whom).") var notSubmitted = false
    @Option(name: .long, help: "Only this province.") var province: String?
    @Option(name: .long, help: "Only this district.") var district: String?
    @Option(name: .long, help: "Only this type.") var type: OrganisationType?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard notSubmitted else { throw CLIError(message: "say whom to remind: --not-submitted") }
        let p = ControlAPI.RemindParameters(key: key, province: province, district: district, type: type)
        guard let r = try connection.call(ControlAPI.remind, p) else { return }
        print("\(r.key): \(r.reminded.count) organisation(s) reminded now")
    }
}
