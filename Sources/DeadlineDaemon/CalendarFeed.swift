import Application
import Foundation
import Logging
import NIOPosix
import ServiceLifecycle
import Synchronization

/// The iCalendar feed file (`calendar.feed`), rewritten after every change so that a web
/// server can publish it and calendar programs subscribe to it.
///
/// Rewrites are coalesced: a change while one is being written marks the feed dirty and it is
/// written once more afterwards, so the file always ends up showing the latest state without
/// a write per change of a large import. That next write waits until `spacing`, or four times
/// what the last write took, has passed since the last began: rendering thousands of items
/// takes a core for a while, and changes arriving back to back (a script adding items) would
/// otherwise keep one busy with feeds nobody reads in between. So the feed takes at most a
/// fifth of a core, and shows a change within a second or so on an office's agenda. Each write goes to a temporary file beside the feed,
/// is synced, and renamed over it: a reader sees the old feed or the new one, never half.
/// The feed is made to be published, so it is readable by all (0644) whatever the umask.
final class CalendarFeed: Service, Sendable {
    let path: String
    private let app: Application
    private let logger: Logger
    private let state = Mutex<(writing: Bool, dirty: Bool)>((false, false))
    let spacing: Duration

    init(path: String, app: Application, logger: Logger, spacing: Duration = .seconds(1)) {
        self.path = path
        self.app = app
        self.logger = logger
        self.spacing = spacing
    }

    /// Written at start, then after every change of what items say.
    func run() async throws {
        let events = app.events.subscribe()
        changed()
        for await event in events.cancelOnGracefulShutdown() where event.changesItems { changed() }
    }

    /// Something changed: the feed will be rewritten.
    func changed() {
        let start = state.withLock { s -> Bool in
            if s.writing { s.dirty = true; return false }
            s.writing = true
            return true
        }
        guard start else { return }
        Task { await self.drain() }
    }

    private func drain() async {
        while true {
            state.withLock { $0.dirty = false }
            let began = ContinuousClock.now
            do {
                let text = try await app.exportCalendar().text
                let path = self.path
                try await NIOThreadPool.singleton.runIfActive { try Self.writeAtomically(text, to: path) }
            } catch {
                logger.error("cannot write the calendar feed \(path): \(error)")
            }
            let again = state.withLock { s -> Bool in
                if s.dirty { return true }
                s.writing = false
                return false
            }
            if !again { return }
            try? await Task.sleep(until: began + max(spacing, (ContinuousClock.now - began) * 5))
        }
    }

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
