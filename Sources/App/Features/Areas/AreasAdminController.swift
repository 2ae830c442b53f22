import Vapor
import Fluent
import Domain
import SQLKit

/// Admin pages for the division: areas, the buurt → area mapping, and alternative classifications.
struct AreasAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let admin = routes.access(.action(.administer)).grouped("beheer")
        admin.get(use: home)
        let m = admin.grouped("gemeenten", ":municipality")
        m.get("gebieden", use: areas)
        m.post("gebieden", use: createArea)
        m.get("gebieden", ":area", use: editArea)
        m.post("gebieden", ":area", use: updateArea)
        m.get("indeling", use: mapping)
        m.post("indeling", use: saveMapping)
        m.get("indelingen", use: classifications)
        m.post("indelingen", use: createClassification)
        m.get("indelingen", ":classification", use: classification)
        m.post("indelingen", ":classification", "groepen", use: createGroup)
        m.post("indelingen", ":classification", use: saveClassification)
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
                          classifications: Paths.adminClassifications($0.slug), departments: Paths.adminDepartments($0.slug), mixingPanel: Paths.mixingPanels($0.slug), signals: "/beheer/gemeenten/\($0.slug)/meldingen", councils: "/beheer/gemeenten/\($0.slug)/raden")
        }
        return try await req.view.render("Admin/home", HomePage(page: req.page(req.t("admin.title"), status: req.takeFlash()), municipalities: items,
                                                                installationAdmin: actor.municipalityID == nil))
    }

    /// The municipality of the path, after checking the user may administer it.
    static func municipality(_ req: Request) async throws -> Municipality {
        try await req.municipality { .administer(municipality: $0) }
    }

    /// Raises the version so every cached view of the division is rebuilt. With `expected`, only when the
    /// version is still that one (optimistic concurrency); returns whether it was raised.
    @discardableResult
    static func bumpVersion(_ m: Municipality, expected: Int? = nil, on db: any Database) async throws -> Bool {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let id = try m.requireID()
        let rows: [SQLRow]
        if let expected {
            rows = try await sql.raw("UPDATE municipalities SET mapping_version = mapping_version + 1 WHERE id = \(bind: id) AND mapping_version = \(bind: expected) RETURNING mapping_version").all()
        } else {
            rows = try await sql.raw("UPDATE municipalities SET mapping_version = mapping_version + 1 WHERE id = \(bind: id) RETURNING mapping_version").all()
        }
        return rows.count == 1
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
        return AreasPage(page: req.page(req.t("admin.areas.title", m.name), crumbs: [(req.t("admin.title"), "/beheer")], errors: errors, status: req.takeFlash()),
                         municipality: m.name, rows: rows, form: form, mappingHref: Paths.adminMapping(m.slug))
    }

    func areas(req: Request) async throws -> View {
        let m = try await Self.municipality(req)
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
        let m = try await Self.municipality(req)
        let form = req.form(AreaForm())
        do {
            try req.checkCSRF(form.csrf)
            let (name, kind) = try await validateArea(form, m, except: nil, on: req.db)
            let area = Area()
            area.$municipality.id = try m.requireID()
            area.name = name
            area.slug = AreaRules.slug(name)
            area.kind = kind
            area.position = (try await Area.query(on: req.db).filter(\.$municipality.$id == m.requireID()).max(\.$position) ?? 0) + 1
            try await req.db.transaction { db in
                try await area.create(on: db)
                try await FormerAreaSlug.record(old: area.slug, new: area.slug, area: area, at: req.application.clock(), on: db) // the name is an area's again
                try await Self.bumpVersion(m, on: db)
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
        return AreaEditPage(page: req.page(heading, crumbs: [(req.t("admin.title"), "/beheer"), (req.t("admin.areas.title", m.name), Paths.adminAreas(m.slug))], errors: errors),
                            heading: heading,
                            form: FormView(action: Paths.adminArea(m.slug, area.id!), submitLabel: req.t("admin.area.save"),
                                           fields: areaFields(req, name: name, kind: kind, token: EditToken.of(area.snapshot), errors: errors), csrf: req.csrfToken(), showRequiredNote: true),
                            back: Paths.adminAreas(m.slug))
    }

    func editArea(req: Request) async throws -> View {
        let m = try await Self.municipality(req)
        let area = try await loadArea(req, m)
        return try await req.view.render("Admin/form-page", editPage(req, m, area, name: area.name, kind: area.kind.rawValue))
    }

    func updateArea(req: Request) async throws -> Response {
        let m = try await Self.municipality(req)
        let area = try await loadArea(req, m)
        let form = req.form(AreaForm())
        do {
            try req.checkCSRF(form.csrf)
            try EditToken.check(form.versie, current: area.snapshot)
            let (name, kind) = try await validateArea(form, m, except: area.id, on: req.db)
            let before = area.snapshot
            let oldSlug = area.slug
            area.name = name
            area.slug = AreaRules.slug(name)
            area.kind = kind
            try await req.db.transaction { db in
                try await area.update(on: db)
                // Old links to the area keep working (301 to the new address).
                try await FormerAreaSlug.record(old: oldSlug, new: area.slug, area: area, at: req.application.clock(), on: db)
                try await Self.bumpVersion(m, on: db)
                try await req.audit(.areaUpdate, .init(id: area.id?.uuidString, summary: name, municipalityID: m.id),
                                    before: before, after: area.snapshot, on: db)
            }
            req.flash(req.t("admin.area.saved", name))
            return req.redirect(to: Paths.adminAreas(m.slug))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/form-page", editPage(req, m, area, name: form.name ?? "", kind: form.kind ?? "", errors: failure.errors), status: failure.status)
        }
    }

    // MARK: Buurt → area mapping

    struct MappingPage: Encodable {
        struct Row: Encodable { var code: String; var name: String; var district: String; var field: String; var fieldID: String; var options: [FieldView.Option]; var error: String? }
        var page: PageMeta
        var municipality: String
        var action: String
        var csrf: String
        var version: Int
        var rows: [Row]
        var demoAssumption: Bool
    }

    private func mappingPage(_ req: Request, _ m: Municipality, chosen: [String: String], errors: [FieldError], status: String? = nil) async throws -> MappingPage {
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let districtNames = Dictionary(uniqueKeysWithValues: s.districts.map { ($0.code, $0.name) })
        let rows = s.neighbourhoods.map { n in
            let current = chosen[n.code] ?? n.areaID?.uuidString ?? ""
            let options = [FieldView.Option(value: "", label: req.t("admin.mapping.choose"), selected: current.isEmpty, id: "")] +
                s.areas.map { FieldView.Option(value: $0.id.uuidString, label: $0.name, selected: $0.id.uuidString == current, id: "") }
            return MappingPage.Row(code: n.code, name: n.name, district: "\(districtNames[n.districtCode] ?? "") (\(n.districtCode))",
                                   field: "area[\(n.code)]", fieldID: "buurt-\(n.code)", options: options,
                                   error: errors.first { $0.field == "buurt-\(n.code)" }.map { req.t($0) })
        }
        return MappingPage(page: req.page(req.t("admin.mapping.title", m.name), crumbs: [(req.t("admin.title"), "/beheer")], errors: errors, status: status),
                           municipality: m.name, action: Paths.adminMapping(m.slug), csrf: req.csrfToken(), version: m.mappingVersion,
                           rows: rows, demoAssumption: m.code == "GM0828")
    }

    func mapping(req: Request) async throws -> View {
        let m = try await Self.municipality(req)
        return try await req.view.render("Admin/mapping", try await mappingPage(req, m, chosen: [:], errors: [], status: req.takeFlash()))
    }

    struct MappingForm: Content { var csrf: String?; var version: Int?; var area: [String: String]? }

    func saveMapping(req: Request) async throws -> Response {
        let m = try await Self.municipality(req)
        let form = req.form(MappingForm())
        let chosen = form.area ?? [:]
        do {
            try req.checkCSRF(form.csrf)
            let s = try await req.areas.snapshot(for: m, on: req.db)
            let areaIDs = Set(s.areas.map(\.id))
            var assignment: [String: UUID] = [:]
            for (code, value) in chosen { if let id = UUID(uuidString: value) { assignment[code] = id } }
            let missing = AreaRules.unassigned(neighbourhoods: s.neighbourhoods.map(\.code), assignment: assignment, areas: areaIDs)
            if !missing.isEmpty {
                let names = Dictionary(uniqueKeysWithValues: s.neighbourhoods.map { ($0.code, $0.name) })
                throw ValidationFailure(missing.map { FieldError("buurt-\($0)", "admin.mapping.unassigned", [names[$0] ?? $0, $0]) })
            }
            let changed = s.neighbourhoods.filter { assignment[$0.code] != $0.areaID }
            guard !changed.isEmpty else {
                req.flash(req.t("admin.mapping.nothingChanged"))
                return req.redirect(to: Paths.adminMapping(m.slug))
            }
            let areaName = Dictionary(uniqueKeysWithValues: s.areas.map { ($0.id, $0.name) })
            let finalAssignment = assignment
            try await req.db.transaction { db in
                // Optimistic concurrency: the version must still be the one the form was made from.
                guard try await Self.bumpVersion(m, expected: form.version ?? -1, on: db) else {
                    throw ValidationFailure([FieldError("formulier", "admin.mapping.conflict")], status: .conflict)
                }
                for n in changed {
                    try await Neighbourhood.query(on: db).filter(\.$id == n.id).set(\.$area.$id, to: finalAssignment[n.code]).update()
                }
                let before = Dictionary(uniqueKeysWithValues: changed.map { ($0.code, $0.areaID.flatMap { areaName[$0] } ?? "") })
                let after = Dictionary(uniqueKeysWithValues: changed.map { ($0.code, finalAssignment[$0.code].flatMap { areaName[$0] } ?? "") })
                try await req.audit(.mappingUpdate, .init(id: m.code, summary: req.tCount("admin.mapping.auditSummary", changed.count, m.name), municipalityID: m.id),
                                    before: before, after: after, on: db)
            }
            req.flash(req.tCount("admin.mapping.saved", changed.count))
            return req.redirect(to: Paths.adminMapping(m.slug))
        } catch let failure as ValidationFailure {
            let fresh = try await Municipality.find(m.id, on: req.db) ?? m
            return try await req.render("Admin/mapping", try await mappingPage(req, fresh, chosen: chosen, errors: failure.errors), status: failure.status)
        }
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
        return ClassificationsPage(page: req.page(req.t("admin.classifications.title", m.name), crumbs: [(req.t("admin.title"), "/beheer")], errors: errors, status: req.takeFlash()),
                                   municipality: m.name, rows: rows,
                                   form: FormView(action: Paths.adminClassifications(m.slug), submitLabel: req.t("admin.classification.create"), fields: fields, csrf: req.csrfToken(), showRequiredNote: true))
    }

    func classifications(req: Request) async throws -> View {
        let m = try await Self.municipality(req)
        return try await req.view.render("Admin/classifications", try await classificationsPage(req, m))
    }

    func createClassification(req: Request) async throws -> Response {
        let m = try await Self.municipality(req)
        let form = req.form(ClassificationForm())
        do {
            try req.checkCSRF(form.csrf)
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
            try await req.db.transaction { db in
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
        let groupForm = FormView(action: Paths.adminClassification(m.slug, c.id!) + "/groepen", submitLabel: req.t("admin.classification.addGroup"),
                                 fields: [FieldView(req, name: "name", label: req.t("admin.classification.groupName"), value: groupName, errors: errors)],
                                 csrf: req.csrfToken(), showRequiredNote: false)
        return ClassificationPage(page: req.page(c.name, crumbs: [(req.t("admin.title"), "/beheer"), (req.t("admin.classifications.title", m.name), Paths.adminClassifications(m.slug))], errors: errors, status: req.takeFlash()),
                                  name: c.name, groups: groups.map(\.name), form: groupForm, action: Paths.adminClassification(m.slug, c.id!),
                                  csrf: req.csrfToken(), version: version, rows: rows)
    }

    func classification(req: Request) async throws -> View {
        let m = try await Self.municipality(req)
        let c = try await loadClassification(req, m)
        return try await req.view.render("Admin/classification", try await classificationPage(req, m, c))
    }

    func createGroup(req: Request) async throws -> Response {
        let m = try await Self.municipality(req)
        let c = try await loadClassification(req, m)
        let form = req.form(ClassificationForm())
        do {
            try req.checkCSRF(form.csrf)
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
            try await req.db.transaction { db in
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
        let m = try await Self.municipality(req)
        let c = try await loadClassification(req, m)
        let form = req.form(AssignmentForm())
        let chosen = form.group ?? [:]
        do {
            try req.checkCSRF(form.csrf)
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
            try await req.db.transaction { db in
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
