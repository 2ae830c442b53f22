import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Login, lockout and CSRF")
struct AuthTests {
    @Test func loginWithTheRightPasswordOpensAdmin() async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "anne@oss.test", role: .admin)
            let browser = TestBrowser(app)
            #expect(try await browser.get("/beheer").status == .seeOther, "anonymous: to the login page")
            let response = try await browser.login("Anne@Oss.test", Fixture.password)
            #expect(response.status == .seeOther)
            #expect(response.headers.first(name: .location) == "/beheer")
            let admin = try await browser.get("/beheer")
            #expect(admin.status == .ok)
            #expect(admin.text.contains("Ingelogd als Anne"))
            let entries = try await AuditEntry.query(on: app.db).filter(\.$action == "user.login").count()
            #expect(entries == 1)
        }
    }

    @Test func wrongPasswordAndUnknownAccountGetTheSameAnswer() async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "anne@oss.test", role: .admin)
            let wrong = try await TestBrowser(app).login("anne@oss.test", "verkeerd-wachtwoord")
            let unknown = try await TestBrowser(app).login("niemand@oss.test", "verkeerd-wachtwoord")
            #expect(wrong.status == .unauthorized)
            #expect(unknown.status == .unauthorized)
            let message = "Het e-mailadres of het wachtwoord klopt niet."
            #expect(wrong.text.contains(message) && unknown.text.contains(message))
            #expect(wrong.text.contains("value=\"anne@oss.test\""), "the e-mail address typed is kept")
            #expect(!wrong.text.contains("verkeerd-wachtwoord"), "the password is never sent back")
            #expect(wrong.text.contains("<title>Fout: 1 vraag niet goed ingevuld"))
        }
    }

    @Test func fiveFailuresLockTheAddressEvenWithTheRightPassword() async throws {
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        try await withApp(now: now) { app in
            try await Fixture.user(app, email: "anne@oss.test", role: .admin)
            for _ in 0..<4 { #expect(try await TestBrowser(app).login("anne@oss.test", "fout-fout-fout").status == .unauthorized) }
            let fifth = try await TestBrowser(app).login("anne@oss.test", "fout-fout-fout")
            #expect(fifth.status == .tooManyRequests)
            let right = try await TestBrowser(app).login("anne@oss.test", Fixture.password)
            #expect(right.status == .tooManyRequests)
            #expect(right.text.contains("Probeer het over 15 minuten opnieuw"))
            // Unknown addresses lock the same way, so the answer does not reveal which accounts exist.
            for _ in 0..<5 { try await TestBrowser(app).login("niemand@oss.test", "fout-fout-fout") }
            #expect(try await TestBrowser(app).login("niemand@oss.test", "fout-fout-fout").status == .tooManyRequests)
            app.clock = .fixed(now.addingTimeInterval(16 * 60))
            #expect(try await TestBrowser(app).login("anne@oss.test", Fixture.password).status == .seeOther, "the lock ends")
        }
    }

    @Test func formsWithoutAValidTokenAreRefusedAndKeepTheInput() async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "anne@oss.test", role: .admin)
            let browser = TestBrowser(app)
            _ = try await browser.get("/inloggen")
            let missing = try await browser.post("/inloggen", form: [("email", "anne@oss.test"), ("password", Fixture.password)])
            #expect(missing.status == .forbidden)
            #expect(missing.text.contains("Uw formulier was verlopen"))
            #expect(missing.text.contains("value=\"anne@oss.test\""))
            let stale = try await browser.post("/inloggen", form: [("csrf", "oud-token"), ("email", "anne@oss.test"), ("password", Fixture.password)])
            #expect(stale.status == .forbidden)
            #expect(browser.cookies["wijkwerk_session"] != nil)
        }
    }

    @Test func logoutNeedsTheTokenAndEndsTheSession() async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "anne@oss.test", role: .admin)
            let browser = TestBrowser(app)
            _ = try await browser.login("anne@oss.test", Fixture.password)
            #expect(try await browser.post("/uitloggen", form: []).status == .forbidden)
            let html = try await browser.get("/beheer").text
            #expect(try await browser.post("/uitloggen", form: [("csrf", TestBrowser.csrf(in: html))]).status == .seeOther)
            #expect(try await browser.get("/beheer").status == .seeOther)
        }
    }

    @Test func onlyLocalReturnAddressesAreFollowed() {
        #expect(AuthController.safeReturn("/beheer/logboek") == "/beheer/logboek")
        #expect(AuthController.safeReturn("//evil.example") == "/werk")
        #expect(AuthController.safeReturn("https://evil.example") == "/werk")
        #expect(AuthController.safeReturn(nil) == "/werk", "without a return address: Mijn werk")
        #expect(AuthController.safeReturn("/beheer", role: .areaCoordinator) == "/werk", "admin pages only for admins")
    }

    @Test func userCreateCommandMakesTheFirstAdmin() async throws {
        try await withApp { app in
            var context = CommandContext(console: app.console, input: CommandInput(arguments: ["wijkwerk", "--email", "eerste@gemeente.test", "--role", "admin", "--name", "Eerste Beheerder", "--password", "Een-lang-wachtwoord-1"]))
            context.application = app
            try await app.console.run(UserCreateCommand(), with: context)
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "eerste@gemeente.test").first())
            #expect(user.role == .admin)
            #expect(user.$municipality.id == nil)
            #expect(user.passwordHash.hasPrefix("$2"))
            #expect(try await TestBrowser(app).login("eerste@gemeente.test", "Een-lang-wachtwoord-1").status == .seeOther)
        }
    }
}
