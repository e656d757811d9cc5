@testable import Control
import DeadlineCore
import Foundation
import ControlTestKit
import Synchronization
import Testing
import Varlink

func json(_ data: Data) throws -> [String: Any] {
    try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
}

@Suite("Varlink service")
struct VarlinkServiceTests {
    let service = ControlAPI.service(StubHandler(), version: "9.9")

    func call(_ text: String) async throws -> [String: Any] {
        guard case .reply(let data) = await service.handle(message: Data(text.utf8)) else {
            Issue.record("expected a reply to \(text)")
            return [:]
        }
        return try json(data)
    }

    @Test func getInfoNamesBothInterfaces() async throws {
        let reply = try await call(#"{"method":"org.varlink.service.GetInfo"}"#)
        let p = try #require(reply["parameters"] as? [String: Any])
        #expect(p["interfaces"] as? [String] == ["io.deadlined", "org.varlink.service"])
        #expect(p["version"] as? String == "9.9")
        #expect(reply["error"] == nil)
    }

    @Test func servesTheInterfaceDescription() async throws {
        let reply = try await call(#"{"method":"org.varlink.service.GetInterfaceDescription","parameters":{"interface":"io.deadlined"}}"#)
        let text = try #require((reply["parameters"] as? [String: Any])?["description"] as? String)
        #expect(text.contains("interface io.deadlined"))
        #expect(text.contains("method AddItem("))
    }

    @Test("the IDL served is byte for byte the .varlink file in the repository (embedded at build time)")
    func idlMatchesFile() throws {
        let file = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources/Control/io.deadlined.varlink")
        let onDisk = try String(contentsOf: file, encoding: .utf8)
        #expect(onDisk == InterfaceDefinition.ioDeadlined + "\n")
    }

    @Test func unknownInterface() async throws {
        let reply = try await call(#"{"method":"com.example.Nope"}"#)
        #expect(reply["error"] as? String == "org.varlink.service.InterfaceNotFound")
        #expect((reply["parameters"] as? [String: Any])?["interface"] as? String == "com.example")
    }

    @Test func unknownMethod() async throws {
        let reply = try await call(#"{"method":"io.deadlined.Nope"}"#)
        #expect(reply["error"] as? String == "org.varlink.service.MethodNotFound")
        #expect((reply["parameters"] as? [String: Any])?["method"] as? String == "io.deadlined.Nope")
    }

    @Test("a missing or mistyped parameter is InvalidParameter naming it", arguments: [
        (#"{"method":"io.deadlined.AddItem","parameters":{"kind":"meeting","at":"2017"}}"#, "title"),
        (#"{"method":"io.deadlined.AddItem","parameters":{"kind":"party","title":"t","at":"2017"}}"#, "kind"),
        (#"{"method":"io.deadlined.AddItem","parameters":{"kind":"meeting","title":5,"at":"2017"}}"#, "title"),
        (#"{"method":"io.deadlined.AddItem"}"#, "kind"),
    ])
    func invalidParameter(message: String, field: String) async throws {
        let reply = try await call(message)
        #expect(reply["error"] as? String == "org.varlink.service.InvalidParameter")
        #expect((reply["parameters"] as? [String: Any])?["parameter"] as? String == field)
    }

    @Test func interfaceErrorsCarryTheirParameters() async throws {
        let reply = try await call(#"{"method":"io.deadlined.AddItem","parameters":{"kind":"meeting","title":"t","at":"soon"}}"#)
        #expect(reply["error"] as? String == "io.deadlined.InvalidDate")
        #expect((reply["parameters"] as? [String: Any])?["input"] as? String == "soon")
    }

    @Test func unexpectedErrorsBecomeInternalError() async throws {
        let reply = try await call(#"{"method":"io.deadlined.AddItem","parameters":{"kind":"meeting","title":"boom","at":"2017"}}"#)
        #expect(reply["error"] as? String == "io.deadlined.InternalError")
    }

    @Test func onewayGetsNoReply() async {
        #expect(await service.handle(message: Data(#"{"method":"io.deadlined.Status","oneway":true}"#.utf8)) == .none)
    }

    @Test("input that is not a call closes the connection", arguments: [
        "not json", "[]", "{}", #"{"method":5}"#, "", "\u{FFFD}",
    ])
    func notACall(message: String) async {
        guard case .close = await service.handle(message: Data(message.utf8)) else {
            Issue.record("expected close for \(message)")
            return
        }
    }
}

@Suite("Varlink: replies reused while equal")
struct ReusedEncodingTests {
    struct Word: Codable, Sendable, Equatable { var word: String }
    struct Nothing: Codable, Sendable {}

    @Test("a reply equal to the last goes out as it was; one that changed is encoded anew")
    func reencodesWhenChanged() async throws {
        let current = Mutex("ก")
        var i = VarlinkInterface(name: "t", description: "interface t\n")
        i.bindReusingEncoding(VarlinkMethod<Nothing, Word>(interface: "t", name: "Say")) { _ in Word(word: current.withLock { $0 }) }
        let service = VarlinkService(vendor: "t", product: "t", version: "1", url: "", interfaces: [i], mapError: { _ in .methodNotFound("?") })
        func say() async -> String? {
            guard case .reply(let data) = await service.handle(message: Data(#"{"method":"t.Say"}"#.utf8)) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        #expect(await say() == #"{"parameters":{"word":"ก"}}"#)
        #expect(await say() == #"{"parameters":{"word":"ก"}}"#)
        current.withLock { $0 = "ข" }
        #expect(await say() == #"{"parameters":{"word":"ข"}}"#)
        current.withLock { $0 = "ก" }
        #expect(await say() == #"{"parameters":{"word":"ก"}}"#)
    }
}
