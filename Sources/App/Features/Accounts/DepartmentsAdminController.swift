import Vapor
import Fluent
import Domain

/// Admin pages for departments (vakafdelingen): name, domain and team lead.
struct DepartmentsAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let d = routes.access(.action(.administer))
        d.get(Site.adminDepartments.route, use: list)
        d.post(Site.adminDepartments.route, use: create)
        d.get(Site.adminDepartment.route, use: edit)
        d.post(Site.adminDepartment.route, use: update)
    }

    struct ListPage: Encodable {
        struct Row: Encodable { var name: String; var domain: String; var teamLead: String; var edit: String }
        var page: PageMeta
        var municipality: String
        var rows: [Row]
        var form: FormView
    }

    struct DepartmentForm: Content { var csrf: String?; var name: String?; var domain: String?; var teamLead: String?; var versie: String? }

    private func fields(_ req: Request, _ m: Municipality, _ form: DepartmentForm, errors: [FieldError]) async throws -> [FieldView] {
        let leads = try await User.query(on: req.db).filter(\.$municipality.$id == m.requireID()).filter(\.$role == .teamLead).sort(\.$name).all()
        return [
            FieldView(req, name: "name", label: req.t("admin.department.name"), value: form.name ?? "", errors: errors),
            FieldView(req, name: "domain", label: req.t("admin.department.domain"), type: "select", value: form.domain ?? "",
                      options: [("", req.t("admin.department.chooseDomain"))] + Department.domains.map { ($0, req.t("department.domain.\($0)")) }, errors: errors),
            FieldView(req, name: "teamLead", label: req.t("admin.department.teamLead"), type: "select", value: form.teamLead ?? "",
                      description: req.t("admin.department.teamLeadHelp"), optional: true,
                      options: [("", req.t("admin.department.noTeamLead"))] + leads.map { ($0.id!.uuidString, $0.name) }, errors: errors),
        ] + (form.versie.map { [FieldView(req, name: "versie", label: "", type: "hidden", value: $0)] } ?? [])
    }

    private func listPage(_ req: Request, _ m: Municipality, form: DepartmentForm = .init(), errors: [FieldError] = []) async throws -> ListPage {
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == m.requireID()).sort(\.$name).all()
        let leadIDs = departments.compactMap(\.teamLeadID)
        let leads = try await User.query(on: req.db).filter(\.$id ~~ leadIDs).all()
        let leadName = Dictionary(uniqueKeysWithValues: leads.map { ($0.id!, $0.name) })
        let rows = departments.map {
            ListPage.Row(name: $0.name, domain: req.t("department.domain.\($0.domain)"), teamLead: $0.teamLeadID.flatMap { leadName[$0] } ?? "",
                         edit: Paths.adminDepartment(m.slug, $0.id!))
        }
        return ListPage(page: req.page(req.t("admin.departments.title", m.name), crumbs: [(req.t("admin.title"), Site.admin.link())], errors: errors, status: req.takeFlash()),
                        municipality: m.name, rows: rows,
                        form: FormView(action: Paths.adminDepartments(m.slug), submitLabel: req.t("admin.department.create"),
                                       fields: try await fields(req, m, form, errors: errors), csrf: req.csrfToken(), showRequiredNote: true))
    }

    func list(req: Request) async throws -> View {
        let m = try await req.adminMunicipality()
        return try await req.view.render("Admin/departments", try await listPage(req, m))
    }

    private func validate(_ form: DepartmentForm, _ m: Municipality, except: UUID?, on db: any Database) async throws -> (String, String, UUID?) {
        var errors: [FieldError] = []
        let name = Input.text(form.name, field: "name", max: 120).collect(into: &errors)
        let domain = form.domain ?? ""
        if !Department.domains.contains(domain) { errors.append(FieldError("domain", "admin.department.domainMissing")) }
        if let name, try await Department.query(on: db).filter(\.$municipality.$id == m.requireID()).all()
            .contains(where: { $0.id != except && $0.name.lowercased() == name.lowercased() }) {
            errors.append(FieldError("name", "admin.department.taken", [name]))
        }
        var lead: UUID? = nil
        if let raw = form.teamLead, !raw.isEmpty {
            if let id = UUID(uuidString: raw), try await User.query(on: db).filter(\.$id == id).filter(\.$municipality.$id == m.requireID()).filter(\.$role == .teamLead).count() == 1 {
                lead = id
            } else { errors.append(FieldError("teamLead", "admin.department.teamLeadUnknown")) }
        }
        guard errors.isEmpty, let name else { throw ValidationFailure(errors) }
        return (name, domain, lead)
    }

    func create(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let form = req.form(DepartmentForm())
        do {
            let (name, domain, lead) = try await validate(form, m, except: nil, on: req.db)
            let d = Department()
            d.$municipality.id = try m.requireID()
            d.name = name
            d.domain = domain
            d.teamLeadID = lead
            try await req.db.writeTransaction { db in
                try await d.create(on: db)
                try await req.audit(.departmentCreate, .init(id: d.id?.uuidString, summary: name, municipalityID: m.id), after: d.snapshot, on: db)
            }
            req.flash(req.t("admin.department.created", name))
            return req.redirect(to: Paths.adminDepartments(m.slug))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/departments", try await listPage(req, m, form: form, errors: failure.errors), status: failure.status)
        }
    }

    struct EditPage: Encodable { var page: PageMeta; var heading: String; var form: FormView; var back: String }

    private func load(_ req: Request, _ m: Municipality) async throws -> Department {
        guard let id = req.parameters.get("department", as: UUID.self), let d = try await Department.find(id, on: req.db), d.$municipality.id == m.id else {
            throw AppError.notFound()
        }
        return d
    }

    private func editPage(_ req: Request, _ m: Municipality, _ d: Department, form: DepartmentForm, errors: [FieldError] = []) async throws -> EditPage {
        let heading = req.t("admin.department.editTitle", d.name)
        return EditPage(page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.departments.title", m.name), Paths.adminDepartments(m.slug))], errors: errors),
                        heading: heading,
                        form: FormView(action: Paths.adminDepartment(m.slug, d.id!), submitLabel: req.t("admin.department.save"),
                                       fields: try await fields(req, m, form, errors: errors), csrf: req.csrfToken(), showRequiredNote: true),
                        back: Paths.adminDepartments(m.slug))
    }

    func edit(req: Request) async throws -> View {
        let m = try await req.adminMunicipality()
        let d = try await load(req, m)
        return try await req.view.render("Admin/form-page", try await editPage(req, m, d, form: .init(name: d.name, domain: d.domain, teamLead: d.teamLeadID?.uuidString, versie: EditToken.of(d.snapshot))))
    }

    func update(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let d = try await load(req, m)
        let form = req.form(DepartmentForm())
        do {
            try EditToken.check(form.versie, current: d.snapshot)
            let (name, domain, lead) = try await validate(form, m, except: d.id, on: req.db)
            let before = d.snapshot
            d.name = name
            d.domain = domain
            d.teamLeadID = lead
            try await req.db.writeTransaction { db in
                try await d.update(on: db)
                try await req.audit(.departmentUpdate, .init(id: d.id?.uuidString, summary: name, municipalityID: m.id), before: before, after: d.snapshot, on: db)
            }
            req.flash(req.t("admin.department.saved", name))
            return req.redirect(to: Paths.adminDepartments(m.slug))
        } catch let failure as ValidationFailure {
            var kept = form
            kept.versie = EditToken.of(d.snapshot)
            return try await req.render("Admin/form-page", try await editPage(req, m, d, form: kept, errors: failure.errors), status: failure.status)
        }
    }
}
