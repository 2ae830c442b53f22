import Vapor
import Fluent
import Domain

/// Logging in and out, with a lockout after repeated failures that never reveals whether an account exists.
struct AuthController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.public)
        routes.get(Site.login.route, use: form)
        routes.post(Site.login.route, use: login)
        routes.post(Site.logout.route, use: logout)
    }

    struct LoginForm: Content { var csrf: String?; var email: String?; var password: String?; var terug: String? }

    struct LoginPage: Encodable {
        var page: PageMeta
        var form: FormView
        var alert: String?
        var forgotten: String
        /// "Log in with the municipality's account", when an identity provider is configured.
        var openID: OpenIDLink?
    }
    struct OpenIDLink: Encodable { var href: String; var label: String }

    static func page(_ req: Request, email: String = "", returnTo: String?, errors: [FieldError] = [], alert: String? = nil) -> LoginPage {
        let form = FormView(
            action: Site.login.link(), submitLabel: req.t("login.submit"),
            fields: [
                FieldView(req, name: "email", label: req.t("login.email"), type: "email", value: email, autocomplete: "username", errors: errors),
                FieldView(req, name: "password", label: req.t("login.password"), type: "password", autocomplete: "current-password", errors: errors),
                FieldView(req, name: "terug", label: "", type: "hidden", value: returnTo.map { Self.safeReturn($0) } ?? ""),
            ],
            csrf: req.csrfToken(), showRequiredNote: false)
        let openID = req.application.openIDProvider.map { provider in
            OpenIDLink(href: Site.loginOpenID.link() + (ReturnPath.validated(returnTo).map { "?terug=" + ($0.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? "") } ?? ""),
                       label: req.t("login.openid.button", OpenIDLoginController.label(req, provider)))
        }
        return LoginPage(page: req.page(req.t("login.title"), errors: errors, status: errors.isEmpty ? req.takeFlash() : nil), form: form, alert: alert,
                         forgotten: Site.passwordForgotten.link(), openID: openID)
    }

    /// Only same-site paths from a fixed grammar are followed after login (`ReturnPath`): no header
    /// injection, no open redirect. Admin pages only for admins.
    static func safeReturn(_ raw: String?, role: Role = .admin) -> String {
        let admin = Permissions.mayEver(role, .administer)
        let home = Site.work.link() // "Mijn werk": what needs action now
        guard let path = ReturnPath.validated(raw) else { return home }
        if path.hasPrefix(Site.admin.link()) && !admin { return home }
        return path
    }

    func form(req: Request) async throws -> Response {
        if let user = req.authUser { return req.redirect(to: Self.safeReturn(nil, role: user.role)) }
        return try await req.render("Accounts/login", Self.page(req, returnTo: req.query[String.self, at: "terug"]))
    }

    func login(req: Request) async throws -> Response {
        let input = req.form(LoginForm())
        let typed = input.email ?? ""
        var errors: [FieldError] = []
        let email = Credentials.normaliseEmail(typed).collect(into: &errors)
        if (input.password ?? "").isEmpty { errors.append(FieldError("password", "login.password.empty")) }
        guard let email, errors.isEmpty, let password = input.password else {
            return try await req.render("Accounts/login", Self.page(req, email: typed, returnTo: input.terug, errors: errors), status: .unprocessableEntity)
        }
        let now = req.application.clock()
        // The attempt counts before the password is checked, so parallel attempts cannot slip past the lock.
        let after: LoginThrottle
        switch try await LoginThrottleStore.reserve(email: email, now: now, on: req.db) {
        case .locked(let state):
            return try await req.render("Accounts/login", Self.page(req, email: typed, returnTo: input.terug, errors: [FieldError("email", "login.locked", [String(max(1, state.minutesLocked(at: now)))])]), status: .tooManyRequests)
        case .proceed(let state):
            after = state
        }
        let user = try await User.query(on: req.db).filter(\.$email == email).first()
        // Always run bcrypt, so the time taken does not reveal whether the account exists.
        let hash = user?.passwordHash ?? Self.dummyHash
        let valid = (try? req.password.verify(password, created: hash)) ?? false
        guard let user, valid, user.active else {
            req.logger.notice("login failed")
            if after.isLocked(at: now) {
                return try await req.render("Accounts/login", Self.page(req, email: typed, returnTo: input.terug, errors: [FieldError("email", "login.locked", [String(after.minutesLocked(at: now))])]), status: .tooManyRequests)
            }
            return try await req.render("Accounts/login", Self.page(req, email: typed, returnTo: input.terug, errors: [FieldError("email", "login.failed")]), status: .unauthorized)
        }
        try await LoginThrottleStore.clear(email: email, on: req.db)
        // Two steps: the password alone does not log in; the code from the app follows (within five minutes).
        if user.totpEnabledAt != nil {
            try await req.renewSessionID()
            req.session.data[TwoFactor.pendingUserKey] = try user.requireID().uuidString
            req.session.data[TwoFactor.pendingSinceKey] = String(now.timeIntervalSince1970)
            req.session.data[TwoFactor.pendingReturnKey] = input.terug
            return req.redirect(to: Site.loginCode.link())
        }
        return try await Self.complete(req, user, returnTo: input.terug, setupRequired: try await TwoFactor.required(for: user, on: req.db))
    }

    /// Logs the user in (after the password, or after the second step): a new session id, the audit entry, and
    /// on to where they were going, or to setting up two steps first when that is required and not done.
    static func complete(_ req: Request, _ user: User, returnTo: String?, setupRequired: Bool) async throws -> Response {
        // A new session id at login: an id planted before login is dead afterwards (session fixation).
        try await req.renewSessionID()
        for key in [TwoFactor.pendingUserKey, TwoFactor.pendingSinceKey, TwoFactor.pendingReturnKey, "csrf"] { req.session.data[key] = nil }
        req.auth.login(user)
        req.session.authenticate(user)
        try await AuditLog.record(on: req.db, by: user, action: .userLogin,
                                  subject: .init(id: user.id?.uuidString, summary: user.email, municipalityID: user.$municipality.id),
                                  requestID: req.id, at: req.application.clock())
        if setupRequired {
            req.session.data[TwoFactor.setupRequiredKey] = "1"
            return req.redirect(to: Site.twoFactor.link())
        }
        return req.redirect(to: Self.safeReturn(returnTo, role: user.role))
    }

    /// A bcrypt hash of a random password, used when the account does not exist.
    static let dummyHash = "$2b$12$C6UzMDM.H6dfI/f/IKxGhuJ6hC0yLS7X2i2gkqUo5c3Q6SEkM.7e."

    func logout(req: Request) async throws -> Response {
        req.auth.logout(User.self)
        req.session.unauthenticate(User.self)
        req.session.destroy()
        return req.redirect(to: "/")
    }
}
