import Foundation

/// Logging in through a municipality's own identity provider with OpenID Connect: the authorization code flow
/// with PKCE (RFC 7636). The pure parts live here: taking a signed ID token (a compact JWT, RFC 7519) apart and
/// the checks on its claims that OpenID Connect Core 1.0 §3.1.3.7 prescribes. Checking the signature needs RSA
/// and lives with the web application; roles are never taken from the provider, they stay assigned in Wijkwerk.
public enum OpenIDConnect {
    /// The JOSE header of a signed token: the algorithm and which of the provider's keys signed it.
    public struct Header: Decodable, Equatable, Sendable {
        public var alg: String
        public var kid: String?
    }

    /// The claims Wijkwerk reads from an ID token.
    public struct Claims: Decodable, Equatable, Sendable {
        public var iss: String
        public var sub: String
        /// The audience: one client id or several (both forms are allowed by RFC 7519 §4.1.3).
        public var aud: [String]
        public var exp: Double
        public var iat: Double?
        public var nonce: String?
        public var azp: String?
        public var email: String?
        public var emailVerified: Bool?
        public var name: String?

        enum CodingKeys: String, CodingKey { case iss, sub, aud, exp, iat, nonce, azp, email, name; case emailVerified = "email_verified" }

        public init(iss: String, sub: String, aud: [String], exp: Double, iat: Double? = nil, nonce: String? = nil, azp: String? = nil,
                    email: String? = nil, emailVerified: Bool? = nil, name: String? = nil) {
            (self.iss, self.sub, self.aud, self.exp, self.iat, self.nonce, self.azp) = (iss, sub, aud, exp, iat, nonce, azp)
            (self.email, self.emailVerified, self.name) = (email, emailVerified, name)
        }

        public init(from decoder: any Decoder) throws {
            let c = try decoder.container(keyedBy: CodingKeys.self)
            iss = try c.decode(String.self, forKey: .iss)
            sub = try c.decode(String.self, forKey: .sub)
            if let one = try? c.decode(String.self, forKey: .aud) { aud = [one] } else { aud = try c.decode([String].self, forKey: .aud) }
            exp = try c.decode(Double.self, forKey: .exp)
            iat = try c.decodeIfPresent(Double.self, forKey: .iat)
            nonce = try c.decodeIfPresent(String.self, forKey: .nonce)
            azp = try c.decodeIfPresent(String.self, forKey: .azp)
            email = try c.decodeIfPresent(String.self, forKey: .email)
            // Some providers send "true" as a string.
            if let flag = try? c.decodeIfPresent(Bool.self, forKey: .emailVerified) { emailVerified = flag }
            else { emailVerified = (try? c.decodeIfPresent(String.self, forKey: .emailVerified)).flatMap { $0.map { $0.lowercased() == "true" } } }
            name = try c.decodeIfPresent(String.self, forKey: .name)
        }
    }

    /// A compact JWS taken apart: what was signed (`header.payload` as sent), the signature, and the decoded parts.
    public struct SignedToken: Sendable {
        public var header: Header
        public var claims: Claims
        public var signingInput: Data
        public var signature: Data
    }

    /// Takes a compact token apart; nil when it is not three base64url parts with JSON header and claims.
    public static func parse(_ token: String) -> SignedToken? {
        let parts = token.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, token.utf8.count < 64_000,
              let headerData = Base64URL.decode(parts[0]), let claimsData = Base64URL.decode(parts[1]), let signature = Base64URL.decode(parts[2]),
              let header = try? JSONDecoder().decode(Header.self, from: headerData),
              let claims = try? JSONDecoder().decode(Claims.self, from: claimsData) else { return nil }
        return SignedToken(header: header, claims: claims, signingInput: Data("\(parts[0]).\(parts[1])".utf8), signature: signature)
    }

    /// What can be wrong with an ID token's claims.
    public enum Problem: String, Equatable, Sendable, CaseIterable {
        case unsupportedAlgorithm, wrongIssuer, wrongAudience, wrongAuthorizedParty, expired, issuedInTheFuture, wrongNonce, noSubject, emailNotVerified
    }

    /// The checks of OpenID Connect Core §3.1.3.7 (and §3.1.3.7 item 11 for the nonce): the token was issued by the
    /// configured provider for this client, is not expired (two minutes' leeway for clocks), carries the nonce this
    /// login sent, and is signed with RS256 (never "none", never a symmetric algorithm). An e-mail address the
    /// provider says it has not verified is not used to find an account.
    public static func problems(_ token: SignedToken, issuer: String, clientID: String, nonce: String, now: Date, leeway: TimeInterval = 120) -> [Problem] {
        var problems: [Problem] = []
        let c = token.claims
        if token.header.alg != "RS256" { problems.append(.unsupportedAlgorithm) }
        if c.iss != issuer { problems.append(.wrongIssuer) }
        if !c.aud.contains(clientID) { problems.append(.wrongAudience) }
        // Several audiences: the authorized party must be named and be this client.
        if let azp = c.azp { if azp != clientID { problems.append(.wrongAuthorizedParty) } } else if c.aud.count > 1 { problems.append(.wrongAuthorizedParty) }
        let t = now.timeIntervalSince1970
        if c.exp + leeway < t { problems.append(.expired) }
        if let iat = c.iat, iat - leeway > t { problems.append(.issuedInTheFuture) }
        if c.nonce != nonce || nonce.isEmpty { problems.append(.wrongNonce) }
        if c.sub.isEmpty || c.sub.count > 255 { problems.append(.noSubject) }
        if c.email != nil && c.emailVerified == false { problems.append(.emailNotVerified) }
        return problems
    }

    /// How a provider's user is remembered on a Wijkwerk account: the issuer and its subject identifier together,
    /// which OpenID Connect Core §2 says is the only stable, unique identifier.
    public static func subjectKey(issuer: String, subject: String) -> String { issuer + "#" + subject }
}
