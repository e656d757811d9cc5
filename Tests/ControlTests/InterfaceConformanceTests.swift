import Control
import ControlTestKit
import DeadlineCore
import Foundation
import Testing
import Varlink

/// The served IDL, the typed methods and the Swift wire types are three spellings of one
/// interface: these tests fail when any two of them disagree.
@Suite("io.deadlined: the IDL, the methods and the wire types agree")
struct InterfaceConformanceTests {
    static let idl: IDLReader = {
        // The text the daemon serves from GetInterfaceDescription.
        guard let reader = try? IDLReader(ControlAPI.interface(StubHandler()).description) else {
            fatalError("io.deadlined's IDL does not read")
        }
        return reader
    }()

    @Test("every method of the IDL is a typed method, and every typed method is in the IDL")
    func sameMethods() {
        #expect(Self.idl.name == ControlAPI.interfaceName)
        #expect(Set(Self.idl.methods.keys) == Set(ControlAPI.methods.map(\.name)))
        #expect(ControlAPI.methods.allSatisfy { $0.interface == ControlAPI.interfaceName })
    }

    @Test("each method's parameters and reply decode exactly the fields and types the IDL declares",
          arguments: ControlAPI.methods.map(\.name))
    func sameShapes(method name: String) throws {
        let method = try #require(ControlAPI.methods.first { $0.name == name })
        let declared = try #require(Self.idl.methods[name])
        let parameters = try declared.parameters.resolved(in: Self.idl.types)
        let reply = try declared.reply.resolved(in: Self.idl.types)
        let differences = parameters.differences(from: try ShapeProbe.shape(of: method.parameterType), at: name + "(parameters)")
            + reply.differences(from: try ShapeProbe.shape(of: method.replyType), at: name + "(reply)")
        #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
    }

    /// One of each error the daemon answers with, as its constructor makes it.
    static let errors: [VarlinkError] = [
        ControlAPI.invalidDate(DateInputError(input: "x", reason: "r", accepted: ["a"])), ControlAPI.invalidLead("1x"),
        ControlAPI.invalidRecurrence("x", reason: "r"), ControlAPI.noSuchItem("k"), ControlAPI.notOpen("k", .held),
        ControlAPI.duplicateKey("k"), ControlAPI.invalidFile(location: "f:1", message: "m"), ControlAPI.noHolidayData(2570),
        ControlAPI.noSuchChannel("c", known: ["a"]), ControlAPI.invalidConfig(location: "f:1", message: "m"),
        ControlAPI.storeFailure("r"), ControlAPI.internalError("r"), ControlAPI.noSuchOrganisation("c"), ControlAPI.duplicateOrganisation("c"),
        ControlAPI.notAssignable("k", reason: "r"), ControlAPI.noSuchObligation("k", code: "c"),
        ControlAPI.ambiguousKey("k", candidates: ["a"]),
    ]

    @Test("every error of the IDL has a constructor, and each carries the parameters the IDL declares")
    func sameErrors() throws {
        let prefix = ControlAPI.interfaceName + "."
        #expect(Set(Self.errors.map { String($0.name.dropFirst(prefix.count)) }) == Set(Self.idl.errors.keys))
        for error in Self.errors {
            let name = String(error.name.dropFirst(prefix.count))
            let declared = try #require(Self.idl.errors[name], "\(error.name) is not in the IDL")
            let sent = WireShape.record(error.parameters.mapValues(Self.shape))
            let differences = try declared.resolved(in: Self.idl.types).differences(from: sent, at: name)
            #expect(differences.isEmpty, "\(differences.joined(separator: "\n"))")
        }
    }

    static func shape(_ value: JSONValue) -> WireShape {
        switch value {
        case .null: .optional(.object)
        case .bool: .bool
        case .int: .int
        case .double: .float
        case .string: .string
        case .array(let a): .array(a.first.map(shape) ?? .string)
        case .object(let o): .record(o.mapValues(shape))
        }
    }

    @Test("the comparison sees a field missing, a field too many, a lost '?' and an enum case of its own")
    func comparisonCanFail() throws {
        struct Wire: Codable {
            enum State: String, Codable, CaseIterable { case open, closed, extra }
            var key: String
            var count: Int
            var state: State
            var note: String?
        }
        let idl = try IDLReader("interface x.y\nmethod M() -> (key: string, count: ?int, state: (open, closed), gone: bool)")
        let differences = try #require(idl.methods["M"]).reply.differences(from: try ShapeProbe.shape(of: Wire.self), at: "M")
        #expect(differences.count == 4, "\(differences)")
        #expect(differences.contains { $0.hasPrefix("M.count:") })
        #expect(differences.contains { $0.hasPrefix("M.state:") })
        #expect(differences.contains("M.gone: in the IDL, not in the Swift type"))
        #expect(differences.contains("M.note: in the Swift type, not in the IDL"))
    }
}
