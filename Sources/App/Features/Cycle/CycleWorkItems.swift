import Vapor
import Fluent
import Domain

/// The area cycle's part of "Mijn werk": outdated products and unanswered consultation responses in the areas this
/// user coordinates, open linking opportunities there (the area manager coordinates every area, so sees them all),
/// and products waiting for the college's adoption where this user adopts.
enum CycleWorkItems {
    static func items(_ req: Request, actor: Actor, municipality m: Municipality) async throws -> [WorkController.Page.Item] {
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let now = req.application.clock()
        let coordinated = s.areas.filter { Permissions.allows(actor, .coordinateArea(municipality: s.id, area: $0.id)) }
        let adopting = s.areas.filter { Permissions.allows(actor, .decideForCollege(municipality: s.id, area: $0.id)) }
        guard !coordinated.isEmpty || !adopting.isEmpty else { return [] }
        let areaIDs = Set((coordinated + adopting).map(\.id))
        let products = try await CycleProduct.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$area.$id ~~ Array(areaIDs)).all()
        var out: [WorkController.Page.Item] = []
        let policy = try await CycleSettings.policy(s.id, on: req.db)
        let link = { (areaID: UUID, p: CycleProduct?) -> String in
            guard let area = s.areas.first(where: { $0.id == areaID }) else { return Site.work.link() }
            return p.map { Site.cycleProduct.link(s.slug, area.slug, CycleService.slug($0.kind), String($0.version)) } ?? Site.areaCycle.link(s.slug, area.slug)
        }
        if !coordinated.isEmpty {
            var outdated: [UUID] = []
            for area in coordinated {
                for kind in CycleKind.allCases {
                    let adopted = products.filter { $0.$area.id == area.id && $0.kind == kind && $0.status.isAdopted }.max { $0.version < $1.version }
                    if CycleFreshness.of(adoptedOn: adopted?.adoptedOn, cadenceMonths: policy.months(kind), notYet: false, now: now, calendar: DutchTime.calendar).isOutdated {
                        outdated.append(area.id)
                    }
                }
            }
            out.append(.init(label: req.t("work.cycleOutdated"), count: outdated.count, href: outdated.first.map { link($0, nil) } ?? Site.work.link(), urgent: !outdated.isEmpty))
            let mine = Set(coordinated.map(\.id))
            let consulted = products.filter { mine.contains($0.$area.id) && $0.status != .draft }
            let unanswered = consulted.isEmpty ? [] : try await CycleResponse.query(on: req.db).filter(\.$product.$id ~~ consulted.compactMap(\.id)).filter(\.$answer == nil).all()
            let first = unanswered.first.flatMap { r in consulted.first { $0.id == r.$product.id } }
            out.append(.init(label: req.t("work.cycleResponses"), count: unanswered.count, href: first.map { link($0.$area.id, $0) + "#reacties" } ?? Site.work.link(), urgent: false))
            let (matches, _, decisions, _) = try await ProjectsController.opportunities(actor, s, area: nil, on: req.db)
            let open = matches.filter { m in decisions["\(m.first)|\(m.second)"].map { $0.status == .toDiscuss } ?? true }.count
            out.append(.init(label: req.t("work.linksOpen"), count: open, href: Site.linkingOpportunities.link(), urgent: false))
        }
        if !adopting.isEmpty {
            let mine = Set(adopting.map(\.id))
            let waiting = products.filter { mine.contains($0.$area.id) && $0.status == .submitted }
            out.append(.init(label: req.t("work.cycleToAdopt"), count: waiting.count, href: waiting.first.map { link($0.$area.id, $0) } ?? Site.work.link(), urgent: false))
        }
        return out
    }
}
