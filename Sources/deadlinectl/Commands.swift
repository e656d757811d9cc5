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

struct Update: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Change an item: only the fields given change.",
        discussion: "A new date, rule or lead times replans the reminders still ahead. Give an empty value to clear a text field."
    )
    @Argument(help: "The item's key.")
    var key: String
    @Option(name: .long, help: "A new title.") var title: String?
    @Option(name: .long, help: "A new date and time (a meeting's start, a deadline's due date), in any date form.") var at: String?
    @Option(name: .long, help: "A new end (meetings).") var end: String?
    @Option(name: .long, help: "Where it happens.") var location: String?
    @Option(name: .long, help: "Notes.") var notes: String?
    @Option(name: .long, help: "The agency a deadline goes to.") var to: String?
    @Option(name: .long, help: "Lead times replacing the current ones, e.g. 1wd@09:00,2h (empty: the rule's).") var remind: String?
    @Option(name: .long, help: "A rule set of the config (empty: the kind's rule).") var rule: String?
    @Option(name: .long, help: "Tags, replacing the current ones; repeat for more.") var tag: [String] = []
    @Option(name: .long, help: "People or channels to remind, replacing the current ones; repeat for more.") var notify: [String] = []
    @Option(name: .long, help: "How a meeting repeats (an RRULE); empty: it stops repeating.") var `repeat`: String?
    @Option(name: .long, help: "Leave out the meeting of a series on this day (e.g. \"13 เม.ย. 70\"); repeat for more.") var skip: [String] = []
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        var p = ControlAPI.UpdateParameters(key: key)
        p.title = title
        p.at = at
        p.end = end
        p.location = location
        p.notes = notes
        p.recipient = to
        p.rule = rule
        p.leads = remind.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        p.tags = tag.isEmpty ? nil : tag
        p.remind = notify.isEmpty ? nil : notify
        p.recurrence = `repeat`
        p.skip = skip.isEmpty ? nil : skip
        let reply = try connection.fetch(ControlAPI.update, p)
        if connection.json { return try connection.printJSON(reply) }
        let item = reply.item
        print("updated \(item.kind.rawValue) \(item.key): \(item.title) at \(item.at)")
        for r in item.reminders where r.state == .pending { print("  reminder \(r.fireAt)  \(r.label)") }
        printWarnings(reply.warnings)
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

struct Get: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Show one item with its reminders.")
    @Argument(help: "The item's key.")
    var key: String
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let item = try connection.fetch(ControlAPI.get, ControlAPI.KeyParameters(key: key)).item
        if connection.json { return try connection.printJSON(ControlAPI.ItemReply(item: item)) }
        print("\(item.key): \(item.kind.rawValue) '\(item.title)' at \(item.at), \(item.state.rawValue)")
        if let p = item.plan { print("  plan: \(p)") }
        if !item.remind.isEmpty { print("  remind: \(item.remind.joined(separator: ", "))") }
        for r in item.reminders {
            print("  reminder \(r.id) \(r.fireAt) \(r.label) \(r.state)" + (r.lastError.map { ": \($0)" } ?? ""))
        }
    }
}

struct Remove: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Delete an item with its reminders and their history.",
        discussion: "To close an item and keep its history, use cancel instead."
    )
    @Argument(help: "The item's key.")
    var key: String
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        let item = try connection.fetch(ControlAPI.remove, ControlAPI.KeyParameters(key: key)).item
        if connection.json { return try connection.printJSON(ControlAPI.ItemReply(item: item)) }
        print("removed \(item.kind.rawValue) \(item.key): \(item.title)")
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
        abstract: "Follow what happens, as it happens: reminders sent, deliveries refused, items changed.",
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

