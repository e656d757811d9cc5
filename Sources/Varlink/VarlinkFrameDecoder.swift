import NIOCore

/// Splits a Varlink byte stream into messages: each is JSON ended by one NUL byte.
///
/// A message that grows past `maxMessageBytes` without its NUL is an error (the connection is
/// closed), so a peer cannot make the daemon buffer without bound.
public struct VarlinkFrameDecoder: ByteToMessageDecoder {
    public typealias InboundOut = ByteBuffer

    /// The limit, shared with the connection's handler: it raises it once the peer is known to
    /// be one that may change things (`VarlinkServer.Limits.maxChangeMessageBytes`).
    let limit: MessageLimit
    public var maxMessageBytes: Int { limit.bytes }
    /// Bytes already searched for NUL, so a slowly arriving message is scanned once.
    private var scanned = 0

    public init(maxMessageBytes: Int) {
        limit = MessageLimit(maxMessageBytes)
    }

    init(limit: MessageLimit) {
        self.limit = limit
    }

    public mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let frame = try nextFrame(&buffer) else { return .needMoreData }
        context.fireChannelRead(Self.wrapInboundOut(frame))
        return .continue
    }

    public mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws -> DecodingState {
        // A peer that half-closes after its last call still gets it answered; a trailing
        // partial message without NUL is dropped.
        if let frame = try nextFrame(&buffer) {
            context.fireChannelRead(Self.wrapInboundOut(frame))
            return .continue
        }
        return .needMoreData
    }

    /// The next complete message without its NUL, or nil if it has not fully arrived.
    /// Pure, so the fuzzer and the tests can call it without a channel.
    public mutating func nextFrame(_ buffer: inout ByteBuffer) throws(VarlinkFrameError) -> ByteBuffer? {
        let view = buffer.readableBytesView
        let start = view.startIndex + scanned
        if let nul = view[start...].firstIndex(of: 0) {
            let length = nul - view.startIndex
            scanned = 0
            if length > maxMessageBytes { throw .messageTooLarge(limit: maxMessageBytes) }
            let frame = buffer.readSlice(length: length)!
            buffer.moveReaderIndex(forwardBy: 1)
            return frame
        }
        scanned = view.count
        if view.count > maxMessageBytes { throw .messageTooLarge(limit: maxMessageBytes) }
        return nil
    }
}

public enum VarlinkFrameError: Error, Equatable, CustomStringConvertible {
    case messageTooLarge(limit: Int)

    public var description: String {
        switch self {
        case .messageTooLarge(let limit): "message longer than \(limit) bytes"
        }
    }
}

/// The longest message a connection accepts now. Confined to the connection's event loop, like
/// its handlers, so it needs no lock.
final class MessageLimit {
    var bytes: Int
    init(_ bytes: Int) { self.bytes = bytes }
}
