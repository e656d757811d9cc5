import Application
import Control
import DeadlineCore
import DeadlineStore
import Delivery
import Foundation

/// `Status` and `TestChannel`: what the daemon knows of itself, and a made-up reminder through one channel.
extension DaemonControl {
    func status() async throws -> ControlAPI.StatusReply {
        // A store that cannot be read still gets an answer: the daemon is up, and says what is wrong.
        var storeHealth = "ok"
        var figures: StatusFigures
        do {
            figures = try await app.statusFigures(problemLimit: 10)
        } catch {
            storeHealth = (error as? StoreError)?.description ?? String(describing: error)
            figures = StatusFigures(counts: [:], items: 0, downtime: nil, problems: [])
        }
        if storeHealth == "ok", let since = store.fullSince {
            storeHealth = "the store's file system is full since \(DateOutput.iso8601(since, timeZone: zone)): changes are refused, "
                + "reminders cannot be marked sent"
        }
        let (counts, items, downtime, problems) = (figures.counts, figures.items, figures.downtime, figures.problems)
        let holidays = app.calendar.current
        let caveats = await app.holidayCaveats()
        let storeBytes = store.bytesOnDisk
        // Every channel the core has was made from the config, so each has its type there.
        let channels = core.channels.channels.values.sorted { $0.name < $1.name }.compactMap { c in
            config.channels.first { $0.name == c.name }.flatMap { ControlAPI.ChannelInfo.Kind(rawValue: $0.type) }.map {
                ControlAPI.ChannelInfo(name: c.name, type: $0, concurrency: c.policy.concurrency, maxAttempts: c.policy.retry.maxAttempts,
                                       timeoutSeconds: Int(c.policy.timeout.components.seconds))
            }
        }
        var reply = ControlAPI.StatusReply(
            version: Daemon.version,
            uptimeSeconds: Int(app.clock.now().timeIntervalSince(startedAt)),
            store: store.location,
            storeHealth: storeHealth,
            storeBytes: storeBytes,
            language: config.language.rawValue,
            timeZone: config.timeZone,
            items: items,
            pending: counts[.pending] ?? 0,
            firing: counts[.firing] ?? 0,
            delivered: counts[.delivered] ?? 0,
            retrying: counts[.retrying] ?? 0,
            failed: counts[.failed] ?? 0,
            missed: counts[.missed] ?? 0,
            cancelled: counts[.cancelled] ?? 0,
            nextReminder: core.snapshot().next.map { DateOutput.iso8601($0, timeZone: zone) },
            watchdogUsec: Int(watchdogUsec ?? 0),
            lastDowntime: downtime,
            channels: channels,
            problems: problems.map { p in
                ControlAPI.Problem(reminder: p.occurrence.id, item: p.itemKey, fireAt: DateOutput.iso8601(p.occurrence.fireAt, timeZone: zone),
                                   state: p.occurrence.state == .retrying ? .retrying : .failed, attempts: p.occurrence.attempts, error: p.occurrence.lastError ?? "")
            },
            holidayYears: holidays.years.values.sorted { $0.year < $1.year }.map(ControlAPI.HolidayYearInfo.init),
            holidayCaveats: caveats.caveats.map(ControlAPI.HolidayCaveatInfo.init),
            holidayCaveatItems: caveats.items
        )
        if store.isShared {
            let now = app.clock.now()
            reply.node = store.node.name
            reply.leaseSeconds = Int(store.node.lease)
            reply.nodes = core.nodes.map {
                ControlAPI.Node(name: $0.name, startedAt: DateOutput.iso8601($0.startedAt, timeZone: zone), silentSeconds: Int($0.silentFor),
                                holding: $0.holding)
            }
            if storeHealth == "ok", let since = try? store.oldestUnclaimed(now: now) {
                reply.unclaimedSeconds = max(0, Int(now.timeIntervalSince(since)))
            }
        }
        return reply
    }

    func testChannel(_ p: ControlAPI.TestChannelParameters) async throws -> ControlAPI.TestChannelReply {
        let set = core.channels
        guard let channel = set.channels[p.channel] else {
            throw ControlAPI.noSuchChannel(p.channel, known: set.channels.keys.sorted())
        }
        let reminder = Self.sampleReminder(kind: p.kind ?? .deadline, now: app.clock.now(), config: config)
        let started = ContinuousClock.now
        // The channel's own timeout, and a backstop in case it overruns it.
        let outcome: Result<String?, any Error> = await withTaskGroup(of: Result<String?, any Error>?.self) { group in
            group.addTask {
                do { return .success(try await channel.deliver(reminder)) } catch { return .failure(error) }
            }
            group.addTask {
                try? await Task.sleep(for: channel.policy.timeout + .seconds(5))
                return nil
            }
            let first = await group.next()!
            group.cancelAll()
            return first ?? .failure(ChannelError("no answer within \(channel.policy.timeout + .seconds(5))"))
        }
        let ms = Int((ContinuousClock.now - started).components.seconds * 1000
            + (ContinuousClock.now - started).components.attoseconds / 1_000_000_000_000_000)
        let reply: ControlAPI.TestChannelReply = switch outcome {
        case .success(let detail): .init(channel: p.channel, delivered: true, detail: detail, error: nil, milliseconds: ms)
        case .failure(let error): .init(channel: p.channel, delivered: false, detail: nil, error: "\(error)", milliseconds: ms)
        }
        await record(AuditNote(method: "TestChannel", target: p.channel, before: nil as ControlAPI.TestChannelReply?, after: reply))
        return reply
    }

    /// A made-up item due a few working days ahead, marked as a test in its title and key.
    static func sampleReminder(kind: ItemKind, now: Date, config: DaemonConfig) -> Reminder {
        let zone = TimeZone(identifier: config.timeZone)!
        let thai = config.language == .thai
        let when: When = kind == .meeting ? .instant(now.addingTimeInterval(2 * 3600)) : .day(LocalDate(now, in: zone).adding(days: 7))
        let title = kind == .meeting
            ? (thai ? "ทดสอบช่องทางแจ้งเตือน: ประชุมคณะทำงาน" : "Channel test: working-group meeting")
            : (thai ? "ทดสอบช่องทางแจ้งเตือน: ส่งแผนปฏิบัติการป้องกันการทุจริต" : "Channel test: anti-corruption plan submission")
        let fields = NewItem(kind: kind, key: "test-channel", title: title, when: when, timeZone: config.timeZone,
                             organisation: config.organisation, location: kind == .meeting ? (thai ? "ห้องประชุม" : "Meeting room") : nil)
        let stamp = Int64(now.timeIntervalSince1970 * 1000)
        let occurrence = Occurrence(id: 0, itemID: 0, fireAt: now, state: .firing, attempts: 1, label: kind == .meeting ? "2h" : "7d")
        return Reminder(item: Item(id: 0, fields: fields), occurrence: occurrence, tag: "deadlined-test-\(stamp)")
    }
}
