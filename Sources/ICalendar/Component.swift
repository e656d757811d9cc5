/// A `BEGIN:NAME` … `END:NAME` block: its properties and the blocks inside it.
public struct Component: Equatable, Sendable {
    public var name: String
    public var properties: [ContentLine]
    public var components: [Component]
    /// The line of its BEGIN (0 when made here).
    public var line: Int

    public init(_ name: String, properties: [ContentLine] = [], components: [Component] = [], line: Int = 0) {
        self.name = name
        self.properties = properties
        self.components = components
        self.line = line
    }

    public func first(_ name: String) -> ContentLine? { properties.first { $0.name == name } }
    public func all(_ name: String) -> [ContentLine] { properties.filter { $0.name == name } }

    /// Largest input accepted: a calendar of thousands of events is a few megabytes.
    public static let maxBytes = 32 << 20

    /// Parses a whole iCalendar text into its one VCALENDAR. Every problem names its line.
    public static func parse(_ text: String, file: String) throws(ICalendarError) -> Component {
        guard text.utf8.count <= maxBytes else {
            throw ICalendarError(location: file, message: "larger than \(maxBytes >> 20) MiB")
        }
        var stack: [Component] = []
        var top: Component?
        for (number, raw) in ContentLine.unfold(text) {
            let line = try ContentLine.parse(raw, line: number, file: file)
            switch line.name {
            case "BEGIN":
                let name = String(line.value.uppercased().prefix(40))
                guard !name.isEmpty else { throw ICalendarError(location: "\(file):\(number)", message: "BEGIN without a name") }
                if stack.isEmpty && top != nil {
                    throw ICalendarError(location: "\(file):\(number)", message: "a second \(name) after the end of the calendar")
                }
                guard stack.count < 8 else { throw ICalendarError(location: "\(file):\(number)", message: "components nested too deep") }
                stack.append(Component(name, line: number))
            case "END":
                let name = String(line.value.uppercased().prefix(40))
                guard let open = stack.popLast() else {
                    throw ICalendarError(location: "\(file):\(number)", message: "END:\(name) without a BEGIN")
                }
                guard open.name == name else {
                    throw ICalendarError(location: "\(file):\(number)", message: "END:\(name) closes BEGIN:\(open.name) of line \(open.line)")
                }
                if stack.isEmpty { top = open } else { stack[stack.count - 1].components.append(open) }
            default:
                guard !stack.isEmpty else {
                    throw ICalendarError(location: "\(file):\(number)", message: "\(line.name) outside BEGIN:VCALENDAR … END:VCALENDAR")
                }
                stack[stack.count - 1].properties.append(line)
            }
        }
        if let open = stack.last {
            throw ICalendarError(location: "\(file):\(open.line)", message: "BEGIN:\(open.name) is never closed (the file ends first)")
        }
        guard let top else { throw ICalendarError(location: file, message: "no BEGIN:VCALENDAR: not an iCalendar file") }
        guard top.name == "VCALENDAR" else {
            throw ICalendarError(location: "\(file):\(top.line)", message: "the file holds \(top.name), not VCALENDAR")
        }
        return top
    }

    /// The component as folded lines, CRLF-terminated.
    public var text: String {
        var out = ContentLine.fold("BEGIN:" + name)
        for p in properties { out += ContentLine.fold(p.text) }
        for c in components { out += c.text }
        return out + ContentLine.fold("END:" + name)
    }
}
