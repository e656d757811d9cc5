/// ASCII text built from zero-padded numbers and separators, by hand: `String(format:)` goes
/// through CFString, and was the largest cost of writing dates (an export or a reply writes
/// thousands of them).
public struct DigitText {
    private var bytes: [UInt8] = []

    public init(capacity: Int = 32) { bytes.reserveCapacity(capacity) }

    /// `n` in at least `width` digits, zero-padded (a negative one after its `-`, as `%0*d` does).
    public mutating func append(_ number: Int, width: Int) {
        var n = number, width = width
        if n < 0 {
            bytes.append(45)
            n = n == .min ? .max : -n
            width -= 1
        }
        var digits = 1, limit = 10
        while n >= limit && digits < 19 { digits += 1; limit &*= 10 }
        for _ in digits..<max(digits, width) { bytes.append(48) }
        var divisor = 1
        for _ in 1..<digits { divisor *= 10 }
        var rest = n
        while divisor > 0 {
            bytes.append(UInt8(48 + rest / divisor))
            rest %= divisor
            divisor /= 10
        }
    }

    /// An ASCII separator (`-`, `T`, `:`, `Z`).
    public mutating func append(_ ascii: Unicode.Scalar) { bytes.append(UInt8(ascii.value)) }

    public var text: String { String(decoding: bytes, as: UTF8.self) }
}
