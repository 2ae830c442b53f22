import Vapor
import Fluent
import FluentSQLiteDriver
import FluentPostgresDriver
import Leaf
import Domain

/// The table of contents of the application: configuration, database, middleware, features.
public func configure(_ app: Application) async throws {
    let config = try AppConfig.load(from: ProcessInfo.processInfo.environment.merging(app.testEnvironment) { $1 })
    try await configure(app, config: config)
}

public func configure(_ app: Application, config: AppConfig) async throws {
    app.config = config
    app.openIDProvider = config.openID.map(OpenIDProvider.init(settings:))
    app.secretBox = try SecretBox.load(configured: config.secretKey, dataDirectory: config.dataDirectory)
    app.localizer = try Localizer(directory: app.directory.resourcesDirectory + "Localization/")
    app.mixingPanelContent = try MixingPanelContent.load(from: app.directory.resourcesDirectory + "Seed/mixing_panel.json")

    // The application's own pool for blocking work (SQLite statements, password hashing, file reads), larger than the
    // process-wide default of one thread per core: an SQLite writer waiting in its busy handler holds a thread, and
    // the writer it waits for needs one to finish. Set before the databases are first used.
    app.threadPool = NIOThreadPool(numberOfThreads: max(8, System.coreCount * 4))

    // Database
    switch config.database {
    case .sqliteMemory:
        app.databases.use(.sqlite(.memory), as: .sqlite)
    case .sqliteFile(let path):
        let folder = (path as NSString).deletingLastPathComponent
        if !folder.isEmpty { try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true) }
        app.databases.use(.sqlite(.file(path)), as: .sqlite)
    case .postgres(let url):
        app.databases.use(try .postgres(url: url, maxConnectionsPerEventLoop: 4), as: .psql)
    }
    registerMigrations(app)

    // Sessions (stored in the database), views, security
    app.sessions.use { _ in DatabaseSessions() }
    app.sessions.configuration.cookieName = "wijkwerk_session"
    app.sessions.configuration.cookieFactory = { id in
        // An empty session is not stored; its cookie is removed.
        if id.string.isEmpty { return .expired }
        let lifetime = Int(SessionPolicy.standard.absolute)
        return .init(string: id.string, expires: Date().addingTimeInterval(Double(lifetime)), maxAge: lifetime, path: "/",
                     isSecure: config.secureCookies, isHTTPOnly: true, sameSite: .lax)
    }
    app.commonPasswords = try CommonPasswords.load(from: app.directory.resourcesDirectory + "Seed/common-passwords.txt")
    app.views.use(.leaf)
    app.leaf.tags["t"] = TranslateTag()
    app.routes.defaultMaxBodySize = "1mb"

    app.middleware = Middlewares()
    app.middleware.use(InFlightMiddleware())
    app.middleware.use(SecurityHeadersMiddleware(tileOrigin: app.config.tileURL == nil ? nil : app.config.tileOrigin))
    app.middleware.use(AccessLogMiddleware())
    app.middleware.use(WijkwerkErrorMiddleware())
    app.middleware.use(LoginRedirectMiddleware())
    app.middleware.use(StylesheetMiddleware(FileMiddleware(publicDirectory: app.directory.publicDirectory)))
    app.middleware.use(LanguageMiddleware())
    app.middleware.use(app.sessions.middleware)
    app.middleware.use(SessionUserMiddleware())
    app.middleware.use(AccessMiddleware())
    app.middleware.use(FormerAreaSlugMiddleware())

    try routes(app)
    registerCommands(app)
    _ = app.signalStatisticsCache // made before requests run concurrently
}

extension Application {
    /// Extra environment for tests (merged over the process environment).
    private struct TestEnvironmentKey: StorageKey { typealias Value = [String: String] }
    public var testEnvironment: [String: String] {
        get { storage[TestEnvironmentKey.self] ?? [:] }
        set { storage[TestEnvironmentKey.self] = newValue }
    }

    /// Builds the buurt locator before the first request needs it.
    public func warmCaches() async throws {
        _ = try await areaDirectory.locator(on: db)
    }

