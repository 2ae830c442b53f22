import Vapor
import Fluent
import Domain

/// On the municipality page: the latest weighings of main priorities, with their status.
struct PriorityRankingsMunicipalitySection: MunicipalityPageSection {
    struct Item: Encodable { var title: String; var href: String; var status: String }
    struct Context: Encodable { var items: [Item]; var href: String }

    func html(_ s: MunicipalitySnapshot, req: Request) async throws -> String? {
        let rankings = try await PriorityRanking.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$number, .descending).limit(3).all()
        guard !rankings.isEmpty else { return nil }
        return try await req.renderHTML("Priorities/municipality-section", Context(
            items: rankings.map { Item(title: $0.title, href: PriorityRankingPages.link(s, $0), status: PriorityRankingController.status(req, $0)) },
            href: Site.priorityRankings.link(s.slug)))
    }
}

/// The weighing's part of "Mijn werk": areas this coordinator looks after without a main priority in an open
/// weighing, and (for budget managers) main priorities still waiting for scores.
enum PriorityRankingWorkItems {
    static func items(_ req: Request, actor: Actor, municipality m: Municipality) async throws -> [WorkController.Page.Item] {
        let mid = try m.requireID()
        guard let ranking = try await PriorityRanking.query(on: req.db).filter(\.$municipality.$id == mid).filter(\.$adoptedAt == nil).sort(\.$number, .descending).first() else { return [] }
        let areas = try await Area.query(on: req.db).filter(\.$municipality.$id == mid).all().compactMap(\.id)
            .filter { PriorityRankingController.mayEnter(actor, mid, area: $0) }
        guard !areas.isEmpty else { return [] }
        let manage = Site.priorityRankingManage.link(m.slug, String(ranking.number))
        let entries = try await PriorityEntry.query(on: req.db).filter(\.$ranking.$id == ranking.requireID()).all()
        var out: [WorkController.Page.Item] = []
        let missing = areas.filter { a in !entries.contains { $0.$area.id == a } }.count
        if missing > 0 && !PriorityRankingController.mayManage(actor, mid) {
            out.append(.init(label: req.t("work.prioritiesToEnter"), count: missing, href: manage + "#gebieden", urgent: false))
        }
        if PriorityRankingController.mayManage(actor, mid) {
            let judged = try await PriorityCriterion.query(on: req.db).filter(\.$ranking.$id == ranking.requireID()).filter(\.$fullAtPercent == nil).count()
            let scores = try await PriorityScore.query(on: req.db).filter(\.$entry.$id ~~ entries.compactMap(\.id)).all()
            let toScore = entries.filter { e in scores.filter { $0.$entry.id == e.id }.count < judged }.count
            out.append(.init(label: req.t("work.prioritiesToScore"), count: toScore, href: manage + "#gebieden", urgent: false))
        }
        return out
    }
}
