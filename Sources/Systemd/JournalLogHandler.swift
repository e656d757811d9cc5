import CSystemd
import Glibc
import Logging

/// A swift-log handler that writes structured entries to the systemd journal through the
/// native protocol (`sd_journal_sendv`), or plain lines to stderr when stderr is not the journal.
///
/// Fields: MESSAGE, PRIORITY (syslog level), SYSLOG_IDENTIFIER, CODE_FILE, CODE_LINE,
/// CODE_FUNC, and each metadata key as an upper-case field name (`itemID` → `ITEM_ID`).
public struct JournalLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    let identifier: String
    let sink: Sink

    /// Where entries go.
    public enum Sink: Sendable {
        case journal
        case stderr
    }

    public init(identifier: String, level: Logger.Level = .info, sink: Sink = JournalLogHandler.detectSink()) {
        self.identifier = identifier
        self.logLevel = level
        self.sink = sink
    }

    /// The journal when `$JOURNAL_STREAM` names the device and inode of our stderr (as
    /// systemd.exec(5) says to check), stderr otherwise.
    public static func detectSink() -> Sink {
        guard let value = getenv("JOURNAL_STREAM").map({ String(cString: $0) }) else { return .stderr }
        let parts = value.split(separator: ":")
        guard parts.count == 2, let dev = UInt64(parts[0]), let ino = UInt64(parts[1]) else { return .stderr }
        var st = stat()
        guard fstat(2, &st) == 0 else { return .stderr }
        return UInt64(st.st_dev) == dev && UInt64(st.st_ino) == ino ? .journal : .stderr
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let extra = event.metadata { merged.merge(extra) { $1 } }
        switch sink {
        case .journal:
            var fields: [String] = [
                "MESSAGE=\(event.message)",
                "PRIORITY=\(Self.syslogPriority(event.level))",
                "SYSLOG_IDENTIFIER=\(identifier)",
                "CODE_FILE=\(event.file)",
                "CODE_LINE=\(event.line)",
                "CODE_FUNC=\(event.function)",
            ]
            for (key, value) in merged {
                fields.append("\(Self.fieldName(key))=\(value)")
            }
            Self.send(fields)
        case .stderr:
            let meta = merged.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            let line = "\(event.level) \(identifier): \(event.message)" + (meta.isEmpty ? "" : " [\(meta)]") + "\n"
            // One write(2) per entry: lines from several threads never interleave mid-line.
            var bytes = Array(line.utf8)
            _ = bytes.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
        }
    }

    /// Journal field names are upper-case letters, digits and underscores and may not start
    /// with an underscore or a digit (those are the journal's own trusted fields).
    static func fieldName(_ key: String) -> String {
        var out = ""
        var previousLower = false
        for ch in key.unicodeScalars {
            if ch.properties.isUppercase && previousLower { out.append("_") }
            previousLower = ch.properties.isLowercase || ("0"..."9").contains(ch)
            if ("a"..."z").contains(ch) || ("A"..."Z").contains(ch) || ("0"..."9").contains(ch) {
                out.append(String(ch).uppercased())
            } else {
                out.append("_")
            }
        }
        while out.first == "_" { out.removeFirst() }
        if out.isEmpty || out.first!.isNumber { out = "F_" + out }
        return out
    }

    static func syslogPriority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: 7
        case .info: 6
        case .notice: 5
        case .warning: 4
        case .error: 3
        case .critical: 2
        }
    }

    /// One entry through the native protocol; the values may hold newlines and any UTF-8.
    static func send(_ fields: [String]) {
        let bytes = fields.map { Array($0.utf8) }
        let total = bytes.reduce(0) { $0 + $1.count }
        // One owned buffer holds every field, so each iovec points into memory we control.
        let storage = UnsafeMutableRawBufferPointer.allocate(byteCount: max(total, 1), alignment: 1)
        defer { storage.deallocate() }
        var iovecs: [iovec] = []
        iovecs.reserveCapacity(bytes.count)
        var offset = 0
        for field in bytes {
            let slice = UnsafeMutableRawBufferPointer(rebasing: storage[offset..<offset + field.count])
            slice.copyBytes(from: field)
            iovecs.append(iovec(iov_base: slice.baseAddress, iov_len: field.count))
            offset += field.count
        }
        _ = sd_journal_sendv(iovecs, Int32(iovecs.count))
    }
}
