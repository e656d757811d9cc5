import DeadlineCore
import DeadlineStore
import PostgresStore
import SQLiteStore
import Foundation
import Logging

/// Every config key the daemon knows, with its type. The file and the `DEADLINED_*`
/// environment are checked against this table before anything is read, so a typo is an
/// error that names the key instead of a setting silently ignored.
enum ConfigSchema {
    enum Kind: Sendable {
        case text
        case timeZone
        case positiveInt(max: Int)
        case oneOf([String])
        case timeOfDay
        case leads
        case lead
        case count(max: Int)
        case misfire
        /// A comma-separated list of names (channels), possibly empty.
        case names
        /// A PostgreSQL URL (`store.url`).
        case postgresURL
        /// A comma-separated list of Ed25519 public keys (base64), possibly empty.
        case publicKeys
        /// Where metrics are served: loopback HOST:PORT, a socket path, or "" (off).
        case metricsListen
    }

    struct Key: Sendable {
        let path: String
        let kind: Kind

        /// `control.max_message_bytes` → `DEADLINED_CONTROL_MAX_MESSAGE_BYTES`, as
        /// swift-configuration's environment provider spells it.
        var environmentName: String {
            "DEADLINED_" + path.uppercased().map { $0.isLetter || $0.isNumber ? $0 : "_" }.map(String.init).joined()
        }
    }

    static let keys: [Key] = [
        Key(path: "time_zone", kind: .timeZone),
        Key(path: "day_time", kind: .timeOfDay),
        Key(path: "language", kind: .oneOf(Language.allCases.map(\.rawValue))),
        Key(path: "organisation", kind: .text),
        Key(path: "holidays.path", kind: .text),
        Key(path: "rules.meeting", kind: .leads),
        Key(path: "rules.deadline", kind: .leads),
        Key(path: "rules.time", kind: .timeOfDay),
        Key(path: "rules.shift", kind: .oneOf(NonWorkingDayShift.allCases.map(\.rawValue))),
        Key(path: "rules.past", kind: .oneOf(PastLeadPolicy.allCases.map(\.rawValue))),
        Key(path: "rules.escalate", kind: .lead),
        Key(path: "rules.overdue_time", kind: .timeOfDay),
        Key(path: "rules.overdue_max", kind: .count(max: 366)),
        Key(path: "rules.misfire", kind: .misfire),
        Key(path: "delivery.max_attempts", kind: .positiveInt(max: 100)),
        Key(path: "delivery.late_after", kind: .positiveInt(max: 86400)),
        Key(path: "delivery.retry_delay", kind: .positiveInt(max: 3600)),
        Key(path: "delivery.channels", kind: .names),
        Key(path: "log.level", kind: .oneOf(Logger.Level.allCases.map(\.rawValue))),
        Key(path: "log.target", kind: .oneOf(DaemonConfig.LogTarget.allCases.map(\.rawValue))),
        Key(path: "store.path", kind: .text),
        Key(path: "store.durability", kind: .oneOf(SQLiteStore.Durability.allCases.map(\.rawValue))),
        Key(path: "store.backend", kind: .oneOf(StoreBackend.allCases.map(\.rawValue))),
        Key(path: "store.url", kind: .postgresURL),
        Key(path: "store.password_file", kind: .text),
        Key(path: "store.password_credential", kind: .text),
        Key(path: "store.connections", kind: .positiveInt(max: 64)),
        Key(path: "cluster.node", kind: .text),
        Key(path: "cluster.lease", kind: .positiveInt(max: 3600)),
        Key(path: "cluster.poll", kind: .positiveInt(max: 600)),
        Key(path: "audit.signing_key_credential", kind: .text),
        Key(path: "audit.signing_key_file", kind: .text),
        Key(path: "audit.checkpoint_interval", kind: .positiveInt(max: 7 * 86400)),
        Key(path: "audit.trusted_keys", kind: .publicKeys),
        Key(path: "control.socket", kind: .text),
        Key(path: "control.max_message_bytes", kind: .positiveInt(max: 64 << 20)),
        Key(path: "control.max_change_message_bytes", kind: .positiveInt(max: 256 << 20)),
        Key(path: "control.group", kind: .text),
        Key(path: "debug.stall_on_sigusr2", kind: .oneOf(["on", "off"])),
        Key(path: "control.max_connections", kind: .positiveInt(max: 100_000)),
        Key(path: "control.idle_timeout", kind: .count(max: 86400)),
        Key(path: "calendar.feed", kind: .text),
        Key(path: "board.directory", kind: .text),
        Key(path: "metrics.listen", kind: .metricsListen),
        Key(path: "metrics.max_connections", kind: .positiveInt(max: 10_000)),
        Key(path: "metrics.idle_timeout", kind: .count(max: 86400)),
    ]

