import Vapor
import Fluent
import Domain
import SQLKit

/// Admin: which area each CBS buurt belongs to, saved against the division's version (a conflict message when someone else saved first).
struct MappingAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let m = routes.access(.action(.administer))
        m.get(Site.adminMapping.route, use: mapping)
        m.post(Site.adminMapping.route, use: saveMapping)
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
        return MappingPage(page: req.page(req.t("admin.mapping.title", m.name), crumbs: [(req.t("admin.title"), Site.admin.link())], errors: errors, status: status),
                           municipality: m.name, action: Paths.adminMapping(m.slug), csrf: req.csrfToken(), version: m.mappingVersion,
                           rows: rows, demoAssumption: m.code == "GM0828")
    }

    func mapping(req: Request) async throws -> View {
        let m = try await req.adminMunicipality()
        return try await req.view.render("Admin/mapping", try await mappingPage(req, m, chosen: [:], errors: [], status: req.takeFlash()))
    }

    struct MappingForm: Content { var csrf: String?; var version: Int?; var area: [String: String]? }

    func saveMapping(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let form = req.form(MappingForm())
        let chosen = form.area ?? [:]
        do {
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
            try await req.db.writeTransaction { db in
                // Optimistic concurrency: the version must still be the one the form was made from.
                guard try await Municipality.bumpDivisionVersion(m, expected: form.version ?? -1, on: db) else {
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
}
