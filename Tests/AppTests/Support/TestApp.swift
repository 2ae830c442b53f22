import Foundation
import Testing
import VaporTesting
import Fluent
import SQLKit
@testable import App
@testable import Domain

/// The database tests run on: in-memory SQLite, or (when DATABASE_URL is set) a fresh PostgreSQL database per test.
enum TestDatabase {
    static var postgresURL: String? {
        guard let url = ProcessInfo.processInfo.environment["DATABASE_URL"], url.hasPrefix("postgres") else { return nil }
        return url
    }

    static var label: String { postgresURL == nil ? "SQLite" : "PostgreSQL" }

    /// Runs SQL against the server's base database (CREATE/DROP DATABASE cannot run in a transaction).
    static func admin(_ sql: String, baseURL: String) async throws {
        let app = try await Application.make(.testing)
        do {
            app.databases.use(try .postgres(url: baseURL, maxConnectionsPerEventLoop: 1), as: .psql)
            try await (app.db as! any SQLDatabase).raw(SQLQueryString(sql)).run()
        } catch {
            try await app.asyncShutdown()
            throw error
        }
        try await app.asyncShutdown()
    }

    static func url(_ base: String, database: String) -> URL {
        var components = URLComponents(string: base)!
        components.path = "/" + database
        return components.url!
    }
}

/// A fresh application with a migrated database holding the demo (Oss and Oosterhout), for one test.
/// At most this many app tests hold a PostgreSQL database at once: each app's pool opens up to eight connections,
/// and the test server allows 300 (scripts/start-postgres); with every test at once it says "too many clients".
actor TestAppSlots {
    static let postgres = TestAppSlots(limit: 20)
    private var available: Int
    private var waiting: [CheckedContinuation<Void, Never>] = []
    init(limit: Int) { available = limit }

    func acquire() async {
        if available > 0 { available -= 1; return }
        await withCheckedContinuation { waiting.append($0) }
    }

    func release() {
        if waiting.isEmpty { available += 1 } else { waiting.removeFirst().resume() }
    }
}

func withApp(now: Date? = nil, demo: Bool = true, demoSignals: Int = 0, _ body: (Application) async throws -> Void) async throws {
    guard TestDatabase.postgresURL != nil else { return try await withAppHoldingASlot(now: now, demo: demo, demoSignals: demoSignals, body) }
    await TestAppSlots.postgres.acquire()
    do {
        try await withAppHoldingASlot(now: now, demo: demo, demoSignals: demoSignals, body)
    } catch {
        await TestAppSlots.postgres.release()
        throw error
    }
    await TestAppSlots.postgres.release()
}

private func withAppHoldingASlot(now: Date?, demo: Bool, demoSignals: Int, _ body: (Application) async throws -> Void) async throws {
    let app = try await Application.make(.testing)
    var database: String? = nil
    let folder = NSTemporaryDirectory() + "wijkwerk-test-" + UUID().uuidString
    do {
        var dbConfig = AppConfig.Database.sqliteMemory
        if let base = TestDatabase.postgresURL {
            let name = "t_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            try await TestDatabase.admin("CREATE DATABASE \(name)", baseURL: base)
            database = name
            dbConfig = .postgres(TestDatabase.url(base, database: name))
        }
        var config = AppConfig(database: dbConfig, dataDirectory: folder, loadDemo: demo, secureCookies: false, runScheduler: false, mailDirectory: folder + "/mail", sendmail: nil)
        config.demoSignals = demoSignals
        try await configure(app, config: config)
        app.passwords.use(.bcrypt(cost: 4))
        if let now { app.clock = .fixed(now) }
        try await app.prepareDatabase()
        try await body(app)
        try await expectSelfDescribingAuditLog(app)
    } catch {
        try? await app.asyncShutdown()
        if let database, let base = TestDatabase.postgresURL { try? await TestDatabase.admin("DROP DATABASE IF EXISTS \(database) WITH (FORCE)", baseURL: base) }
        throw error
    }
    try await app.asyncShutdown()
    if let database, let base = TestDatabase.postgresURL { try await TestDatabase.admin("DROP DATABASE IF EXISTS \(database) WITH (FORCE)", baseURL: base) }
    try? FileManager.default.removeItem(atPath: folder)
}

/// Every audited write of every app test yields a diff that shows what changed (issue 10): an entry with
/// nothing to compare would tell a reader of the audit log nothing.
func expectSelfDescribingAuditLog(_ app: Application) async throws {
    for entry in try await AuditEntry.query(on: app.db).all() {
        guard let action = AuditAction(rawValue: entry.action) else {
            Issue.record("unknown audit action \(entry.action)"); continue
        }
        #expect(AuditEntityType(rawValue: entry.entityType) == action.entityType)
        if action.isEvent { continue }
        #expect(!AuditDiff.changes(before: entry.before, after: entry.after, names: [:]).isEmpty,
                "\(entry.action) (\(entry.summary)) records no change: before \(entry.before ?? "nil"), after \(entry.after ?? "nil")")
    }
}

/// A small browser: keeps cookies, sends forms, reads the CSRF token from pages.
final class TestBrowser: @unchecked Sendable {
    let app: Application
    var cookies: [String: String] = [:]
    var language: String? = nil

    init(_ app: Application) { self.app = app }

    @discardableResult
    func get(_ path: String, headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        try await send(.GET, path, headers: headers, body: nil)
    }

    @discardableResult
    func post(_ path: String, form: [(String, String)], headers: HTTPHeaders = [:]) async throws -> TestingHTTPResponse {
        var h = headers
        h.contentType = .urlEncodedForm
        return try await send(.POST, path, headers: h, body: ByteBuffer(string: Self.encode(form)))
    }

