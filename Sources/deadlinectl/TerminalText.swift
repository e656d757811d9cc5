import DeadlineCore

/// What deadlinectl prints for people: text from the daemon (titles, places, a channel's
/// error, an invitation's notes) is anyone's input, and an escape sequence in it would rewrite
/// the admin's terminal. Control characters are shown as `\u{1b}`, never written raw.
/// `--json` and `export` write exactly what came (JSON escapes controls itself).
enum TerminalText {
    /// `text` with every control character (and bidirectional override) made visible; line
    /// breaks and tabs kept when `keepingLines` (a message of several lines).
    static func visible(_ text: String, keepingLines: Bool = true) -> String {
        guard text.unicodeScalars.contains(where: NewItem.isControl) else { return text }
        var out = String.UnicodeScalarView()
        for s in text.unicodeScalars {
            if NewItem.isControl(s) && !(keepingLines && (s == "\n" || s == "\t")) {
                out.append(contentsOf: "\\u{\(String(s.value, radix: 16))}".unicodeScalars)
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}

/// Every human line of deadlinectl goes through here (this shadows Swift's `print` in the
/// module); machine output (`printJSON`, `export`) calls `Swift.print` or writes bytes.
func print(_ items: Any..., separator: String = " ", terminator: String = "\n") {
    Swift.print(TerminalText.visible(items.map { "\($0)" }.joined(separator: separator)), terminator: terminator)
}
