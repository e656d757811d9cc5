import DeadlineCore
import Delivery
import Foundation
import Logging

/// Builds the channels the config describes: reads their secrets (files, systemd
/// credentials), compiles templates, makes HTTP clients. Everything that can fail fails here,
/// at start or reload, not when a reminder is due.
enum ChannelFactory {
    static func make(config: DaemonConfig, renderer: MessageRenderer, logger: Logger,
                     environment: [String: String]) throws -> ChannelSet {
        var built: [any Channel] = []
        do {
            for c in config.channels {
                built.append(try make(c, config: config, renderer: renderer, logger: logger, environment: environment))
            }
        } catch {
            // What was made already holds clients; give them back before failing.
            let made = ChannelSet(built)
            Task { await made.shutdown() }
            throw error
        }
        return ChannelSet(built, routes: config.routes)
    }

    static func make(_ c: ChannelConfig, config: DaemonConfig, renderer: MessageRenderer, logger: Logger,
                     environment: [String: String]) throws -> any Channel {
        let language = c.language ?? config.language
        var retry = RetryPolicy()
        retry.maxAttempts = c.maxAttempts ?? config.maxAttempts
        retry.baseDelay = TimeInterval(config.retryDelay)
        let policy = ChannelPolicy(retry: retry, concurrency: c.concurrency ?? defaultConcurrency(c),
                                   timeout: .seconds(c.timeout ?? 30), unrecorded: unrecorded(c))
        func fail(_ error: any Error) -> ConfigError {
            ConfigError(location: "channel '\(c.name)'", message: "\(error)")
        }
        switch c.kind {
        case .journal:
            return JournalChannel(name: c.name, logger: logger, renderer: renderer, language: language, policy: policy)
        case .file(let path):
            return FileChannel(name: c.name, path: path, renderer: renderer, language: language, policy: policy)
        case .command(let argv):
            return CommandChannel(name: c.name, argv: argv, renderer: renderer, language: language, policy: policy)
        case .email(let sendmail, let from, let to, let cc):
            return EmailChannel(name: c.name, sendmail: sendmail, from: from, to: to, cc: cc, renderer: renderer,
                                language: language, policy: policy)
        case .webhook(let urlValue, let preset, let template, let tokenSource, let to, let caFile):
            do {
                var secrets: [String] = []
                let url: String
                switch urlValue {
                case .plain(let u): url = u
                case .secret(let source): url = try source.load(environment: environment); secrets.append(url)
                }
                let token = try tokenSource.map { try $0.load(environment: environment) }
                if let token { secrets.append(token) }
                if let caFile, !FileManager.default.isReadableFile(atPath: caFile) {
                    throw ChannelError("cannot read ca_file \(caFile)")
                }
                return try WebhookChannel(name: c.name, url: url, preset: preset, template: template, token: token, to: to,
                                          caFile: caFile, renderer: renderer, language: language, policy: policy,
                                          redactor: Redactor(secrets))
            } catch {
                throw fail(error)
            }
        }
    }

    /// The journal and a file keep due order (one at a time); programs and servers may overlap.
    /// The journal and a file take a burst of a hundred thousand in batches, a commit per 64;
    /// what reaches a person waits for each outcome to be recorded (see `ChannelPolicy`).
    static func unrecorded(_ c: ChannelConfig) -> Int {
        switch c.kind {
        case .journal, .file: 64
        case .command, .email, .webhook: 1
        }
    }

    static func defaultConcurrency(_ c: ChannelConfig) -> Int {
        switch c.kind {
        case .journal, .file: 1
        case .command: 2
        case .email, .webhook: 4
        }
    }
}
