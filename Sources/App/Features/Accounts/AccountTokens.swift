import Vapor
import Fluent
import SQLKit
import Domain

/// One-time links for accounts: an invitation to choose a first password (valid a week) and a password reset
/// (valid an hour). Only a hash of the token is stored; a link works once; a new link or a new password makes
/// every older link of the account useless.
final class AccountToken: Model, @unchecked Sendable {
    static let schema = "account_tokens"
    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "purpose") var purpose: String
    @Field(key: "token_hash") var tokenHash: String
    @Field(key: "created_at") var createdAt: Date
    @Field(key: "expires_at") var expiresAt: Date
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}
}

enum AccountTokenPurpose: String, Sendable {
    case invitation, reset
    var lifetime: TimeInterval { self == .invitation ? 7 * 86_400 : 3600 }
}

struct CreateAccountTokens: AsyncMigration {
    var name: String { "2026-12-01-14-create-account-tokens" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AccountToken.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("purpose", .string, .required).field("token_hash", .string, .required)
            .field("created_at", .datetime, .required).field("expires_at", .datetime, .required).field("used_at", .datetime)
            .unique(on: "token_hash")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(AccountToken.schema).delete() }
}

enum AccountTokens {
    /// A password hash that no password matches: an invited account cannot log in before it chose one.
    static func unusableHash() -> String { "!invited-" + randomToken() }

    /// A new link for the account; older open links of the same purpose stop working.
    static func issue(_ user: User, _ purpose: AccountTokenPurpose, at now: Date, on db: any Database) async throws -> String {
        let token = randomToken()
        let uid = try user.requireID()
        try await AccountToken.query(on: db).filter(\.$user.$id == uid).filter(\.$purpose == purpose.rawValue).filter(\.$usedAt == nil).delete()
        let t = AccountToken()
        t.$user.id = uid
        t.purpose = purpose.rawValue
        t.tokenHash = sha256Hex(token)
        t.createdAt = now
        t.expiresAt = now.addingTimeInterval(purpose.lifetime)
        try await t.create(on: db)
        return token
    }

    /// The open, unexpired link of a token, with its account (active accounts only).
    static func find(_ token: String, at now: Date, on db: any Database) async throws -> AccountToken? {
        guard (20...100).contains(token.count) else { return nil }
        guard let t = try await AccountToken.query(on: db).filter(\.$tokenHash == sha256Hex(token)).filter(\.$usedAt == nil)
            .filter(\.$expiresAt > now).with(\.$user).first(), t.user.active else { return nil }
        return t
    }

    /// Sets the password through a link: the link is claimed first (a conditional update, so two submits at once
    /// use it once), every other link of the account and every session end, and the audit log says so.
    static func setPassword(_ token: String, password: String, hasher: any PasswordHasher, common: CommonPasswords, requestID: String?,
                            at now: Date, on db: any Database) async throws -> User? {
        if let problem = Credentials.validatePassword(password, common: common) { throw ValidationFailure([problem]) }
        guard let t = try await find(token, at: now, on: db) else { return nil }
        let hash = try hasher.hash(password)
        let user = t.user
        let done = try await db.writeTransaction { db -> Bool in
            guard let sql = db as? any SQLDatabase,
                  try await sql.raw("UPDATE account_tokens SET used_at = \(bind: now) WHERE id = \(bind: t.requireID()) AND used_at IS NULL RETURNING id").all().count == 1
            else { return false }
            try await AccountToken.query(on: db).filter(\.$user.$id == user.requireID()).filter(\.$usedAt == nil).delete()
            user.passwordHash = hash
            try await user.update(on: db)
            try await SessionStore.endAll(for: user.requireID(), on: db)
            try await AuditLog.record(on: db, by: user, action: t.purpose == AccountTokenPurpose.invitation.rawValue ? .userInvitationAccepted : .userPasswordReset,
                                      subject: .init(id: user.id?.uuidString, summary: user.email, municipalityID: user.$municipality.id), requestID: requestID, at: now)
            return true
        }
        return done ? user : nil
    }

    /// Removes links that expired more than a day ago or were used (run by the jobs).
    static func purge(now: Date, on db: any Database) async throws {
        try await AccountToken.query(on: db).group(.or) { $0.filter(\.$expiresAt < now.addingTimeInterval(-86_400)).filter(\.$usedAt != nil) }.delete()
    }
}

/// The mail of the links.
struct AccountMailer {
    var localizer: Localizer
    var publicURL: String
    init(_ app: Application) { localizer = app.localizer; publicURL = app.config.publicURL }

    func invitation(_ user: User, token: String, municipality: String?, role: String, at now: Date, on db: any Database) async throws {
        let link = publicURL + Site.accountPassword.link(token)
        try await Outbox.enqueue(to: user.email, subject: localizer.text("account.mail.invitation.subject", .nl),
                                 body: localizer.text("account.mail.invitation.body", .nl, [user.name, municipality ?? "Wijkwerk", role, link]), at: now, on: db)
    }

    func reset(_ user: User, token: String, at now: Date, on db: any Database) async throws {
        let link = publicURL + Site.accountPassword.link(token)
        try await Outbox.enqueue(to: user.email, subject: localizer.text("account.mail.reset.subject", .nl),
                                 body: localizer.text("account.mail.reset.body", .nl, [user.name, link]), at: now, on: db)
    }
}

