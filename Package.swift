// swift-tools-version: 6.1
import PackageDescription

let package = Package(
    name: "deadlined",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "deadlined", targets: ["deadlined"]),
        .executable(name: "deadlinectl", targets: ["deadlinectl"]),
        .executable(name: "deadlined-bench", targets: ["DeadlineBench"]),
        .executable(name: "deadlined-fuzz", targets: ["ControlFuzz"]),
        .executable(name: "deadlined-fuzz-ics", targets: ["ICalendarFuzz"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-configuration", from: "1.4.0", traits: ["YAML"]),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swiftlang/swift-subprocess", from: "1.0.2"),
        .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-nio-ssl", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto", "3.12.3"..<"5.0.0"),
        .package(url: "https://github.com/vapor/postgres-nio", from: "1.33.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
    ],
    targets: [
        .systemLibrary(
            name: "CSystemd",
            pkgConfig: "libsystemd",
            providers: [.apt(["libsystemd-dev"])]
        ),
        .systemLibrary(name: "CLinux"),
        .target(
            name: "Systemd",
            dependencies: [
                "CSystemd",
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(name: "DeadlineCore"),
        .target(
            name: "Agenda",
            dependencies: [
                "DeadlineCore",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "ICalendar",
            dependencies: ["DeadlineCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        // The store protocol and its value types: what a backend must do, in domain types.
        .target(
            name: "DeadlineStore",
            dependencies: ["DeadlineCore", .product(name: "Crypto", package: "swift-crypto"), .product(name: "CoreMetrics", package: "swift-metrics")]
        ),
        // The embedded default backend: one SQLite file through GRDB.
        .target(
            name: "SQLiteStore",
            dependencies: [
                "DeadlineCore", "DeadlineStore",
                .product(name: "GRDB", package: "GRDB.swift"),
            ]
        ),
        // For several nodes: one PostgreSQL database through PostgresNIO.
        .target(
            name: "PostgresStore",
            dependencies: [
                "DeadlineCore", "DeadlineStore",
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        .target(
            name: "Delivery",
            dependencies: [
                "CLinux",
                "DeadlineCore",
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Subprocess", package: "swift-subprocess"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
            ]
        ),
        .target(
            name: "Scheduler",
            dependencies: [
                "CLinux",
                "DeadlineCore",
                "DeadlineStore",
                "Delivery",
                .product(name: "HeapModule", package: "swift-collections"),
                .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // Varlink in general: framing, org.varlink.service, typed methods, the server (SwiftNIO), the client.
        .target(
            name: "Varlink",
            dependencies: [
                "CLinux",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
            ]
        ),
        // The io.deadlined interface: its IDL, wire types, methods and errors.
        .target(
            name: "Control",
            dependencies: ["Varlink", "DeadlineCore", "DeadlineStore"],
            exclude: ["io.deadlined.varlink"],
            plugins: ["EmbedInterfaceDefinition"]
        ),
        // Makes the IDL file a Swift string at build time (one source, no resource bundle).
        .plugin(name: "EmbedInterfaceDefinition", capability: .buildTool()),
        // The use cases, the commit path and the queries: no Varlink, NIO or GRDB types.
        .target(
            name: "Reports",
            dependencies: ["DeadlineCore"]
        ),
        .target(
            name: "Application",
            dependencies: ["DeadlineCore", "DeadlineStore", "Agenda", "ICalendar", "CLinux"]
        ),
        .target(
            name: "DeadlineDaemon",
            dependencies: [
                "Systemd", "DeadlineCore", "Agenda", "DeadlineStore", "SQLiteStore", "PostgresStore", "Scheduler", "Delivery", "Varlink", "Control", "ICalendar", "Application", "Reports",
                .product(name: "Configuration", package: "swift-configuration"),
                .product(name: "Yams", package: "Yams"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        .executableTarget(
            name: "deadlined",
            dependencies: [
                "DeadlineDaemon",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "deadlinectl",
            dependencies: [
                "Varlink", "Control", "DeadlineCore", "DeadlineStore", "Systemd", "Reports",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        .executableTarget(
            name: "DeadlineBench",
            dependencies: [
                "DeadlineCore", "DeadlineStore", "SQLiteStore", "PostgresStore", "PostgresTestKit", "Scheduler", "Delivery", "Varlink", "Control",
                "ICalendar", "Agenda",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "CoreMetrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            path: "Benchmarks/DeadlineBench"
        ),
        // One stub of the io.deadlined handler, for the control tests and the fuzzer.
        .target(
            name: "ControlTestKit",
            dependencies: ["Varlink", "Control", "DeadlineCore"],
            path: "Tests/ControlTestKit"
        ),
        // A throw-away PostgreSQL cluster (initdb, pg_ctl) for the tests that need a server.
        .target(
            name: "PostgresTestKit",
            dependencies: [],
            path: "Tests/PostgresTestKit"
        ),
        // libFuzzer over the control socket's input; built only with --sanitize fuzzer (see .ci/fuzz).
        .executableTarget(
            name: "ControlFuzz",
            dependencies: [
                "Varlink", "Control", "ControlTestKit", "DeadlineCore",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOEmbedded", package: "swift-nio"),
            ],
            path: "Fuzz/ControlFuzz",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        // libFuzzer over iCalendar import, with an export round trip as its property.
        .executableTarget(
            name: "ICalendarFuzz",
            dependencies: ["ICalendar", "DeadlineCore"],
            path: "Fuzz/ICalendarFuzz",
            swiftSettings: [.unsafeFlags(["-parse-as-library"])]
        ),
        .testTarget(
            name: "DeadlineCoreTests",
            dependencies: ["DeadlineCore"]
        ),
        .testTarget(
            name: "AgendaTests",
            dependencies: ["Agenda", "DeadlineCore"]
        ),
        .testTarget(
            name: "DeadlineStoreTests",
            dependencies: ["DeadlineStore", "SQLiteStore", "PostgresStore", "PostgresTestKit", "DeadlineCore", .product(name: "GRDB", package: "GRDB.swift")]
        ),
        .testTarget(
            name: "SchedulerTests",
            dependencies: ["Scheduler", "DeadlineStore", "SQLiteStore", "PostgresStore", "PostgresTestKit", "DeadlineCore", "Delivery"]
        ),
        .testTarget(
            name: "ICalendarTests",
            dependencies: ["ICalendar", "DeadlineCore"]
        ),
        .testTarget(
            name: "ApplicationTests",
            dependencies: ["Application", "DeadlineStore", "SQLiteStore", "DeadlineCore"]
        ),
        .testTarget(
            name: "DeliveryTests",
            dependencies: ["Delivery"]
        ),
        .testTarget(
            name: "ControlTests",
            dependencies: ["Varlink", "Control", "ControlTestKit", "DeadlineCore", .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"), .product(name: "NIOCore", package: "swift-nio"), .product(name: "NIOPosix", package: "swift-nio")]
        ),
        .testTarget(
            name: "DeadlineDaemonTests",
            dependencies: ["DeadlineDaemon", "DeadlineCore", "Systemd", .product(name: "Logging", package: "swift-log")]
        ),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["Varlink", "Control", "DeadlineCore", "PostgresTestKit"],
            exclude: ["Receivers"]
        ),
    ],
    swiftLanguageModes: [.v6]
)