    /// Runs the background jobs every minute inside the server (unless WIJKWERK_SCHEDULER is off).
    /// Also installs the clean stop: registered after the scheduler, so on shutdown requests drain first,
    /// then the scheduler finishes its batch, then the databases close.
    public func startScheduler() {
        if config.runScheduler { lifecycle.use(JobScheduler()) }
        lifecycle.use(GracefulShutdown())
    }

    /// Migrates and, on an empty database with the demo switched on, loads the demo.
    public func prepareDatabase() async throws {
        try await autoMigrate()
        try await ensureMixingPanelProfiles()
        if config.loadDemo {
            if try await AreaSeeder(seedDirectory: directory.resourcesDirectory + "Seed/").seedIfEmpty(on: db) {
                try await CouncilDemoSeeder.seed(on: db, now: clock())
                try await AdviceDemoSeeder.seed(on: db, now: clock())
                try await MemberDemoSeeder.seed(on: db, now: clock())
                // The real CBS figures of the demo municipalities over the years (2017, 2019, 2022, 2024), for the area profiles.
                let seed = directory.resourcesDirectory + "Seed/"
                for (file, year) in [("cbs_wijken_buurten_GM0828_GM0826_2024.csv", 2024 as Int?), ("kwb_history_GM0828_GM0826.csv", nil)] {
                    guard let data = FileManager.default.contents(atPath: seed + file) else { continue }
                    _ = try await CBSImport.run(String(decoding: data, as: UTF8.self), year: year, on: db)
                }
                logger.info("Loaded the demo municipalities from Resources/Seed")
            }
        }
        let signals = SignalDemoSeeder(seedDirectory: directory.resourcesDirectory + "Seed/")
        try await signals.ensureConfiguration(on: db)
        // Demo signals go with the demo councils (invented data only where the demo was loaded).
        if config.loadDemo, try await Council.query(on: db).filter(\.$demo == true).count() > 0 {
            try await signals.seed(app: self, now: clock())
            try await InitiativeDemoSeeder.seed(app: self)
            try await ProfileDemoSeeder.seed(app: self)
            try await CycleDemoSeeder.seed(app: self)
            try await BudgetRoundDemoSeeder.seed(app: self)
            try await PriorityRankingDemoSeeder.seed(app: self)
        }
    }
}

/// The `wijkwerk` subcommands besides Vapor's own `serve` and `migrate`.
func registerCommands(_ app: Application) {
    app.asyncCommands.use(UserCommands(), as: "user")
    app.asyncCommands.use(SeedCommand(), as: "seed")
    app.asyncCommands.use(SyntheticSeedCommand(), as: "seed-synthetic")
    app.asyncCommands.use(JobsCommand(), as: "jobs")
    app.asyncCommands.use(SignalSeedCommand(), as: "seed-signals")
    app.asyncCommands.use(Open311KeyCommand(), as: "open311-key")
    app.asyncCommands.use(CouncilSeedCommand(), as: "seed-councils")
    app.asyncCommands.use(DocsCommand(), as: "docs")
    app.asyncCommands.use(InitiativeSeedCommand(), as: "seed-initiatives")
    app.asyncCommands.use(ImportCommands(), as: "import")
    app.asyncCommands.use(GrantBenchCommand(), as: "bench-grants")
    app.asyncCommands.use(CycleBenchCommand(), as: "bench-cycle")
    app.asyncCommands.use(PabulibCommands(), as: "pb")
    app.asyncCommands.use(BudgetRoundBenchCommands(), as: "bench-pb")
}

/// `wijkwerk seed`: loads the demo into an empty database (serve does this by itself).
struct SeedCommand: AsyncCommand {
    struct Signature: CommandSignature {}
    var help: String { "Load the demo municipalities into an empty database" }
    func run(using context: CommandContext, signature: Signature) async throws {
        let seeded = try await AreaSeeder(seedDirectory: context.application.directory.resourcesDirectory + "Seed/").seedIfEmpty(on: context.application.db)
        context.console.print(seeded ? "Demo loaded." : "The database already holds municipalities; nothing loaded.")
    }
}
