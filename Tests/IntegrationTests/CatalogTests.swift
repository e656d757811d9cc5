import Foundation
import Glibc
import Testing

/// The shipped journal catalog, through journalctl itself: every MESSAGE_ID the daemon logs
/// with has an entry, and journalctl accepts the file.
@Suite("Journal catalog")
struct CatalogTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    @Test("journalctl --update-catalog takes the file and lists every message id the daemon uses")
    func catalog() throws {
        let journalctl = try #require(["/usr/bin/journalctl", "/bin/journalctl"].first { FileManager.default.isExecutableFile(atPath: $0) },
                                      "journalctl is not installed (package systemd)")
        let box = try Sandbox()
        let dir = box.path + "/usr/lib/systemd/catalog"
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.root.path + "/units/deadlined.catalog", toPath: dir + "/deadlined.catalog")
        try FileManager.default.createDirectory(atPath: box.path + "/var/lib/systemd", withIntermediateDirectories: true)
        let update = try RunningProcess(journalctl, ["--root=\(box.path)", "--update-catalog"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(update.waitForExit() == 0, "\(update.stderrLines.map(\.1))")
        let list = try RunningProcess(journalctl, ["--root=\(box.path)", "--list-catalog"], environment: ["PATH": "/usr/bin:/bin"])
        #expect(list.waitForExit() == 0)
        // The ids the code logs with (JournalMessageID), read from the source so a new one cannot be forgotten.
        let source = try String(contentsOfFile: Self.root.path + "/Sources/Delivery/Channels/JournalChannel.swift", encoding: .utf8)
        let ids = source.matches(of: /public static let \w+ = "([0-9a-f]{32})"/).map { String($0.1) }
        #expect(ids.count == 7)
        for id in ids {
            #expect(list.stdout.contains(id), "\(id) is not in the catalog: \(list.stdout)")
        }
    }
}