struct Audit: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Show who changed what over the control socket, newest first.",
        discussion: "For root and the configured group (control.group) only."
    )
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

    @Option(name: .long, help: "A short id to refer to it later (default: made by the daemon, e.g. m12).")
    var key: String?

    @Option(name: .long, help: "Lead times replacing the rule's, e.g. 1wd@09:00,2h,0 (0 = at its own time).")
    var remind: String?

    @Option(name: .long, help: "A rule set named in the config's rule_sets (default: the kind's rule).")
    var rule: String?

    @Option(name: .long, help: "IANA time zone for a time without an offset (default: the daemon's).")
    var timeZone: String?

    @Option(name: .long, help: "The organisation it belongs to (default: the daemon's).")
    var organisation: String?

    @Option(name: .long, help: "Key of the plan it concerns.")
    var plan: String?

    @Option(name: .long, help: "A tag; repeat for more.")
    var tag: [String] = []

    @Option(name: .long, help: "A person or channel to remind; repeat for more.")
    var notify: [String] = []

    @Option(name: .long, help: "Anything else to remember.")
    var notes: String?

    func parameters(kind: ItemKind, when: String) -> ControlAPI.AddItemParameters {
        var p = ControlAPI.AddItemParameters(kind: kind, title: title, at: when, key: key, timeZone: timeZone, notes: notes)
        p.leads = remind.map { $0.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) } }
        p.rule = rule
        p.organisation = organisation
        p.plan = plan
        p.tags = tag.isEmpty ? nil : tag
        p.remind = notify.isEmpty ? nil : notify
        return p
    }

    func add(_ p: ControlAPI.AddItemParameters, connection: ConnectionOptions) throws {
        guard let reply = try connection.call(ControlAPI.addItem, p) else { return }
        let item = reply.item
        print("added \(item.kind.rawValue) \(item.key): \(item.title) at \(item.at)" + (item.recurrence.map { ", repeating \($0)" } ?? ""))
        for r in item.reminders { print("  reminder \(r.fireAt)  \(r.label)" + (r.instance.map { "  (meeting of \($0))" } ?? "")) }
        printWarnings(reply.warnings)
    }
}

struct AddMeeting: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "meeting", abstract: "Add a meeting.")
    @OptionGroup var item: ItemOptions
    @Option(name: .long, help: "When it starts, e.g. \"วันอังคารที่ 16 พฤษภาคม พ.ศ. 2560 เวลา 14.00 น.\" or 2017-05-16T14:00.")
    var at: String
    @Option(name: .long, help: "When it ends.")
    var end: String?
    @Option(name: .long, help: "Where it happens.")
    var location: String?
    @Option(name: .long, help: "Who chairs it.")
    var chair: String?
    @Option(name: .long, help: "Who attends; repeat for more.")
    var attendee: [String] = []
    @Option(name: .long, help: "How it repeats, as an iCalendar RRULE, e.g. \"FREQ=MONTHLY;BYDAY=1TU\" (the first Tuesday of every month); --at is the first meeting.")
    var `repeat`: String?
    @Option(name: .long, help: "The working group that meets.")
    var workingGroup: String?
    @Option(name: .long, help: "Key of the earlier meeting this one follows up.")
    var followUpOf: String?
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        var p = item.parameters(kind: .meeting, when: at)
        p.end = end
        p.location = location
        p.chair = chair
        p.attendees = attendee.isEmpty ? nil : attendee
        p.workingGroup = workingGroup
        p.followUpOf = followUpOf
        p.recurrence = `repeat`
        try item.add(p, connection: connection)
    }
}

struct AddDeadline: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "deadline", abstract: "Add a submission due date.")
    @OptionGroup var item: ItemOptions
    @Option(name: .long, help: "When it is due, e.g. \"24 พ.ค. 60\" (a whole day) or 2017-05-24T16:30.")
    var due: String
    @Option(name: .long, help: "The agency it goes to (e.g. ป.ป.ช.).")
    var to: String?
    @Option(name: .long, help: "Who else hears if it is still open close to its due date; repeat for more.")
    var escalate: [String] = []
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        var p = item.parameters(kind: .deadline, when: due)
        p.recipient = to
        p.escalation = escalate.isEmpty ? nil : escalate
        try item.add(p, connection: connection)
    }
}

