import Foundation

/// An e-mail address with an optional display name: `a@b.example` or `สมชาย <a@b.example>`.
public struct MailAddress: Sendable, Equatable, CustomStringConvertible {
    public let name: String?
    public let address: String

    /// nil unless `text` is an address we can put in a header without it meaning something
    /// else: no line breaks, no second address, one `@` with text on both sides.
    public init?(_ text: String) {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard !t.contains(where: { $0.isNewline || $0 == "\0" }) else { return nil }
        var name: String?
        var address = t
        if t.hasSuffix(">"), let open = t.lastIndex(of: "<") {
            let n = t[..<open].trimmingCharacters(in: .whitespaces).trimmingCharacters(in: CharacterSet(charactersIn: "\""))
            name = n.isEmpty ? nil : n
            address = String(t[t.index(after: open)..<t.index(before: t.endIndex)])
        }
        let parts = address.split(separator: "@", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."), !parts[1].hasSuffix("."),
              address.allSatisfy({ $0.isASCII && !$0.isWhitespace && !"<>(),;:\"[]\\".contains($0) }) else { return nil }
        if let n = name, n.contains(where: { "<>\"".contains($0) }) { return nil }
        self.name = name
        self.address = address
    }

    public var domain: String { String(address.split(separator: "@").last ?? "") }

    /// As a header writes it: the name as an encoded-word when it is not plain ASCII.
    var header: String {
        guard let name else { return address }
        let plain = name.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == " " || $0 == "." || $0 == "-") }
        return (plain ? name : EncodedWords.encode(name, firstLineUsed: 0).joined(separator: " ")) + " <\(address)>"
    }

    public var description: String { name.map { "\($0) <\(address)>" } ?? address }
}

/// An RFC 5322 message with one UTF-8 text/plain part, written as `sendmail -t` reads it:
/// header lines, a blank line, the body, newline-terminated (the MTA makes them CRLF).
public struct MailMessage: Sendable {
    public var from: MailAddress
    public var to: [MailAddress]
    public var cc: [MailAddress]
    public var subject: String
    public var body: String
    public var date: Date
    public var timeZone: TimeZone
    /// Without the angle brackets: `deadlined-12-mail@example.org`.
    public var messageID: String
    /// Message-IDs this one follows, so that a mail client threads an item's reminders.
    public var references: [String]
    public var extraHeaders: [(String, String)]

    public init(from: MailAddress, to: [MailAddress], cc: [MailAddress] = [], subject: String, body: String, date: Date,
                timeZone: TimeZone, messageID: String, references: [String] = [], extraHeaders: [(String, String)] = []) {
        self.from = from
        self.to = to
        self.cc = cc
        self.subject = subject
        self.body = body
        self.date = date
        self.timeZone = timeZone
        self.messageID = messageID
        self.references = references
        self.extraHeaders = extraHeaders
    }

    public func rendered() -> String {
        var lines: [String] = []
        lines.append("From: " + from.header)
        if !to.isEmpty { lines.append(addressList("To", to)) }
        if !cc.isEmpty { lines.append(addressList("Cc", cc)) }
        lines.append(Self.subjectHeader(subject))
        lines.append("Date: " + Self.rfc5322Date(date, timeZone: timeZone))
        lines.append("Message-ID: <\(messageID)>")
        if !references.isEmpty {
            lines.append("In-Reply-To: <\(references[references.count - 1])>")
            lines.append("References: " + references.map { "<\($0)>" }.joined(separator: " "))
        }
        lines.append("MIME-Version: 1.0")
        lines.append("Content-Type: text/plain; charset=UTF-8")
        lines.append("Content-Transfer-Encoding: base64")
        // RFC 3834: tells vacation responders and ticket systems not to answer.
        lines.append("Auto-Submitted: auto-generated")
        for (name, value) in extraHeaders {
            lines.append("\(name): " + value.filter { !$0.isNewline })
        }
        lines.append("")
        let encoded = Data(body.utf8).base64EncodedString()
        var index = encoded.startIndex
        while index < encoded.endIndex {
            let end = encoded.index(index, offsetBy: 76, limitedBy: encoded.endIndex) ?? encoded.endIndex
            lines.append(String(encoded[index..<end]))
            index = end
        }
        return lines.joined(separator: "\n") + "\n"
    }

    private func addressList(_ name: String, _ list: [MailAddress]) -> String {
        "\(name): " + list.map(\.header).joined(separator: ",\n ")
    }

    /// `Subject:` as is when it is short plain ASCII, else as UTF-8 encoded-words, each on
    /// its own folded line of at most 76 characters (RFC 2047 §2).
    static func subjectHeader(_ subject: String) -> String {
        let s = subject.filter { !$0.isNewline }
        if s.allSatisfy({ $0.isASCII }) && !s.contains("=?") && s.utf8.count <= 66 { return "Subject: " + s }
        return "Subject: " + EncodedWords.encode(s, firstLineUsed: "Subject: ".count).joined(separator: "\n ")
    }

    /// `Tue, 16 May 2017 14:00:00 +0700`: English names whatever the locale, as RFC 5322 wants.
    static func rfc5322Date(_ date: Date, timeZone: TimeZone) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = timeZone
        let c = calendar.dateComponents([.weekday, .day, .month, .year, .hour, .minute, .second], from: date)
        let weekdays = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"]
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        let offset = timeZone.secondsFromGMT(for: date) / 60
        let zone = String(format: "%@%02d%02d", offset < 0 ? "-" : "+", abs(offset) / 60, abs(offset) % 60)
        return String(format: "%@, %02d %@ %04d %02d:%02d:%02d ", weekdays[c.weekday! - 1], c.day!, months[c.month! - 1], c.year!,
                      c.hour!, c.minute!, c.second!) + zone
    }
}

/// RFC 2047 "B" encoded-words over UTF-8. A word never splits a character (a Thai vowel or
/// tone mark stays with its consonant) and never runs past 75 characters.
enum EncodedWords {
    /// - Parameter firstLineUsed: characters already on the first line (`Subject: `).
    static func encode(_ text: String, firstLineUsed: Int) -> [String] {
        var words: [String] = []
        var chunk: [UInt8] = []
        var limit = maxBytes(lineRoom: 76 - firstLineUsed)
        for character in text {
            let bytes = Array(String(character).utf8)
            if !chunk.isEmpty && chunk.count + bytes.count > limit {
                words.append(word(chunk))
                chunk = []
                limit = maxBytes(lineRoom: 76 - 1)
            }
            chunk += bytes
        }
        if !chunk.isEmpty || words.isEmpty { words.append(word(chunk)) }
        return words
    }

    /// Bytes whose base64 fits in `lineRoom` with the `=?UTF-8?B?…?=` around it.
    private static func maxBytes(lineRoom: Int) -> Int {
        max(3, (min(75, lineRoom) - "=?UTF-8?B??=".count) / 4 * 3)
    }

    private static func word(_ bytes: [UInt8]) -> String {
        "=?UTF-8?B?" + Data(bytes).base64EncodedString() + "?="
    }
}
