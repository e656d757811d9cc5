import DeadlineCore
import Foundation
import Synchronization

/// The caveats `Status` last found, with the commit generation and instant they were found at.
final class CaveatCache: Sendable {
    let value = Mutex<(generation: UInt64, at: Date, caveats: [HolidayCaveat])?>(nil)
}

extension Application {
    /// The years not announced that open items' working-day reminders count through, for
    /// `Status` (and so `check`). Finding them reads every reminder still to be sent, so the
    /// answer is kept until the next change, or a minute: a warning a minute late after a
    /// reminder went out costs nothing, a scan per `Status` at a million reminders would.
    public func holidayCaveats() async -> [HolidayCaveat] {
        let (now, generation) = (clock.now(), self.generation)
        if let cached = caveats.value.withLock({ $0 }), cached.generation == generation, abs(now.timeIntervalSince(cached.at)) < 60 {
            return cached.caveats
        }
        let spans = (try? await read { try $0.workingDaySpans() }) ?? []
        let found = calendar.current.caveats(spans)
        caveats.value.withLock { $0 = (generation, now, found) }
        return found
    }

    /// A year of the working calendar, Buddhist Era or Gregorian (2017 means 2560).
    public func holidayYear(_ year: Int) throws(RequestError) -> HolidayYear {
        let be = year < 2400 ? year + 543 : year
        guard let data = calendar.withLock({ $0.year(be) }) else { throw .noHolidayData(year: be) }
        return data
    }
}
