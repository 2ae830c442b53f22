import Vapor
import Fluent
import Domain

/// The buurtbegroting's part of "Mijn werk": projects waiting for an assessment (coordinators of the area, budget
/// managers and department staff) and rounds whose voting is over and that wait to be closed.
enum BudgetRoundWorkItems {
    static func items(_ req: Request, actor: Actor, municipality m: Municipality) async throws -> [WorkController.Page.Item] {
        let now = req.application.clock()
        let rounds = try await BudgetRound.query(on: req.db).filter(\.$municipality.$id == m.requireID()).filter(\.$closedAt == nil).all()
            .filter { BudgetRoundAdminController.mayAssess(actor, $0) }
        guard !rounds.isEmpty else { return [] }
        var out: [WorkController.Page.Item] = []
        let assessing = rounds.filter { [.announced, .ideas, .feasibility].contains($0.phase(at: now)) }
        if !assessing.isEmpty {
            let open = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id ~~ assessing.compactMap(\.id)).filter(\.$feasible == nil).all()
            let first = open.first.flatMap { p in assessing.first { $0.id == p.$round.id } }
            out.append(.init(label: req.t("work.budgetRoundToAssess"), count: open.count,
                             href: first.map { Site.budgetRoundManage.link(m.slug, String($0.number)) + "#projecten" } ?? Site.budgetRounds.link(m.slug),
                             urgent: assessing.contains { $0.phase(at: now) == .feasibility } && !open.isEmpty))
        }
        let closing = rounds.filter { $0.phase(at: now) == .result && BudgetRoundAdminController.mayManage(actor, $0) }
        if !closing.isEmpty {
            out.append(.init(label: req.t("work.budgetRoundToClose"), count: closing.count,
                             href: Site.budgetRoundManage.link(m.slug, String(closing[0].number)) + "#afsluiten", urgent: false))
        }
        return out
    }
}
