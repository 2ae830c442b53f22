import Vapor
import Fluent
import SQLKit
import Domain

/// Logging in in two steps (TOTP, RFC 6238): staff switch it on with an authenticator app and get ten recovery
/// codes; an administrator can require it for a municipality's staff and for every administrator. The secret is
/// only ever shown while it is being set up; codes work once (the last used time step is kept).
final class RecoveryCode: Model, @unchecked Sendable {
    static let schema = "recovery_codes"
    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "code_hash") var codeHash: String
    @OptionalField(key: "used_at") var usedAt: Date?
    init() {}
}

/// Settings for the whole installation, by key (today: whether every administrator must log in in two steps).
final class SecuritySetting: Model, @unchecked Sendable {
    static let schema = "security_settings"
    @ID(custom: "key", generatedBy: .user) var id: String?
    @Field(key: "value") var value: String
    init() {}
    static let adminsRequireTwoFactor = "admins_require_totp"
}

struct AddTwoFactor: AsyncMigration {
    var name: String { "2026-12-01-15-add-two-factor" }
    func prepare(on db: any Database) async throws {
        // One column per statement (SQLite).
        try await db.schema(User.schema).field("totp_secret", .string).update()
        try await db.schema(User.schema).field("totp_enabled_at", .datetime).update()
        try await db.schema(User.schema).field("totp_last_counter", .int64).update()
        try await db.schema(Municipality.schema).field("requires_totp", .bool, .sql(.default(false))).update()
        try await db.schema(RecoveryCode.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("code_hash", .string, .required).field("used_at", .datetime)
            .unique(on: "user_id", "code_hash")
            .create()
        try await db.schema(SecuritySetting.schema).field("key", .string, .identifier(auto: false)).field("value", .string, .required).create()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(SecuritySetting.schema).delete()
        try await db.schema(RecoveryCode.schema).delete()
        for field in ["totp_secret", "totp_enabled_at", "totp_last_counter"] { try await db.schema(User.schema).deleteField(.key(.init(stringLiteral: field))).update() }
        try await db.schema(Municipality.schema).deleteField("requires_totp").update()
    }
}

enum TwoFactor {
    /// Whether this account must log in in two steps (its municipality requires it, or it is an administrator and
    /// every administrator must).
    static func required(for user: User, on db: any Database) async throws -> Bool {
        if user.role == .admin, try await SecuritySetting.find(SecuritySetting.adminsRequireTwoFactor, on: db)?.value == "ja" { return true }
        guard let mid = user.$municipality.id else { return false }
        return try await Municipality.find(mid, on: db)?.requiresTOTP ?? false
    }

    static func newSecret() -> [UInt8] {
        var g = SystemRandomNumberGenerator()
        return (0..<20).map { _ in UInt8.random(in: 0...255, using: &g) }
    }

    /// Accepts a code from the app once: the time step is stored with a conditional update, so the same code sent
    /// twice at once logs in once.
    static func acceptCode(_ typed: String, for user: User, at now: Date, box: SecretBox, on db: any Database) async throws -> Bool {
        guard let secret = user.totpSecret.flatMap(box.open).flatMap(Base32.decode),
              let counter = TOTP.verify(typed, secret: secret, at: now, lastUsed: user.totpLastCounter),
              let sql = db as? any SQLDatabase else { return false }
        let rows = try await sql.raw("""
            UPDATE users SET totp_last_counter = \(bind: counter) WHERE id = \(bind: user.requireID())
            AND (totp_last_counter IS NULL OR totp_last_counter < \(bind: counter)) RETURNING id
            """).all()
        if rows.count == 1 { user.totpLastCounter = counter }
        // A secret stored before secrets were sealed is sealed now.
        if rows.count == 1, let stored = user.totpSecret, !stored.hasPrefix(SecretBox.prefix) {
            try await sql.raw("UPDATE users SET totp_secret = \(bind: try box.seal(stored)) WHERE id = \(bind: user.requireID()) AND totp_secret = \(bind: stored)").run()
        }
        return rows.count == 1
    }

    /// Accepts an unused recovery code once (a conditional update).
    static func acceptRecoveryCode(_ typed: String, for user: User, at now: Date, on db: any Database) async throws -> Bool {
        guard let code = RecoveryCodes.normalise(typed), let sql = db as? any SQLDatabase else { return false }
        let rows = try await sql.raw("""
            UPDATE recovery_codes SET used_at = \(bind: now) WHERE user_id = \(bind: user.requireID()) AND code_hash = \(bind: sha256Hex(code))
            AND used_at IS NULL RETURNING id
            """).all()
        return rows.count == 1
    }

