import ArgumentParser
import Control
import Crypto
import DeadlineStore
import Foundation

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The audit trail: who changed what, and whether anyone rewrote it since.",
        discussion: "Every entry is hash-chained and the chain's head signed at intervals (docs/audit.md). For root and the configured group (control.group), but key.",
        subcommands: [AuditListCommand.self, AuditLogCommand.self, AuditVerifyCommand.self, AuditExportCommand.self, AuditKeyCommand.self, AuditCheckpointCommand.self],
        defaultSubcommand: AuditListCommand.self
    )
}

struct AuditListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "Show who changed what over the control socket, newest first.")
    @Option(name: .long, help: "How many entries (default 50).")
    var limit: Int?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let r = try connection.fetch(ControlAPI.audit, ControlAPI.AuditParameters(limit: limit))
        if connection.json { return try connection.printJSON(r) }
        if r.entries.isEmpty { return print("no changes recorded") }
        printTable(header: ["WHEN", "UID", "PROGRAM", "METHOD", "TARGET", "BEFORE", "AFTER"],
                   rows: r.entries.map { [$0.at, String($0.uid), $0.command, $0.method, $0.target, $0.before ?? "", String(($0.after ?? "").prefix(60))] })
    }
}

struct AuditLogCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "log",
        abstract: "Show every change of one item: who, when, and its due date and state before and after.",
        discussion: "Its own changes, its organisations' submissions, exemptions and reopenings, the imports that added or updated it, and each of its reminders sent, missed, failed or put back to retry; oldest first."
    )
    @Argument(help: "The item's key.")
    var key: String
    @Option(name: .long, help: "At most this many changes (default 1000).")
    var limit: Int?
    @OptionGroup var language: LanguageOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let r = try connection.fetch(ControlAPI.auditHistory, ControlAPI.AuditHistoryParameters(key: key, limit: limit))
        if connection.json { return try connection.printJSON(r) }
        let lang = try language.resolve(try connection.status())
        let thai = lang == .thai
        guard !r.changes.isEmpty else { return print(thai ? "ไม่มีการเปลี่ยนแปลงของ \(key) ในบันทึก" : "no change of \(key) on record") }
        func date(_ wire: String) -> String { readable(wire, zone: r.timeZone, language: lang, thaiDigits: language.thaiDigits) }
        let rows = r.changes.map { c -> [String] in
            let who = c.user.map { "\($0) (\(c.uid))" } ?? "uid \(c.uid)"
            let due: String = switch (c.dueBefore, c.dueAfter) {
            case let (b?, a?) where b != a: date(b) + " → " + date(a)
            case let (b?, nil): date(b) + " →"
            case let (_, a?): date(a)
            case (nil, nil): ""
            }
            let state = [c.stateBefore, c.stateAfter].compactMap { $0.map { Self.state($0, thai: thai) } }
                .reduce(into: [String]()) { if $0.last != $1 { $0.append($1) } }
            return [date(c.at), who, c.command, Self.change(c, thai: thai), due, state.joined(separator: " → ")]
        }
        printTable(header: thai ? ["เมื่อ", "ผู้ทำ", "โปรแกรม", "การเปลี่ยนแปลง", "กำหนด", "สถานะ"] : ["WHEN", "WHO", "PROGRAM", "CHANGE", "DUE", "STATE"],
                   rows: rows)
    }

    /// An item's or an obligation's state (an import's added/updated, a reminder's sent…) in Thai.
    static func state(_ s: String, thai: Bool) -> String {
        guard thai else { return s }
        let names = ["open": "เปิดอยู่", "submitted": "ส่งแล้ว", "held": "ประชุมแล้ว", "cancelled": "ยกเลิก", "exempted": "ยกเว้น",
                     "added": "เพิ่มใหม่", "updated": "ปรับปรุง",
                     "sent": "ส่งเตือนแล้ว", "missed": "เลยเวลา ไม่ได้ส่ง", "failed": "ส่งไม่สำเร็จ", "retrying": "รอส่งใหม่"]
        return names[s] ?? s
    }

    /// What the change was, as people say it.
    static func change(_ c: ControlAPI.AuditHistoryReply.Change, thai: Bool) -> String {
        let subject = c.subject ?? ""
        switch c.method {
        case "AddItem": return thai ? "เพิ่ม" : "added"
        case "Update": return thai ? "แก้ไข" : "changed"
        case "Remove": return thai ? "ลบ" : "removed"
        case "Acknowledge": return thai ? "บันทึกสถานะ" : "marked"
        case "Import": return thai ? "นำเข้าจาก \(subject)" : "imported from \(subject)"
        case "Submit": return thai ? "\(subject) ส่งแล้ว" : "submitted by \(subject)"
        case "Exempt": return thai ? "ยกเว้น \(subject)" : "\(subject) exempted"
        case "Reopen": return thai ? "เปิดใหม่ให้ \(subject)" : "reopened for \(subject)"
        case "Assign": return thai ? "มอบหมาย" : "assigned"
        case "Remind": return thai ? "ส่งคำเตือน" : "reminded"
        case "Reminders": return thai ? "คำเตือน \(subject)" : "reminder \(subject)"
        default: return c.method
        }
    }
}

