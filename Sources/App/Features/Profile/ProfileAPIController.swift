import Vapor
import Fluent
import Domain

/// The area profile and the ranking under /api/v1 (in the OpenAPI document).
struct ProfileAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.access(.public).grouped("api", "v1")
        api.get("areas", ":id", "profile", use: profile)
        api.get("municipalities", ":code", "ranking", use: ranking)
    }

    func profile(req: Request) async throws -> AreaProfileController.ProfileDTO {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.badRequest("api.areaID") }
        guard let row = try await Area.find(id, on: req.db) else { throw AppError.notFound("error.areaNotFound") }
        let s = try await req.areas.snapshot(for: try await row.$municipality.get(on: req.db), on: req.db)
        guard let area = s.areas.first(where: { $0.id == id }) else { throw AppError.notFound("error.areaNotFound") }
        return try await AreaProfileController.profileDTO(req, s, area)
    }

    struct RankingDTO: Content {
        struct Term: Content { var indicator: String; var weight: Double; var higherMeansMoreNeed: Bool }
        struct Row: Content { var rank: Int; var area: UUID; var name: String; var score: Double?; var needs: [String: Double]; var contributions: [String: Double]; var missing: [String] }
        var municipality: String; var terms: [Term]; var areas: [Row]; var method: String
    }

    func ranking(req: Request) async throws -> RankingDTO {
        let raw = req.parameters.get("code") ?? ""
        guard CBSCode.level(of: raw) == .municipality else { throw AppError.badRequest("api.municipalityCode", [raw]) }
        let s = try await req.snapshot(raw)
        let terms = RankingController.terms(try await RankingController.officialWeights(s.id, on: req.db))
        let latest = try await AreaProfileService.latest(s, now: req.application.clock(), on: req.db, cache: req.application.profileCache)
        var rows: [RankingDTO.Row] = []
        if !terms.isEmpty, case .success(let ranked) = Ranking.rank(s.areas.map { Ranking.Area(id: $0.id, figures: latest[$0.id] ?? [:]) }, terms: terms) {
            rows = ranked.map { r in .init(rank: r.rank, area: r.areaID, name: s.areas.first { $0.id == r.areaID }?.name ?? "", score: r.score,
                                           needs: r.needs, contributions: r.contributions, missing: r.missing) }
        }
        return RankingDTO(municipality: s.code, terms: terms.map { .init(indicator: $0.key, weight: $0.weight, higherMeansMoreNeed: $0.higherMeansMoreNeed) }, areas: rows,
                          method: "min-max normalisation per indicator to a need of 0–100 over the areas, in the indicator's direction; score = weighted mean of the needs")
    }
}

/// On the public area page: the way to the area's profile (wijkfoto).
struct ProfileAreaSection: AreaPageSection {
    struct Context: Encodable { var href: String; var rankingHref: String }
    func html(_ context: AreaPageContext, req: Request) async throws -> String? {
        try await req.renderHTML("Profile/area-section", Context(href: Site.areaProfile.link(context.municipality.slug, context.area.slug),
                                                                 rankingHref: Site.ranking.link(context.municipality.slug)))
    }
}
