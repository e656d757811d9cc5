import DeadlineCore
import Foundation
import Yams

/// What an agenda file holds: plans, and meetings and deadlines ready to store.
public struct Agenda: Sendable, Equatable {
    public var plans: [Plan] = []
    public var items: [NewItem] = []
    /// file:line:column of each item by key, for errors found later (a reference the store
    /// cannot resolve either).
    public var locations: [String: String] = [:]
    /// References to keys not defined in the file: the store must know them.
    public var externalReferences: [Reference] = []
    /// Deadlines assigned to organisations (`assign:`), by key.
    public var assignments: [String: OrganisationScope] = [:]

    public struct Reference: Sendable, Equatable {
        public enum Target: String, Sendable { case meeting, plan }
        public var target: Target
        public var key: String
        public var location: String
    }
}

/// Settings an agenda file may leave out.
public struct AgendaDefaults: Sendable {
    public var timeZone: String
    public var organisation: String
    /// For relative dates ("tomorrow") in the file.
    public var now: Date

    public init(timeZone: String, organisation: String, now: Date) {
        self.timeZone = timeZone
        self.organisation = organisation
        self.now = now
    }
}

/// Reads an agenda file (see `Config/agenda/khon-kaen-2560.yaml`): plans, meetings with their
/// follow-ups, and deadlines, each with a `key` that makes importing it again an update in place
/// rather than a duplicate. Dates are written as people write them (Thai letters, ISO, English).
/// Every error names file:line:column; a file with any error yields nothing.
public enum AgendaFile {
    static let topKeys = ["organisation", "time_zone", "plans", "meetings", "deadlines"]
    static let planKeys = ["key", "name", "agency", "period"]
    static let commonKeys = ["key", "title", "notes", "tags", "remind", "rule", "leads", "time_zone", "plan"]
    static let meetingKeys = commonKeys + ["at", "end", "location", "chair", "attendees", "working_group", "follow_up_of", "organisation", "repeat"]
    static let deadlineKeys = commonKeys + ["due", "to", "escalation", "organisation", "organisations", "assign"]
    static let assignKeys = ["province", "district", "type", "codes"]

