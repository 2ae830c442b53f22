import Vapor
import Fluent
import Domain

/// On the municipality page: per area, at a glance, which products of the cycle are in force and which are outdated.
struct CycleMunicipalitySection: MunicipalityPageSection {
    struct Context: Encodable { var kinds: [String]; var rows: [CyclePages.AreaRow]; var href: String; var name: String }

    func html(_ s: MunicipalitySnapshot, req: Request) async throws -> String? {
        let (rows, any) = try await CyclePages.municipalityRows(req, s)
        guard any else { return nil }
        return try await req.renderHTML("Cycle/municipality-section", Context(kinds: CycleKind.allCases.map { req.t("cycle.kind." + $0.rawValue) }, rows: rows,
                                                                              href: Site.municipalityCycle.link(s.slug), name: s.name))
    }
}
