import DeadlineCore
import Foundation
import ICalendar

/// libFuzzer entry: any bytes as an `.ics` file. Reading must end in items or an
/// `ICalendarError`, never a crash or a hang; and what is read must survive a round trip:
/// exported and read again, every event gives the same item. Each series is expanded a
/// bounded number of instances, so a rule that cannot end is caught by libFuzzer's timeout.
///
/// Build and run: `swift build -c release --sanitize fuzzer -Xswiftc -DFUZZING --product deadlined-fuzz-ics
/// --scratch-path .build-fuzz` then `.build-fuzz/release/deadlined-fuzz-ics -max_total_time=60 Fuzz/corpus/ics`.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzICalendar(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
    guard let read = try? CalendarImport.read(text, file: "fuzz.ics", defaultZone: "Asia/Bangkok", organisation: "") else { return 0 }
    var entries: [CalendarExport.Entry] = []
    for (n, event) in read.events.enumerated() {
        let zone = TimeZone(identifier: event.item.timeZone)!
        if let r = event.item.recurrence {
            for _ in r.instances(from: event.item.seriesStart, zone: zone).prefix(200) {}
        }
        entries.append(.init(item: Item(id: Int64(n), fields: event.item, uid: event.uid, sequence: event.sequence, recurrenceID: event.recurrenceID), alarms: []))
    }
    let exported = CalendarExport.calendar(entries, now: Date(timeIntervalSince1970: 1_800_000_000))
    do {
        let again = try CalendarImport.read(exported, file: "again.ics", defaultZone: "Asia/Bangkok", organisation: "")
        guard again.events.map(\.uid) == read.events.map(\.uid) else { fatalError("round trip changed the UIDs:\n\(exported)") }
        guard again.events.map(\.recurrenceID) == read.events.map(\.recurrenceID) else { fatalError("round trip changed the RECURRENCE-IDs:\n\(exported)") }
        for (a, b) in zip(read.events, again.events) where a.item != b.item {
            var changed: [String] = []
            for (x, y) in zip(Mirror(reflecting: a.item).children, Mirror(reflecting: b.item).children) {
                let (before, after) = (String(reflecting: x.value), String(reflecting: y.value))
                if before != after { changed.append("\(x.label ?? "?"): \(before) → \(after)") }
            }
            fatalError("round trip changed \(a.uid): \(changed.joined(separator: "; "))")
        }
    } catch {
        fatalError("our own export does not read back: \(error)\n\(exported)")
    }
    return 0
}

#if !FUZZING
/// Without libFuzzer (a plain `swift build`), a main that says how to build the real thing.
@main
enum ICalendarFuzzMain {
    static func main() {
        print("deadlined-fuzz-ics: build with `swift build -c release --sanitize fuzzer -Xswiftc -DFUZZING --product deadlined-fuzz-ics --scratch-path .build-fuzz`")
    }
}
#endif
