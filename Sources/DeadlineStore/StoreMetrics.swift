import CoreMetrics
import Foundation

/// How long the store's transactions take, by what wrote them (`change`: the commit path,
/// `delivery`: the timer core's outcomes). A no-op until the daemon bootstraps a metrics system.
public enum StoreMetrics {
    public static let transactionSeconds = "deadlined_store_transaction_duration_seconds"

    public static func timed<T>(_ kind: String, _ body: () throws -> T) rethrows -> T {
        let start = DispatchTime.now().uptimeNanoseconds
        defer {
            CoreMetrics.Timer(label: transactionSeconds, dimensions: [("kind", kind)])
                .recordNanoseconds(Int64(DispatchTime.now().uptimeNanoseconds - start))
        }
        return try body()
    }
}
