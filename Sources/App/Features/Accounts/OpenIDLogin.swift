import Vapor
import Fluent
import SQLKit
import Domain
import _CryptoExtras

/// The identity provider a municipality logs its staff in with (WIJKWERK_OIDC_ISSUER, WIJKWERK_OIDC_CLIENT_ID,
/// WIJKWERK_OIDC_CLIENT_SECRET, WIJKWERK_OIDC_LABEL): Entra ID, Keycloak, or any OpenID Connect provider.
public struct OpenIDSettings: Sendable, Equatable {
    public var issuer: String
    public var clientID: String
    public var clientSecret: String
    /// What the login button says after "Inloggen via", for example "het gemeente-account".
    public var label: String?
}

/// A user's link to the identity provider: the issuer and subject (`OpenIDConnect.subjectKey`), set at the first
/// login through the provider; one Wijkwerk account per provider account.
struct AddOpenIDSubject: AsyncMigration {
    var name: String { "2026-12-02-01-add-openid-subject" }
    func prepare(on db: any Database) async throws {
        try await db.schema(User.schema).field("oidc_subject", .string).update()
        guard let sql = db as? any SQLDatabase else { return }
        try await sql.raw("CREATE UNIQUE INDEX users_oidc_subject ON users (oidc_subject)").run()
    }
    func revert(on db: any Database) async throws {
        if let sql = db as? any SQLDatabase { try await sql.raw("DROP INDEX users_oidc_subject").run() }
        try await db.schema(User.schema).deleteField("oidc_subject").update()
    }
}

/// The provider's published configuration and signing keys, fetched when first needed and kept for an hour;
/// the keys are fetched again at once when a token names a key that is not known (the provider rotated its keys).
actor OpenIDProvider {
    struct Metadata: Codable, Sendable {
        var issuer: String
        var authorization_endpoint: String
        var token_endpoint: String
        var jwks_uri: String
    }
    struct KeySet: Decodable { var keys: [Key] }
    struct Key: Decodable { var kty: String; var kid: String?; var n: String?; var e: String?; var use: String? }

    enum Failure: Error { case unreachable, invalid }

    let settings: OpenIDSettings
    private var metadata: (value: Metadata, at: Date)?
    private var keys: (value: [String: _RSA.Signing.PublicKey], at: Date)?
    init(settings: OpenIDSettings) { self.settings = settings }

    func metadata(_ client: any Client, now: Date) async throws -> Metadata {
        if let metadata, now.timeIntervalSince(metadata.at) < 3600 { return metadata.value }
        let base = settings.issuer.hasSuffix("/") ? String(settings.issuer.dropLast()) : settings.issuer
        let found = try await Self.fetch(Metadata.self, from: base + "/.well-known/openid-configuration", client)
        // The document must be about the configured issuer (OpenID Connect Discovery §4.3).
        guard found.issuer == settings.issuer, [found.authorization_endpoint, found.token_endpoint, found.jwks_uri].allSatisfy(Self.isWebAddress)
        else { throw Failure.invalid }
        metadata = (found, now)
        return found
    }

    /// The key that signed a token (by its `kid`, or the only key when the token names none).
    func key(_ kid: String?, _ client: any Client, now: Date) async throws -> _RSA.Signing.PublicKey? {
        func pick(_ keys: [String: _RSA.Signing.PublicKey]) -> _RSA.Signing.PublicKey? {
            if let kid { return keys[kid] }
            return keys.count == 1 ? keys.values.first : nil
        }
        if let keys, now.timeIntervalSince(keys.at) < 3600, let key = pick(keys.value) { return key }
        let set = try await Self.fetch(KeySet.self, from: try await metadata(client, now: now).jwks_uri, client)
        var found: [String: _RSA.Signing.PublicKey] = [:]
        for key in set.keys where key.kty == "RSA" && (key.use ?? "sig") == "sig" {
            guard let n = key.n.flatMap({ Base64URL.decode(Substring($0)) }), let e = key.e.flatMap({ Base64URL.decode(Substring($0)) }),
                  let publicKey = try? _RSA.Signing.PublicKey(n: n, e: e) else { continue }
            found[key.kid ?? ""] = publicKey
        }
        keys = (found, now)
        return pick(found)
    }

    static func isWebAddress(_ text: String) -> Bool {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased() else { return false }
        return ["https", "http"].contains(scheme) && url.host != nil
    }

    private static func fetch<T: Decodable>(_ type: T.Type, from address: String, _ client: any Client) async throws -> T {
        let response: ClientResponse
        do {
            response = try await client.get(URI(string: address)) { $0.timeout = .seconds(5); $0.headers.replaceOrAdd(name: .accept, value: "application/json") }
        } catch { throw Failure.unreachable }
        guard response.status == .ok, let body = response.body else { throw Failure.unreachable }
        guard let value = try? JSONDecoder().decode(T.self, from: Data(buffer: body)) else { throw Failure.invalid }
        return value
    }

    /// Exchanges the authorization code for tokens at the provider (client_secret_basic, with the PKCE verifier).
    func exchange(code: String, verifier: String, redirectURI: String, _ client: any Client, now: Date) async throws -> String {
        struct Tokens: Decodable { var id_token: String? }
        let endpoint = try await metadata(client, now: now).token_endpoint
        let user = Self.formEncoded(settings.clientID), secret = Self.formEncoded(settings.clientSecret)
        let response: ClientResponse
        do {
            response = try await client.post(URI(string: endpoint)) { out in
                out.timeout = .seconds(10)
                out.headers.basicAuthorization = BasicAuthorization(username: user, password: secret)
                out.headers.replaceOrAdd(name: .accept, value: "application/json")
                try out.content.encode(["grant_type": "authorization_code", "code": code, "redirect_uri": redirectURI, "code_verifier": verifier], as: .urlEncodedForm)
            }
        } catch { throw Failure.unreachable }
        guard response.status == .ok, let body = response.body,
              let token = (try? JSONDecoder().decode(Tokens.self, from: Data(buffer: body)))?.id_token else { throw Failure.invalid }
        return token
    }

    /// RFC 6749 §2.3.1: the client id and secret are form-encoded before they go into the Basic header.
    static func formEncoded(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? text
    }
}

