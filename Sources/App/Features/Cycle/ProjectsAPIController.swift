import Vapor
import Fluent
import Domain

/// Departments' systems register area projects through the API (`POST`, with an API key of scope `projects`,
/// issued by `wijkwerk open311-key create --scope projects`); anyone reads the municipality's projects (`GET`,
/// without contact persons). Both in the OpenAPI document.
struct ProjectsAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.access(.public).grouped("api", "v1", "municipalities", ":code", "projects")
        api.get(use: list)
        api.post(use: create)
    }

    struct ProjectDTO: Content {
        var id: UUID; var title: String; var description: String; var owner: String; var areas: [String]; var neighbourhoods: [String]
        var startsOn: String; var endsOn: String; var amountCents: Int; var status: String; var spearheads: [String]
    }
    struct NewProject: Content {
        var title: String?; var description: String?; var department: String?; var partner: String?; var areas: [String]?; var neighbourhoods: [String]?
        var startsOn: String?; var endsOn: String?; var amountCents: Int?; var contact: String?; var status: String?; var spearheads: [String]?
    }
    struct Problems: Content {
        struct Problem: Content { var field: String; var message: String }
        var errors: [Problem]
    }

    private func municipality(_ req: Request) async throws -> MunicipalitySnapshot {
        let raw = req.parameters.get("code") ?? ""
        guard CBSCode.level(of: raw) == .municipality else { throw AppError.badRequest("api.municipalityCode", [raw]) }
        return try await req.snapshot(raw)
    }

    static func dto(_ p: AreaProject, _ s: MunicipalitySnapshot, departments: [UUID: String]) -> ProjectDTO {
        ProjectDTO(id: p.id!, title: p.title, description: p.text, owner: ProjectsService.owner(p, departments: departments),
                   areas: s.areas.filter { p.areas.contains($0.id) }.map(\.slug), neighbourhoods: s.neighbourhoods.filter { p.neighbourhoods.contains($0.id) }.map(\.code),
                   startsOn: Format.isoDay(p.startsOn), endsOn: Format.isoDay(p.endsOn), amountCents: p.budgetCents, status: p.status.rawValue,
                   spearheads: p.spearheads.split(separator: ",").map(String.init))
    }

    func list(req: Request) async throws -> [ProjectDTO] {
        let s = try await municipality(req)
        let departments = Dictionary(try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).all().compactMap { d in d.id.map { ($0, d.name) } }, uniquingKeysWith: { a, _ in a })
        var projects = try await AreaProject.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$startsOn).limit(5000).all()
        if let slug = req.query[String.self, at: "area"] {
            guard let area = s.area(slug: slug) else { throw AppError.notFound("error.areaNotFound") }
            projects = projects.filter { $0.areas.contains(area.id) }
        }
        return projects.map { Self.dto($0, s, departments: departments) }
    }

    func create(req: Request) async throws -> Response {
        let s = try await municipality(req)
        guard let plain = req.headers.first(name: "X-Api-Key"), let key = try await Open311Key.find(plain, municipality: s.id, scope: .projects, on: req.db) else {
            throw AppError(status: .forbidden, key: "api.projectsKey")
        }
        guard let body = try? req.content.decode(NewProject.self) else { throw AppError.badRequest("api.projectBody") }
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).all()
        let values: [String: String] = [
            "titel": body.title ?? "", "omschrijving": body.description ?? "", "afdeling": body.department ?? "", "partner": body.partner ?? "",
            "buurten": (body.neighbourhoods ?? []).joined(separator: ","), "van": body.startsOn ?? "", "tot": body.endsOn ?? "",
            "bedrag": body.amountCents.map { Money.plain($0) } ?? "", "contact": body.contact ?? "", "status": body.status ?? "",
            "speerpunten": (body.spearheads ?? []).joined(separator: ","),
        ]
        let problems = { (errors: [FieldError]) in
            try Response(status: .unprocessableEntity, headers: ["Content-Type": "application/json"],
                         body: .init(data: JSONEncoder().encode(Problems(errors: errors.map { .init(field: $0.field, message: req.t($0)) }))))
        }
        switch ProjectsService.read(values, areaSlugs: body.areas ?? [], snapshot: s, departments: departments, fixedDepartment: nil) {
        case .failure(let failure):
            return try problems(failure.errors)
        case .success(let input):
            let unknown = try await ProjectsService.unknownSpearheads(input, on: req.db)
            if !unknown.isEmpty { return try problems(unknown.map { FieldError("speerpunten", "cycle.spearheadUnknown", [$0]) }) }
            let project = try await ProjectsService.create([input], municipality: s.id, by: "API: " + key.name, req: req)[0]
            let names = Dictionary(departments.compactMap { d in d.id.map { ($0, d.name) } }, uniquingKeysWith: { a, _ in a })
            let response = try await Self.dto(project, s, departments: names).encodeResponse(status: .created, for: req)
            return response
        }
    }
}
