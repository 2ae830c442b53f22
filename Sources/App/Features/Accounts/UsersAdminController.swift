import Vapor
import Fluent
import Domain

/// Admin pages for staff accounts: list, create, edit role, scope and status.
struct UsersAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let users = routes.access(.action(.administer))
        users.get(Site.users.route, use: list)
        users.get(Site.userNew.route, use: new)
        users.post(Site.userNew.route, use: create)
        users.get(Site.user.route, use: edit)
        users.post(Site.user.route, use: update)
    }

    /// Only admins; a municipal admin manages the accounts of their own municipality.
    private func admin(_ req: Request) async throws -> (User, Actor) {
        (try req.requireUser(), try await req.actor()) // the routes need administer
    }

    private func mayManage(_ actor: Actor, municipality: UUID?) -> Bool {
        if let municipality { return Permissions.allows(actor, .administer(municipality: municipality)) }
        return Permissions.allows(actor, .administerInstallation)
    }

    struct ListPage: Encodable {
        struct Row: Encodable { var name: String; var email: String; var role: String; var municipality: String; var scope: String; var active: Bool; var edit: String }
        var page: PageMeta
        var rows: [Row]
        var heading: String
    }

    func list(req: Request) async throws -> View {
        let (_, actor) = try await admin(req)
        var query = User.query(on: req.db).with(\.$municipality).with(\.$department).with(\.$areas).sort(\.$name)
        if let m = actor.municipalityID { query = query.filter(\.$municipality.$id == m) }
        let users = try await query.all()
        let rows = users.map { u in
            ListPage.Row(name: u.name, email: u.email, role: req.t("role.\(u.role.rawValue)"),
                         municipality: u.municipality?.name ?? req.t("admin.user.allMunicipalities"),
                         scope: u.role.scopeKind == .areas ? u.areas.map(\.name).sorted().joined(separator: ", ") : (u.department?.name ?? ""),
                         active: u.active, edit: Paths.adminUser(u.id!))
        }
        return try await req.view.render("Admin/users", ListPage(page: req.page(req.tCount("admin.users.countTitle", rows.count), crumbs: [(req.t("admin.title"), Site.admin.link())], status: req.takeFlash()),
                                                                rows: rows, heading: req.tCount("admin.users.countTitle", rows.count)))
    }

    struct UserForm: Content {
        var csrf: String?
        var name: String?
        var email: String?
        var role: String?
        var municipality: String?
        var department: String?
        var areas: [String]?
        var password: String?
        var active: String?
        var versie: String?

        var input: UserInput {
            UserInput(email: email ?? "", name: name ?? "", role: role ?? "", municipalityID: municipality.flatMap(UUID.init(uuidString:)),
                      departmentID: department.flatMap(UUID.init(uuidString:)), areaIDs: (areas ?? []).compactMap(UUID.init(uuidString:)),
                      password: password, active: active == "ja")
        }
    }

    struct FormPage: Encodable { var page: PageMeta; var heading: String; var form: FormView; var back: String }

    private func formPage(_ req: Request, actor: Actor, heading: String, action: String, submit: String, form: UserForm, isNew: Bool, errors: [FieldError]) async throws -> FormPage {
        var municipalities = Municipality.query(on: req.db).sort(\.$name)
        if let m = actor.municipalityID { municipalities = municipalities.filter(\.$id == m) }
        let ms = try await municipalities.all()
        let ids = ms.compactMap(\.id)
        let names = Dictionary(uniqueKeysWithValues: ms.map { ($0.id!, $0.name) })
        let areas = try await Area.query(on: req.db).filter(\.$municipality.$id ~~ ids).sort(\.$position).all()
            .sorted { (names[$0.$municipality.id] ?? "", $0.position) < (names[$1.$municipality.id] ?? "", $1.position) }
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id ~~ ids).sort(\.$name).all()
        var municipalityOptions = ms.map { ($0.id!.uuidString, $0.name) }
        if actor.municipalityID == nil { municipalityOptions.insert(("", req.t("admin.user.allMunicipalities")), at: 0) }
        var fields = [
            FieldView(req, name: "name", label: req.t("admin.user.name"), value: form.name ?? "", autocomplete: "off", errors: errors),
            FieldView(req, name: "email", label: req.t("admin.user.email"), type: "email", value: form.email ?? "", autocomplete: "off", errors: errors),
            FieldView(req, name: "role", label: req.t("admin.user.role"), type: "select", value: form.role ?? "",
                      options: [("", req.t("admin.user.chooseRole"))] + Role.allCases.map { ($0.rawValue, req.t("role.\($0.rawValue)")) }, errors: errors),
            FieldView(req, name: "municipality", label: req.t("admin.user.municipality"), type: "select", value: form.municipality ?? "",
                      description: req.t("admin.user.municipalityHelp"), options: municipalityOptions, errors: errors),
            FieldView(req, name: "areas", label: req.t("admin.user.areas"), type: "checkboxes", description: req.t("admin.user.areasHelp"), optional: true,
                      options: areas.map { ($0.id!.uuidString, "\(names[$0.$municipality.id] ?? "") – \($0.name)") }, selected: Set(form.areas ?? []), errors: errors),
            FieldView(req, name: "department", label: req.t("admin.user.department"), type: "select", value: form.department ?? "",
                      description: req.t("admin.user.departmentHelp"), optional: true,
                      options: [("", req.t("admin.user.noDepartment"))] + departments.map { ($0.id!.uuidString, "\(names[$0.$municipality.id] ?? "") – \($0.name)") }, errors: errors),
            FieldView(req, name: "password", label: isNew ? req.t("admin.user.password") : req.t("admin.user.newPassword"), type: "password",
                      description: req.t(isNew ? "admin.user.passwordHelpNew" : "admin.user.passwordHelp", String(Credentials.minPasswordLength)), optional: true, autocomplete: "new-password", errors: errors),
        ]
        fields.append(FieldView(req, name: "active", label: req.t("admin.user.status"), type: "radios", value: form.active ?? "ja",
                                options: [("ja", req.t("admin.user.active")), ("nee", req.t("admin.user.inactive"))], errors: errors))
        if let token = form.versie { fields.append(FieldView(req, name: "versie", label: "", type: "hidden", value: token)) }
        return FormPage(page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.users.title"), Paths.adminUsers)], errors: errors),
                        heading: heading, form: FormView(action: action, submitLabel: submit, fields: fields, csrf: req.csrfToken(), showRequiredNote: true),
                        back: Paths.adminUsers)
    }

    func new(req: Request) async throws -> View {
        let (_, actor) = try await admin(req)
        let initial = UserForm(municipality: actor.municipalityID?.uuidString, active: "ja")
        return try await req.view.render("Admin/form-page", try await formPage(req, actor: actor, heading: req.t("admin.user.newTitle"), action: Paths.adminUsers + "/nieuw",
                                                                              submit: req.t("admin.user.create"), form: initial, isNew: true, errors: []))
    }

    func create(req: Request) async throws -> Response {
        let (user, actor) = try await admin(req)
        var form = req.form(UserForm())
        do {
            guard mayManage(actor, municipality: form.input.municipalityID) else { throw ValidationFailure([FieldError("municipality", "admin.user.municipalityNotAllowed")], status: .forbidden) }
            var municipality: String? = nil
            if let mid = form.input.municipalityID { municipality = try await Municipality.find(mid, on: req.db)?.name }
            let invite = (mailer: AccountMailer(req.application), municipality: municipality, role: Role(rawValue: form.role ?? "").map { req.t("role." + $0.rawValue) } ?? "")
            let created = try await AccountsService.create(form.input, by: user, requestID: req.id, hasher: req.password, common: req.application.commonPasswords,
                                                           now: req.application.clock(), invite: invite, on: req.db)
            req.flash(req.t((form.password ?? "").isEmpty ? "admin.user.invited" : "admin.user.created", created.name, created.email))
            return req.redirect(to: Paths.adminUsers)
        } catch let failure as ValidationFailure {
            form.password = nil
            return try await req.render("Admin/form-page", try await formPage(req, actor: actor, heading: req.t("admin.user.newTitle"), action: Paths.adminUsers + "/nieuw",
                                                                             submit: req.t("admin.user.create"), form: form, isNew: true, errors: failure.errors), status: failure.status)
        }
    }

    private func target(_ req: Request, _ actor: Actor) async throws -> User {
        guard let id = req.parameters.get("user", as: UUID.self), let user = try await User.query(on: req.db).filter(\.$id == id).with(\.$areas).first() else {
            throw AppError.notFound()
        }
        guard mayManage(actor, municipality: user.$municipality.id) else { throw AppError.forbidden }
        return user
    }

    func edit(req: Request) async throws -> View {
        let (_, actor) = try await admin(req)
        let user = try await target(req, actor)
        let form = UserForm(name: user.name, email: user.email, role: user.role.rawValue, municipality: user.$municipality.id?.uuidString,
                            department: user.$department.id?.uuidString, areas: user.areas.map { $0.id!.uuidString }, active: user.active ? "ja" : "nee",
                            versie: EditToken.of(user.snapshot(areaIDs: user.areas.compactMap(\.id))))
        return try await req.view.render("Admin/form-page", try await formPage(req, actor: actor, heading: req.t("admin.user.editTitle", user.name), action: Paths.adminUser(user.id!),
                                                                              submit: req.t("admin.user.save"), form: form, isNew: false, errors: []))
    }

    func update(req: Request) async throws -> Response {
        let (me, actor) = try await admin(req)
        let user = try await target(req, actor)
        var form = req.form(UserForm())
        do {
            guard mayManage(actor, municipality: form.input.municipalityID) else { throw ValidationFailure([FieldError("municipality", "admin.user.municipalityNotAllowed")], status: .forbidden) }
            try EditToken.check(form.versie, current: user.snapshot(areaIDs: user.areas.compactMap(\.id)))
            if user.id == me.id && (form.input.role != Role.admin.rawValue || !form.input.active) {
                throw ValidationFailure([FieldError("role", "admin.user.cannotDemoteSelf")])
            }
            try await AccountsService.update(user, with: form.input, by: me, requestID: req.id, hasher: req.password, common: req.application.commonPasswords, now: req.application.clock(), on: req.db)
            req.flash(req.t("admin.user.saved", user.name))
            return req.redirect(to: Paths.adminUsers)
        } catch let failure as ValidationFailure {
            form.password = nil
            form.versie = EditToken.of(user.snapshot(areaIDs: user.areas.compactMap(\.id)))
            return try await req.render("Admin/form-page", try await formPage(req, actor: actor, heading: req.t("admin.user.editTitle", user.name), action: Paths.adminUser(user.id!),
                                                                             submit: req.t("admin.user.save"), form: form, isNew: false, errors: failure.errors), status: failure.status)
        }
    }
}
