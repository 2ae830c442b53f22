import Vapor
import Fluent
import Domain

/// On the public area page: the area's money this year, its latest initiatives, and how to propose one.
struct InitiativesAreaSection: AreaPageSection {
    struct Context: Encodable {
        struct Item: Encodable { var title: String; var href: String; var status: String; var statusClass: String }
        struct IdeaItem: Encodable { var title: String; var href: String; var supports: Int }
        var year: Int; var available: String?; var allocated: String?; var items: [Item]; var total: Int
        var newHref: String; var listHref: String; var moneyHref: String
        var ideas: [IdeaItem]; var ideaCount: Int; var ideasHref: String; var shareIdeaHref: String
        var rounds: [BudgetRoundLinks.Item]; var roundsHref: String
    }

    func html(_ context: AreaPageContext, req: Request) async throws -> String? {
        let s = context.municipality, area = context.area
        let year = DutchTime.calendar.component(.year, from: req.application.clock())
        let budgets = try await AreaBudget.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$year == year).all()
        let query = Initiative.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$status != .draft)
        let total = try await query.count()
        let latest = try await Initiative.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$status != .draft).sort(\.$updatedAt, .descending).limit(5).all()
        let dutch = req.language == .nl
        let ideaCount = try await Idea.query(on: req.db).filter(\.$area.$id == area.id).count()
        let ideas = try await Idea.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$status == .open).sort(\.$supportCount, .descending).limit(3).all()
        return try await req.renderHTML("Initiatives/area-section", Context(
            year: year, available: budgets.isEmpty ? nil : Money.format(budgets.reduce(0) { $0 + $1.availableCents }, dutch: dutch),
            allocated: budgets.isEmpty ? nil : Money.format(budgets.reduce(0) { $0 + $1.allocatedCents }, dutch: dutch),
            items: latest.map { i in .init(title: i.title, href: Site.initiative.link(s.slug, i.code), status: req.t("initiative.status." + i.status.rawValue),
                                          statusClass: PublicInitiativesController.statusClass(i.status)) },
            total: total, newHref: Site.initiativeNew.link(s.slug) + "?gebied=" + area.slug, listHref: Site.initiatives.link(s.slug) + "?gebied=" + area.slug,
            moneyHref: Site.money.link(s.slug),
            ideas: ideas.map { .init(title: $0.title, href: Site.idea.link(s.slug, $0.code), supports: $0.supportCount) }, ideaCount: ideaCount,
            ideasHref: Site.ideas.link(s.slug) + "?gebied=" + area.slug, shareIdeaHref: Site.ideaNew.link(s.slug) + "?gebied=" + area.slug,
            rounds: try await BudgetRoundLinks.items(req, s, area: area.id, limit: 3), roundsHref: Site.budgetRounds.link(s.slug)))
    }
}
