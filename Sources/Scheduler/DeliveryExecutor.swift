import NIOPosix

/// Where channel sends run: threads of their own, not Swift's shared cooperative pool, so a
/// reminder goes out on time even when other work holds every cooperative thread (a blocking
/// call somewhere, a test suite polling), and a busy channel cannot slow the control socket.
///
/// Tasks started with this executor as their preference run their synchronous parts here;
/// what they await (NIO futures, subprocess pipes) resumes here too.
final class DeliveryExecutor: TaskExecutor, @unchecked Sendable {
    // NIOThreadPool is thread-safe; the class holds nothing else.
    private let pool: NIOThreadPool

    init(threads: Int) {
        pool = NIOThreadPool(numberOfThreads: threads)
        pool.start()
    }

    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        let executor = asUnownedTaskExecutor()
        pool.submit { _ in job.runSynchronously(on: executor) }
    }

    /// Lets the threads go once the last job has run.
    func shutdown() async {
        try? await pool.shutdownGracefully()
    }
}
