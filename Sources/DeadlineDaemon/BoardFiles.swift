import Application
import DeadlineCore
import Foundation
import Logging
import NIOPosix
import Reports
import ServiceLifecycle

/// The HTML boards (`board.directory`): one self-contained page per plan with an assigned
/// deadline (per deadline without a plan), `board-<key>.html`, rewritten after each change of
/// an obligation, an organisation or an item, coalesced and spaced like the calendar feed, and
/// each hour (an open obligation becomes overdue with no change at all). Written atomically
/// and readable by all, to be published beside the feed.
final class BoardFiles: Service, Sendable {
    let directory: String
    private let app: Application
    private let rewrite: CoalescedRewrite

    init(directory: String, app: Application, language: Language, zone: TimeZone, logger: Logger, spacing: Duration = .seconds(1)) {
        self.directory = directory
        self.app = app
        rewrite = CoalescedRewrite(spacing: spacing) {
            do {
                for key in try await app.boardKeys() {
                    let page = Self.page(try await app.obligations(key: key), generated: app.clock.now(), zone: zone, language: language)
                    let path = directory + "/" + Self.fileName(key)
                    try await NIOThreadPool.singleton.runIfActive { try CalendarFeed.writeAtomically(page.html(), to: path) }
                }
            } catch {
                logger.error("cannot write the boards in \(directory): \(error)")
            }
        }
    }

    /// `board-<key>.html`; a key is letters, digits and `-_.@`, so it is a file name as it is.
    static func fileName(_ key: String) -> String { "board-\(key).html" }

    static func page(_ list: ObligationList, generated: Date, zone: TimeZone, language: Language) -> BoardPage {
        let entries = list.rows.map(\.entry)
        let received = list.rows.compactMap { row in row.obligation.submission.map { LocalDate($0.received, in: row.item.zone) } }
        return BoardPage(key: list.key, title: list.title, dues: list.items.map { $0.fields.when.localDate(in: $0.zone) },
                         board: ObligationBoard(entries), received: received, generated: generated, zone: zone, language: language)
    }

    func run() async throws {
        let events = app.events.subscribe()
        rewrite.changed()
        let hourly = Task { [rewrite] in
            while !Task.isCancelled {
                try? await Task.sleep(for: .seconds(3600))
                rewrite.changed()
            }
        }
        defer { hourly.cancel() }
        for await event in events.cancelOnGracefulShutdown() where event.changesBoards { rewrite.changed() }
    }
}
