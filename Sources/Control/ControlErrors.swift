import DeadlineCore
import Foundation
import Varlink

/// The errors of `io.deadlined`, each with the parameters its IDL declares
/// (`InterfaceConformanceTests` checks them against it).
extension ControlAPI {
    static func error(_ name: String, _ parameters: [String: JSONValue]) -> VarlinkError {
        VarlinkError(interfaceName + "." + name, parameters)
    }
    public static func invalidDate(_ e: DateInputError) -> VarlinkError {
        error("InvalidDate", ["input": .string(e.input), "reason": .string(e.reason), "accepted": .array(e.accepted.map { .string($0) })])
    }
    public static func invalidLead(_ lead: String) -> VarlinkError {
        error("InvalidLead", ["lead": .string(lead), "accepted": .string(Lead.forms)])
    }
    public static func invalidRecurrence(_ input: String, reason: String) -> VarlinkError {
        error("InvalidRecurrence", ["input": .string(input), "reason": .string(reason)])
    }
    public static func noSuchItem(_ key: String) -> VarlinkError { error("NoSuchItem", ["key": .string(key)]) }
    public static func notOpen(_ key: String, _ state: ItemState) -> VarlinkError {
        error("NotOpen", ["key": .string(key), "state": .string(state.rawValue)])
    }
    public static func duplicateKey(_ key: String) -> VarlinkError { error("DuplicateKey", ["key": .string(key)]) }
    public static func invalidFile(location: String, message: String) -> VarlinkError {
        error("InvalidFile", ["location": .string(location), "message": .string(message)])
    }
    public static func noSuchOrganisation(_ code: String) -> VarlinkError { error("NoSuchOrganisation", ["code": .string(code)]) }
    public static func duplicateOrganisation(_ code: String) -> VarlinkError { error("DuplicateOrganisation", ["code": .string(code)]) }
    public static func notAssignable(_ key: String, reason: String) -> VarlinkError {
        error("NotAssignable", ["key": .string(key), "reason": .string(reason)])
    }
    public static func ambiguousKey(_ key: String, candidates: [String]) -> VarlinkError {
        error("AmbiguousKey", ["key": .string(key), "candidates": .array(candidates.map { .string($0) })])
    }
    public static func noSuchObligation(_ key: String, code: String) -> VarlinkError {
        error("NoSuchObligation", ["key": .string(key), "code": .string(code)])
    }
    public static func noHolidayData(_ year: Int) -> VarlinkError { error("NoHolidayData", ["year": .int(Int64(year))]) }
    public static func noSuchChannel(_ name: String, known: [String]) -> VarlinkError {
        error("NoSuchChannel", ["channel": .string(name), "known": .array(known.map { .string($0) })])
    }
    public static func invalidConfig(location: String, message: String) -> VarlinkError {
        error("InvalidConfig", ["location": .string(location), "message": .string(message)])
    }
    public static func storeFailure(_ reason: String) -> VarlinkError { error("StoreFailure", ["reason": .string(reason)]) }
    public static func internalError(_ reason: String) -> VarlinkError { error("InternalError", ["reason": .string(reason)]) }
}
