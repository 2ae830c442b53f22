import Vapor
import Fluent
import Domain

/// The priority ranking of areas (Enschede's SIA, seed 001): the municipality's chosen indicators and weights,
/// each area's score and each indicator's contribution, public; anyone can try other weights (a what-if, nothing
/// stored), and admins and area managers set the municipality's own.
struct RankingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.public).get(Site.ranking.route, use: page)
        routes.access(.action(.setRanking)).post(Site.ranking.route, use: save)
    }

    /// The indicators a ranking can use: every one with a figure for at least two areas.
    static func candidates(_ latest: [UUID: [String: Double]]) -> [Indicator] {
        IndicatorCatalogue.all.filter { i in latest.values.filter { $0[i.key] != nil }.count >= 2 && i.key != "landHa" }
    }

    static func terms(_ weights: [String: Double]) -> [Ranking.Term] {
        IndicatorCatalogue.all.compactMap { i in weights[i.key].flatMap { $0 > 0 ? Ranking.Term(key: i.key, weight: $0, higherMeansMoreNeed: Ranking.higherMeansMoreNeed(i)) : nil } }
    }

    static func officialWeights(_ municipality: UUID, on db: any Database) async throws -> [String: Double] {
        Dictionary(try await RankingTerm.query(on: db).filter(\.$municipality.$id == municipality).all().map { ($0.indicator, $0.weight) }, uniquingKeysWith: { $1 })
    }

    /// Weights typed in a form (`gewicht-<key>`); an empty field is 0.
    static func readWeights(_ values: [String: String], candidates: [Indicator]) -> ([String: Double], [FieldError]) {
        var weights: [String: Double] = [:], errors: [FieldError] = []
        for i in candidates {
            if let w = Input.weight(values["gewicht-" + i.key], field: "gewicht-" + i.key, errors: &errors), w > 0 { weights[i.key] = w }
        }
        return (weights, errors)
    }

    struct Page: Encodable {
        struct Cell: Encodable { var need: String; var contribution: String }
        struct Row: Encodable { var rank: Int; var area: String; var href: String; var score: String; var cells: [Cell]; var missing: String? }
        struct Column: Encodable { var name: String; var weight: String; var direction: String }
        var page: PageMeta; var heading: String; var intro: String; var method: String; var official: Bool; var none: Bool
        var columns: [Column]; var rows: [Row]; var fields: [FieldView]; var action: String; var saveAction: String?; var csrf: String; var hidden: [Hidden]
        struct Hidden: Encodable { var name: String; var value: String }
    }

    private func render(_ req: Request, values: [String: String]?, errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let lang = req.language
        let latest = try await AreaProfileService.latest(s, now: req.application.clock(), on: req.db, cache: req.application.profileCache)
        let candidates = Self.candidates(latest)
        let official = try await Self.officialWeights(s.id, on: req.db)
        var weights = official
        var allErrors = errors
        if let values {
            let (typed, problems) = Self.readWeights(values, candidates: candidates)
            weights = typed
            allErrors += problems
        }
        var rows: [Page.Row] = [], columns: [Page.Column] = []
        let terms = Self.terms(weights)
        if !terms.isEmpty, case .success(let ranked) = Ranking.rank(s.areas.map { Ranking.Area(id: $0.id, figures: latest[$0.id] ?? [:]) }, terms: terms) {
            let weightSum = terms.reduce(0) { $0 + $1.weight }
            columns = terms.map { t in .init(name: req.t("indicator.\(t.key)"), weight: Format.decimal((100 * t.weight / weightSum).rounded(), lang) + " %",
                                             direction: req.t(t.higherMeansMoreNeed ? "ranking.higherMoreNeed" : "ranking.lowerMoreNeed")) }
            rows = ranked.map { r in
                let area = s.areas.first { $0.id == r.areaID }
                return .init(rank: r.rank, area: area?.name ?? "", href: area.map { Site.areaProfile.link(s.slug, $0.slug) } ?? "",
                             score: r.score.map { Format.decimal(($0 * 10).rounded() / 10, lang) } ?? "–",
                             cells: terms.map { t in .init(need: r.needs[t.key].map { Format.decimal($0.rounded(), lang) } ?? "–",
                                                           contribution: r.contributions[t.key].map { Format.decimal(($0 * 10).rounded() / 10, lang) } ?? "–") },
                             missing: r.missing.isEmpty ? nil : req.t("ranking.missing", r.missing.map { req.t("indicator.\($0)") }.joined(separator: ", ")))
            }
        }
        let fieldValues = values ?? Dictionary(uniqueKeysWithValues: weights.map { ("gewicht-" + $0.key, Format.decimal($0.value, lang)) })
        let fields = candidates.map { i in
            FieldView(req, name: "gewicht-" + i.key, label: req.t("division.weight", req.t("indicator.\(i.key)")), value: fieldValues["gewicht-" + i.key] ?? "",
                      description: req.t(Ranking.higherMeansMoreNeed(i) ? "ranking.higherMoreNeed" : "ranking.lowerMoreNeed"), optional: true, errors: allErrors)
        }
        var canSave = false
        if req.authUser != nil, let actor = try? await req.actor() { canSave = Permissions.allows(actor, .setRanking(municipality: s.id)) }
        let heading = req.t("ranking.title", s.name)
        return try await req.render("Profile/ranking", Page(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug))], errors: allErrors, status: req.takeFlash()),
            heading: heading, intro: req.t("ranking.intro"), method: req.t("ranking.method"), official: values == nil && !official.isEmpty,
            none: terms.isEmpty, columns: columns, rows: rows, fields: fields, action: Site.ranking.link(s.slug),
            saveAction: canSave && values != nil && allErrors.isEmpty && !terms.isEmpty ? Site.ranking.link(s.slug) : nil, csrf: canSave ? req.csrfToken() : "",
            hidden: (values ?? [:]).filter { $0.key.hasPrefix("gewicht-") }.map { .init(name: $0.key, value: $0.value) }.sorted { $0.name < $1.name }), status: status)
    }

    func page(req: Request) async throws -> Response {
        let typed = (try? req.query.decode([String: String].self))?.filter { $0.key.hasPrefix("gewicht-") } ?? [:]
        return try await render(req, values: typed.isEmpty ? nil : typed, errors: [])
    }

    func save(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        _ = try await req.authorize(.setRanking(municipality: s.id))
        let values = FormParts.read(req).values
        let latest = try await AreaProfileService.latest(s, now: req.application.clock(), on: req.db, cache: req.application.profileCache)
        let (weights, errors) = Self.readWeights(values, candidates: Self.candidates(latest))
        guard errors.isEmpty, !weights.isEmpty else {
            return try await render(req, values: values, errors: errors.isEmpty ? [FieldError("formulier", "division.problem.noWeights")] : errors, status: .unprocessableEntity)
        }
        let before = try await Self.officialWeights(s.id, on: req.db)
        try await req.db.writeTransaction { db in
            try await RankingTerm.query(on: db).filter(\.$municipality.$id == s.id).delete()
            for (key, weight) in weights {
                let term = RankingTerm()
                term.$municipality.id = s.id
                term.indicator = key
                term.weight = weight
                try await term.create(on: db)
            }
            try await req.audit(.rankingSet, .init(id: s.id.uuidString, summary: s.name, municipalityID: s.id),
                                before: before.mapValues { String($0) }, after: weights.mapValues { String($0) }, on: db)
        }
        req.flash(req.t("ranking.saved"))
        return req.redirect(to: Site.ranking.link(s.slug))
    }
}
