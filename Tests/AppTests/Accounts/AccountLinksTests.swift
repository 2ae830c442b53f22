import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

/// Monday 23 November 2026, 10:00 in the Netherlands.
private let monday = DutchTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23, hour: 10))!
private let newPassword = "Lange-zin-voor-Oss-2026"

/// The path of the first link to Wijkwerk in a mail body.
private func link(in body: String, containing part: String) -> String? {
    guard let line = body.split(separator: "\n").first(where: { $0.contains(part) }), let start = line.range(of: part) else { return nil }
    return String(line[start.lowerBound...]).trimmingCharacters(in: .whitespaces)
}

@Suite("Invitations, password reset and two-step login", .serialized)
struct AccountLinksTests {
    @Test func anInvitedColleagueChoosesAPasswordOnce() async throws {
        try await withApp(now: monday) { app in
            let admin = try await Fixture.adminBrowser(app, municipality: "GM0828")
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let created = try await admin.submit("/beheer/gebruikers/nieuw", [("name", "Ingrid Uitgenodigd"), ("email", "ingrid@oss.test"), ("role", "areaManager"),
                                                                             ("municipality", oss.id!.uuidString), ("password", ""), ("active", "ja")])
            #expect(created.status == .seeOther)
            let mail = try #require(try await OutgoingMail.query(on: app.db).filter(\.$recipient == "ingrid@oss.test").first())
            let path = try #require(link(in: mail.body, containing: "/account/wachtwoord/"))
            #expect(mail.body.contains("Oss") && !mail.body.contains("$2"))
            // Before choosing, no password logs in.
            let early = TestBrowser(app)
            #expect(try await early.login("ingrid@oss.test", "").status == .unprocessableEntity)
            #expect(try await early.login("ingrid@oss.test", "!invited-").status == .unauthorized)

            let page = try await TestBrowser(app).get(path)
            #expect(page.status == .ok && page.text.contains("Welkom bij Wijkwerk") && page.text.contains("ingrid@oss.test"))
            let browser = TestBrowser(app)
            let weak = try await browser.submit(path, [("password", "welkom123")])
            #expect(weak.status == .unprocessableEntity && weak.text.contains("Nieuw wachtwoord:"))
            // Four submits at once: the link is used once.
            let html = try await browser.get(path).text
            let results = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<4 { group.addTask { try await browser.post(path, form: [("csrf", TestBrowser.csrf(in: html)), ("password", newPassword)]).status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(results.filter { $0 == .seeOther }.count == 1 && results.filter { $0 == .notFound }.count == 3)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "user.invitationAccepted").count() == 1)
            #expect(try await TestBrowser(app).get(path).status == .notFound, "a link works once")
            let login = try await TestBrowser(app).login("ingrid@oss.test", newPassword)
            #expect(login.status == .seeOther && login.headers.first(name: .location) == "/werk")
        }
    }

