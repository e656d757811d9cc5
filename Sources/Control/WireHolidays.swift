import DeadlineCore
import Foundation
import Varlink

// Holiday years on the wire.
extension ControlAPI {
    public struct YearParameters: Codable, Sendable, Equatable {
        public var year: Int
        public init(year: Int) { self.year = year }
    }

    public struct HolidaysReply: Codable, Sendable, Equatable {
        public struct Day: Codable, Sendable, Equatable {
            public var date: String
            public var name: String
            public var english: String?
            public var source: String?
        }
        public struct NotHoliday: Codable, Sendable, Equatable {
            public var date: String
            public var name: String
            public var english: String?
            public var why: String
        }
        public var year: Int
        public var status: HolidayStatus
        public var source: String
        public var holidays: [Day]
        public var notHolidays: [NotHoliday]?

        public init(_ y: HolidayYear) {
            year = y.year
            status = y.status
            source = y.source
            holidays = y.holidays.map { Day(date: $0.date.description, name: $0.name, english: $0.english, source: $0.source) }
            notHolidays = y.notHolidays.isEmpty ? nil
                : y.notHolidays.map { NotHoliday(date: $0.date.description, name: $0.name, english: $0.english, why: $0.why) }
        }
    }

    /// A loaded holiday year, as `Status` lists it.
    public struct HolidayYearInfo: Codable, Sendable, Equatable {
        public var year: Int
        public var status: HolidayStatus
        public var holidays: Int
        public init(_ y: HolidayYear) {
            year = y.year
            status = y.status
            holidays = y.holidays.count
        }
    }

    /// A year not announced that open items' working-day reminders count through.
    public struct HolidayCaveatInfo: Codable, Sendable, Equatable {
        public var year: Int
        public var status: HolidayStatus?
        /// The first `shownItems` keys: a Status at 10,000 items must not carry every key.
        public var items: [String]
        public var itemCount: Int
        public var message: String
        public static let shownItems = 10
        public init(_ c: HolidayCaveat) {
            year = c.year
            status = c.status
            items = Array(c.items.prefix(Self.shownItems))
            itemCount = c.items.count
            message = c.sentence
        }
    }

    public struct ImportHolidaysReply: Codable, Sendable, Equatable {
        public var year: Int
        public var holidays: Int
        public init(year: Int, holidays: Int) {
            self.year = year
            self.holidays = holidays
        }
    }
}
