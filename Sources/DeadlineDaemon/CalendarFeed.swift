import Application
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle

/// The iCalendar feed file (`calendar.feed`), rewritten after every change so that a web
/// server can publish it and calendar programs subscribe to it; rewrites are coalesced and
/// spaced (`CoalescedRewrite`). Each write goes to a temporary file beside the feed, is synced,
/// and renamed over it: a reader sees the old feed or the new one, never half. The feed is made
/// to be published, so it is readable by all (0644) whatever the umask.
final class CalendarFeed: Service, Sendable {
    let path: String
    private let app: Application
    private let rewrite: CoalescedRewrite

    init(path: String, app: Application, logger: Logger, spacing: Duration = .seconds(1)) {
        self.path = path
        self.app = app
        rewrite = CoalescedRewrite(spacing: spacing) {
            do {
                let text = try await app.exportCalendar().text
                try await NIOThreadPool.singleton.runIfActive { try Self.writeAtomically(text, to: path) }
            } catch {
                logger.error("cannot write the calendar feed \(path): \(error)")
            }
        }
    }

    /// Written at start, then after every change of what items say.
    func run() async throws {
        let events = app.events.subscribe()
        changed()
        for await event in events.cancelOnGracefulShutdown() where event.changesItems { changed() }
    }

    /// Something changed: the feed will be rewritten.
    func changed() { rewrite.changed() }

    /// Writes `text` to a temporary file in the same directory, syncs it, renames it over `path`.
    static func writeAtomically(_ text: String, to path: String) throws {
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let temporary = path + ".partial"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FeedError("cannot create \(temporary): \(String(cString: strerror(errno)))") }
        var ok = fchmod(fd, 0o644) == 0
        let bytes = Array(text.utf8)
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let n = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if n < 0 { if errno == EINTR { continue }; ok = false; return }
                offset += n
            }
        }
        let why = String(cString: strerror(errno))
        if ok { ok = fsync(fd) == 0 }
        close(fd)
        guard ok, rename(temporary, path) == 0 else {
            unlink(temporary)
            throw FeedError("cannot write \(path): \(why)")
        }
    }

    struct FeedError: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}
