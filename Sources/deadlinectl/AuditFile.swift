import Control
import DeadlineCore
import DeadlineStore
import Foundation
import Glibc

/// An audit export: one JSON object per line (`ControlAPI.AuditRecord`), entries in the order
/// written, each checkpoint after the entry it signs.
enum AuditFile {
    /// The days an export keeps, in this machine's time zone: a contiguous run of the chain,
    /// from the first entry on or after `from` to the last before the day after `to`.
    struct Window {
        var fromMs: Int?
        var untilMs: Int?

        init(from: String?, to: String?) throws {
            func day(_ text: String?, _ option: String, next: Bool) throws -> Int? {
                guard let text else { return nil }
                guard let d = LocalDate(iso: text) else { throw CLIError(message: "\(option) '\(text)': expected a day, YYYY-MM-DD") }
                return Int(Millis.from((next ? d.adding(days: 1) : d).at(hour: 0, minute: 0, in: .current)))
            }
            fromMs = try day(from, "--from", next: false)
            untilMs = try day(to, "--to", next: true)
        }

        var isWhole: Bool { fromMs == nil && untilMs == nil }
    }

    /// Writes what the pages hold within the window, atomically; what it wrote.
    static func write(_ pages: [ControlAPI.AuditExportReply], window: Window, to path: String) throws -> (entries: Int, checkpoints: Int) {
        let entries = pages.flatMap(\.entries)
        let first = window.fromMs.flatMap { from in entries.firstIndex { $0.atMs >= from } } ?? (window.fromMs == nil ? 0 : entries.count)
        let end = window.untilMs.flatMap { until in entries[first...].firstIndex { $0.atMs >= until } } ?? entries.count
        let kept = entries[first..<end]
        let all = pages.first?.checkpoints ?? []
        let bySeq = Dictionary(grouping: all, by: \.seq)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        var out = Data()
        var written = Set<Int>()
        func line(_ r: ControlAPI.AuditRecord) throws {
            out += try encoder.encode(r)
            out.append(0x0A)
        }
        for e in kept {
            try line(e)
            if let signed = bySeq[e.seq], written.insert(e.seq).inserted { for c in signed { try line(c) } }
        }
        // Checkpoints of entries the trail does not hold where they belong (cut off its end,
        // or moved) go last, so that a verifier shows the break; those outside the window stay out.
        func inWindow(_ seq: Int) -> Bool {
            guard let first = kept.first?.seq, let last = kept.last?.seq else { return window.isWhole }
            return (window.fromMs == nil || seq >= first) && (window.untilMs == nil || seq <= last)
        }
        for c in all where !written.contains(c.seq) && inWindow(c.seq) { try line(c) }
        let checkpoints = all.filter { inWindow($0.seq) }.count
        do { try out.write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
            throw CLIError(message: "cannot write \(path): \(error.localizedDescription)")
        }
        return (kept.count, checkpoints)
    }

    /// Checks a file with no daemon: its chain, and the checkpoints signed by `key`.
    static func verify(_ path: String, key: String, partial: Bool) throws -> ControlAPI.AuditVerifyReply {
        let publicKey = try AuditSigningKey.publicKey(key)
        var checkpoints: [AuditCheckpoint] = []
        try eachRecord(path) { r, _ in if r.kind == .checkpoint { checkpoints.append(try r.checkpoint()) } }
        var verifier = AuditChain.Verifier(checkpoints: checkpoints, key: publicKey, fromGenesis: !partial)
        var going = true
        try eachRecord(path) { r, _ in
            if going, r.kind == .entry { going = verifier.add(try r.link()) }
        }
        return ControlAPI.AuditVerifyReply(verifier.finish())
    }

    /// Each line's record; an error names the line.
    private static func eachRecord(_ path: String, _ body: (ControlAPI.AuditRecord, Int) throws -> Void) throws {
        guard let file = fopen(path, "r") else { throw CLIError(message: "cannot read \(path): \(String(cString: strerror(errno)))") }
        defer { fclose(file) }
        let decoder = JSONDecoder()
        var buffer: UnsafeMutablePointer<CChar>?
        var capacity = 0
        defer { free(buffer) }
        var number = 0
        while true {
            let n = getline(&buffer, &capacity, file)
            guard n >= 0, let buffer else { break }
            number += 1
            let bytes = Data(bytes: buffer, count: n)
            if bytes.allSatisfy({ $0 == 0x0A || $0 == 0x0D || $0 == 0x20 }) { continue }
            do {
                try body(try decoder.decode(ControlAPI.AuditRecord.self, from: bytes), number)
            } catch let error as DecodingError {
                throw CLIError(message: "\(path):\(number): not an audit record: \(Self.explain(error))")
            } catch {
                throw CLIError(message: "\(path):\(number): \(error)")
            }
        }
        if ferror(file) != 0 { throw CLIError(message: "cannot read \(path): \(String(cString: strerror(errno)))") }
    }

    private static func explain(_ error: DecodingError) -> String {
        switch error {
        case .keyNotFound(let key, _): "no \(key.stringValue)"
        case .typeMismatch(_, let c), .valueNotFound(_, let c), .dataCorrupted(let c):
            (c.codingPath.map(\.stringValue).joined(separator: ".") + " " + c.debugDescription).trimmingCharacters(in: .whitespaces)
        @unknown default: "\(error)"
        }
    }
}
