import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif
import Testing
import VaporTesting
import NIOCore
import Fluent
@testable import App
@testable import Domain

/// Regression tests for the findings of the outside probe (issue 9), on SQLite and PostgreSQL.
@Suite("Security: login, sessions, disclosure, Open311 edges")
struct SecurityTests {
    /// Posts the login form with a raw `terug` value (CR/LF and tabs included).
    func login(_ browser: TestBrowser, _ email: String, _ password: String, terug: String) async throws -> TestingHTTPResponse {
        try await browser.submit("/inloggen", [("email", email), ("password", password), ("terug", terug)])
    }

    @Test func theReturnParameterCannotWriteHeadersOrLeaveTheSite() async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "anne@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
            let attacks = ["/\r\nSet-Cookie: injected=1; Path=/", "/\r\n\r\n<h1>body</h1>", "/\t/evil.example/", "/%09/evil.example/", "//evil.example/",
                           "/\\evil.example/", "/%5C%5Cevil.example", "/%2F%2Fevil.example/", "https://evil.example/", "/\n/evil.example"]
            for attack in attacks {
                let response = try await login(TestBrowser(app), "anne@oss.test", Fixture.password, terug: attack)
                #expect(response.status == .seeOther)
                #expect(response.headers.first(name: .location) == "/werk", "\(attack.debugDescription) falls back to the start page")
                #expect(!(response.headers[.setCookie].joined().contains("injected")))
                #expect(response.headers.count(where: { $0.name.lowercased() == "set-cookie" }) <= 1)
            }
            let fine = try await login(TestBrowser(app), "anne@oss.test", Fixture.password, terug: "/werk/meldingen?status=open")
            #expect(fine.headers.first(name: .location) == "/werk/meldingen?status=open")
        }
    }

    @Test func parallelWrongPasswordsCannotGetPastTheLock() async throws {
        try await withApp(now: Date(timeIntervalSince1970: 1_800_000_000)) { app in
            try await Fixture.user(app, email: "anne@oss.test", role: .admin)
            // The forms first (each needs its own session and token), then 30 posts at the same moment.
            var prepared: [(TestBrowser, String)] = []
            for _ in 0..<30 {
                let b = TestBrowser(app)
                prepared.append((b, TestBrowser.csrf(in: try await b.get("/inloggen").text)))
            }
            let statuses = try await withThrowingTaskGroup(of: HTTPResponseStatus.self) { group in
                for (b, token) in prepared {
                    group.addTask { try await b.post("/inloggen", form: [("csrf", token), ("email", "anne@oss.test"), ("password", "fout-fout-fout")]).status }
                }
                return try await group.reduce(into: [HTTPResponseStatus]()) { $0.append($1) }
            }
            #expect(statuses.filter { $0 == .unauthorized }.count <= 4, "at most four wrong passwords are checked before the lock")
            #expect(statuses.filter { $0 == .tooManyRequests }.count >= 26)
            let right = try await TestBrowser(app).login("anne@oss.test", Fixture.password)
            #expect(right.status == .tooManyRequests, "the lock holds: the right password is refused too")
        }
    }

    @Test func loginIssuesANewSessionAndThePlantedOneIsDead() async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "anne@oss.test", role: .admin)
            let victim = TestBrowser(app)
            let html = try await victim.get("/inloggen").text
            let planted = try #require(victim.cookies["wijkwerk_session"])
            let attacker = TestBrowser(app)
            attacker.cookies["wijkwerk_session"] = planted
            let response = try await victim.post("/inloggen", form: [("csrf", TestBrowser.csrf(in: html)), ("email", "anne@oss.test"), ("password", Fixture.password)])
            #expect(response.status == .seeOther)
            #expect(victim.cookies["wijkwerk_session"] != planted, "a new session id at login")
            #expect(try await victim.get("/beheer").status == .ok)
            #expect(try await attacker.get("/beheer").status == .seeOther, "the id from before the login does not log anyone in")
        }
    }

    @Test func anonymousPagesStoreNoSessionAndSessionsExpire() async throws {
        let start = Date(timeIntervalSince1970: 1_800_000_000)
        try await withApp(now: start) { app in
            for path in ["/", "/gemeenten/oss", "/gemeenten/oss/gebieden/ruwaard", "/api/v1/areas?municipality=GM0828"] {
                let response = try await app.testing().sendRequest(.GET, path)
                #expect(response.status == .ok)
                #expect(!response.headers[.setCookie].contains { $0.hasPrefix("wijkwerk_session=") && !$0.hasPrefix("wijkwerk_session=;") && !$0.contains("1970") })
            }
            #expect(try await StoredSession.query(on: app.db).count() == 0, "anonymous page views store nothing")

            try await Fixture.user(app, email: "anne@oss.test", role: .admin)
            let browser = TestBrowser(app)
            #expect(try await browser.login("anne@oss.test", Fixture.password).status == .seeOther)
            app.clock = .fixed(start.addingTimeInterval(50 * 60))
            #expect(try await browser.get("/beheer").status == .ok, "in use within the idle time")
            app.clock = .fixed(start.addingTimeInterval(50 * 60 + 61 * 60))
            #expect(try await browser.get("/beheer").status == .seeOther, "idle for more than an hour: logged out")

            let other = TestBrowser(app)
            app.clock = .fixed(start)
            #expect(try await other.login("anne@oss.test", Fixture.password).status == .seeOther)
            for step in 1...11 {
                app.clock = .fixed(start.addingTimeInterval(Double(step) * 50 * 60))
                #expect(try await other.get("/beheer").status == .ok, "active every 50 minutes, up to 9 h 10")
            }
            app.clock = .fixed(start.addingTimeInterval(10 * 3600 + 60))
            #expect(try await other.get("/beheer").status == .seeOther, "at most ten hours, however active")
            // The job removes what expired.
            try await Fixture.user(app, email: "bert@oss.test", role: .admin)
            app.clock = .fixed(start)
            #expect(try await TestBrowser(app).login("bert@oss.test", Fixture.password).status == .seeOther)
            #expect(try await StoredSession.query(on: app.db).count() >= 1)
            #expect(try await SessionStore.purge(now: start.addingTimeInterval(11 * 3600), on: app.db) >= 1)
            #expect(try await StoredSession.query(on: app.db).count() == 0)
        }
    }

    @Test func aRoleChangeEndsTheUsersSessions() async throws {
        try await withApp { app in
            let user = try await Fixture.user(app, email: "anne@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
            let anne = TestBrowser(app)
            #expect(try await anne.login("anne@oss.test", Fixture.password).status == .seeOther)
            #expect(try await anne.get("/werk/meldingen").status == .ok)
            let admin = try await Fixture.adminBrowser(app)
            let edit = "/beheer/gebruikers/\(user.id!)"
            let ruwaard = try await Fixture.area(app, "ruwaard").id!.uuidString
            let saved = try await admin.submit(edit, [("email", "anne@oss.test"), ("name", "Anne"), ("role", "areaManager"),
                                                      ("municipality", user.$municipality.id!.uuidString), ("active", "ja"), ("areas[]", ruwaard)])
            #expect(saved.status == .seeOther)
            #expect(try await User.find(user.id, on: app.db)?.role == .areaManager)
            #expect(try await anne.get("/werk/meldingen").status == .seeOther, "the old session ended with the role change")
        }
    }

    @Test func commonAndTrivialPasswordsAreRefusedWithTheReason() async throws {
        try await withApp { app in
            #expect(app.commonPasswords.count > 19_000)
            for (password, text) in [("wachtwoord123", "veelgebruikte wachtwoorden"), ("aaaaaaaaaaaaaaa", "hetzelfde stukje"), ("123456789012345", "alleen cijfers")] {
                do {
                    try await Fixture.user(app, email: "x\(password.count)\(password.prefix(2))@oss.test", role: .admin, municipality: nil, password: password)
                    Issue.record("\(password) was accepted")
                } catch let failure as ValidationFailure {
                    #expect(failure.errors.map { app.localizer.text($0.key, .nl) }.joined().contains(text))
                }
            }
        }
    }

    @Test func theMixingPanelNeverShowsAnotherMunicipalitysPanel() async throws {
        try await withApp { app in
            let oosterhout = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0826").first())
            let foreign = MixingPanelRecord()
            foreign.$municipality.id = try oosterhout.requireID()
            foreign.subjectKind = "team"
            foreign.subjectName = "Geheim team Oosterhout"
            foreign.variant = "nu"
            foreign.evaluatedOn = "2026-11-01"
            foreign.scaleSteps = 3
            foreign.sixthSlider = false
            foreign.positionsJSON = AuditLog.json(["positioneringIntern": 1, "procesBinnenGemeente": 1, "procesMetBewoners": 1, "bestuurEnPolitiek": 1, "communicatie": 1])
            foreign.notesJSON = "{}"
            foreign.createdAt = Date()
            try await foreign.create(on: app.db)
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let response = try await admin.submit("/gemeenten/oss/mengpaneel/nieuw", [("variant", "ambitie"), ("currentID", foreign.id!.uuidString), ("evaluatedOn", "2026-11-20"), ("scale", "3")])
            #expect(response.status == .unprocessableEntity)
            #expect(!response.text.contains("Geheim team Oosterhout"))
        }
    }

    @Test func stsAndSecureCookiesBehindTLSAndMetricsBehindAToken() async throws {
        try await withApp { app in
            let plain = try await app.testing().sendRequest(.GET, "/")
            #expect(plain.headers.first(name: "Strict-Transport-Security") == nil)
            #expect(try await app.testing().sendRequest(.GET, "/metrics").status == .notFound, "no token configured: no metrics")
            app.config.publicURL = "https://wijkwerk.oss.nl"
            app.config.metricsToken = "een-geheim-token-van-32-tekens!!"
            let tls = try await app.testing().sendRequest(.GET, "/")
            #expect(tls.headers.first(name: "Strict-Transport-Security")?.contains("max-age=31536000") == true)
            #expect(try await app.testing().sendRequest(.GET, "/metrics").status == .unauthorized)
            #expect(try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer verkeerd"]).status == .unauthorized)
            let metrics = try await app.testing().sendRequest(.GET, "/metrics", headers: ["Authorization": "Bearer een-geheim-token-van-32-tekens!!"])
            #expect(metrics.status == .ok && metrics.body.string.contains("wijkwerk_http_requests_total"))
        }
        // Through a proxy on a trusted address that says the request came over https: Secure cookies and HSTS.
        try await withApp { app in
            func viaProxy(from peer: String) async throws -> Response {
                let req = Request(application: app, method: .GET, url: URI(path: "/inloggen"), headers: ["X-Forwarded-Proto": "https"],
                                  remoteAddress: try SocketAddress(ipAddress: peer, port: 44_000), on: app.eventLoopGroup.next())
                return try await app.responder.respond(to: req).get()
            }
            let trusted = try await viaProxy(from: "127.0.0.1")
            #expect(trusted.headers.first(name: "Strict-Transport-Security") != nil)
            #expect(trusted.headers[.setCookie].first { $0.hasPrefix("wijkwerk_session=") }?.contains("Secure") == true)
            let untrusted = try await viaProxy(from: "203.0.113.7")
            #expect(untrusted.headers.first(name: "Strict-Transport-Security") == nil, "the header from an unknown address is not believed")
            #expect(untrusted.headers[.setCookie].first { $0.hasPrefix("wijkwerk_session=") }?.contains("Secure") == false)
        }
    }

    @Test func emailAddressesThatCouldReachAHeaderAreRefused() async throws {
        try await withApp { app in
            let browser = TestBrowser(app)
            for address in ["a@oss.nl\r\nBcc: x@evil.example", "\"a\"@oss.nl", "<a@oss.nl>", "a b@oss.nl"] {
                let response = try await browser.submit("/inloggen", [("email", address), ("password", "iets-iets-iets")])
                #expect(response.status == .unprocessableEntity)
            }
        }
    }
}
