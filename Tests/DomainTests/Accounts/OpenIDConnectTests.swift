import Testing
import Foundation
@testable import Domain

@Suite("OpenID Connect: ID tokens taken apart and their claims checked")
struct OpenIDConnectTests {
    static let issuer = "https://login.gemeente.example/realms/oss"
    static let now = Date(timeIntervalSince1970: 1_800_000_000)

    static func token(header: String = #"{"alg":"RS256","kid":"k1"}"#, claims: [String: Any]) -> String {
        let body = try! JSONSerialization.data(withJSONObject: claims, options: [.sortedKeys])
        return Base64URL.encode(Data(header.utf8)) + "." + Base64URL.encode(body) + "." + Base64URL.encode([1, 2, 3])
    }

    static var good: [String: Any] {
        ["iss": issuer, "sub": "248289761001", "aud": "wijkwerk", "exp": now.timeIntervalSince1970 + 300, "iat": now.timeIntervalSince1970,
         "nonce": "n-0S6_WzA2Mj", "email": "j.jansen@oss.nl", "email_verified": true]
    }

    static func problems(_ claims: [String: Any], header: String = #"{"alg":"RS256","kid":"k1"}"#, nonce: String = "n-0S6_WzA2Mj") -> [OpenIDConnect.Problem] {
        guard let parsed = OpenIDConnect.parse(token(header: header, claims: claims)) else { return [.noSubject] }
        return OpenIDConnect.problems(parsed, issuer: issuer, clientID: "wijkwerk", nonce: nonce, now: now)
    }

    @Test func aGoodTokenIsTakenApart() throws {
        let text = Self.token(claims: Self.good)
        let parsed = try #require(OpenIDConnect.parse(text))
        #expect(parsed.header == OpenIDConnect.Header(alg: "RS256", kid: "k1"))
        #expect(parsed.claims.sub == "248289761001" && parsed.claims.aud == ["wijkwerk"] && parsed.claims.emailVerified == true)
        #expect(parsed.signature == Data([1, 2, 3]))
        #expect(parsed.signingInput == Data(text.split(separator: ".").prefix(2).joined(separator: ".").utf8), "what was signed is the text as sent")
        #expect(OpenIDConnect.problems(parsed, issuer: Self.issuer, clientID: "wijkwerk", nonce: "n-0S6_WzA2Mj", now: Self.now).isEmpty)
    }

    @Test(arguments: ["", "a.b", "a.b.c.d", "!!!.e30.AA", "e30.e30.AA", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.AA"])
    func malformedTokensAreRefused(text: String) {
        #expect(OpenIDConnect.parse(text) == nil)
    }

    @Test func everyClaimIsChecked() {
        var claims = Self.good
        claims["iss"] = "https://evil.example"
        #expect(Self.problems(claims) == [.wrongIssuer])
        claims = Self.good; claims["aud"] = "another-app"
        #expect(Self.problems(claims) == [.wrongAudience])
        claims = Self.good; claims["aud"] = ["wijkwerk", "another-app"]
        #expect(Self.problems(claims) == [.wrongAuthorizedParty], "several audiences need azp")
        claims["azp"] = "wijkwerk"
        #expect(Self.problems(claims).isEmpty)
        claims = Self.good; claims["exp"] = Self.now.timeIntervalSince1970 - 121
        #expect(Self.problems(claims) == [.expired])
        claims["exp"] = Self.now.timeIntervalSince1970 - 119
        #expect(Self.problems(claims).isEmpty, "two minutes' leeway for clocks")
        claims = Self.good; claims["iat"] = Self.now.timeIntervalSince1970 + 3600
        #expect(Self.problems(claims) == [.issuedInTheFuture])
        #expect(Self.problems(Self.good, nonce: "another-login") == [.wrongNonce], "a token from another login is refused")
        claims = Self.good; claims.removeValue(forKey: "nonce")
        #expect(Self.problems(claims) == [.wrongNonce])
        claims = Self.good; claims["sub"] = ""
        #expect(Self.problems(claims) == [.noSubject])
        claims = Self.good; claims["email_verified"] = false
        #expect(Self.problems(claims) == [.emailNotVerified])
        claims["email_verified"] = "true"
        #expect(Self.problems(claims).isEmpty, "a flag sent as text is read too")
    }

    @Test(arguments: [#"{"alg":"none"}"#, #"{"alg":"HS256","kid":"k1"}"#, #"{"alg":"ES256","kid":"k1"}"#])
    func onlyRS256IsAccepted(header: String) {
        #expect(Self.problems(Self.good, header: header) == [.unsupportedAlgorithm])
    }

    @Test func theSubjectKeyNamesTheIssuer() {
        #expect(OpenIDConnect.subjectKey(issuer: Self.issuer, subject: "42") == "https://login.gemeente.example/realms/oss#42")
        #expect(OpenIDConnect.subjectKey(issuer: "https://other.example", subject: "42") != OpenIDConnect.subjectKey(issuer: Self.issuer, subject: "42"))
    }

    @Test func base64URLRoundTrips() {
        for bytes in [[], [0], [0xfb, 0xff], Array(0...255)] as [[UInt8]] {
            let text = Base64URL.encode(bytes)
            #expect(!text.contains("=") && !text.contains("+") && !text.contains("/"))
            #expect(Base64URL.decode(Substring(text)) == Data(bytes))
        }
        #expect(Base64URL.decode("a") == nil)
    }
}
