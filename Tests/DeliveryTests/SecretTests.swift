import Delivery
import Foundation
import Testing

@Suite("Secrets from files and systemd credentials")
struct SecretTests {
    /// A credentials directory as systemd would make it.
    func credentials(_ files: [String: String]) throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("creds-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        for (name, text) in files { try Data(text.utf8).write(to: URL(fileURLWithPath: dir + "/" + name)) }
        return dir
    }

    @Test("a credential of its own name (LoadCredential=NAME:PATH)")
    func ownName() throws {
        let dir = try credentials(["chat-token": "t1\n"])
        #expect(try SecretSource.credential("chat-token").load(environment: ["CREDENTIALS_DIRECTORY": dir]) == "t1")
    }

    @Test("a file of the unit's credentials directory, which systemd names deadlined_FILE")
    func fromDirectory() throws {
        let dir = try credentials(["deadlined_chat-token": "t2\n"])
        #expect(try SecretSource.credential("chat-token").load(environment: ["CREDENTIALS_DIRECTORY": dir]) == "t2")
    }

    @Test("its own name wins over the directory's file")
    func ownNameFirst() throws {
        let dir = try credentials(["chat-token": "own", "deadlined_chat-token": "dir"])
        #expect(try SecretSource.credential("chat-token").load(environment: ["CREDENTIALS_DIRECTORY": dir]) == "own")
    }

    @Test("a missing credential names the path it looked for; no directory is its own error")
    func missing() throws {
        let dir = try credentials([:])
        let error = #expect(throws: ChannelError.self) {
            try SecretSource.credential("nope").load(environment: ["CREDENTIALS_DIRECTORY": dir])
        }
        #expect(error?.description.contains(dir + "/nope") == true)
        let unset = #expect(throws: ChannelError.self) { try SecretSource.credential("nope").load(environment: [:]) }
        #expect(unset?.description.contains("CREDENTIALS_DIRECTORY") == true)
        #expect(throws: ChannelError.self) { try SecretSource.credential("../x").load(environment: ["CREDENTIALS_DIRECTORY": dir]) }
    }

    @Test("the redactor hides every secret, the longest first")
    func redactor() {
        let redact = Redactor(["abcd", "abcdef-long", "xy"])
        #expect(redact("got abcdef-long and abcd and xy") == "got [secret] and [secret] and xy")
    }
}
