import Vapor
import Fluent
import Domain

/// Staff: what an area without a council does instead (seed 004: decided by the coordinator with the college).
struct AlternativeParticipationController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.action(.coordinateArea)).post(Site.councilAlternative.route, use: recordAlternative)
    }

    // MARK: Alternative participation

    func recordAlternative(req: Request) async throws -> Response {
        _ = try req.requireUser()
        let values = FormParts.read(req).values
        guard let areaID = values["gebied"].flatMap(UUID.init(uuidString:)), let area = try await Area.find(areaID, on: req.db) else { throw AppError.notFound() }
        try await req.authorize(.coordinateArea(municipality: area.$municipality.id, area: areaID))
        var errors: [FieldError] = []
        let text = Input.text(values["vorm"], field: "vorm", max: 2000).collect(into: &errors)
        let since = Format.parseDay(values["sinds"] ?? ""), decided = Format.parseDay(values["besluit"] ?? "")
        if since == nil { errors.append(FieldError("sinds", "councilWork.dateInvalid")) }
        if decided == nil { errors.append(FieldError("besluit", "councilWork.dateInvalid")) }
        if try await Council.query(on: req.db).filter(\.$area.$id == areaID).count() > 0 { errors.append(FieldError("vorm", "membership.areaHasCouncil")) }
        guard errors.isEmpty, let text, let since, let decided else { throw AppError(status: .unprocessableEntity, key: errors.first!.key) }
        let record = try await AlternativeParticipation.query(on: req.db).filter(\.$area.$id == areaID).first() ?? AlternativeParticipation()
        let before: [String: String]? = record.id == nil ? nil : ["text": record.text, "since": Format.isoDay(record.since), "decidedOn": Format.isoDay(record.decidedOn)]
        record.$area.id = areaID
        record.text = text
        record.since = since
        record.decidedOn = decided
        try await req.db.writeTransaction { db in
            try await record.save(on: db)
            try await req.audit(.councilAlternative, .init(id: record.id?.uuidString, summary: area.name, municipalityID: area.$municipality.id),
                                before: before, after: ["text": text, "since": Format.isoDay(since), "decidedOn": Format.isoDay(decided)], on: db)
        }
        req.flash(req.t("membership.alternativeSaved", area.name))
        return req.redirect(to: Site.councilWork.link())
    }
}
