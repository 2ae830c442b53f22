import Vapor
import Fluent
import Domain
import SQLKit

/// Admin pages for the division: the admin home and the areas (the mapping and other classifications have their own controllers).
struct AreasAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.access(.action(.administer))
        admin.get(Site.admin.route, use: home)
        admin.get(Site.adminAreas.route, use: areas)
        admin.post(Site.adminAreas.route, use: createArea)
        admin.get(Site.adminArea.route, use: editArea)
        admin.post(Site.adminArea.route, use: updateArea)
    }

    // MARK: Admin home

    struct HomePage: Encodable {
        struct Item: Encodable { var name: String; var areas: String; var mapping: String; var classifications: String; var departments: String; var mixingPanel: String; var signals: String; var councils: String }
        var page: PageMeta
        var municipalities: [Item]
        var installationAdmin: Bool
    }

    func home(req: Request) async throws -> View {
        let actor = try await req.actor() // the route needs administer; a municipality's admin sees their own
        var query = Municipality.query(on: req.db).sort(\.$name)
        if let m = actor.municipalityID { query = query.filter(\.$id == m) }
        let items = try await query.all().map {
            HomePage.Item(name: $0.name, areas: Paths.adminAreas($0.slug), mapping: Paths.adminMapping($0.slug),
                          classifications: Paths.adminClassifications($0.slug), departments: Paths.adminDepartments($0.slug), mixingPanel: Paths.mixingPanels($0.slug), signals: Site.adminSignals.link($0.slug), councils: Site.adminCouncils.link($0.slug))
        }
        return try await req.view.render("Admin/home", HomePage(page: req.page(req.t("admin.title"), status: req.takeFlash()), municipalities: items,
                                                                installationAdmin: actor.municipalityID == nil))
    }

    // MARK: Areas

    struct AreasPage: Encodable {
        struct Row: Encodable { var name: String; var kind: String; var neighbourhoods: Int; var edit: String; var publicHref: String }
        var page: PageMeta
        var municipality: String
        var rows: [Row]
        var form: FormView
        var mappingHref: String
    }

    private func areaFields(_ req: Request, name: String, kind: String, token: String? = nil, errors: [FieldError]) -> [FieldView] {
        [FieldView(req, name: "name", label: req.t("admin.area.name"), value: name, errors: errors),
         FieldView(req, name: "kind", label: req.t("admin.area.kind"), type: "radios", value: kind,
                   options: AreaKind.allCases.map { ($0.rawValue, req.t("area.kind.\($0.rawValue)")) }, errors: errors)]
            + (token.map { [FieldView(req, name: "versie", label: "", type: "hidden", value: $0)] } ?? [])
    }

    private func areasPage(_ req: Request, _ m: Municipality, name: String = "", kind: String = "neighbourhood", errors: [FieldError] = []) async throws -> AreasPage {
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let rows = s.areas.map {
            AreasPage.Row(name: $0.name, kind: req.t("area.kind.\($0.kind.rawValue)"), neighbourhoods: $0.neighbourhoodCodes.count,
                          edit: Paths.adminArea(m.slug, $0.id), publicHref: Paths.area(m.slug, $0.slug))
        }
        let form = FormView(action: Paths.adminAreas(m.slug), submitLabel: req.t("admin.area.create"),
                            fields: areaFields(req, name: name, kind: kind, errors: errors), csrf: req.csrfToken(), showRequiredNote: true)
        return AreasPage(page: req.page(req.t("admin.areas.title", m.name), crumbs: [(req.t("admin.title"), Site.admin.link())], errors: errors, status: req.takeFlash()),
                         municipality: m.name, rows: rows, form: form, mappingHref: Paths.adminMapping(m.slug))
    }

    func areas(req: Request) async throws -> View {
        let m = try await req.adminMunicipality()
        return try await req.view.render("Admin/areas", try await areasPage(req, m))
    }

    struct AreaForm: Content { var csrf: String?; var name: String?; var kind: String?; var versie: String? }

    /// Validates an area form; `except` is the area being edited.
    private func validateArea(_ form: AreaForm, _ m: Municipality, except: UUID?, on db: any Database) async throws -> (String, AreaKind) {
        var errors: [FieldError] = []
        let others = try await Area.query(on: db).filter(\.$municipality.$id == m.requireID()).all().filter { $0.id != except }
        let name = AreaRules.validateName(form.name ?? "", existing: others.map(\.name)).collect(into: &errors)
        let kind = AreaKind(rawValue: form.kind ?? "")
        if kind == nil { errors.append(FieldError("kind", "admin.area.kindMissing")) }
        if let name, others.contains(where: { $0.slug == AreaRules.slug(name) }) { errors.append(FieldError("name", "area.name.taken", [name])) }
        guard errors.isEmpty, let name, let kind else { throw ValidationFailure(errors) }
        return (name, kind)
    }

    func createArea(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let form = req.form(AreaForm())
        do {
            let (name, kind) = try await validateArea(form, m, except: nil, on: req.db)
            let area = Area()
            area.$municipality.id = try m.requireID()
            area.name = name
            area.slug = AreaRules.slug(name)
            area.kind = kind
            area.position = (try await Area.query(on: req.db).filter(\.$municipality.$id == m.requireID()).max(\.$position) ?? 0) + 1
            try await req.db.writeTransaction { db in
                try await area.create(on: db)
                try await FormerAreaSlug.record(old: area.slug, new: area.slug, area: area, at: req.application.clock(), on: db) // the name is an area's again
                try await Municipality.bumpDivisionVersion(m, on: db)
                try await req.audit(.areaCreate, .init(id: area.id?.uuidString, summary: name, municipalityID: m.id), after: area.snapshot, on: db)
            }
            req.flash(req.t("admin.area.created", name))
            return req.redirect(to: Paths.adminAreas(m.slug))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/areas", try await areasPage(req, m, name: form.name ?? "", kind: form.kind ?? "", errors: failure.errors), status: failure.status)
        }
    }

    struct AreaEditPage: Encodable { var page: PageMeta; var heading: String; var form: FormView; var back: String }

    private func loadArea(_ req: Request, _ m: Municipality) async throws -> Area {
        guard let id = req.parameters.get("area", as: UUID.self), let area = try await Area.find(id, on: req.db),
              area.$municipality.id == m.id else { throw AppError.notFound("error.areaNotFound") }
        return area
    }

    private func editPage(_ req: Request, _ m: Municipality, _ area: Area, name: String, kind: String, errors: [FieldError] = []) -> AreaEditPage {
        let heading = req.t("admin.area.editTitle", area.name)
        return AreaEditPage(page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.areas.title", m.name), Paths.adminAreas(m.slug))], errors: errors),
                            heading: heading,
                            form: FormView(action: Paths.adminArea(m.slug, area.id!), submitLabel: req.t("admin.area.save"),
                                           fields: areaFields(req, name: name, kind: kind, token: EditToken.of(area.snapshot), errors: errors), csrf: req.csrfToken(), showRequiredNote: true),
                            back: Paths.adminAreas(m.slug))
    }

    func editArea(req: Request) async throws -> View {
        let m = try await req.adminMunicipality()
        let area = try await loadArea(req, m)
        return try await req.view.render("Admin/form-page", editPage(req, m, area, name: area.name, kind: area.kind.rawValue))
    }

    func updateArea(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let area = try await loadArea(req, m)
        let form = req.form(AreaForm())
        do {
            try EditToken.check(form.versie, current: area.snapshot)
            let (name, kind) = try await validateArea(form, m, except: area.id, on: req.db)
            let before = area.snapshot
            let oldSlug = area.slug
            area.name = name
            area.slug = AreaRules.slug(name)
            area.kind = kind
            try await req.db.writeTransaction { db in
                try await area.update(on: db)
                // Old links to the area keep working (301 to the new address).
                try await FormerAreaSlug.record(old: oldSlug, new: area.slug, area: area, at: req.application.clock(), on: db)
                try await Municipality.bumpDivisionVersion(m, on: db)
                try await req.audit(.areaUpdate, .init(id: area.id?.uuidString, summary: name, municipalityID: m.id),
                                    before: before, after: area.snapshot, on: db)
            }
            req.flash(req.t("admin.area.saved", name))
            return req.redirect(to: Paths.adminAreas(m.slug))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/form-page", editPage(req, m, area, name: form.name ?? "", kind: form.kind ?? "", errors: failure.errors), status: failure.status)
        }
    }


}
