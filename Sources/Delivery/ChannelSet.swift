import DeadlineCore

/// Which channels a reminder goes through, from the config:
///
/// - every reminder: `delivery.channels`;
/// - plus those for the item's rule (`delivery.by_rule.<rule set or kind>`);
/// - plus those for each of its tags (`delivery.by_tag.<tag>`);
/// - plus any channel named in the item's own `remind:` list.
public struct ChannelRoutes: Sendable, Equatable {
    public var defaults: [String]
    public var byRule: [String: [String]]
    public var byTag: [String: [String]]

    public init(defaults: [String], byRule: [String: [String]] = [:], byTag: [String: [String]] = [:]) {
        self.defaults = defaults
        self.byRule = byRule
        self.byTag = byTag
    }

    /// The channel names for `item`, in config order, each once. `known` are the configured
    /// names: a `remind:` entry that is not one (an e-mail address, a person) is not a channel.
    public func channels(for item: Item, known: Set<String>) -> [String] {
        var out: [String] = []
        func add(_ names: [String]) { for n in names where !out.contains(n) { out.append(n) } }
        add(defaults)
        add(byRule[item.fields.rule ?? item.kind.rawValue] ?? [])
        for tag in item.fields.tags { add(byTag[tag] ?? []) }
        add(item.fields.remind.filter { known.contains($0) })
        return out
    }

    /// Every channel name the routes mention, to check them against the configured ones.
    public var mentioned: Set<String> {
        Set(defaults + byRule.values.joined() + byTag.values.joined())
    }
}

/// The configured channels and the routes to them: what the timer core delivers through.
/// Replaced as a whole on reload.
public struct ChannelSet: Sendable {
    public let channels: [String: any Channel]
    public let routes: ChannelRoutes

    /// - Parameter routes: nil sends every reminder through every channel (tests, benchmarks).
    public init(_ channels: [any Channel], routes: ChannelRoutes? = nil) {
        self.channels = Dictionary(channels.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.routes = routes ?? ChannelRoutes(defaults: channels.map(\.name))
    }

    public func names(for item: Item) -> [String] {
        routes.channels(for: item, known: Set(channels.keys))
    }

    /// The channels of a reminder: the item's, and for an obligation's only those that reach the
    /// organisation (none left: the reminder fails, saying it cannot reach it).
    public func names(for reminder: Reminder) -> [String] {
        let names = self.names(for: reminder.item)
        guard reminder.organisation != nil else { return names }
        return names.filter { channels[$0]?.reaches(reminder) ?? true }
    }

    public func shutdown() async {
        for channel in channels.values { await channel.shutdown() }
    }
}
