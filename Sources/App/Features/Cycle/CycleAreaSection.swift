import Vapor
import Fluent
import Domain

/// On the public area page: the area's cycle at a glance (each product in force and whether it is outdated), the
/// adopted agenda's spearheads, and an open consultation with a link to respond.
struct CycleAreaSection: AreaPageSection {
    struct Context: Encodable {
        struct Consultation: Encodable { var name: String; var href: String; var until: String }
        var products: [CyclePages.ProductSummary]; var spearheads: [String]; var consultations: [Consultation]; var notYet: String?; var href: String
    }

    func html(_ context: AreaPageContext, req: Request) async throws -> String? {
        let s = context.municipality, area = context.area
        let products = try await CycleProduct.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$status != .draft).all()
        let notYet = try await CycleNotYet.query(on: req.db).filter(\.$area.$id == area.id).first()?.reason
        let agenda = products.filter { $0.kind == .agenda && $0.status.isAdopted }.max { $0.version < $1.version }
        var spearheads: [Spearhead] = []
        if let agenda { spearheads = try await Spearhead.query(on: req.db).filter(\.$product.$id == agenda.requireID()).sort(\.$position).all() }
        let now = req.application.clock()
        let open = products.filter { CycleFlow.acceptsResponses(status: $0.status, consultationEnds: $0.consultationEnds, now: now) }
        return try await req.renderHTML("Cycle/area-section", Context(
            products: CyclePages.summaries(req, s, area, products: products, notYet: notYet, staff: false, policy: try await CycleSettings.policy(s.id, on: req.db)),
            spearheads: spearheads.map { "\($0.code). \($0.title)" },
            consultations: open.map { p in .init(name: req.t("cycle.kind." + p.kind.rawValue).lowercased(), href: Site.cycleProduct.link(s.slug, area.slug, CycleService.slug(p.kind), String(p.version)) + "#reacties",
                                                 until: p.consultationEnds.map { Format.day($0.addingTimeInterval(-1), req.language) } ?? "") },
            notYet: notYet, href: Site.areaCycle.link(s.slug, area.slug)))
    }
}
