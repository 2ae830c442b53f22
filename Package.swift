// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "wijkwerk",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "wijkwerk", targets: ["Run"]),
        .executable(name: "wijkwerk-locate-bench", targets: ["LocateBenchmark"]),
    ],
    dependencies: [
        .package(url: "https://github.com/vapor/vapor.git", from: "4.122.3"),
        .package(url: "https://github.com/vapor/fluent.git", from: "4.13.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/leaf.git", from: "4.5.2"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/vapor/multipart-kit.git", from: "4.7.1"),
        .package(url: "https://github.com/attaswift/BigInt.git", from: "6.0.1"),
        // Already in the graph (Vapor, PostgresNIO); named for RSA signature checks of OpenID Connect ID tokens.
        .package(url: "https://github.com/apple/swift-crypto.git", "3.0.0" ..< "5.0.0"),
    ],
    targets: [
        .target(name: "Domain", dependencies: [.product(name: "BigInt", package: "BigInt")], path: "Sources/Domain"),
        .target(
            name: "App",
            dependencies: [
                "Domain",
                .product(name: "Vapor", package: "vapor"),
                .product(name: "Fluent", package: "fluent"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "Leaf", package: "leaf"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "MultipartKit", package: "multipart-kit"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Sources/App"
        ),
        .executableTarget(
            name: "Run",
            dependencies: ["App"],
            path: "Sources/Run"
        ),
        .executableTarget(name: "LocateBenchmark", dependencies: ["Domain"], path: "Benchmarks/LocateBenchmark"),
        .testTarget(name: "DomainTests", dependencies: ["Domain", .product(name: "BigInt", package: "BigInt")], path: "Tests/DomainTests"),
        .testTarget(
            name: "AppTests",
            dependencies: [
                "App",
                "Domain",
                .product(name: "VaporTesting", package: "vapor"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            path: "Tests/AppTests"
        ),
    ]
)
