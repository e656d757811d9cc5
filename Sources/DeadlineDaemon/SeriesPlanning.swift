import Application
import Logging
import ServiceLifecycle

/// Moves every repeating meeting's planning window on: at start, then hourly. A series only
/// ever has reminders for the instances in its window (weeks ahead), so an endless series
/// costs no more than its next few meetings.
struct SeriesPlanning: Service {
    let app: Application
    let interval: Duration
    let logger: Logger

    func run() async throws {
        while !Task.isCancelled {
            do {
                let added = try await app.run(ExtendSeries(), by: .daemon)
                if added > 0 { logger.info("planned \(added) reminder(s) of repeating meetings") }
            } catch {
                logger.error("cannot plan repeating meetings ahead: \(error)")
            }
            // A stop must not wait for the hour to pass.
            do { try await cancelWhenGracefulShutdown { try await Task.sleep(for: interval) } } catch { return }
            if Task.isShuttingDownGracefully { return }
        }
    }
}