    /// Posts a form from `page` (GET first for the token), adding the CSRF token.
    @discardableResult
    func submit(_ page: String, to action: String? = nil, _ form: [(String, String)]) async throws -> TestingHTTPResponse {
        let html = try await get(page).body.string
        var fields = [("csrf", Self.csrf(in: html))] + form
        if !form.contains(where: { $0.0 == "versie" }), let version = Self.hidden("versie", in: html) { fields.append(("versie", version)) }
        return try await post(action ?? page, form: fields)
    }

    static func hidden(_ name: String, in html: String) -> String? {
        guard let range = html.range(of: "name=\"\(name)\" value=\"([^\"]*)\"", options: .regularExpression) else { return nil }
        return String(html[range]).components(separatedBy: "value=\"")[1].dropLast().description
    }

    private func send(_ method: HTTPMethod, _ path: String, headers: HTTPHeaders, body: ByteBuffer?) async throws -> TestingHTTPResponse {
        var h = headers
        if !cookies.isEmpty { h.replaceOrAdd(name: .cookie, value: cookies.map { "\($0.key)=\($0.value)" }.joined(separator: "; ")) }
        if let language { h.replaceOrAdd(name: .acceptLanguage, value: language) }
        let response = try await app.testing().sendRequest(method, path, headers: h, body: body)
        for (name, value) in response.headers.setCookie?.all ?? [:] {
            if value.expires.map({ $0 < Date() }) == true || value.maxAge == 0 { cookies[name] = nil } else { cookies[name] = value.string }
        }
        return response
    }

    func login(_ email: String, _ password: String) async throws -> TestingHTTPResponse {
        try await submit("/inloggen", [("email", email), ("password", password), ("terug", "/beheer")])
    }

    static func csrf(in html: String) -> String { hidden("csrf", in: html) ?? "" }

    static func encode(_ form: [(String, String)]) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return form.map { "\($0.0.addingPercentEncoding(withAllowedCharacters: allowed)!)=\($0.1.addingPercentEncoding(withAllowedCharacters: allowed)!)" }.joined(separator: "&")
    }
}

/// Fixtures: staff accounts and lookups in the demo.
enum Fixture {
    static let password = "Test-wachtwoord-123"

    @discardableResult
    static func user(_ app: Application, email: String, role: Role, municipality: String? = "GM0828", areas: [String] = [], department: String? = nil,
                     password: String = Fixture.password) async throws -> User {
        let m = try await municipality.asyncMap { try await Municipality.query(on: app.db).filter(\.$code == $0).first()! }
        var areaIDs: [UUID] = []
        for slug in areas { areaIDs.append(try await Area.query(on: app.db).filter(\.$slug == slug).filter(\.$municipality.$id == m!.requireID()).first()!.requireID()) }
        var departmentID: UUID? = nil
        if let department { departmentID = try await Department.query(on: app.db).filter(\.$name == department).filter(\.$municipality.$id == m!.requireID()).first()!.requireID() }
        let input = UserInput(email: email, name: email.components(separatedBy: "@")[0].capitalized, role: role.rawValue, municipalityID: try m?.requireID(),
                              departmentID: departmentID, areaIDs: areaIDs, password: password, active: true)
        return try await AccountsService.create(input, by: nil, requestID: nil, hasher: app.password, common: app.commonPasswords, now: Date(), on: app.db)
    }

    static func area(_ app: Application, _ slug: String, in code: String = "GM0828") async throws -> Area {
        let m = try await Municipality.query(on: app.db).filter(\.$code == code).first()!
        return try await Area.query(on: app.db).filter(\.$slug == slug).filter(\.$municipality.$id == m.requireID()).first()!
    }

    /// Logged in as a fresh admin (installation-wide unless a municipality is given).
    static func adminBrowser(_ app: Application, municipality: String? = nil) async throws -> TestBrowser {
        let email = "beheer-\(UUID().uuidString.prefix(6).lowercased())@gemeente.test"
        try await user(app, email: email, role: .admin, municipality: municipality)
        let browser = TestBrowser(app)
        let response = try await browser.login(email, password)
        #expect(response.status == .seeOther)
        return browser
    }
}

extension Optional {
    func asyncMap<T>(_ transform: (Wrapped) async throws -> T) async rethrows -> T? {
        switch self {
        case .some(let w): return try await transform(w)
        case .none: return nil
        }
    }
}

extension TestingHTTPResponse {
    var text: String { body.string }
    func json<T: Decodable>(_ type: T.Type) throws -> T { try JSONDecoder().decode(T.self, from: Data(body.readableBytesView)) }
}

/// A `multipart/form-data` body with fields and at most one file, and its Content-Type header.
enum Multipart {
    struct File { var field: String; var filename: String; var contentType: String; var data: Data }

    static func body(_ fields: [(String, String)], file: File?) -> (HTTPHeaders, ByteBuffer) {
        let boundary = "grens\(UUID().uuidString.prefix(8))"
        var body = Data()
        for (k, v) in fields { body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(k)\"\r\n\r\n\(v)\r\n".utf8)) }
        if let file {
            body.append(Data("--\(boundary)\r\nContent-Disposition: form-data; name=\"\(file.field)\"; filename=\"\(file.filename)\"\r\nContent-Type: \(file.contentType)\r\n\r\n".utf8))
            body.append(file.data)
            body.append(Data("\r\n".utf8))
        }
        body.append(Data("--\(boundary)--\r\n".utf8))
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: "multipart/form-data; boundary=\(boundary)")
        return (headers, ByteBuffer(data: body))
    }
}
