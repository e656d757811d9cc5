import Control
import Testing

@Suite("Encoding names as people type them")
struct TextEncodingNameTests {
    @Test("CP874 and TIS-620 are Windows-874; utf8 and UTF-16 in any case; others refused")
    func names() {
        #expect(ControlAPI.TextEncoding(name: "CP874") == .windows874 && ControlAPI.TextEncoding(name: "tis-620") == .windows874)
        #expect(ControlAPI.TextEncoding(name: "utf8") == .utf8 && ControlAPI.TextEncoding(name: "UTF_16") == .utf16)
        #expect(ControlAPI.TextEncoding(name: "latin-1") == nil)
    }
}
