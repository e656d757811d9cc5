import DeadlineCore
import Foundation

/// The years not announced that working-day reminders count through, and how many items (each
/// once, whatever years it spans) do.
public struct HolidayCaveats: Sendable {
    public var caveats: [HolidayCaveat]
    public var items: Int
}

extension Application {
    /// The years not announced that open items' working-day reminders count through, for
    /// `Status` (and so `check`). Finding them reads every reminder still to be sent, so the
    /// answer is kept until the next change, or a minute: a warning a minute late after a
    /// reminder went out costs nothing, a scan per `Status` at a million reminders would.
    public func holidayCaveats() async -> HolidayCaveats {
        // Deriving throws nothing: a store that cannot be read has no caveats to show (Status says what is wrong).
        (try? await caveats.value(for: generation, maxAge: .seconds(60)) { [self] in
            let spans = (try? await read { try $0.workingDaySpans() }) ?? []
            let list = calendar.current.caveats(spans)
            return HolidayCaveats(caveats: list, items: Set(list.flatMap(\.items)).count)
        }) ?? HolidayCaveats(caveats: [], items: 0)
    }

    /// A year of the working calendar, Buddhist Era or Gregorian (2017 means 2560).
    public func holidayYear(_ year: Int) throws(RequestError) -> HolidayYear {
        let be = year < 2400 ? year + 543 : year
        guard let data = calendar.withLock({ $0.year(be) }) else { throw .noHolidayData(year: be) }
        return data
    }
}
