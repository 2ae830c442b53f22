import Vapor
import Fluent
import Domain

/// What the weighing's pages show: the criteria with their weights, the ranking with every score, weight and
/// points, why each priority was funded or not, and the outcome per area kind (seed 001's bias, visible).
enum PriorityRankingPages {
    /// The weighing of the path (`/gemeenten/:municipality/hoofdprioriteiten/:ranking`), or a 404.
    static func find(_ req: Request) async throws -> (MunicipalitySnapshot, PriorityRanking) {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        guard let number = Int(req.parameters.get("ranking") ?? ""), number > 0,
              let ranking = try await PriorityRanking.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$number == number).first() else {
            throw AppError.notFound("priorities.unknown")
        }
        return (s, ranking)
    }

    static func link(_ s: MunicipalitySnapshot, _ r: PriorityRanking, _ path: SitePath = Site.priorityRanking) -> String { path.link(s.slug, String(r.number)) }

    /// Tenths with a decimal comma in Dutch ("7,3") and a point in English.
    static func decimal(_ req: Request, _ value: Fraction) -> String { decimal(req, tenths: WeightedRanking.tenths(value)) }

    static func decimal(_ req: Request, tenths t: Int) -> String { decimal(tenths: t, dutch: req.language == .nl) }

    /// Tenths as a decimal number, also for the Dutch texts stored with a decision.
    static func decimal(tenths t: Int, dutch: Bool) -> String { "\(t / 10)\(dutch ? "," : ".")\(t % 10)" }

    /// Why a main priority is not ranked yet, in words.
    static func notRipe(_ req: Request, _ missing: [WeightedRanking.Unripe]) -> String {
        req.t("priorities.why.notRipe", missing.map { req.t("priorities.unripe." + $0.rawValue) }.joined(separator: "; "))
    }

    static func percent(_ req: Request, _ share: Fraction) -> String { decimal(req, share * 100) + " %" }

    static func criterionName(_ req: Request, _ c: PriorityCriterion) -> String { c.fullAtPercent == nil ? c.name : req.t("priorities.ownContribution") }

    struct CriterionRow: Encodable { var name: String; var weight: Int; var scale: String; var explanation: String }
    struct PartRow: Encodable { var name: String; var score: String; var weight: Int; var points: String; var note: String }
    struct LineRow: Encodable {
        var rank: String; var number: Int; var area: String; var areaHref: String; var kind: String; var title: String; var summary: String
        var cost: String; var own: String; var ownShare: String; var ownText: String; var total: String; var funded: Bool; var outcome: String; var why: String
        var feasibility: String; var parts: [PartRow]; var initiativeHref: String?; var initiativeCode: String?
    }
    struct KindRow: Encodable { var kind: String; var areas: Int; var entries: Int; var ripe: Int; var funded: Int; var money: String; var averageTotal: String; var averageOwnShare: String }
    struct View: Encodable {
        var criteria: [CriterionRow]; var ranked: [LineRow]; var notRipe: [LineRow]; var kinds: [KindRow]
        var maximum: Int; var credit: String; var funded: String; var left: String
    }

    static func view(_ req: Request, _ s: MunicipalitySnapshot, _ ranking: PriorityRanking, _ e: PriorityRankingService.Evaluation) async throws -> View {
        let dutch = req.language == .nl
        let money = { (c: Int) in Money.format(c, dutch: dutch) }
        let initiatives = try await Initiative.query(on: req.db).filter(\.$id ~~ e.entries.compactMap(\.initiativeID)).all()
        let rows = e.result.lines.compactMap { line -> LineRow? in
            guard let entry = e.entry(line.number) else { return nil }
            let area = s.areas.first { $0.id == entry.$area.id }
            let parts = line.parts.compactMap { p -> PartRow? in
                guard let c = e.criterion(p.key) else { return nil }
                let given = e.score(entry, c)
                let scored = c.fullAtPercent != nil || given != nil
                return PartRow(name: criterionName(req, c), score: scored ? "\(decimal(req, p.score)) / \(c.maxScore)" : req.t("priorities.notScored"), weight: c.weight,
                               points: decimal(req, p.points), note: given?.note ?? "")
            }
            let why: String
            switch line.outcome {
            case .funded: why = req.t("priorities.why.funded", money(line.moneyLeftAtTurn ?? 0))
            case .doesNotFit: why = req.t("priorities.why.doesNotFit", money(line.moneyLeftAtTurn ?? 0), money(entry.costCents))
            case .notRipe(let missing): why = notRipe(req, missing)
            }
            let initiative = initiatives.first { $0.id == entry.initiativeID }
            return LineRow(rank: line.rank.map(String.init) ?? "–", number: entry.number, area: area?.name ?? "", areaHref: area.map { Paths.area(s.slug, $0.slug) } ?? "",
                           kind: req.t("priorities.kind." + line.areaKind.rawValue), title: entry.title, summary: entry.summary, cost: money(entry.costCents),
                           own: money(entry.ownCents), ownShare: percent(req, line.ownShare), ownText: entry.ownText, total: decimal(req, line.total),
                           funded: line.outcome == .funded, outcome: req.t(line.outcome == .funded ? "priorities.outcome.funded" : (line.rank == nil ? "priorities.outcome.notRipe" : "priorities.outcome.doesNotFit")),
                           why: why,
                           feasibility: entry.feasible.map { req.t($0 ? "priorities.feasible.yes" : "priorities.feasible.no", entry.feasibilityReason ?? "") } ?? req.t("priorities.feasible.open"),
                           parts: parts, initiativeHref: initiative.map { Site.initiative.link(s.slug, $0.code) }, initiativeCode: initiative?.code)
        }
        let kinds = e.result.byKind.map { k in
            KindRow(kind: req.t("priorities.kinds." + k.kind.rawValue), areas: k.areas, entries: k.entries, ripe: k.ripe, funded: k.funded, money: money(k.fundedCents),
                    averageTotal: k.averageTotal.map { decimal(req, tenths: Int(($0 * 10).rounded())) } ?? "–", averageOwnShare: k.ownShare.map { percent(req, $0) } ?? "–")
        }
        let criteria = e.criteria.map { c in
            CriterionRow(name: criterionName(req, c), weight: c.weight,
                         scale: c.fullAtPercent.map { req.t("priorities.scaleOwn", String(c.maxScore), String($0)) } ?? req.t("priorities.scale", String(c.maxScore)),
                         explanation: c.explanation)
        }
        return View(criteria: criteria, ranked: rows.filter { $0.rank != "–" }, notRipe: rows.filter { $0.rank == "–" }, kinds: kinds,
                    maximum: e.result.maximumTotal, credit: money(ranking.creditCents), funded: money(e.result.fundedCents),
                    left: money(ranking.creditCents - e.result.fundedCents))
    }
}
