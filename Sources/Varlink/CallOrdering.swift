import Synchronization

/// How a connection runs a method's call against the calls it reads after it.
public enum CallOrdering: Sendable {
    /// Later calls wait for its reply: one call after the other, the protocol's default.
    case sequential
    /// Later pipelined calls start once this one has taken its place in line (`PlaceInLine`),
    /// before it is answered; replies still go out in the order the calls came. Only for a
    /// method whose work is ordered further in (a commit queue that keeps order) and that reads
    /// nothing, before taking its place, that an earlier call could still be writing.
    case pipelined
}

/// A pipelined call's hold on the calls read after it on its connection: let go once the
/// method has taken its place in a queue that keeps order, or once it is answered.
public final class PlaceInLine: Sendable {
    private let released = Atomic<Bool>(false)
    private let release: @Sendable () -> Void

    init(release: @escaping @Sendable () -> Void) { self.release = release }

    /// The call is in line: the connection may start the next one. Only the first time counts.
    public func taken() {
        if !released.exchange(true, ordering: .acquiringAndReleasing) { release() }
    }

    /// The place of the pipelined call being answered; nil in a sequential call (or outside one).
    @TaskLocal public static var current: PlaceInLine?
}