/// "Forgot your password?" and the page behind an invitation or reset link.
struct PasswordController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.public)
        routes.get(Site.passwordForgotten.route, use: forgottenForm)
        routes.post(Site.passwordForgotten.route, use: forgotten)
        routes.get(Site.accountPassword.route, use: choosePage)
        routes.post(Site.accountPassword.route, use: choose)
    }

    struct Page: Encodable { var page: PageMeta; var heading: String; var intro: [String]; var form: FormView?; var back: String?; var backText: String? }

    private func forgottenPage(_ req: Request, email: String, errors: [FieldError]) -> Page {
        let heading = req.t("account.forgotten.heading")
        return Page(page: req.page(heading, crumbs: [(req.t("login.title"), Site.login.link())], errors: errors), heading: heading,
                    intro: [req.t("account.forgotten.intro")],
                    form: FormView(action: Site.passwordForgotten.link(), submitLabel: req.t("account.forgotten.submit"), fields: [
                        FieldView(req, name: "email", label: req.t("login.email"), type: "email", value: email, autocomplete: "username", errors: errors),
                    ], csrf: req.csrfToken(), showRequiredNote: false), back: Site.login.link(), backText: req.t("account.backToLogin"))
    }

    func forgottenForm(req: Request) async throws -> View {
        try await req.view.render("Shared/message-form", forgottenPage(req, email: "", errors: []))
    }

    /// The same answer whether or not the address has an account; a mail only for an active account, at most
    /// three an hour per address.
    func forgotten(req: Request) async throws -> Response {
        let typed = FormParts.read(req).values["email"] ?? ""
        var errors: [FieldError] = []
        let email = Credentials.normaliseEmail(typed).collect(into: &errors)
        guard let email, errors.isEmpty else { return try await req.render("Shared/message-form", forgottenPage(req, email: typed, errors: errors), status: .unprocessableEntity) }
        guard req.mayPost("password-reset") else {
            return try await req.render("Shared/message-form", forgottenPage(req, email: typed, errors: [FieldError("email", "account.forgotten.tooMany")]), status: .tooManyRequests)
        }
        let now = req.application.clock()
        if req.application.postingThrottle.allow("password-reset-address|" + email, now: now, limit: 3, window: 3600),
           let user = try await User.query(on: req.db).filter(\.$email == email).filter(\.$active == true).first() {
            try await req.db.writeTransaction { db in
                let token = try await AccountTokens.issue(user, .reset, at: now, on: db)
                try await AccountMailer(req.application).reset(user, token: token, at: now, on: db)
            }
        }
        let heading = req.t("account.forgotten.sentHeading")
        return try await req.render("Shared/message-form", Page(page: req.page(heading), heading: heading, intro: [req.t("account.forgotten.sent")],
                                                                 form: nil, back: Site.login.link(), backText: req.t("account.backToLogin")))
    }

    private func token(_ req: Request) -> String { req.parameters.get("token") ?? "" }

    private func choosePageView(_ req: Request, _ t: AccountToken, errors: [FieldError]) -> Page {
        let invited = t.purpose == AccountTokenPurpose.invitation.rawValue
        let heading = req.t(invited ? "account.password.invitedHeading" : "account.password.resetHeading")
        return Page(page: req.page(heading, errors: errors), heading: heading,
                    intro: [req.t(invited ? "account.password.invitedIntro" : "account.password.resetIntro", t.user.name, t.user.email)],
                    form: FormView(action: Site.accountPassword.link(token(req)), submitLabel: req.t("account.password.submit"), fields: [
                        FieldView(req, name: "email", label: "", type: "hidden", value: t.user.email),
                        FieldView(req, name: "password", label: req.t("account.password.new"), type: "password",
                                  description: req.t("admin.user.passwordHelp", String(Credentials.minPasswordLength)), autocomplete: "new-password", errors: errors),
                    ], csrf: req.csrfToken(), showRequiredNote: false), back: nil, backText: nil)
    }

    private func expired(_ req: Request) async throws -> Response {
        let heading = req.t("account.password.expiredHeading")
        return try await req.render("Shared/message-form", Page(page: req.page(heading), heading: heading, intro: [req.t("account.password.expired")],
                                                                 form: nil, back: Site.passwordForgotten.link(), backText: req.t("account.forgotten.heading")), status: .notFound)
    }

    func choosePage(req: Request) async throws -> Response {
        guard let t = try await AccountTokens.find(token(req), at: req.application.clock(), on: req.db) else { return try await expired(req) }
        return try await req.render("Shared/message-form", choosePageView(req, t, errors: []))
    }

    func choose(req: Request) async throws -> Response {
        let now = req.application.clock()
        guard let t = try await AccountTokens.find(token(req), at: now, on: req.db) else { return try await expired(req) }
        let password = FormParts.read(req).values["password"] ?? ""
        do {
            guard let user = try await AccountTokens.setPassword(token(req), password: password, hasher: req.password, common: req.application.commonPasswords,
                                                                 requestID: req.id, at: now, on: req.db) else { return try await expired(req) }
            req.flash(req.t("account.password.saved", user.email))
            return req.redirect(to: Site.login.link())
        } catch let failure as ValidationFailure {
            return try await req.render("Shared/message-form", choosePageView(req, t, errors: failure.errors), status: failure.status)
        }
    }
}
