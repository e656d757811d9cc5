import Foundation

extension AuditEntry {
    /// A before or after as the trail keeps it: keys sorted and slashes left alone, so that
    /// entries read (and compare) the same every time, and an item's key can be searched for
    /// in an import's summary (`AuditHistory.quoted`).
    public static func json(_ value: some Encodable) -> String? {
        (try? encoder.encode(value)).map { String(decoding: $0, as: UTF8.self) }
    }

    /// Made once, not per entry (its options are never changed after).
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return encoder
    }()
}