    /// Ten new recovery codes (the old ones stop working); returned once to show.
    static func newRecoveryCodes(for user: User, on db: any Database) async throws -> [String] {
        var g = SystemRandomNumberGenerator()
        let codes = RecoveryCodes.generate(using: &g)
        try await RecoveryCode.query(on: db).filter(\.$user.$id == user.requireID()).delete()
        for code in codes {
            let r = RecoveryCode()
            r.$user.id = try user.requireID()
            r.codeHash = sha256Hex(RecoveryCodes.normalise(code)!)
            try await r.create(on: db)
        }
        return codes
    }

    static let pendingUserKey = "tweestaps_gebruiker"
    static let pendingSinceKey = "tweestaps_sinds"
    static let pendingReturnKey = "tweestaps_terug"
    static let setupSecretKey = "tweestaps_geheim"
    static let setupRequiredKey = "tweestaps_inrichten"
    /// The second step must follow the first within five minutes.
    static let pendingLifetime: TimeInterval = 300
}

/// Thrown when an account that must log in in two steps has not set it up yet; answered with the set-up page.
struct TwoFactorSetupRequired: Error {}

/// The staff member's own two-step settings, and the second step of logging in.
struct TwoFactorController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let own = routes.access(.signedIn)
        own.get(Site.twoFactor.route, use: settings)
        own.post(Site.twoFactor("aanzetten").route, use: switchOn)
        own.post(Site.twoFactor("herstelcodes").route, use: renewCodes)
        own.post(Site.twoFactor("uitzetten").route, use: switchOff)
        let open = routes.access(.public)
        open.get(Site.loginCode.route, use: codeForm)
        open.post(Site.loginCode.route, use: code)
        let admin = routes.access(.action(.administer))
        admin.get(Site.adminSecurity.route, use: securityPage)
        admin.post(Site.adminSecurity.route, use: saveSecurity)
    }

    struct SettingsPage: Encodable {
        var page: PageMeta
        var heading: String
        var enabled: Bool
        var required: Bool
        var intro: String
        var secret: String?
        var uri: String?
        var codes: [String]
        var remaining: Int
        var forms: [FormView]
    }

    private func codeField(_ req: Request, _ errors: [FieldError], name: String = "code", label: String? = nil) -> FieldView {
        FieldView(req, name: name, label: label ?? req.t("twoFactor.code"), value: "", description: req.t("twoFactor.codeHelp"), autocomplete: "one-time-code", errors: errors)
    }

    private func settingsPage(_ req: Request, codes: [String] = [], errors: [FieldError] = []) async throws -> SettingsPage {
        let user = try req.requireUser(allowingSetup: true)
        let required = try await TwoFactor.required(for: user, on: req.db)
        let heading = req.t("twoFactor.heading")
        var page = req.page(heading, errors: errors, status: req.takeFlash())
        page.status = page.status ?? (req.session.data[TwoFactor.setupRequiredKey] == "1" ? req.t("twoFactor.mustSetUp") : nil)
        if user.totpEnabledAt == nil {
            let secret = req.session.data[TwoFactor.setupSecretKey].flatMap(Base32.decode) ?? TwoFactor.newSecret()
            req.session.data[TwoFactor.setupSecretKey] = Base32.encode(secret)
            let grouped = stride(from: 0, to: Base32.encode(secret).count, by: 4).map { i -> String in
                let s = Array(Base32.encode(secret)); return String(s[i..<min(i + 4, s.count)])
            }.joined(separator: " ")
            return SettingsPage(page: page, heading: heading, enabled: false, required: required, intro: req.t("twoFactor.setupIntro"), secret: grouped,
                                uri: TOTP.uri(secret: secret, account: user.email, issuer: "Wijkwerk"), codes: codes, remaining: 0,
                                forms: [FormView(action: Site.twoFactor("aanzetten").link(), submitLabel: req.t("twoFactor.switchOn"), fields: [codeField(req, errors)],
                                                 csrf: req.csrfToken(), showRequiredNote: false)])
        }
        let remaining = try await RecoveryCode.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$usedAt == nil).count()
        var forms = [FormView(action: Site.twoFactor("herstelcodes").link(), submitLabel: req.t("twoFactor.renewCodes"),
                              fields: [codeField(req, errors, name: "code_herstel")], csrf: req.csrfToken(), showRequiredNote: false)]
        if !required {
            forms.append(FormView(action: Site.twoFactor("uitzetten").link(), submitLabel: req.t("twoFactor.switchOff"),
                                  fields: [codeField(req, errors, name: "code_uit")], csrf: req.csrfToken(), showRequiredNote: false))
        }
        return SettingsPage(page: page, heading: heading, enabled: true, required: required,
                            intro: req.t("twoFactor.onSince", Format.day(user.totpEnabledAt!, req.language)), secret: nil, uri: nil, codes: codes,
                            remaining: remaining, forms: forms)
    }

    func settings(req: Request) async throws -> View {
        try await req.view.render("Accounts/two-factor", settingsPage(req))
    }

    func switchOn(req: Request) async throws -> Response {
        let user = try req.requireUser(allowingSetup: true)
        let typed = FormParts.read(req).values["code"] ?? ""
        let now = req.application.clock()
        guard user.totpEnabledAt == nil, let secret = req.session.data[TwoFactor.setupSecretKey].flatMap(Base32.decode),
              let counter = TOTP.verify(typed, secret: secret, at: now, lastUsed: nil) else {
            return try await req.render("Accounts/two-factor", settingsPage(req, errors: [FieldError("code", "twoFactor.wrongCode")]), status: .unprocessableEntity)
        }
        let codes = try await req.db.writeTransaction { db -> [String] in
            user.totpSecret = try req.application.secretBox.seal(Base32.encode(secret))
            user.totpEnabledAt = now
            user.totpLastCounter = counter
            try await user.update(on: db)
            try await AuditLog.record(on: db, by: user, action: .userTwoFactorOn, subject: .init(id: user.id?.uuidString, summary: user.email, municipalityID: user.$municipality.id),
                                      requestID: req.id, at: now)
            return try await TwoFactor.newRecoveryCodes(for: user, on: db)
        }
        req.session.data[TwoFactor.setupSecretKey] = nil
        req.session.data[TwoFactor.setupRequiredKey] = nil
        req.flash(req.t("twoFactor.switchedOn"))
        return try await req.render("Accounts/two-factor", settingsPage(req, codes: codes))
    }

    func renewCodes(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard user.totpEnabledAt != nil, try await TwoFactor.acceptCode(FormParts.read(req).values["code_herstel"] ?? "", for: user, at: req.application.clock(), box: req.application.secretBox, on: req.db) else {
            return try await req.render("Accounts/two-factor", settingsPage(req, errors: [FieldError("code_herstel", "twoFactor.wrongCode")]), status: .unprocessableEntity)
        }
        let codes = try await TwoFactor.newRecoveryCodes(for: user, on: req.db)
        return try await req.render("Accounts/two-factor", settingsPage(req, codes: codes))
    }

    func switchOff(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let now = req.application.clock()
        if try await TwoFactor.required(for: user, on: req.db) { throw AppError(status: .conflict, key: "twoFactor.isRequired") }
        guard user.totpEnabledAt != nil, try await TwoFactor.acceptCode(FormParts.read(req).values["code_uit"] ?? "", for: user, at: now, box: req.application.secretBox, on: req.db) else {
            return try await req.render("Accounts/two-factor", settingsPage(req, errors: [FieldError("code_uit", "twoFactor.wrongCode")]), status: .unprocessableEntity)
        }
        try await req.db.writeTransaction { db in
            user.totpSecret = nil
            user.totpEnabledAt = nil
            user.totpLastCounter = nil
            try await user.update(on: db)
            try await RecoveryCode.query(on: db).filter(\.$user.$id == user.requireID()).delete()
            try await AuditLog.record(on: db, by: user, action: .userTwoFactorOff, subject: .init(id: user.id?.uuidString, summary: user.email, municipalityID: user.$municipality.id),
                                      requestID: req.id, at: now)
        }
        req.flash(req.t("twoFactor.switchedOff"))
        return req.redirect(to: Site.twoFactor.link())
    }

    // MARK: The second step of logging in

    struct CodePage: Encodable { var page: PageMeta; var heading: String; var intro: [String]; var form: FormView?; var back: String?; var backText: String? }

    /// The account waiting for its second step in this session (at most five minutes after the password).
    private func pending(_ req: Request) async throws -> User? {
        guard let raw = req.session.data[TwoFactor.pendingUserKey], let id = UUID(uuidString: raw),
              let since = req.session.data[TwoFactor.pendingSinceKey].flatMap(Double.init),
              req.application.clock().timeIntervalSince1970 - since <= TwoFactor.pendingLifetime,
              let user = try await User.find(id, on: req.db), user.active, user.totpEnabledAt != nil else { return nil }
        return user
    }

    private func codePage(_ req: Request, errors: [FieldError]) -> CodePage {
        let heading = req.t("twoFactor.loginHeading")
        return CodePage(page: req.page(heading, errors: errors), heading: heading, intro: [req.t("twoFactor.loginIntro")],
                        form: FormView(action: Site.loginCode.link(), submitLabel: req.t("login.submit"),
                                       fields: [FieldView(req, name: "code", label: req.t("twoFactor.code"), value: "", description: req.t("twoFactor.loginCodeHelp"),
                                                          autocomplete: "one-time-code", errors: errors)], csrf: req.csrfToken(), showRequiredNote: false),
                        back: Site.login.link(), backText: req.t("account.backToLogin"))
    }

    func codeForm(req: Request) async throws -> Response {
        guard try await pending(req) != nil else { return req.redirect(to: Site.login.link()) }
        return try await req.render("Shared/message-form", codePage(req, errors: []))
    }

    func code(req: Request) async throws -> Response {
        guard let user = try await pending(req) else { return req.redirect(to: Site.login.link()) }
        let typed = FormParts.read(req).values["code"] ?? ""
        let now = req.application.clock()
        // Wrong codes count towards the same lock as wrong passwords (per address), before the code is checked.
        if case .locked(let state) = try await LoginThrottleStore.reserve(email: user.email, now: now, on: req.db) {
            return try await req.render("Shared/message-form", codePage(req, errors: [FieldError("code", "login.locked", [String(max(1, state.minutesLocked(at: now)))])]),
                                        status: .tooManyRequests)
        }
        var usedRecovery = false
        var ok = try await TwoFactor.acceptCode(typed, for: user, at: now, box: req.application.secretBox, on: req.db)
        if !ok { ok = try await TwoFactor.acceptRecoveryCode(typed, for: user, at: now, on: req.db); usedRecovery = ok }
        guard ok else {
            return try await req.render("Shared/message-form", codePage(req, errors: [FieldError("code", "twoFactor.wrongCode")]), status: .unauthorized)
        }
        try await LoginThrottleStore.clear(email: user.email, on: req.db)
        let returnTo = req.session.data[TwoFactor.pendingReturnKey]
        if usedRecovery {
            try await AuditLog.record(on: req.db, by: user, action: .userLoginCode, subject: .init(id: user.id?.uuidString, summary: user.email, municipalityID: user.$municipality.id),
                                      requestID: req.id, at: now)
        }
        return try await AuthController.complete(req, user, returnTo: returnTo, setupRequired: false)
    }

    // MARK: What an administrator requires

    struct SecurityPage: Encodable { var page: PageMeta; var heading: String; var intro: [String]; var form: FormView; var back: String; var backText: String }

    private func municipalities(_ req: Request) async throws -> [Municipality] {
        let actor = try await req.actor()
        let q = Municipality.query(on: req.db).sort(\.$name)
        if let m = actor.municipalityID { q.filter(\.$id == m) }
        return try await q.all()
    }

    func securityPage(req: Request) async throws -> View {
        let actor = try await req.actor()
        let ms = try await municipalities(req)
        var fields = [FieldView(req, name: "gemeenten", label: req.t("twoFactor.admin.municipalities"), type: "checkboxes", description: req.t("twoFactor.admin.municipalitiesHelp"),
                                optional: true, options: ms.map { ($0.id!.uuidString, $0.name) }, selected: Set(ms.filter(\.requiresTOTP).map { $0.id!.uuidString }))]
        if actor.municipalityID == nil {
            let admins = try await SecuritySetting.find(SecuritySetting.adminsRequireTwoFactor, on: req.db)?.value == "ja"
            fields.append(FieldView(req, name: "beheerders", label: req.t("twoFactor.admin.admins"), type: "checkbox", value: admins ? "ja" : "",
                                    description: req.t("twoFactor.admin.adminsHelp")))
        }
        let heading = req.t("twoFactor.admin.heading")
        return try await req.view.render("Shared/message-form", SecurityPage(
            page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link())], status: req.takeFlash()), heading: heading, intro: [req.t("twoFactor.admin.intro")],
            form: FormView(action: Site.adminSecurity.link(), submitLabel: req.t("admin.answers.save"), fields: fields, csrf: req.csrfToken(), showRequiredNote: false),
            back: Site.admin.link(), backText: req.t("admin.back")))
    }

    func saveSecurity(req: Request) async throws -> Response {
        let actor = try await req.actor()
        let form = FormParts.read(req)
        let chosen = Set((form.all["gemeenten[]"] ?? []) + (form.all["gemeenten"] ?? []))
        let ms = try await municipalities(req)
        try await req.db.writeTransaction { db in
            for m in ms where m.requiresTOTP != chosen.contains(m.id!.uuidString) {
                m.requiresTOTP = chosen.contains(m.id!.uuidString)
                try await m.update(on: db)
            }
            if actor.municipalityID == nil {
                let setting = try await SecuritySetting.find(SecuritySetting.adminsRequireTwoFactor, on: db) ?? { let s = SecuritySetting(); s.id = SecuritySetting.adminsRequireTwoFactor; return s }()
                setting.value = form.values["beheerders"] == "ja" ? "ja" : "nee"
                try await setting.save(on: db)
            }
        }
        req.flash(req.t("twoFactor.admin.saved"))
        return req.redirect(to: Site.adminSecurity.link())
    }
}
