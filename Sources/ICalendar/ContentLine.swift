import Foundation

/// One property of an iCalendar text (RFC 5545 §3.1): `NAME;PARAM=VALUE:value`.
public struct ContentLine: Equatable, Sendable {
    public var name: String
    /// Parameters in order, names upper-cased, values unquoted.
    public var parameters: [(name: String, values: [String])]
    public var value: String
    /// The line it starts on in its file (1-based; 0 when made here).
    public var line: Int

    public init(_ name: String, _ parameters: [(name: String, values: [String])] = [], _ value: String, line: Int = 0) {
        self.name = name
        self.parameters = parameters
        self.value = value
        self.line = line
    }

    /// A property without parameters.
    public init(_ name: String, _ value: String) {
        self.init(name, [], value)
    }

    public static func == (a: ContentLine, b: ContentLine) -> Bool {
        a.name == b.name && a.value == b.value && a.parameters.map(\.name) == b.parameters.map(\.name)
            && a.parameters.map(\.values) == b.parameters.map(\.values)
    }

    /// The first value of a parameter.
    public func parameter(_ name: String) -> String? {
        parameters.first { $0.name == name }?.values.first
    }

    /// The property as one unfolded line.
    public var text: String {
        var out = name
        for p in parameters {
            out += ";" + p.name + "=" + p.values.map(Self.parameterValue).joined(separator: ",")
        }
        return out + ":" + value
    }

    /// A parameter value, quoted when it holds `:`, `;` or `,` (RFC 5545 §3.2). A double quote
    /// cannot appear in one at all; it becomes a single quote.
    static func parameterValue(_ v: String) -> String {
        let clean = v.replacingOccurrences(of: "\"", with: "'").filter { c in !c.unicodeScalars.contains { $0.isControl } }
        return clean.contains(where: { ":;,".contains($0) }) ? "\"" + clean + "\"" : clean
    }

    /// Parses one unfolded line. By scalars: a delimiter followed by a combining mark (a Thai
    /// vowel right after `:`) is one Swift Character and would hide the delimiter.
    public static func parse(_ raw: String, line: Int, file: String) throws(ICalendarError) -> ContentLine {
        func fail(_ m: String) -> ICalendarError { ICalendarError(location: "\(file):\(line)", message: m) }
        let chars = Array(raw.unicodeScalars)
        // RFC 5545 allows no control character but a tab in a content line: one is refused
        // here rather than dropped (a NUL would otherwise cut the text wherever it travels).
        if let c = chars.firstIndex(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) {
            throw fail("a control character (U+\(String(format: "%04X", chars[c].value))) at column \(c + 1): iCalendar allows none but a tab")
        }
        func text(_ range: Range<Int>) -> String { String(String.UnicodeScalarView(chars[range])) }
        var i = 0
        func readName() -> String {
            let start = i
            while i < chars.count, chars[i].isASCII, chars[i].properties.isAlphabetic || ("0"..."9").contains(chars[i]) || chars[i] == "-" { i += 1 }
            return text(start..<i).uppercased()
        }
        let name = readName()
        guard !name.isEmpty, i < chars.count, chars[i] == ":" || chars[i] == ";" else {
            throw fail("'\(raw.prefix(40))' is not a property (NAME:value)")
        }
        var parameters: [(name: String, values: [String])] = []
        while i < chars.count, chars[i] == ";" {
            i += 1
            let pname = readName()
            guard !pname.isEmpty, i < chars.count, chars[i] == "=" else { throw fail("a parameter of \(name) has no name=value") }
            i += 1
            var values: [String] = []
            repeat {
                if i < chars.count, chars[i] == "," { i += 1 }
                if i < chars.count, chars[i] == "\"" {
                    i += 1
                    let start = i
                    while i < chars.count, chars[i] != "\"" { i += 1 }
                    guard i < chars.count else { throw fail("a quoted value of \(name);\(pname) is not closed") }
                    values.append(text(start..<i))
                    i += 1
                } else {
                    let start = i
                    while i < chars.count, chars[i] != ";", chars[i] != ":", chars[i] != "," { i += 1 }
                    values.append(text(start..<i))
                }
            } while i < chars.count && chars[i] == ","
            parameters.append((pname, values))
        }
        guard i < chars.count, chars[i] == ":" else { throw fail("\(name) has no ':' before its value") }
        return ContentLine(name, parameters, text((i + 1)..<chars.count), line: line)
    }