    public static func read(yaml: String, file: String, defaults: AgendaDefaults) throws(AgendaError) -> Agenda {
        let doc = try YAMLDocument(text: yaml, file: file)
        guard let root = doc.root else { return Agenda() }
        let top = try doc.mapping(root, allowed: topKeys, what: "an agenda file")
        let zone = try top.string("time_zone") ?? defaults.timeZone
        guard TimeZone(identifier: zone) != nil else { throw doc.fail(top.node("time_zone"), "'\(zone)' is not an IANA time zone") }
        let organisation = try top.string("organisation") ?? defaults.organisation
        var agenda = Agenda()
        var planKeysSeen = Set<String>()

        for node in try top.node("plans").map({ (n: Node) throws(AgendaError) in try doc.sequence(n, what: "'plans'") }) ?? [] {
            let f = try doc.mapping(node, allowed: planKeys, what: "a plan")
            let key = try checkedKey(f, doc: doc)
            guard planKeysSeen.insert(key).inserted else { throw doc.fail(f.node("key"), "plan key '\(key)' is used twice") }
            agenda.plans.append(Plan(key: key, name: try f.required("name"), agency: try f.string("agency"), period: try f.string("period")))
        }

        var meetingKeysSeen = Set<String>()
        var pendingReferences: [(Agenda.Reference, Node?)] = []
        for (kind, list) in [(ItemKind.meeting, "meetings"), (.deadline, "deadlines")] {
            for node in try top.node(list).map({ (n: Node) throws(AgendaError) in try doc.sequence(n, what: "'\(list)'") }) ?? [] {
                let f = try doc.mapping(node, allowed: kind == .meeting ? meetingKeys : deadlineKeys, what: "a \(kind.rawValue)")
                let key = try checkedKey(f, doc: doc)
                guard agenda.locations[key] == nil else { throw doc.fail(f.node("key"), "item key '\(key)' is used twice") }
                let itemZoneName = try f.string("time_zone") ?? zone
                guard let itemZone = TimeZone(identifier: itemZoneName) else {
                    throw doc.fail(f.node("time_zone"), "'\(itemZoneName)' is not an IANA time zone")
                }
                let whenKey = kind == .meeting ? "at" : "due"
                let when = try date(f, whenKey, zone: itemZone, now: defaults.now, doc: doc, required: true)!
                var item = NewItem(kind: kind, key: key, title: try f.required("title"), when: when, timeZone: itemZoneName,
                                   organisation: try f.string("organisation") ?? organisation, notes: try f.string("notes"),
                                   plan: try f.string("plan"), tags: try f.strings("tags"), remind: try f.strings("remind"),
                                   rule: try f.string("rule"))
                if f.node("leads") != nil {
                    item.leads = try f.strings("leads").map { (text: String) throws(AgendaError) -> Lead in
                        guard let lead = Lead(text) else {
                            throw doc.fail(f.node("leads"), "'\(text)' is not a lead time; accepted: \(Lead.forms)")
                        }
                        return lead
                    }
                }
                if kind == .meeting {
                    if let end = try date(f, "end", zone: itemZone, now: defaults.now, doc: doc, required: false) {
                        guard case .instant(let e) = end else { throw doc.fail(f.node("end"), "'end' needs a time of day") }
                        item.end = e
                    }
                    item.location = try f.string("location")
                    item.chair = try f.string("chair")
                    item.attendees = try f.strings("attendees")
                    item.workingGroup = try f.string("working_group")
                    item.followUpOf = try f.string("follow_up_of")
                    if let rule = try f.string("repeat") {
                        // An RRULE; its UNTIL takes the type of `at` (RFC 5545), as everywhere.
                        do {
                            item.recurrence = try Recurrence(rrule: rule, zone: itemZone).untilMatching(when, zone: itemZone)
                        } catch {
                            throw doc.fail(f.node("repeat"), "\(error)")
                        }
                    }
                    meetingKeysSeen.insert(key)
                    if let target = item.followUpOf {
                        pendingReferences.append((.init(target: .meeting, key: target, location: doc.location(f.node("follow_up_of"))), f.node("follow_up_of")))
                    }
                } else {
                    item.recipient = try f.string("to")
                    item.escalation = try f.strings("escalation")
                }
                if let plan = item.plan, !planKeysSeen.contains(plan) {
                    agenda.externalReferences.append(.init(target: .plan, key: plan, location: doc.location(f.node("plan"))))
                }
                do { try item.validate() } catch { throw doc.fail(node, "\(kind.rawValue) '\(key)': \(error)") }

                if kind == .deadline, let node = f.node("assign") {
                    if !(try f.strings("organisations")).isEmpty {
                        throw doc.fail(node, "deadline '\(key)': 'assign' and 'organisations' do not go together: assign the one deadline to the registry's organisations, or copy it per organisation")
                    }
                    agenda.assignments[key] = try assignment(node, doc: doc, key: key)
                }
                // One due date, many organisations: one item each, each with its own state.
                let organisations = kind == .deadline ? try f.strings("organisations") : []
                if organisations.isEmpty {
                    agenda.items.append(item)
                    agenda.locations[key] = doc.location(node)
                } else {
                    for org in organisations {
                        var copy = item
                        copy.organisation = org
                        copy.key = key + "@" + org.map { $0.isWhitespace ? "_" : $0 }.map(String.init).joined()
                        agenda.items.append(copy)
                        agenda.locations[copy.key] = doc.location(node)
                    }
                }
            }
        }
        for (reference, _) in pendingReferences where !meetingKeysSeen.contains(reference.key) {
            agenda.externalReferences.append(reference)
        }
        return agenda
    }

    /// `assign: all`, or a mapping of `province`, `district`, `type` (อบต., เทศบาลตำบล, …) and
    /// `codes` (a list), every one given to match.
    static func assignment(_ node: Node, doc: YAMLDocument, key: String) throws(AgendaError) -> OrganisationScope {
        if case .scalar(let s) = node {
            guard s.string == "all" else {
                throw doc.fail(node, "deadline '\(key)': 'assign' is 'all' or a mapping of province, district, type and codes")
            }
            return OrganisationScope()
        }
        let f = try doc.mapping(node, allowed: assignKeys, what: "an assignment")
        var scope = OrganisationScope(province: try f.string("province"), district: try f.string("district"))
        if let text = try f.string("type") {
            guard let type = OrganisationType(text: text) else {
                throw doc.fail(f.node("type"), "'\(text)' is not a type of local administration; one of "
                               + OrganisationType.allCases.map(\.thai).joined(separator: ", "))
            }
            scope.type = type
        }
        if f.node("codes") != nil { scope.codes = try f.strings("codes") }
        if scope == OrganisationScope() { throw doc.fail(node, "deadline '\(key)': an assignment names something to match, or is 'all'") }
        return scope
    }

    static func checkedKey(_ f: YAMLDocument.Fields, doc: YAMLDocument) throws(AgendaError) -> String {
        let key = try f.required("key")
        guard NewItem.isValidKey(key) else {
            throw doc.fail(f.node("key"), "'\(key)' is not a usable key: letters, digits, '-', '_' or '.', at most 64")
        }
        return key
    }

    static func date(_ f: YAMLDocument.Fields, _ key: String, zone: TimeZone, now: Date, doc: YAMLDocument,
                     required: Bool) throws(AgendaError) -> When? {
        guard let text = required ? try f.required(key) : try f.string(key) else { return nil }
        do {
            return try DateInput.parse(text, timeZone: zone, now: now)
        } catch {
            throw doc.fail(f.node(key), "'\(key)': cannot read '\(text)' as a date: \(error.reason); accepted forms: "
                           + error.accepted.joined(separator: "; "))
        }
    }
}