struct List: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "List items, soonest first, with days and working days left.")
    @OptionGroup var connection: ConnectionOptions
    @OptionGroup var language: LanguageOptions
    @Flag(name: .long, help: "Also items no longer open (submitted, held, cancelled).")
    var all = false
    @Option(name: .long, help: "Only items in this fiscal year (Buddhist Era: 2561 is 1 Oct 2560 – 30 Sep 2561).")
    var fiscalYear: Int?
    @Option(name: .long, help: "Only meetings or only deadlines.")
    var kind: ItemKind?
    @Option(name: .long, help: "Only items in this state: open, submitted, held, cancelled (implies --all).")
    var state: ItemState?
    @Option(name: .long, help: "Only items from this date on (any date form).")
    var from: String?
    @Option(name: .long, help: "Only items up to this date (a whole day counts to its end).")
    var to: String?
    @Option(name: .long, help: "Only items with this tag.")
    var tag: String?
    @Flag(name: .long, help: "Only open items past their date.")
    var overdue = false

    func run() throws {
        let filters = ControlAPI.ListParameters(kind: kind, state: state, from: from, to: to, tag: tag, overdue: overdue ? true : nil)
        var items = try connection.fetch(ControlAPI.listItems, filters).items
        if let fiscalYear {
            let fy = FiscalYear(buddhistYear: fiscalYear)
            items = items.filter { item in
                let zone = TimeZone(identifier: item.timeZone) ?? TimeZone(secondsFromGMT: 0)!
                return DateOutput.when(item.at).map { fy.contains($0.localDate(in: zone)) } ?? false
            }
        }
        let shown = all || state != nil ? items : items.filter { $0.state == .open }
        if connection.json {
            // The same filters as the table, in the reply's own shape.
            return try connection.printJSON(ControlAPI.ListItemsReply(items: shown))
        }
        if shown.isEmpty { return print(all ? "no items" : "no open items") }
        let lang = try language.resolve(connection.status())
        let th = lang == .thai
        let rows = shown.map { item -> [String] in
            let left: String = language.digits(item.daysLeft < 0
                ? (th ? "เลยมา \(-item.daysLeft) วัน" : "\(-item.daysLeft) d ago")
                : (th ? "\(item.daysLeft) วัน (\(item.workingDaysLeft) วันทำการ)" : "\(item.daysLeft) d (\(item.workingDaysLeft) wd)"))
            let kind = th ? (item.kind == .meeting ? "ประชุม" : "กำหนดส่ง") : item.kind.rawValue
            // A repeating meeting shows its next instance, marked ↻.
            let when = readable(item.next ?? item.at, zone: item.timeZone, language: lang, thaiDigits: language.thaiDigits)
            return [item.key, kind, item.recurrence == nil ? when : "↻ " + when,
                    left, item.state.rawValue, item.title]
        }
        printTable(header: th ? ["รหัส", "ประเภท", "วันเวลา", "เหลือ", "สถานะ", "เรื่อง"] : ["KEY", "KIND", "WHEN", "LEFT", "STATE", "TITLE"],
                   rows: rows, alert: { shown[$0].state == .open && shown[$0].daysLeft < 0 })
        // A reminder that could not be delivered must not pass silently.
        for item in shown {
            for r in item.reminders where r.state == .failed || r.state == .retrying {
                Style.red((th ? "! \(item.key): การแจ้งเตือน \(r.label) " : "! \(item.key): reminder \(r.label) ")
                      + "\(r.state) (\(r.attempts)): \(r.lastError ?? "")")
            }
        }
    }
}

