import Control
import ControlTestKit
import DeadlineCore
import Dispatch
import Foundation
import NIOCore
import NIOEmbedded
import Varlink

/// libFuzzer entry: the bytes a client can send, through the frame decoder and the whole
/// request path (envelope, method lookup, parameter decoding, date and lead parsing), as the
/// daemon runs them. Any crash, trap or hang is a bug: bad input must get an error reply.
///
/// Build and run: `swift build -c release --sanitize fuzzer -Xswiftc -DFUZZING --product deadlined-fuzz
/// --scratch-path .build-fuzz` then `.build-fuzz/release/deadlined-fuzz -max_total_time=60 Fuzz/corpus/control`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(VarlinkFrameDecoder(maxMessageBytes: 4096)))
    var buffer = channel.allocator.buffer(capacity: size)
    buffer.writeBytes(UnsafeBufferPointer(start: data, count: size))
    var frames: [Data] = []
    do {
        try channel.writeInbound(buffer)
        while let frame = try channel.readInbound(as: ByteBuffer.self) { frames.append(Data(frame.readableBytesView)) }
    } catch {
        // An oversized frame is refused: the connection would close. That is an answer.
    }
    _ = try? channel.finish()
    for frame in frames.prefix(8) {
        let done = DispatchSemaphore(value: 0)
        Task {
            _ = await FuzzTarget.service.handle(message: frame)
            done.signal()
        }
        done.wait()
    }
    return 0
}

enum FuzzTarget {
    static let service = ControlAPI.service(StubHandler(), version: "fuzz")
}

#if !FUZZING
/// Without libFuzzer (a plain `swift build`), a main that says how to build the real thing.
@main
enum ControlFuzzMain {
    static func main() {
        print("deadlined-fuzz: build with `swift build -c release --sanitize fuzzer -Xswiftc -DFUZZING --product deadlined-fuzz --scratch-path .build-fuzz`")
    }
}
#endif
