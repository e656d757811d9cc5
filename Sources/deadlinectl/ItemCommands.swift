import ArgumentParser
import Control
import DeadlineCore
import Foundation

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
    static let configuration = CommandConfiguration(
        abstract: "Mark a deadline submitted; with --org, one organisation's submission of it.",
        discussion: "submit submit-nacc-2560 --org 4400201 --ref \"ขก 52001/123\" --date \"23 พ.ค. 60\" --file plan.pdf")
    @Argument(help: "The item's key (with --org, also its plan's key).") var key: String
    @Option(name: .long, help: "Who submitted it, or who records the submission (default: your user name).") var by: String?
    @OptionGroup var submission: SubmissionOptions
    @OptionGroup var connection: ConnectionOptions
    func run() throws {
        if submission.org != nil { return try submission.record(key: key, by: by, connection: connection) }
        try StateChange.run(key: key, state: .submitted, by: by, connection: connection)
    }
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
