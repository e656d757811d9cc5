import Control
import NIOCore
import Testing
import Varlink

@Suite("Varlink framing")
struct FrameDecoderTests {
    func frames(_ chunks: [String], max: Int = 64) throws -> [String] {
        var decoder = VarlinkFrameDecoder(maxMessageBytes: max)
        var buffer = ByteBuffer()
        var out: [String] = []
        for chunk in chunks {
            buffer.writeBytes(Array(chunk.utf8))
            while let frame = try decoder.nextFrame(&buffer) {
                out.append(String(buffer: frame))
            }
        }
        return out
    }

    @Test func splitsOnNUL() throws {
        #expect(try frames(["{\"a\":1}\0{\"b\":2}\0"]) == [#"{"a":1}"#, #"{"b":2}"#])
    }

    @Test func joinsAMessageArrivingInPieces() throws {
        #expect(try frames(["{\"a\"", ":", "1}\0{"]) == [#"{"a":1}"#])
    }

    @Test func keepsUTF8Intact() throws {
        #expect(try frames(["{\"t\":\"ประชุม\"}\0"], max: 100) == [#"{"t":"ประชุม"}"#])
    }

    @Test func refusesAMessageOverTheCapWithoutItsNUL() {
        #expect(throws: VarlinkFrameError.messageTooLarge(limit: 8)) {
            try frames(["0123456789"], max: 8)
        }
    }

    @Test func refusesAMessageOverTheCapEvenWhenComplete() {
        #expect(throws: VarlinkFrameError.messageTooLarge(limit: 8)) {
            try frames(["0123456789\0"], max: 8)
        }
    }

    @Test func acceptsAMessageExactlyAtTheCap() throws {
        #expect(try frames(["01234567\0"], max: 8) == ["01234567"])
    }
}
