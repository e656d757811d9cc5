import Control
import Crypto
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

    /// Writes an export a page at a time (a million entries never held at once) to a file
    /// beside `path`, renamed into place by `finish`: never half-written.
    final class Writer {
        let path: String
        let window: Window
        private let partial: String
        private let handle: FileHandle
        private let encoder = JSONEncoder()
        private var buffer = Data()
        /// Every checkpoint by the entry it signs; those written are taken out.
        private var checkpoints: [Int: [ControlAPI.AuditRecord]] = [:]
        private var started = false
        private var first: Int?
        private var last: Int?
        private(set) var entries = 0
        private(set) var signed = 0

        init(to path: String, window: Window) throws {
            self.path = path
            self.window = window
            partial = path + ".partial"
            // The trail holds what items said before and after: for its reader alone, as the socket's audit methods are.
            guard FileManager.default.createFile(atPath: partial, contents: nil, attributes: [.posixPermissions: 0o600]), let handle = FileHandle(forWritingAtPath: partial) else {
                throw CLIError(message: "cannot write \(partial): \(String(cString: strerror(errno)))")
            }
            self.handle = handle
            encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        }

        /// The trail's checkpoints (the first page carries them).
        func keep(_ all: [ControlAPI.AuditRecord]) {
            checkpoints = Dictionary(grouping: all, by: \.seq)
        }

        /// Writes the entries within the window, each followed by its checkpoints; false once
        /// past the window's end (no later page is needed).
        func write(_ page: [ControlAPI.AuditRecord]) throws -> Bool {
            for e in page {
                if !started {
                    guard e.atMs >= window.fromMs ?? Int.min else { continue }
                    started = true
                }
                if let until = window.untilMs, e.atMs >= until { return false }
                try line(e)
                entries += 1
                first = first ?? e.seq
                last = e.seq
                for c in checkpoints.removeValue(forKey: e.seq) ?? [] { try line(c); signed += 1 }
            }
            try flush()
            return true
        }

        /// Checkpoints of entries the trail does not hold where they belong (cut off its end,
        /// or moved) go last, so that a verifier shows the break; those outside the window stay
        /// out. Then the file takes its name.
        func finish() throws {
            for (seq, list) in checkpoints.sorted(by: { $0.key < $1.key }) where inWindow(seq) {
                for c in list { try line(c); signed += 1 }
            }
            try flush()
            do {
                try handle.synchronize()
                try handle.close()
            } catch {
                throw CLIError(message: "cannot write \(partial): \(error.localizedDescription)")
            }
            // Replaces an older export in one step.
            guard rename(partial, path) == 0 else { throw CLIError(message: "cannot write \(path): \(String(cString: strerror(errno)))") }
        }

        /// Leaves nothing behind after a failure.
        func discard() {
            try? handle.close()
            unlink(partial)
        }

        private func inWindow(_ seq: Int) -> Bool {
            guard let first, let last else { return window.isWhole }
            return (window.fromMs == nil || seq >= first) && (window.untilMs == nil || seq <= last)
        }

        private func line(_ r: ControlAPI.AuditRecord) throws {
            buffer += try encoder.encode(r)
            buffer.append(0x0A)
        }

        private func flush() throws {
            guard !buffer.isEmpty else { return }
            do { try handle.write(contentsOf: buffer) } catch { throw CLIError(message: "cannot write \(partial): \(error.localizedDescription)") }
            buffer.removeAll(keepingCapacity: true)
        }
    }

    /// Checks a file with no daemon: its chain, and the checkpoints signed by `keys`.
    static func verify(_ path: String, keys: [Curve25519.Signing.PublicKey], partial: Bool) throws -> ControlAPI.AuditVerifyReply {
        var checkpoints: [AuditCheckpoint] = []
        try eachRecord(path) { r, _ in if r.kind == .checkpoint { checkpoints.append(try r.checkpoint()) } }
        var verifier = AuditChain.Verifier(checkpoints: checkpoints, keys: keys, fromGenesis: !partial)
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
