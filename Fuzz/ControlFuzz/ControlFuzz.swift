import Control
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
    static let service = ControlAPI.service(ParsingHandler(), version: "fuzz")
}

/// Answers like the daemon as far as input goes: it parses every date and lead it is given,
/// and touches no store.
struct ParsingHandler: ControlHandler {
    let zone = TimeZone(identifier: "Asia/Bangkok")!

    func date(_ text: String) throws -> When {
        do { return try DateInput.parse(text, timeZone: zone) } catch { throw ControlAPI.invalidDate(error) }
    }

    func status() async throws -> ControlAPI.StatusReply {
        ControlAPI.StatusReply(version: "fuzz", uptimeSeconds: 0, store: "", language: "th", timeZone: "Asia/Bangkok", items: 0,
                               pending: 0, firing: 0, delivered: 0, cancelled: 0, nextReminder: nil, watchdogUsec: 0)
    }
    func addItem(_ p: ControlAPI.AddItemParameters) async throws -> ControlAPI.ItemReply {
        _ = try date(p.at)
        if let end = p.end { _ = try date(end) }
        for lead in p.leads ?? [] where Lead(lead) == nil { throw ControlAPI.invalidLead(lead) }
        throw ControlAPI.noSuchItem(p.key ?? "")
    }
    func listItems(_ p: ControlAPI.ListParameters) async throws -> ControlAPI.ListItemsReply {
        if let from = p.from { _ = try date(from) }
        if let to = p.to { _ = try date(to) }
        return ControlAPI.ListItemsReply(items: [])
    }
    func acknowledge(_ p: ControlAPI.AcknowledgeParameters) async throws -> ControlAPI.ItemReply { throw ControlAPI.noSuchItem(p.key) }
    func importAgenda(_ p: ControlAPI.FileParameters) async throws -> ControlAPI.ImportReply {
        ControlAPI.ImportReply(added: [], updated: [], unchanged: [], plans: 0)
    }
    func simulate(_ p: ControlAPI.SimulateParameters) async throws -> ControlAPI.SimulateReply {
        _ = try date(p.from)
        _ = try date(p.to)
        return ControlAPI.SimulateReply(reminders: [])
    }
    func listHolidays(_ p: ControlAPI.YearParameters) async throws -> ControlAPI.HolidaysReply { throw ControlAPI.noHolidayData(p.year) }
    func testChannel(_ p: ControlAPI.TestChannelParameters) async throws -> ControlAPI.TestChannelReply {
        throw ControlAPI.noSuchChannel(p.channel, known: [])
    }
    func importHolidays(_ p: ControlAPI.FileParameters) async throws -> ControlAPI.ImportHolidaysReply {
        ControlAPI.ImportHolidaysReply(year: 0, holidays: 0)
    }
    func audit(_ p: ControlAPI.AuditParameters) async throws -> ControlAPI.AuditReply { ControlAPI.AuditReply(entries: []) }
    func watch() async throws -> AsyncStream<ControlAPI.WatchReply> { AsyncStream { $0.finish() } }
    func get(_ p: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply { throw ControlAPI.noSuchItem(p.key) }
    func reload() async throws -> ControlAPI.ReloadReply { throw ControlAPI.invalidConfig(location: "x", message: "y") }
    func update(_ p: ControlAPI.UpdateParameters) async throws -> ControlAPI.ItemReply {
        if let at = p.at { _ = try DateInput.parse(at, timeZone: TimeZone(identifier: "UTC")!) }
        throw ControlAPI.noSuchItem(p.key)
    }
    func remove(_ p: ControlAPI.KeyParameters) async throws -> ControlAPI.ItemReply { throw ControlAPI.noSuchItem(p.key) }
    func backup(_ p: ControlAPI.BackupParameters) async throws -> ControlAPI.BackupReply { throw VarlinkError.invalidParameter("path") }
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
