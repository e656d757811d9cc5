/// A value written as one string, the same in JSON, YAML and on the command line: a date
/// `2017-05-24`, a time `09:00`, a lead `1wd@09:00`. `description` writes it, `init?(text:)`
/// reads it back; Codable comes from those two.
public protocol TextCodable: Codable, CustomStringConvertible {
    init?(text: String)
    /// What the text should have been, for the decoding error.
    static var kindOfText: String { get }
}

extension TextCodable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let value = Self(text: text) else {
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                   debugDescription: "'\(text)' is not \(Self.kindOfText)"))
        }
        self = value
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(description)
    }
}
