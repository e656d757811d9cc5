/// Finds the wire shape of a `Decodable` type by decoding a made-up value and recording what
/// its `init(from:)` asks for: each key, its type, and whether it may be absent
/// (`decodeIfPresent`). Enums are read as their cases (`CaseIterable` with raw values).
enum ShapeProbe {
    static func shape<T: Decodable>(of type: T.Type) throws -> WireShape {
        try probe(type).shape
    }

    /// The shape of `T` and a value of it to hand back to the caller that decodes it.
    static func probe<T: Decodable>(_ type: T.Type) throws -> (shape: WireShape, value: T) {
        switch type {
        case is Bool.Type: return (.bool, false as! T)
        case is String.Type: return (.string, "" as! T)
        case is Int.Type: return (.int, 0 as! T)
        case is Int64.Type: return (.int, Int64(0) as! T)
        case is Int32.Type: return (.int, Int32(0) as! T)
        case is UInt64.Type: return (.int, UInt64(0) as! T)
        case is Double.Type: return (.float, 0.0 as! T)
        default: break
        }
        if let cases = T.self as? any (CaseIterable & RawRepresentable).Type {
            let (names, first) = enumeration(cases)
            return (.enumeration(names), first as! T)
        }
        let decoder = Recorder()
        do {
            let value = try T(from: decoder)
            return (decoder.shape ?? .record([:]), value)
        } catch is DecodingError {
            throw Unsupported(what: "\(T.self), which took no made-up value (an enum that is not CaseIterable?)")
        }
    }

    private static func enumeration<E: CaseIterable & RawRepresentable>(_ type: E.Type) -> (Set<String>, Any) {
        (Set(type.allCases.map { "\($0.rawValue)" }), type.allCases.first as Any)
    }

    struct Unsupported: Error, CustomStringConvertible {
        let what: String
        var description: String { "the shape probe cannot follow \(what)" }
    }

    final class Recorder: Decoder {
        var codingPath: [any CodingKey] = []
        var userInfo: [CodingUserInfoKey: Any] = [:]
        /// Set by whichever container the type asked for.
        var shape: WireShape?
        var fields: [String: WireShape] = [:] { didSet { shape = .record(fields) } }

        func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
            shape = .record(fields)
            return KeyedDecodingContainer(Keyed<Key>(recorder: self))
        }

        func unkeyedContainer() throws -> any UnkeyedDecodingContainer { Unkeyed(recorder: self) }
        func singleValueContainer() throws -> any SingleValueDecodingContainer { Single(recorder: self) }
    }

    struct Keyed<Key: CodingKey>: KeyedDecodingContainerProtocol {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }
        var allKeys: [Key] { [] }
        func contains(_ key: Key) -> Bool { true }
        func decodeNil(forKey key: Key) throws -> Bool { false }

        func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
            let (shape, value) = try probe(type)
            recorder.fields[key.stringValue] = shape
            return value
        }

        func decodeIfPresent<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T? {
            let (shape, value) = try probe(type)
            recorder.fields[key.stringValue] = .optional(shape)
            return value
        }

        // The primitive forms go through the generic ones, so that `?` is recorded for each.
        func decode(_ type: Bool.Type, forKey key: Key) throws -> Bool { try decode(type as Bool.Type, key) }
        func decode(_ type: String.Type, forKey key: Key) throws -> String { try decode(type as String.Type, key) }
        func decode(_ type: Int.Type, forKey key: Key) throws -> Int { try decode(type as Int.Type, key) }
        func decode(_ type: Int64.Type, forKey key: Key) throws -> Int64 { try decode(type as Int64.Type, key) }
        func decode(_ type: Double.Type, forKey key: Key) throws -> Double { try decode(type as Double.Type, key) }
        func decodeIfPresent(_ type: Bool.Type, forKey key: Key) throws -> Bool? { try optional(type, key) }
        func decodeIfPresent(_ type: String.Type, forKey key: Key) throws -> String? { try optional(type, key) }
        func decodeIfPresent(_ type: Int.Type, forKey key: Key) throws -> Int? { try optional(type, key) }
        func decodeIfPresent(_ type: Int64.Type, forKey key: Key) throws -> Int64? { try optional(type, key) }
        func decodeIfPresent(_ type: Double.Type, forKey key: Key) throws -> Double? { try optional(type, key) }

        private func decode<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T {
            let (shape, value) = try probe(type)
            recorder.fields[key.stringValue] = shape
            return value
        }

        private func optional<T: Decodable>(_ type: T.Type, _ key: Key) throws -> T? {
            let (shape, value) = try probe(type)
            recorder.fields[key.stringValue] = .optional(shape)
            return value
        }

        func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws -> KeyedDecodingContainer<NestedKey> {
            throw Unsupported(what: "a nested container at \(key.stringValue)")
        }
        func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
            throw Unsupported(what: "a nested container at \(key.stringValue)")
        }
        func superDecoder() throws -> any Decoder { throw Unsupported(what: "a super decoder") }
        func superDecoder(forKey key: Key) throws -> any Decoder { throw Unsupported(what: "a super decoder") }
    }

    /// An array of one element, whose shape is the array's.
    struct Unkeyed: UnkeyedDecodingContainer {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }
        var count: Int? { 1 }
        var currentIndex = 0
        var isAtEnd: Bool { currentIndex > 0 }

        init(recorder: Recorder) {
            self.recorder = recorder
            recorder.shape = .array(.record([:]))
        }

        mutating func decodeNil() throws -> Bool { false }
        mutating func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (shape, value) = try probe(type)
            recorder.shape = .array(shape)
            currentIndex += 1
            return value
        }
        mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws -> KeyedDecodingContainer<NestedKey> {
            throw Unsupported(what: "a nested container in an array")
        }
        mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer {
            throw Unsupported(what: "a nested array")
        }
        mutating func superDecoder() throws -> any Decoder { throw Unsupported(what: "a super decoder") }
    }

    struct Single: SingleValueDecodingContainer {
        let recorder: Recorder
        var codingPath: [any CodingKey] { [] }
        func decodeNil() -> Bool { false }
        func decode<T: Decodable>(_ type: T.Type) throws -> T {
            let (shape, value) = try probe(type)
            recorder.shape = shape
            return value
        }
        func decode(_ type: Bool.Type) throws -> Bool { try decode(type as Bool.Type, ()) }
        func decode(_ type: String.Type) throws -> String { try decode(type as String.Type, ()) }
        func decode(_ type: Int.Type) throws -> Int { try decode(type as Int.Type, ()) }
        func decode(_ type: Int64.Type) throws -> Int64 { try decode(type as Int64.Type, ()) }
        func decode(_ type: Double.Type) throws -> Double { try decode(type as Double.Type, ()) }
        private func decode<T: Decodable>(_ type: T.Type, _: Void) throws -> T {
            let (shape, value) = try probe(type)
            recorder.shape = shape
            return value
        }
    }
}
