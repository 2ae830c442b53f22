import Vapor
import Fluent
import Domain

/// The rounds to show for an area or a municipality: those still running first, then the latest finished ones.
enum BudgetRoundLinks {
    struct Item: Encodable { var title: String; var href: String; var phase: String; var area: String }

    static func items(_ req: Request, _ s: MunicipalitySnapshot, area: UUID?, limit: Int) async throws -> [Item] {
        var query = BudgetRound.query(on: req.db).filter(\.$municipality.$id == s.id)
        if let area { query = query.filter(\.$area.$id == area) }
        let now = req.application.clock()
        let rounds = try await query.sort(\.$votingUntil, .descending).limit(50).all()
            .sorted { ($0.phase(at: now) == .execution ? 1 : 0, $1.votingUntil) < ($1.phase(at: now) == .execution ? 1 : 0, $0.votingUntil) }
        return rounds.prefix(limit).map { r in
            Item(title: r.title, href: BudgetRoundPages.link(s, r), phase: BudgetRoundPages.phaseLabel(req, r, r.phase(at: now)),
                 area: s.areas.first { $0.id == r.$area.id }?.name ?? "")
        }
    }
}

/// On the municipality page: the buurtbegroting rounds, with their phase.
struct BudgetRoundsMunicipalitySection: MunicipalityPageSection {
    struct Context: Encodable { var items: [BudgetRoundLinks.Item]; var href: String }

    func html(_ s: MunicipalitySnapshot, req: Request) async throws -> String? {
        let items = try await BudgetRoundLinks.items(req, s, area: nil, limit: 5)
        guard !items.isEmpty else { return nil }
        return try await req.renderHTML("Budgeting/municipality-section", Context(items: items, href: Site.budgetRounds.link(s.slug)))
    }
}
