import Control
import DeadlineCore
import Foundation
import Testing
import Varlink

/// AddItems through the real socket: many items in one call, all or none.
@Suite("AddItems: many items in one call, all or none")
struct AddItemsTests {
    func deadline(_ key: String, at: String) -> ControlAPI.AddItemParameters {
        ControlAPI.AddItemParameters(kind: .deadline, title: "ส่งแผน \(key)", at: at, key: key)
    }

    @Test("a refused item refuses the call and adds nothing; a good batch adds each, audited one by one, in the order given")
    func allOrNone() throws {
        try Binaries.require()
        let box = try Sandbox()
        let daemon = try RunningProcess(Binaries.deadlined, [], environment: box.environment(notifySocket: nil))
        defer { daemon.ensureStopped() }
        _ = try #require(daemon.waitForLine(containing: "ready;"))
        let client = try VarlinkClient(path: box.socket, timeout: 10)

        let bad = [deadline("a", at: "+30d"), deadline("b", at: "วันที่ 32 พฤษภาคม"), deadline("c", at: "+40d")]
        #expect {
            try client.call(ControlAPI.addItems, ControlAPI.AddItemsParameters(items: bad))
        } throws: { error in
            (error as? VarlinkError)?.name == "io.deadlined.InvalidDate" && (error as? VarlinkError)?.parameters["input"]?.stringValue == "วันที่ 32 พฤษภาคม"
        }
        // A key taken by an item added before fails in the transaction: nothing of the batch stays.
        _ = try client.call(ControlAPI.addItem, deadline("taken", at: "+10d"))
        #expect(throws: VarlinkError.self) {
            try client.call(ControlAPI.addItems, ControlAPI.AddItemsParameters(items: [deadline("a", at: "+30d"), deadline("taken", at: "+20d")]))
        }
        #expect(try client.call(ControlAPI.listItems, ControlAPI.ListParameters()).items.map(\.key) == ["taken"])

        let good = (1...50).map { deadline("k\($0)", at: "+\(20 + $0)d") }
        let reply = try client.call(ControlAPI.addItems, ControlAPI.AddItemsParameters(items: good))
        #expect(reply.keys == good.map { $0.key! })
        let listed = try client.call(ControlAPI.listItems, ControlAPI.ListParameters()).items
        #expect(Set(listed.map(\.key)) == Set(good.map { $0.key! } + ["taken"]))
        #expect(reply.reminders == listed.filter { $0.key != "taken" }.reduce(0) { $0 + $1.reminders.count } && reply.reminders > 0)
        let audit = try client.call(ControlAPI.audit, ControlAPI.AuditParameters(limit: 100)).entries
        #expect(audit.filter { $0.method == "AddItem" }.count == 51, "each item of the batch is audited, as one added alone")
    }
}
