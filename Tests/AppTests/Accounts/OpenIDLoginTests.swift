import Foundation
import Testing
import VaporTesting
import Fluent
import Crypto
import _CryptoExtras
@testable import App
@testable import Domain

/// The parts of logging in through the municipality's identity provider that do not need the provider itself:
/// PKCE, the RSA signature check, finding and linking the account, and the answers when something goes wrong.
/// The whole flow against a real OpenID provider (Authlib) is in Tests/BrowserTests/test_openid.py.
@Suite("OpenID Connect login", .serialized)
struct OpenIDLoginTests {
    static let issuer = "https://login.gemeente.example"

    @Test func pkceFollowsRFC7636() {
        // RFC 7636 Appendix B.
        #expect(OpenIDLogin.challenge(for: "dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk") == "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM")
    }

    @Test func onlyTheProvidersKeyMakesAValidSignature() throws {
        let key = try _RSA.Signing.PrivateKey(keySize: .bits2048), other = try _RSA.Signing.PrivateKey(keySize: .bits2048)
        func signed(_ claims: String, alg: String = "RS256", with signer: _RSA.Signing.PrivateKey) throws -> String {
            let input = Base64URL.encode(Data(#"{"alg":"\#(alg)","kid":"k1"}"#.utf8)) + "." + Base64URL.encode(Data(claims.utf8))
            let signature = try signer.signature(for: SHA256.hash(data: Data(input.utf8)), padding: .insecurePKCS1v1_5)
            return input + "." + Base64URL.encode(signature.rawRepresentation)
        }
        let claims = #"{"iss":"\#(Self.issuer)","sub":"1","aud":"wijkwerk","exp":1800000000,"nonce":"n"}"#
        let good = try #require(OpenIDConnect.parse(try signed(claims, with: key)))
        #expect(OpenIDLogin.signatureIsValid(good, key: key.publicKey))
        #expect(!OpenIDLogin.signatureIsValid(good, key: other.publicKey), "another key")
        let forged = try #require(OpenIDConnect.parse(try signed(claims, with: other)))
        #expect(!OpenIDLogin.signatureIsValid(forged, key: key.publicKey), "signed by someone else")
        // The claims changed after signing (another subject), the signature kept.
        let parts = try signed(claims, with: key).split(separator: ".")
        let changed = parts[0] + "." + Base64URL.encode(Data(claims.replacingOccurrences(of: #""sub":"1""#, with: #""sub":"2""#).utf8)) + "." + parts[2]
        #expect(!OpenIDLogin.signatureIsValid(try #require(OpenIDConnect.parse(changed)), key: key.publicKey))
        let none = try #require(OpenIDConnect.parse(try signed(claims, alg: "none", with: key)))
        #expect(!OpenIDLogin.signatureIsValid(none, key: key.publicKey), "alg none is never valid")
    }

    @Test func theAccountIsFoundByVerifiedAddressThenBySubject() async throws {
        try await withApp { app in
            try await Fixture.user(app, email: "j.jansen@oss.test", role: .areaCoordinator, areas: ["ruwaard"])
            func claims(_ sub: String, _ email: String?) -> OpenIDConnect.Claims {
                OpenIDConnect.Claims(iss: Self.issuer, sub: sub, aud: ["wijkwerk"], exp: 0, email: email, emailVerified: true)
            }
            let user = try #require(try await User.query(on: app.db).filter(\.$email == "j.jansen@oss.test").first())
            #expect(try await OpenIDLogin.account(for: claims("42", "J.Jansen@Oss.test"), issuer: Self.issuer, on: app.db) == .user(user.id!))
            #expect(try await User.find(user.id, on: app.db)?.openIDSubject == Self.issuer + "#42", "linked at the first login")
            #expect(try await OpenIDLogin.account(for: claims("42", "nieuw-adres@oss.test"), issuer: Self.issuer, on: app.db) == .user(user.id!),
                    "then found by the subject, also when the address at the provider changed")
            #expect(try await OpenIDLogin.account(for: claims("43", "j.jansen@oss.test"), issuer: Self.issuer, on: app.db) == .otherAccount,
                    "another provider account with the same address does not take over the account")
            #expect(try await OpenIDLogin.account(for: claims("44", "onbekend@oss.test"), issuer: Self.issuer, on: app.db) == .noAccount("onbekend@oss.test"))
            #expect(try await OpenIDLogin.account(for: claims("45", nil), issuer: Self.issuer, on: app.db) == .noAccount(nil))
            user.active = false
            try await user.update(on: app.db)
            #expect(try await OpenIDLogin.account(for: claims("42", nil), issuer: Self.issuer, on: app.db) == .inactive)
        }
    }

    @Test func theLoginPageOffersTheProviderAndSaysWhatWentWrong() async throws {
        try await withApp(demo: false) { app in
            let browser = TestBrowser(app)
            #expect(!(try await browser.get("/inloggen").text.contains("/inloggen/oidc")), "no provider configured: no button")
            #expect(try await browser.get("/inloggen/oidc").status == .notFound)
            // A provider that cannot be reached (nothing listens on port 9).
            app.openIDProvider = OpenIDProvider(settings: OpenIDSettings(issuer: "http://127.0.0.1:9", clientID: "wijkwerk", clientSecret: "s", label: "Gemeente Oss-account"))
            let page = try await browser.get("/inloggen?terug=/werk/meldingen").text
            #expect(page.contains("href=\"/inloggen/oidc?terug=%2Fwerk%2Fmeldingen\"") && page.contains("Inloggen via Gemeente Oss-account"))
            let down = try await browser.get("/inloggen/oidc")
            #expect(down.status == .serviceUnavailable && down.text.contains("de dienst is niet bereikbaar"))
            // Coming back without having started here, with a made-up state, or cancelled at the provider.
            let unknown = try await browser.get("/inloggen/oidc/terug?code=abc&state=made-up")
            #expect(unknown.status == .badRequest && unknown.text.contains("Deze inlogpoging is verlopen of al gebruikt"))
            let cancelled = try await browser.get("/inloggen/oidc/terug?error=access_denied&state=x")
            #expect(cancelled.status == .badRequest && cancelled.text.contains("afgebroken"))
            #expect(try await AuditEntry.query(on: app.db).filter(\.$action == "user.login").count() == 0)
        }
    }

    @Test func theSettingsGoTogether() throws {
        #expect(throws: AppConfig.Invalid.self) { try AppConfig.load(from: ["WIJKWERK_OIDC_ISSUER": "https://login.example"]) }
        #expect(throws: AppConfig.Invalid.self) {
            try AppConfig.load(from: ["WIJKWERK_OIDC_ISSUER": "login.example", "WIJKWERK_OIDC_CLIENT_ID": "a", "WIJKWERK_OIDC_CLIENT_SECRET": "b"])
        }
        let config = try AppConfig.load(from: ["WIJKWERK_OIDC_ISSUER": "https://login.example/realms/oss", "WIJKWERK_OIDC_CLIENT_ID": "wijkwerk",
                                               "WIJKWERK_OIDC_CLIENT_SECRET": "geheim", "WIJKWERK_OIDC_LABEL": "Oss-account"])
        #expect(config.openID == OpenIDSettings(issuer: "https://login.example/realms/oss", clientID: "wijkwerk", clientSecret: "geheim", label: "Oss-account"))
        #expect(try AppConfig.load(from: [:]).openID == nil)
    }
}
