import Vapor
import Fluent
import Domain

/// On the municipality page: per area, at a glance, which products of the cycle are in force and which are outdated.
struct CycleMunicipalitySection: MunicipalityPageSection {
    struct Context: Encodable {
        struct Row: Encodable { var area: String; var href: String; var products: [CyclePages.ProductSummary] }
        var kinds: [String]; var rows: [Row]; var href: String; var name: String
    }

    func html(_ s: MunicipalitySnapshot, req: Request) async throws -> String? {
        let products = try await CycleProduct.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$status != .draft).all()
        let notYet = Dictionary(try await CycleNotYet.query(on: req.db).join(Area.self, on: \CycleNotYet.$area.$id == \Area.$id)
            .filter(Area.self, \.$municipality.$id == s.id).all().map { ($0.$area.id, $0.reason) }, uniquingKeysWith: { a, _ in a })
        guard !products.isEmpty || !notYet.isEmpty else { return nil }
        let policy = try await CycleSettings.policy(s.id, on: req.db)
        return try await req.renderHTML("Cycle/municipality-section", Context(
            kinds: CycleKind.allCases.map { req.t("cycle.kind." + $0.rawValue) },
            rows: s.areas.map { area in .init(area: area.name, href: Site.areaCycle.link(s.slug, area.slug),
                                              products: CyclePages.summaries(req, s, area, products: products.filter { $0.$area.id == area.id }, notYet: notYet[area.id], staff: false, policy: policy)) },
            href: Site.municipalityCycle.link(s.slug), name: s.name))
    }
}