/// `submit`, `held`, `cancel`: an item leaves `open` and its future reminders are dropped.
struct StateChange {
    static func run(key: String, state: ControlAPI.AcknowledgeParameters.State, by: String?, connection: ConnectionOptions) throws {
        let who = by ?? ProcessInfo.processInfo.environment["SUDO_USER"] ?? ProcessInfo.processInfo.environment["USER"] ?? "uid \(getuid())"
        guard let item = try connection.call(ControlAPI.acknowledge, ControlAPI.AcknowledgeParameters(key: key, state: state, by: who))?.item else { return }
        let dropped = item.reminders.filter { $0.state == .cancelled }.count
        print("\(item.key) is \(item.state.rawValue); \(dropped) reminder(s) dropped")
    }
}

struct Submit: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mark a deadline submitted.")
    @Argument(help: "The item's key.") var key: String
    @Option(name: .long, help: "Who submitted it (default: your user name).") var by: String?
    @OptionGroup var connection: ConnectionOptions
    func run() throws { try StateChange.run(key: key, state: .submitted, by: by, connection: connection) }
}

struct Held: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Mark a meeting held.")
    @Argument(help: "The item's key.") var key: String
    @Option(name: .long, help: "Who says so (default: your user name).") var by: String?
    @OptionGroup var connection: ConnectionOptions
    func run() throws { try StateChange.run(key: key, state: .held, by: by, connection: connection) }
}

struct Cancel: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Cancel a meeting or a deadline.")
    @Argument(help: "The item's key.") var key: String
    @Option(name: .long, help: "Who cancels it (default: your user name).") var by: String?
    @OptionGroup var connection: ConnectionOptions
    func run() throws { try StateChange.run(key: key, state: .cancelled, by: by, connection: connection) }
}

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
            reply = try connection.call(ControlAPI.importAgenda, p)
        } catch let error as CLIError where p.content.utf8.count > 512 << 10 {
            // The daemon closes a connection whose message is over its limit, mid-send.
            throw CLIError(message: "\(error.message)\n\(file) is \(p.content.utf8.count >> 10) KiB: the daemon refuses messages larger than "
                + "control.max_message_bytes (1 MiB unless configured); raise it and reload, or split the file")
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

struct Holidays: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Public holidays the working-day arithmetic uses.",
                                                    subcommands: [HolidaysList.self, HolidaysImport.self])
}

struct HolidaysList: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List a year's holidays.")
    @Option(name: .long, help: "Buddhist Era year (2560) or Gregorian (2017).") var year: Int
    @OptionGroup var language: LanguageOptions
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let r = try connection.call(ControlAPI.listHolidays, ControlAPI.YearParameters(year: year)) else { return }
        let lang = try language.resolve(connection.status())
        print(language.digits("\(r.year) (\(r.year - 543))") + ": \(r.status.rawValue); \(r.source)")
        func day(_ iso: String) -> String { LocalDate(iso: iso).map { DateText.day($0, language: lang, thaiDigits: language.thaiDigits) } ?? iso }
        printTable(header: lang == .thai ? ["วันที่", "วันหยุด", "ที่มา"] : ["DATE", "HOLIDAY", "SOURCE"], rows: r.holidays.map { h in
            [day(h.date), lang == .english ? (h.english ?? h.name) : h.name, h.source ?? ""]
        })
        for n in r.notHolidays ?? [] {
            print((lang == .thai ? "ไม่ใช่วันหยุดราชการ: " : "not a government holiday: ")
                  + "\(day(n.date)) \(lang == .english ? (n.english ?? n.name) : n.name): \(n.why)")
        }
        if r.status != .announced {
            printWarnings([HolidayCaveat(year: r.year, status: r.status, items: []).yearSentence])
        }
    }
}

struct HolidaysImport: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "import", abstract: "Load a year of holidays, replacing that year.")
    @Argument(help: "A holiday file (see Config/holidays/).") var file: String
    @OptionGroup var connection: ConnectionOptions

    func run() throws {
        guard let r = try connection.call(ControlAPI.importHolidays, ControlAPI.FileParameters(name: file, content: try readFile(file))) else { return }
        print("\(file): \(r.holidays) holiday(s) for \(r.year) loaded")
    }
}
