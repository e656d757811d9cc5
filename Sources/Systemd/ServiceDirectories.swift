import Glibc

/// The daemon's directories, as systemd passes them (`StateDirectory=` → `$STATE_DIRECTORY`,
/// and so on), or else the usual places: /var/lib, /run and /etc for root, the XDG base
/// directories for anyone else, so that it runs the same as a system service, a user service
/// and from a checkout.
public struct ServiceDirectories: Sendable, Equatable {
    public var state: String
    public var runtime: String
    public var configuration: String

    public static let name = "deadlined"

    public init(state: String, runtime: String, configuration: String) {
        self.state = state
        self.runtime = runtime
        self.configuration = configuration
    }

    /// - Parameters:
    ///   - environment: the process environment (injected for tests).
    ///   - isRoot: whether the effective uid is 0.
    public static func resolve(environment: [String: String], isRoot: Bool = geteuid() == 0) -> ServiceDirectories {
        // systemd passes a colon-separated list when a unit names several; ours is the first.
        func systemd(_ key: String) -> String? {
            guard let v = environment[key], !v.isEmpty else { return nil }
            return String(v.split(separator: ":").first ?? Substring(v))
        }
        func xdg(_ key: String, home fallback: String) -> String {
            if let v = environment[key], v.hasPrefix("/") { return v + "/" + name }
            let home = environment["HOME"].flatMap { $0.isEmpty ? nil : $0 } ?? "/tmp"
            return home + "/" + fallback + "/" + name
        }
        let uid = geteuid()
        let runtimeFallback: String = {
            if let v = environment["XDG_RUNTIME_DIR"], v.hasPrefix("/") { return v + "/" + name }
            return "/tmp/\(name)-\(uid)"
        }()
        return ServiceDirectories(
            state: systemd("STATE_DIRECTORY") ?? (isRoot ? "/var/lib/" + name : xdg("XDG_STATE_HOME", home: ".local/state")),
            runtime: systemd("RUNTIME_DIRECTORY") ?? (isRoot ? "/run/" + name : runtimeFallback),
            configuration: systemd("CONFIGURATION_DIRECTORY") ?? (isRoot ? "/etc/" + name : xdg("XDG_CONFIG_HOME", home: ".config"))
        )
    }

    /// The control socket when neither the config nor socket activation names one.
    public var defaultControlSocket: String { runtime + "/control.sock" }
    /// The store when the config names none.
    public var defaultStore: String { state + "/deadlined.sqlite" }
    /// The config file read when `--config` is not given.
    public var defaultConfigFile: String { configuration + "/deadlined.yaml" }
}