enum OpenIDLogin {
    static let stateKey = "oidc.state", nonceKey = "oidc.nonce", verifierKey = "oidc.verifier", returnKey = "oidc.return", startedKey = "oidc.started"
    /// A login started at the provider must come back within ten minutes.
    static let maximumWait: TimeInterval = 600

    /// PKCE's S256 method (RFC 7636 §4.2): the challenge sent first is the SHA-256 of the verifier sent last.
    static func challenge(for verifier: String) -> String {
        Base64URL.encode(SHA256.hash(data: Data(verifier.utf8)))
    }

    /// Whether the token was signed by this key with RS256.
    static func signatureIsValid(_ token: OpenIDConnect.SignedToken, key: _RSA.Signing.PublicKey) -> Bool {
        guard token.header.alg == "RS256" else { return false }
        return key.isValidSignature(_RSA.Signing.RSASignature(rawRepresentation: token.signature), for: SHA256.hash(data: token.signingInput), padding: .insecurePKCS1v1_5)
    }

    enum Outcome: Equatable { case user(User.IDValue), noAccount(String?), otherAccount, inactive }

    /// The Wijkwerk account for a provider's user: the account linked to this subject, or else the active account with
    /// the (verified) e-mail address, which is then linked. Roles and scope stay as assigned in Wijkwerk.
    static func account(for claims: OpenIDConnect.Claims, issuer: String, on db: any Database) async throws -> Outcome {
        let key = OpenIDConnect.subjectKey(issuer: issuer, subject: claims.sub)
        if let linked = try await User.query(on: db).filter(\.$openIDSubject == key).first() {
            return linked.active ? .user(try linked.requireID()) : .inactive
        }
        guard let raw = claims.email, case .success(let email) = Credentials.normaliseEmail(raw) else { return .noAccount(nil) }
        guard let user = try await User.query(on: db).filter(\.$email == email).first() else { return .noAccount(email) }
        guard user.active else { return .inactive }
        if user.openIDSubject != nil { return .otherAccount }
        user.openIDSubject = key
        try await user.update(on: db)
        return .user(try user.requireID())
    }
}

extension Application {
    private struct OpenIDProviderKey: StorageKey { typealias Value = OpenIDProvider }
    /// The configured identity provider, nil when staff log in with a password only.
    var openIDProvider: OpenIDProvider? {
        get { storage[OpenIDProviderKey.self] }
        set { storage[OpenIDProviderKey.self] = newValue }
    }
}

