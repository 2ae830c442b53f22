import Vapor
import Fluent
import Domain

/// Where other features point into the area cycle: the adopted plan an answer refers to ("onderbouwd nee zeggen",
/// seed 001), and the spearheads an idea, initiative or signal was taken into.
enum CycleReferences {
    struct Reference: Encodable { var text: String; var href: String }

    /// The area's plan in force, if any.
    static func adoptedPlan(area: UUID, on db: any Database) async throws -> CycleProduct? {
        try await CycleProduct.query(on: db).filter(\.$area.$id == area).filter(\.$kind == .plan).filter(\.$status ~~ [.adopted, .evaluated])
            .sort(\.$version, .descending).first()
    }

    static func planReference(_ req: Request, _ s: MunicipalitySnapshot, productID: UUID?) async throws -> Reference? {
        guard let productID, let p = try await CycleProduct.find(productID, on: req.db), let area = s.areas.first(where: { $0.id == p.$area.id }) else { return nil }
        return Reference(text: req.t("cycle.outsidePlan", p.title.isEmpty ? req.t("cycle.kind.plan") : p.title, p.adoptedOn.map { Format.day($0, req.language) } ?? ""),
                         href: Site.cycleProduct.link(s.slug, area.slug, CycleService.slug(.plan), String(p.version)))
    }

    /// The spearheads this input was linked to, each with the latest public agenda that has it.
    static func spearheads(_ req: Request, _ s: MunicipalitySnapshot, kind: SpearheadLinkKind, target: UUID) async throws -> [Reference] {
        let links = try await SpearheadLink.query(on: req.db).filter(\.$kind == kind).filter(\.$targetID == target).all()
        var out: [Reference] = []
        for l in links {
            guard let area = s.areas.first(where: { $0.id == l.$area.id }),
                  let agenda = try await CycleProduct.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$kind == .agenda).filter(\.$status != .draft)
                    .sort(\.$version, .descending).first(),
                  let spearhead = try await Spearhead.query(on: req.db).filter(\.$product.$id == agenda.requireID()).filter(\.$code == l.code).first() else { continue }
            out.append(Reference(text: req.t("cycle.takenInto", spearhead.code + ". " + spearhead.title),
                                 href: Site.cycleProduct.link(s.slug, area.slug, CycleService.slug(.agenda), String(agenda.version)) + "#sp-" + spearhead.code))
        }
        return out
    }
}
