import Synchronization

/// The config in force, replaced as a whole by a reload. Readers take a snapshot per call, so
/// one call never sees half of an old config and half of a new one.
final class CurrentConfig: Sendable {
    private let value: Mutex<DaemonConfig>

    init(_ config: DaemonConfig) { value = Mutex(config) }

    var config: DaemonConfig { value.withLock { $0 } }

    func replace(_ config: DaemonConfig) { value.withLock { $0 = config } }
}