struct AuditVerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check the audit trail's hash chain and signed checkpoints; exit 1 at the first break.",
        discussion: """
            Without FILE the daemon reads its store. With FILE (an `audit export`) nothing asks the daemon: \
            give the public key (`deadlinectl audit key`) that the checkpoints must be signed with.
            """
    )
    @Argument(help: "An export file (JSON Lines) to check offline.")
    var file: String?
    @Option(name: .long, help: "A public key (base64) the file's checkpoints may be signed with; repeat it for the keys used before a key change.")
    var key: [String] = []
    @Flag(name: .long, help: "The file starts after entry 1 (an export --from a date): check it from its first entry.")
    var partial = false
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let reply: ControlAPI.AuditVerifyReply
        if let file {
            guard !key.isEmpty else { throw CLIError(message: "--key PUBLIC-KEY is needed to check a file (deadlinectl audit key prints it)") }
            reply = try AuditFile.verify(file, keys: try key.map(publicKey), partial: partial)
        } else {
            reply = try connection.fetch(ControlAPI.auditVerify, ControlAPI.NoParameters(), timeout: ConnectionOptions.longJob)
        }
        if connection.json { try connection.printJSON(reply) } else { print(Self.describe(reply)) }
        if reply.broken != nil { throw ExitCode(1) }
    }

    private func publicKey(_ text: String) throws -> Curve25519.Signing.PublicKey {
        do { return try AuditSigningKey.publicKey(text) } catch { throw CLIError(message: "--key: \(error)") }
    }

    static func describe(_ r: ControlAPI.AuditVerifyReply) -> String {
        var lines: [String] = []
        if let b = r.broken {
            lines.append("BROKEN: \(b.description)")
            lines.append("read \(r.entries) entries that hold, up to entry \(r.headSeq)")
        } else {
            lines.append("ok: \(r.entries) entries, head entry \(r.headSeq) \(r.headHash)")
        }
        if let c = r.lastCheckpoint {
            let at = Date(timeIntervalSince1970: Double(c.atMs) / 1000)
            lines.append("\(r.checkpoints) signed checkpoint(s) hold; the last signs entry \(c.seq), at \(at.formatted(.iso8601))")
            if c.seq < r.headSeq { lines.append("entries after \(c.seq) are chained but not signed yet: a cut there would not show") }
        } else {
            lines.append("no signed checkpoint: entries cut off the end, or a chain rebuilt whole, would not show")
        }
        if r.otherKeys > 0 { lines.append("\(r.otherKeys) checkpoint(s) signed by a key not trusted were left aside (after a key change, trust the old one: docs/audit.md)") }
        return lines.joined(separator: "\n")
    }
}

struct AuditExportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write the audit trail and its signed checkpoints to a file, one JSON object per line.",
        discussion: "The daemon signs its chain's head first, so the file ends in a checkpoint. --from and --to are days (YYYY-MM-DD) in this machine's time zone."
    )
    @Option(name: .shortAndLong, help: "The file to write (replaced whole, never left half-written).")
    var output: String
    @Option(name: .long, help: "Entries from this day on (the file then starts after entry 1: verify it with --partial).")
    var from: String?
    @Option(name: .long, help: "Entries up to this day, inclusive.")
    var to: String?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let window = try AuditFile.Window(from: from, to: to)
        _ = try connection.fetch(ControlAPI.auditCheckpoint, ControlAPI.NoParameters())
        let writer = try AuditFile.Writer(to: output, window: window)
        do {
            var after: Int?
            repeat {
                let page = try connection.fetch(ControlAPI.auditExport, ControlAPI.AuditExportParameters(after: after, limit: 2000, fromMs: window.fromMs))
                if let checkpoints = page.checkpoints { writer.keep(checkpoints) }
                guard try writer.write(page.entries) else { break }
                after = page.next
            } while after != nil
            try writer.finish()
        } catch {
            writer.discard()
            throw error
        }
        print("wrote \(writer.entries) entries and \(writer.signed) checkpoint(s) to \(output)")
    }
}

struct AuditKeyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "key",
        abstract: "Print the public key the daemon signs checkpoints with (base64), or make a new signing key.",
        discussion: "--new FILE writes a new private key (mode 0600) for the daemon's credential, and prints its public key; it never replaces a file."
    )
    @Option(name: .long, help: "Write a new private key to this file instead.")
    var new: String?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        if let new {
            do { print(try AuditSigningKey.create(at: new).publicKeyText) } catch { throw CLIError(message: "\(error)") }
            return
        }
        let r = try connection.fetch(ControlAPI.auditKey, ControlAPI.NoParameters())
        if connection.json { try connection.printJSON(r) } else { print(r.key) }
    }
}

struct AuditCheckpointCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "checkpoint", abstract: "Have the daemon sign its audit chain's head now.")
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let r = try connection.fetch(ControlAPI.auditCheckpoint, ControlAPI.NoParameters())
        if connection.json { return try connection.printJSON(r) }
        guard let c = r.checkpoint else { return print("nothing to sign: the audit trail is empty") }
        print("signed entry \(c.seq) \(c.hash)")
    }
}
