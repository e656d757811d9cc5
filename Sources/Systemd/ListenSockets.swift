import CSystemd
import Glibc

/// File descriptors passed by socket activation (sd_listen_fds_with_names(3)).
public enum ListenSockets {
    /// A passed descriptor and the name given by `FileDescriptorName=` (or "unknown").
    public struct Socket: Sendable, Equatable {
        public let fd: Int32
        public let name: String
    }

    /// Takes the passed descriptors and unsets `$LISTEN_FDS`, `$LISTEN_PID` and
    /// `$LISTEN_FDNAMES`, so that child processes do not believe they were passed too.
    /// Call once, early; later calls find nothing.
    public static func take() -> [Socket] {
        var names: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>? = nil
        let count = sd_listen_fds_with_names(1, &names)
        guard count > 0 else { return [] }
        defer {
            if let names {
                for i in 0..<Int(count) { free(names[i]) }
                free(names)
            }
        }
        return (0..<count).map { i in
            let name = names?[Int(i)].map { String(cString: $0) } ?? "unknown"
            return Socket(fd: SD_LISTEN_FDS_START + i, name: name)
        }
    }
}
