import Foundation
import Glibc

/// A text file a person wrote (a config, an agenda, an invitation, a holiday list), read
/// whole or refused with where and why: never decoded lossily, never cut at a NUL.
public enum TextFile {
    /// Largest file read (a year's agenda of a big office is well under a megabyte).
    public static let maxBytes = 64 << 20

    public static func read(_ path: String) throws(TextFileError) -> String {
        var info = stat()
        guard stat(path, &info) == 0 else { throw TextFileError(location: path, message: String(cString: strerror(errno))) }
        if info.st_mode & S_IFMT == S_IFDIR { throw TextFileError(location: path, message: "is a directory, not a file") }
        if info.st_size > maxBytes { throw TextFileError(location: path, message: "is \(info.st_size) bytes; at most \(maxBytes) are read") }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw TextFileError(location: path, message: String(cString: strerror(errno == 0 ? EACCES : errno)))
        }
        return try decode(Array(data), file: path)
    }

    /// UTF-8 `bytes` as text, or the line and column (in characters) of the first byte that
    /// is not UTF-8 or is a NUL. A byte-order mark is dropped.
    public static func decode(_ bytes: [UInt8], file: String) throws(TextFileError) -> String {
        var body = bytes[...]
        if body.starts(with: [0xEF, 0xBB, 0xBF]) { body = body.dropFirst(3) }
        var line = 1, column = 1
        var iterator = body.makeIterator()
        var decoder = UTF8()
        var text = String.UnicodeScalarView()
        loop: while true {
            switch decoder.decode(&iterator) {
            case .scalarValue(let s):
                if s == "\0" { throw TextFileError(location: "\(file):\(line):\(column)", message: "a NUL byte: this is not a text file") }
                text.append(s)
                if s == "\n" { line += 1; column = 1 } else { column += 1 }
            case .emptyInput:
                break loop
            case .error:
                throw TextFileError(location: "\(file):\(line):\(column)", message: "a byte that is not UTF-8: save the file as UTF-8 text")
            }
        }
        return String(text)
    }
}

public struct TextFileError: Error, Equatable, CustomStringConvertible {
    /// `path`, or `path:line:column`.
    public let location: String
    public let message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
