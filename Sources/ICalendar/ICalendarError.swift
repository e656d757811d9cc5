/// Why an iCalendar text cannot be used: where (`invite.ics:12`) and what.
public struct ICalendarError: Error, Equatable, CustomStringConvertible {
    /// `file:line`, or just the file.
    public var location: String
    public var message: String

    public init(location: String, message: String) {
        self.location = location
        self.message = message
    }

    public var description: String { "\(location): \(message)" }
}
