/// How many terminal columns a text takes, as wcwidth(3) counts them: combining marks (Thai vowel
/// and tone marks above and below: ั ิ ี ึ ื ุ ู ็ ่ ้ ๊ ๋ ์), format and control characters take
/// none, East Asian wide characters two, the rest one. Grapheme clusters are not columns: `กำ`
/// is one cluster in two columns and `ที่` one cluster in one.
enum TerminalWidth {
    static func of(_ text: String) -> Int { text.unicodeScalars.reduce(0) { $0 + of($1) } }

    static func of(_ scalar: Unicode.Scalar) -> Int {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .enclosingMark, .format, .control: return 0
        default: break
        }
        if scalar.value >= 0x1160 && scalar.value <= 0x11FF { return 0 }   // Hangul medial vowels and final consonants
        return isWide(scalar.value) ? 2 : 1
    }

    /// The wide ranges of Unicode's East Asian Width property (W and F), folded to blocks.
    private static func isWide(_ v: UInt32) -> Bool {
        switch v {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6,
             0x1F300...0x1F64F, 0x1F900...0x1F9FF, 0x20000...0x3FFFD: true
        default: false
        }
    }

    /// `text` padded with spaces to `width` columns (never cut).
    static func padded(_ text: String, to width: Int, alignRight: Bool = false) -> String {
        let pad = String(repeating: " ", count: max(0, width - of(text)))
        return alignRight ? pad + text : text + pad
    }
}
