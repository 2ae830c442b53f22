import Vapor
import Fluent
import Domain
import SQLKit

/// Admin: other divisions of the municipality (IBOR districts, welfare regions) and their groups of buurten.
struct ClassificationsAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let m = routes.access(.action(.administer))
        m.get(Site.adminClassifications.route, use: classifications)
        m.post(Site.adminClassifications.route, use: createClassification)
        m.get(Site.adminClassification.route, use: classification)
        m.post(Site.adminClassification("groepen").route, use: createGroup)
        m.post(Site.adminClassification.route, use: saveClassification)
    }

    // MARK: Alternative classifications

    struct ClassificationsPage: Encodable {
        struct Row: Encodable { var name: String; var owner: String; var groups: Int; var href: String }
        var page: PageMeta
        var municipality: String
        var rows: [Row]
        var form: FormView
    }

    struct ClassificationForm: Content { var csrf: String?; var name: String?; var owner: String? }

    private func classificationsPage(_ req: Request, _ m: Municipality, form: ClassificationForm = .init(), errors: [FieldError] = []) async throws -> ClassificationsPage {
        let list = try await Classification.query(on: req.db).filter(\.$municipality.$id == m.requireID()).sort(\.$name).all()
        var rows: [ClassificationsPage.Row] = []
        for c in list {
            let groups = try await ClassificationGroup.query(on: req.db).filter(\.$classification.$id == c.requireID()).count()
            rows.append(.init(name: c.name, owner: c.owner ?? "", groups: groups, href: Paths.adminClassification(m.slug, c.id!)))
        }
        let fields = [FieldView(req, name: "name", label: req.t("admin.classification.name"), value: form.name ?? "",
                                description: req.t("admin.classification.nameHelp"), errors: errors),
                      FieldView(req, name: "owner", label: req.t("admin.classification.owner"), value: form.owner ?? "", optional: true, errors: errors)]
        return ClassificationsPage(page: req.page(req.t("admin.classifications.title", m.name), crumbs: [(req.t("admin.title"), Site.admin.link())], errors: errors, status: req.takeFlash()),
                                   municipality: m.name, rows: rows,
                                   form: FormView(action: Paths.adminClassifications(m.slug), submitLabel: req.t("admin.classification.create"), fields: fields, csrf: req.csrfToken(), showRequiredNote: true))
    }

    func classifications(req: Request) async throws -> View {
        let m = try await req.adminMunicipality()
        return try await req.view.render("Admin/classifications", try await classificationsPage(req, m))
    }

    func createClassification(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let form = req.form(ClassificationForm())
        do {
            var errors: [FieldError] = []
            let name = Input.text(form.name, field: "name", max: 80).collect(into: &errors)
            let owner = Input.text(form.owner, field: "owner", max: 80, required: false).collect(into: &errors)
            if let name, try await Classification.query(on: req.db).filter(\.$municipality.$id == m.requireID()).all()
                .contains(where: { $0.name.lowercased() == name.lowercased() }) {
                errors.append(FieldError("name", "admin.classification.taken", [name]))
            }
            guard errors.isEmpty, let name else { throw ValidationFailure(errors) }
            let c = Classification()
            c.$municipality.id = try m.requireID()
            c.name = name
            c.owner = owner?.isEmpty == false ? owner : nil
            try await req.db.writeTransaction { db in
                try await c.create(on: db)
                try await req.audit(.classificationCreate, .init(id: c.id?.uuidString, summary: name, municipalityID: m.id),
                                    after: ["name": name, "owner": c.owner ?? ""], on: db)
            }
            req.flash(req.t("admin.classification.created", name))
            return req.redirect(to: Paths.adminClassification(m.slug, c.id!))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/classifications", try await classificationsPage(req, m, form: form, errors: failure.errors), status: failure.status)
        }
    }

    struct ClassificationPage: Encodable {
        struct Row: Encodable { var code: String; var name: String; var area: String; var field: String; var fieldID: String; var options: [FieldView.Option] }
        var page: PageMeta
        var name: String
        var groups: [String]
        var form: FormView
        var action: String
        var csrf: String
        var version: String
        var rows: [Row]
    }

    private func loadClassification(_ req: Request, _ m: Municipality) async throws -> Classification {
        guard let id = req.parameters.get("classification", as: UUID.self), let c = try await Classification.find(id, on: req.db),
              c.$municipality.id == m.id else { throw AppError.notFound() }
        return c
    }

    private func classificationPage(_ req: Request, _ m: Municipality, _ c: Classification, groupName: String = "", chosen: [String: String]? = nil, errors: [FieldError] = []) async throws -> ClassificationPage {
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let groups = try await ClassificationGroup.query(on: req.db).filter(\.$classification.$id == c.requireID()).sort(\.$name).all()
        let members = try await ClassificationMember.query(on: req.db).filter(\.$classification.$id == c.requireID()).all()
        var current: [UUID: String] = [:]
        for member in members { current[member.$neighbourhood.id] = member.$group.id.uuidString }
        let version = EditToken.of(Dictionary(uniqueKeysWithValues: s.neighbourhoods.compactMap { n in current[n.id].map { (n.code, $0) } }))
        let areaName = Dictionary(uniqueKeysWithValues: s.areas.map { ($0.id, $0.name) })
        let rows = s.neighbourhoods.map { n in
            let value = chosen?[n.code] ?? current[n.id] ?? ""
            return ClassificationPage.Row(code: n.code, name: n.name, area: n.areaID.flatMap { areaName[$0] } ?? "",
                                          field: "group[\(n.code)]", fieldID: "groep-\(n.code)",
                                          options: [FieldView.Option(value: "", label: req.t("admin.classification.noGroup"), selected: value.isEmpty, id: "")] +
                                            groups.map { FieldView.Option(value: $0.id!.uuidString, label: $0.name, selected: $0.id!.uuidString == value, id: "") })
        }
        let groupForm = FormView(action: Site.adminClassification("groepen").link(m.slug, c.id!.uuidString), submitLabel: req.t("admin.classification.addGroup"),
                                 fields: [FieldView(req, name: "name", label: req.t("admin.classification.groupName"), value: groupName, errors: errors)],
                                 csrf: req.csrfToken(), showRequiredNote: false)
        return ClassificationPage(page: req.page(c.name, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.classifications.title", m.name), Paths.adminClassifications(m.slug))], errors: errors, status: req.takeFlash()),
                                  name: c.name, groups: groups.map(\.name), form: groupForm, action: Paths.adminClassification(m.slug, c.id!),
                                  csrf: req.csrfToken(), version: version, rows: rows)
    }

    func classification(req: Request) async throws -> View {
        let m = try await req.adminMunicipality()
        let c = try await loadClassification(req, m)
        return try await req.view.render("Admin/classification", try await classificationPage(req, m, c))
    }

    func createGroup(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let c = try await loadClassification(req, m)
        let form = req.form(ClassificationForm())
        do {
            var errors: [FieldError] = []
            let name = Input.text(form.name, field: "name", max: 80).collect(into: &errors)
            if let name, try await ClassificationGroup.query(on: req.db).filter(\.$classification.$id == c.requireID()).all()
                .contains(where: { $0.name.lowercased() == name.lowercased() }) {
                errors.append(FieldError("name", "admin.classification.groupTaken", [name]))
            }
            guard errors.isEmpty, let name else { throw ValidationFailure(errors) }
            let group = ClassificationGroup()
            group.$classification.id = try c.requireID()
            group.name = name
            try await req.db.writeTransaction { db in
                try await group.create(on: db)
                try await req.audit(.classificationGroupCreate, .init(id: c.id?.uuidString, summary: "\(c.name): \(name)", municipalityID: m.id),
                                    after: ["group": name], on: db)
            }
            req.flash(req.t("admin.classification.groupCreated", name))
            return req.redirect(to: Paths.adminClassification(m.slug, c.id!))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/classification", try await classificationPage(req, m, c, groupName: form.name ?? "", errors: failure.errors), status: failure.status)
        }
    }

    struct AssignmentForm: Content { var csrf: String?; var group: [String: String]?; var versie: String? }

    func saveClassification(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let c = try await loadClassification(req, m)
        let form = req.form(AssignmentForm())
        let chosen = form.group ?? [:]
        do {
            let s = try await req.areas.snapshot(for: m, on: req.db)
            let groups = try await ClassificationGroup.query(on: req.db).filter(\.$classification.$id == c.requireID()).all()
            let groupByID = Dictionary(uniqueKeysWithValues: groups.map { ($0.id!.uuidString, $0) })
            var errors: [FieldError] = []
            for (code, value) in chosen where !value.isEmpty && groupByID[value] == nil { errors.append(FieldError("groep-\(code)", "admin.classification.unknownGroup")) }
            guard errors.isEmpty else { throw ValidationFailure(errors) }
            let before = try await ClassificationMember.query(on: req.db).filter(\.$classification.$id == c.requireID()).with(\.$group).with(\.$neighbourhood).all()
            let beforeMap = Dictionary(uniqueKeysWithValues: before.map { ($0.neighbourhood.code, $0.group.name) })
            try EditToken.check(form.versie, current: Dictionary(uniqueKeysWithValues: before.map { ($0.neighbourhood.code, $0.$group.id.uuidString) }))
            let assigned = s.neighbourhoods.compactMap { n in chosen[n.code].flatMap { groupByID[$0] }.map { (n, $0) } }
            let afterMap = Dictionary(uniqueKeysWithValues: assigned.map { ($0.0.code, $0.1.name) })
            try await req.db.writeTransaction { db in
                try await ClassificationMember.query(on: db).filter(\.$classification.$id == c.requireID()).delete()
                for (n, group) in assigned {
                    let member = ClassificationMember()
                    member.$classification.id = try c.requireID()
                    member.$group.id = try group.requireID()
                    member.$neighbourhood.id = n.id
                    try await member.create(on: db)
                }
                try await req.audit(.classificationAssign, .init(id: c.id?.uuidString, summary: c.name, municipalityID: m.id),
                                    before: beforeMap, after: afterMap, on: db)
            }
            req.flash(req.t("admin.classification.saved"))
            return req.redirect(to: Paths.adminClassification(m.slug, c.id!))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/classification", try await classificationPage(req, m, c, chosen: chosen, errors: failure.errors), status: failure.status)
        }
    }
}
