import NIOCore
import ServiceLifecycle

/// Waits while a listening channel serves, and closes it at a graceful shutdown of the service
/// group or when the task is cancelled: what every server of the daemon's does.
public func serveUntilShutdown(_ server: any Channel) async {
    await withGracefulShutdownHandler {
        await withTaskCancellationHandler {
            try? await server.closeFuture.get()
        } onCancel: {
            server.close(promise: nil)
        }
    } onGracefulShutdown: {
        server.close(promise: nil)
    }
}