    @Test func aForgottenPasswordIsResetWithoutRevealingAccounts() async throws {
        try await withApp(now: monday) { app in
            try await Fixture.user(app, email: "piet@oss.test", role: .areaManager)
            let loggedIn = TestBrowser(app)
            _ = try await loggedIn.login("piet@oss.test", Fixture.password)
            #expect(try await loggedIn.get("/werk").status == .ok)

            let stranger = TestBrowser(app)
            let unknown = try await stranger.submit("/wachtwoord-vergeten", [("email", "niemand@oss.test")])
            let known = try await stranger.submit("/wachtwoord-vergeten", [("email", "Piet@Oss.test")])
            #expect(unknown.status == .ok && known.status == .ok)
            func main(_ html: String) -> String { String(html[html.range(of: "<main")!.lowerBound..<html.range(of: "</main>")!.upperBound]) }
            #expect(main(unknown.text).replacingOccurrences(of: TestBrowser.csrf(in: unknown.text), with: "") == main(known.text).replacingOccurrences(of: TestBrowser.csrf(in: known.text), with: ""),
                    "the same answer whether or not the address has an account")
            let mails = try await OutgoingMail.query(on: app.db).all()
            #expect(mails.map(\.recipient) == ["piet@oss.test"])
            let path = try #require(link(in: mails[0].body, containing: "/account/wachtwoord/"))
            #expect(try await stranger.submit("/wachtwoord-vergeten", [("email", "geen adres")]).status == .unprocessableEntity)

            // An hour later the link no longer works; a fresh one does, and it ends the other sessions.
            app.clock = .fixed(monday.addingTimeInterval(3601))
            #expect(try await stranger.get(path).status == .notFound)
            app.clock = .fixed(monday.addingTimeInterval(60))
            let reset = try await stranger.submit(path, [("password", newPassword)])
            #expect(reset.status == .seeOther)
            #expect(try await loggedIn.get("/werk").status == .seeOther, "the old session has ended")
            #expect(try await TestBrowser(app).login("piet@oss.test", Fixture.password).status == .unauthorized)
            #expect(try await TestBrowser(app).login("piet@oss.test", newPassword).status == .seeOther)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "user.passwordReset").count() == 1)
        }
    }

    @Test func twoStepLoginWithAnAppAndRecoveryCodes() async throws {
        try await withApp(now: monday) { app in
            try await Fixture.user(app, email: "tess@oss.test", role: .areaManager)
            let browser = TestBrowser(app)
            _ = try await browser.login("tess@oss.test", Fixture.password)
            let setup = try await browser.get("/account/tweestaps").text
            let grouped = try #require(setup.range(of: "<code class=\"ww-secret\">([A-Z2-7 ]+)</code>", options: .regularExpression).map { String(setup[$0]) })
            let secretText = grouped.replacingOccurrences(of: "<code class=\"ww-secret\">", with: "").replacingOccurrences(of: "</code>", with: "")
            let secret = try #require(Base32.decode(secretText))
            #expect(setup.contains("otpauth://totp/Wijkwerk%3Atess@oss.test?secret="))
            let counter = TOTP.counter(at: monday)
            let wrong = try await browser.submit("/account/tweestaps", to: "/account/tweestaps/aanzetten", [("code", "000000")])
            #expect(wrong.status == .unprocessableEntity && wrong.text.contains("Deze code klopt niet"))
            let on = try await browser.submit("/account/tweestaps", to: "/account/tweestaps/aanzetten", [("code", TOTP.code(secret: secret, counter: counter))])
            #expect(on.status == .ok && on.text.contains("Uw herstelcodes"))
            let codes = on.text.ranges(of: #/<li><code>([a-z2-9]{4}-[a-z2-9]{4})</code></li>/#).map { String(on.text[$0]).dropFirst(10).prefix(9) }.map(String.init)
            #expect(codes.count == 10)
            // The secret is stored sealed (AES-GCM under a key outside the database), never as the app's text.
            let stored = try #require(try await User.query(on: app.db).filter(\.$email == "tess@oss.test").first()?.totpSecret)
            #expect(stored.hasPrefix(SecretBox.prefix) && !stored.contains(Base32.encode(secret)))
            #expect(app.secretBox.open(stored) == Base32.encode(secret))
            #expect(SecretBox(key: .init(size: .bits256)).open(stored) == nil, "another key opens nothing")

            // The password alone no longer logs in; the same code twice is refused; the next one works.
            let next = TestBrowser(app)
            let first = try await next.login("tess@oss.test", Fixture.password)
            #expect(first.headers.first(name: .location) == "/inloggen/code")
            #expect(try await next.get("/werk").status == .seeOther, "not logged in after the password alone")
            let replay = try await next.submit("/inloggen/code", [("code", TOTP.code(secret: secret, counter: counter))])
            #expect(replay.status == .unauthorized, "a code works once")
            let ok = try await next.submit("/inloggen/code", [("code", TOTP.code(secret: secret, counter: counter + 1))])
            #expect(ok.status == .seeOther && ok.headers.first(name: .location) == "/werk")
            #expect(try await next.get("/werk").status == .ok)

            // A recovery code logs in once.
            let lost = TestBrowser(app)
            _ = try await lost.login("tess@oss.test", Fixture.password)
            #expect(try await lost.submit("/inloggen/code", [("code", codes[0].uppercased())]).status == .seeOther)
            let again = TestBrowser(app)
            _ = try await again.login("tess@oss.test", Fixture.password)
            #expect(try await again.submit("/inloggen/code", [("code", codes[0])]).status == .unauthorized)
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "user.loginCode").count() == 1)
            // Without the first step the second step page sends back to the login.
            #expect(try await TestBrowser(app).get("/inloggen/code").status == .seeOther)
        }
    }

    @Test func anAdministratorRequiresTwoStepsForAMunicipality() async throws {
        try await withApp(now: monday) { app in
            try await Fixture.user(app, email: "wim@oss.test", role: .areaManager)
            let admin = try await Fixture.adminBrowser(app)
            let oss = try #require(try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first())
            let saved = try await admin.submit("/beheer/beveiliging", [("gemeenten", oss.id!.uuidString)])
            #expect(saved.status == .seeOther)
            #expect(try await Municipality.find(oss.id, on: app.db)?.requiresTOTP == true)
            let wim = TestBrowser(app)
            let login = try await wim.login("wim@oss.test", Fixture.password)
            #expect(login.headers.first(name: .location) == "/account/tweestaps")
            let work = try await wim.get("/werk/meldingen")
            #expect(work.status == .seeOther && work.headers.first(name: .location) == "/account/tweestaps", "nothing else before two steps are set up")
            let setupPage = try await wim.get("/account/tweestaps").text
            #expect(setupPage.contains("Uw gemeente vraagt dat u inlogt in twee stappen"), "\(setupPage.prefix(4000))")
            // A municipality's own administrator cannot change another municipality's setting.
            let ownAdmin = try await Fixture.adminBrowser(app, municipality: "GM0826")
            _ = try await ownAdmin.submit("/beheer/beveiliging", [])
            #expect(try await Municipality.find(oss.id, on: app.db)?.requiresTOTP == true)
        }
    }
}
