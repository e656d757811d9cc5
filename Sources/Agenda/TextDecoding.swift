#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Reads the bytes of a text file as offices save them: UTF-8 with or without a byte-order
/// mark, UTF-16 with one (Excel's "Unicode text"), or Windows-874 (TIS-620 and a few more
/// characters), which Thai Excel uses for CSV. Windows-874 is decoded by the C library's iconv:
/// glibc ships the table, so there is none to keep here.
public enum TextDecoding {
    public enum Encoding: String, Codable, Sendable, CaseIterable {
        case utf8 = "utf-8"
        case utf16 = "utf-16"
        case windows874 = "windows-874"
    }

    /// The text and how it was read. With no `encoding` given: a byte-order mark decides, then
    /// valid UTF-8 is UTF-8, and anything else is read as Windows-874.
    /// - Throws: `AgendaError` at the line and column of the first byte the encoding has no
    ///   character for.
    public static func decode(_ data: Data, file: String, as encoding: Encoding? = nil) throws(AgendaError) -> (text: String, encoding: Encoding) {
        let bytes = [UInt8](data)
        let utf8BOM: [UInt8] = [0xEF, 0xBB, 0xBF]
        let chosen: Encoding
        if let encoding { chosen = encoding }
        else if bytes.starts(with: utf8BOM) { chosen = .utf8 }
        else if bytes.starts(with: [0xFF, 0xFE]) || bytes.starts(with: [0xFE, 0xFF]) { chosen = .utf16 }
        else if String(validating: bytes, as: UTF8.self) != nil { chosen = .utf8 }
        else { chosen = .windows874 }
        switch chosen {
        case .utf8:
            let body = bytes.starts(with: utf8BOM) ? Array(bytes.dropFirst(3)) : bytes
            guard let text = String(validating: body, as: UTF8.self) else {
                throw failure(at: firstInvalidUTF8(body), in: body, file: file, encoding: "UTF-8", offset: bytes.count - body.count)
            }
            return (text, .utf8)
        case .utf16:
            guard let text = String(data: data, encoding: .utf16) else {
                throw AgendaError(location: file, message: "is not UTF-16 text (a byte-order mark FF FE or FE FF and pairs of bytes)")
            }
            return (text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text, .utf16)
        case .windows874:
            return (try windows874(bytes, file: file), .windows874)
        }
    }

    private static func windows874(_ bytes: [UInt8], file: String) throws(AgendaError) -> String {
        guard let converter = Optional(iconv_open("UTF-8", "WINDOWS-874")), converter != iconv_t(bitPattern: -1) else {
            throw AgendaError(location: file, message: "cannot read Windows-874 here: the C library has no converter for it (glibc's gconv modules)")
        }
        defer { iconv_close(converter) }
        var input = bytes
        // A Thai character is one byte in and three out; a few punctuation marks are three out too.
        var output = [UInt8](repeating: 0, count: bytes.count * 3 + 4)
        let (left, written): (Int, Int) = input.withUnsafeMutableBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { outBuf in
                var inPtr = UnsafeMutableRawPointer(inBuf.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                var outPtr = UnsafeMutableRawPointer(outBuf.baseAddress).map { $0.assumingMemoryBound(to: CChar.self) }
                var inLeft = inBuf.count, outLeft = outBuf.count
                _ = iconv(converter, &inPtr, &inLeft, &outPtr, &outLeft)
                return (inLeft, outBuf.count - outLeft)
            }
        }
        if left > 0 {
            throw failure(at: bytes.count - left, in: bytes, file: file, encoding: "Windows-874")
        }
        return String(decoding: output[..<written], as: UTF8.self)
    }

    /// Where UTF-8 decoding stops: the offset of the first byte of the first bad sequence.
    private static func firstInvalidUTF8(_ bytes: [UInt8]) -> Int {
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            let length = b < 0x80 ? 1 : b >> 5 == 0b110 ? 2 : b >> 4 == 0b1110 ? 3 : b >> 3 == 0b11110 ? 4 : 0
            guard length > 0, i + length <= bytes.count,
                  String(validating: bytes[i..<(i + length)], as: UTF8.self) != nil else { return i }
            i += length
        }
        return i
    }

    /// An error at the line and column (in bytes) of `offset`.
    private static func failure(at offset: Int, in bytes: [UInt8], file: String, encoding: String, offset shift: Int = 0) -> AgendaError {
        let before = bytes[..<min(offset, bytes.count)]
        let line = before.reduce(1) { $0 + ($1 == 0x0A ? 1 : 0) }
        let lineStart = before.lastIndex(of: 0x0A).map { $0 + 1 } ?? 0
        let byte = offset < bytes.count ? String(format: "0x%02X", bytes[offset]) : "the end"
        return AgendaError(location: "\(file):\(line):\(offset - lineStart + 1 + (line == 1 ? shift : 0))",
                           message: "byte \(byte) is not \(encoding); save the file as UTF-8 or Windows-874 (Thai), or name its encoding")
    }
}