    // MARK: - TEXT values

    /// Escapes a TEXT value: backslash, `;`, `,` and newlines (RFC 5545 §3.3.11).
    public static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var previousCR = false
        for ch in text.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case ";": out += "\\;"
            case ",": out += "\\,"
            case "\r": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }
            default: out.unicodeScalars.append(ch)
            }
            previousCR = ch == "\r"
        }
        return out
    }

    /// Undoes `escape`. A backslash before anything else is kept as it is (lenient, as
    /// calendar programs are). Line ends become `\n`, and other control characters (a NUL, a
    /// bare carriage return) are dropped: they have no place in a title or a note. Works on
    /// scalars: a backslash followed by a combining mark is one Character in Swift.
    public static func unescape(_ text: String) -> String {
        var out = String.UnicodeScalarView()
        var afterCR = false
        func plain(_ u: Unicode.Scalar) {
            defer { afterCR = u == "\r" }
            if u == "\n" && afterCR { return }
            if u == "\r" { return out.append("\n") }
            if u.value < 0x20 && u != "\t" && u != "\n" || u.value == 0x7F { return }
            out.append(u)
        }
        var it = text.unicodeScalars.makeIterator()
        while let u = it.next() {
            guard u == "\\" else { plain(u); continue }
            afterCR = false
            switch it.next() {
            case "n"?, "N"?: out.append("\n")
            case "\\"?: out.append("\\")
            case ";"?: out.append(";")
            case ","?: out.append(",")
            case let other?: out.append("\\"); plain(other)
            case nil: out.append("\\")
            }
        }
        return String(out)
    }

    /// Splits a list of TEXT values at unescaped commas, then unescapes each.
    public static func splitList(_ value: String) -> [String] {
        var parts: [String] = [], current = String.UnicodeScalarView(), escaped = false
        for u in value.unicodeScalars {
            if escaped { current.append("\\"); current.append(u); escaped = false; continue }
            if u == "\\" { escaped = true; continue }
            if u == "," { parts.append(String(current)); current = String.UnicodeScalarView(); continue }
            current.append(u)
        }
        if escaped { current.append("\\") }
        parts.append(String(current))
        return parts.map(unescape).filter { !$0.isEmpty }
    }

    // MARK: - Folding

    /// Folds a line so that no physical line is longer than 75 octets, never splitting a
    /// UTF-8 sequence (RFC 5545 §3.1); lines end with CRLF.
    public static func fold(_ line: String) -> String {
        var out = ""
        var width = 0
        for scalar in line.unicodeScalars {
            let octets = String(scalar).utf8.count
            if width + octets > 75 {
                out += "\r\n "
                width = 1
            }
            out.unicodeScalars.append(scalar)
            width += octets
        }
        return out + "\r\n"
    }

    /// Joins folded lines; each logical line with the number of the physical line it starts on.
    /// Accepts CRLF and bare LF (files edited by hand or mailed through Unix tools).
    public static func unfold(_ text: String) -> [(line: Int, text: String)] {
        var out: [(line: Int, text: String)] = []
        var number = 0
        // "\r\n" is one Character in Swift, so split on both forms.
        for physical in text.split(omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" }) {
            number += 1
            var l = Substring(physical)
            if l.hasSuffix("\r") { l = l.dropLast() }
            // By scalars: a space before a combining mark (a Thai vowel) is one Character.
            if let first = l.unicodeScalars.first, first == " " || first == "\t", !out.isEmpty {
                out[out.count - 1].text += String(l.unicodeScalars.dropFirst())
            } else if !l.isEmpty {
                out.append((number, String(l)))
            }
        }
        return out
    }
}

extension Unicode.Scalar {
    /// A C0/C1 control (NUL, CR, LF, TAB …): never part of a name, an address or a UID.
    var isControl: Bool { properties.generalCategory == .control }
}