    /// A section whose keys the admin names: `rule_sets: { urgent: "3wd@09:00, 0" }`.
    static let ruleSetsSection = "rule_sets"
    /// Named channel instances: `channels: { office-mail: { type: email, … } }`.
    static let channelsSection = "channels"
    /// Template overrides: `templates: { overdue: { th: "Subject: …" } }`.
    static let templatesSection = "templates"
    /// Channel routes by rule and by tag: `delivery.by_rule: { deadline: "office-mail" }`.
    static let routeSections = ["delivery.by_rule", "delivery.by_tag"]
    /// Sections whose keys are the admin's own names.
    static let namedSections = [ruleSetsSection, channelsSection, templatesSection] + routeSections

    static let byPath = Dictionary(uniqueKeysWithValues: keys.map { ($0.path, $0) })

    /// Sections: every proper prefix of a key (`control` for `control.socket`).
    static let sections: Set<String> = Set(keys.flatMap { key in
        let parts = key.path.split(separator: ".")
        return (1..<parts.count).map { parts[..<$0].joined(separator: ".") }
    })

    /// The keys directly under `section` ("" for the top level), for "did you mean" hints.
    static func children(of section: String) -> [String] {
        let prefix = section.isEmpty ? "" : section + "."
        let names = (keys.map(\.path) + sections + namedSections).filter { $0.hasPrefix(prefix) }
            .map { String($0.dropFirst(prefix.count)) }
            .filter { !$0.contains(".") }
        return Array(Set(names)).sorted()
    }

    /// The items of a comma-separated value, trimmed; none for an empty one.
    static func list(_ value: String) -> [String] {
        value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
    }

    /// nil if `value` is acceptable for `key`, else why not.
    static func problem(with value: String, for key: Key) -> String? {
        switch key.kind {
        case .text:
            return nil
        case .names:
            let bad = list(value).filter { !NewItem.isValidKey($0) }
            return bad.isEmpty ? nil : "'\(bad[0])' is not a name (letters, digits, - _ .)"
        case .timeZone:
            return TimeZone(identifier: value) == nil ? "'\(value)' is not an IANA time zone (e.g. Asia/Bangkok)" : nil
        case .positiveInt(let max):
            guard let n = Int(value), n > 0, n <= max else { return "'\(value)' is not a whole number from 1 to \(max)" }
            return nil
        case .leads:
            let bad = value.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { Lead($0) == nil }
            if value.trimmingCharacters(in: .whitespaces).isEmpty { return "give at least one lead time (\(Lead.forms))" }
            return bad.isEmpty ? nil : "'\(bad[0])' is not a lead time; accepted: \(Lead.forms)"
        case .lead:
            return value.isEmpty || Lead(value) != nil ? nil : "'\(value)' is not a lead time; accepted: \(Lead.forms)"
        case .misfire:
            return MisfirePolicy(value) == nil ? "'\(value)' is not a misfire policy; accepted: \(MisfirePolicy.forms)" : nil
        case .count(let max):
            guard let n = Int(value), n >= 0, n <= max else { return "'\(value)' is not a whole number from 0 to \(max)" }
            return nil
        case .timeOfDay:
            return TimeOfDay(value) == nil ? "'\(value)' is not a time of day like 09:00" : nil
        case .postgresURL:
            // Empty: not set (the sample config lists the key with no value).
            if value.isEmpty { return nil }
            do { _ = try PostgresLocation(url: value); return nil } catch { return "\(error)" }
        case .metricsListen:
            do { _ = try MetricsListener.parse(value); return nil } catch { return error.description }
        case .publicKeys:
            for text in ConfigSchema.list(value) {
                do { _ = try AuditSigningKey.publicKey(text) } catch { return "\(error)" }
            }
            return nil
        case .oneOf(let allowed):
            return allowed.contains(value) ? nil : "'\(value)' is not one of: " + allowed.joined(separator: ", ")
        }
    }
}