/// `GET /inloggen/oidc` sends the user to the provider; `GET /inloggen/oidc/terug` is where the provider sends
/// them back with a code, which is exchanged, checked and turned into a Wijkwerk session.
struct OpenIDLoginController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.public)
        routes.get(Site.loginOpenID.route, use: start)
        routes.get(Site.loginOpenIDReturn.route, use: finish)
    }

    static func redirectURI(_ app: Application) -> String {
        let base = app.config.publicURL.hasSuffix("/") ? String(app.config.publicURL.dropLast()) : app.config.publicURL
        return base + Site.loginOpenIDReturn.link()
    }

    static func label(_ req: Request, _ provider: OpenIDProvider) -> String { provider.settings.label ?? req.t("login.openid.defaultLabel") }

    func start(req: Request) async throws -> Response {
        guard let provider = req.application.openIDProvider else { throw Abort(.notFound) }
        let now = req.application.clock()
        let metadata: OpenIDProvider.Metadata
        do { metadata = try await provider.metadata(req.client, now: now) } catch {
            req.logger.warning("openid provider metadata failed: \(error)")
            return try await refuse(req, provider, "login.openid.unavailable", status: .serviceUnavailable)
        }
        let state = randomToken(), nonce = randomToken(), verifier = randomToken(bytes: 48)
        req.session.data[OpenIDLogin.stateKey] = state
        req.session.data[OpenIDLogin.nonceKey] = nonce
        req.session.data[OpenIDLogin.verifierKey] = verifier
        req.session.data[OpenIDLogin.startedKey] = String(now.timeIntervalSince1970)
        req.session.data[OpenIDLogin.returnKey] = ReturnPath.validated(req.query[String.self, at: "terug"])
        guard var components = URLComponents(string: metadata.authorization_endpoint) else { throw Abort(.badGateway) }
        components.queryItems = (components.queryItems ?? []) + [
            URLQueryItem(name: "response_type", value: "code"), URLQueryItem(name: "client_id", value: provider.settings.clientID),
            URLQueryItem(name: "redirect_uri", value: Self.redirectURI(req.application)), URLQueryItem(name: "scope", value: "openid email profile"),
            URLQueryItem(name: "state", value: state), URLQueryItem(name: "nonce", value: nonce),
            URLQueryItem(name: "code_challenge", value: OpenIDLogin.challenge(for: verifier)), URLQueryItem(name: "code_challenge_method", value: "S256"),
            URLQueryItem(name: "ui_locales", value: req.language.rawValue),
        ]
        // '+' in a query means a space to many servers: encode it.
        components.percentEncodedQuery = components.percentEncodedQuery?.replacingOccurrences(of: "+", with: "%2B")
        guard let target = components.url?.absoluteString else { throw Abort(.badGateway) }
        return req.redirect(to: target)
    }

    func finish(req: Request) async throws -> Response {
        guard let provider = req.application.openIDProvider else { throw Abort(.notFound) }
        let now = req.application.clock()
        // What this login sent to the provider; taken out at once, so a code or state works once.
        let expected = (state: req.session.data[OpenIDLogin.stateKey], nonce: req.session.data[OpenIDLogin.nonceKey],
                        verifier: req.session.data[OpenIDLogin.verifierKey], started: req.session.data[OpenIDLogin.startedKey].flatMap(Double.init),
                        returnTo: req.session.data[OpenIDLogin.returnKey])
        for key in [OpenIDLogin.stateKey, OpenIDLogin.nonceKey, OpenIDLogin.verifierKey, OpenIDLogin.startedKey, OpenIDLogin.returnKey] { req.session.data[key] = nil }
        if let error = req.query[String.self, at: "error"] {
            req.logger.notice("openid login refused by the provider: \(error.prefix(40))")
            return try await refuse(req, provider, error == "access_denied" ? "login.openid.cancelled" : "login.openid.invalid", status: .badRequest)
        }
        guard let state = expected.state, let nonce = expected.nonce, let verifier = expected.verifier, let started = expected.started,
              let returned = req.query[String.self, at: "state"], constantTimeEqual(returned, state),
              now.timeIntervalSince1970 - started <= OpenIDLogin.maximumWait,
              let code = req.query[String.self, at: "code"], !code.isEmpty, code.count <= 2048 else {
            return try await refuse(req, provider, "login.openid.expired", status: .badRequest)
        }
        let claims: OpenIDConnect.Claims
        do {
            let raw = try await provider.exchange(code: code, verifier: verifier, redirectURI: Self.redirectURI(req.application), req.client, now: now)
            guard let token = OpenIDConnect.parse(raw) else { throw OpenIDProvider.Failure.invalid }
            let problems = OpenIDConnect.problems(token, issuer: provider.settings.issuer, clientID: provider.settings.clientID, nonce: nonce, now: now)
            guard problems.isEmpty else {
                req.logger.warning("openid token refused: \(problems.map(\.rawValue).joined(separator: ", "))")
                throw OpenIDProvider.Failure.invalid
            }
            guard let key = try await provider.key(token.header.kid, req.client, now: now), OpenIDLogin.signatureIsValid(token, key: key) else {
                req.logger.warning("openid token refused: signature")
                throw OpenIDProvider.Failure.invalid
            }
            claims = token.claims
        } catch OpenIDProvider.Failure.unreachable {
            return try await refuse(req, provider, "login.openid.unavailable", status: .serviceUnavailable)
        } catch {
            return try await refuse(req, provider, "login.openid.invalid", status: .badRequest)
        }
        switch try await OpenIDLogin.account(for: claims, issuer: provider.settings.issuer, on: req.db) {
        case .user(let id):
            guard let user = try await User.find(id, on: req.db) else { throw Abort(.internalServerError) }
            // The provider did the authentication (its own second factor included); Wijkwerk's two steps are for passwords.
            return try await AuthController.complete(req, user, returnTo: expected.returnTo, setupRequired: false)
        case .noAccount(let email):
            return try await refuse(req, provider, "login.openid.noAccount", email ?? "", status: .forbidden)
        case .otherAccount:
            return try await refuse(req, provider, "login.openid.otherAccount", status: .forbidden)
        case .inactive:
            return try await refuse(req, provider, "login.failed", status: .forbidden)
        }
    }

    /// The login page again, with what went wrong at the provider (the password form stays the other way in).
    private func refuse(_ req: Request, _ provider: OpenIDProvider, _ key: String, _ extra: String = "", status: HTTPResponseStatus) async throws -> Response {
        let message = req.t(key, Self.label(req, provider), extra)
        return try await req.render("Accounts/login", AuthController.page(req, returnTo: nil, alert: message), status: status)
    }
}
