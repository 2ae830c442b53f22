import Vapor
import Fluent
import Domain

/// The public products of an area's cycle under /api/v1 (in the OpenAPI document): each product's versions past
/// the draft with status, adoption date and decision, cadence and whether the one in force is outdated; the
/// agenda's spearheads and the plan's projects and actions.
struct CycleAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.public).grouped("api", "v1").get("areas", ":id", "cycle", use: cycle)
    }

    struct CycleDTO: Content {
        struct Spearhead: Content { var code: String; var title: String; var why: String; var success: String; var involved: String }
        struct Item: Content { var title: String; var owner: String; var startsOn: String; var endsOn: String; var amountCents: Int; var budget: UUID?; var spearheads: [String] }
        struct Version: Content {
            var version: Int; var status: String; var title: String; var consultationEnds: String?; var adoptedOn: String?; var decision: String?
            var href: String; var spearheads: [Spearhead]?; var items: [Item]?
        }
        struct Product: Content { var kind: String; var cadenceMonths: Int; var freshness: String; var validUntil: String?; var versions: [Version] }
        var area: UUID; var name: String; var notYet: String?; var products: [Product]
    }

    func cycle(req: Request) async throws -> CycleDTO {
        guard let id = req.parameters.get("id", as: UUID.self) else { throw AppError.badRequest("api.areaID") }
        guard let row = try await Area.find(id, on: req.db) else { throw AppError.notFound("error.areaNotFound") }
        let s = try await req.areas.snapshot(for: try await row.$municipality.get(on: req.db), on: req.db)
        guard let area = s.areas.first(where: { $0.id == id }) else { throw AppError.notFound("error.areaNotFound") }
        let products = try await CycleProduct.query(on: req.db).filter(\.$area.$id == id).filter(\.$status != .draft).sort(\.$version, .descending).all()
        let ids = products.compactMap(\.id)
        let spearheads = ids.isEmpty ? [] : try await Spearhead.query(on: req.db).filter(\.$product.$id ~~ ids).sort(\.$position).all()
        let items = ids.isEmpty ? [] : try await PlanItem.query(on: req.db).filter(\.$product.$id ~~ ids).sort(\.$position).all()
        let notYet = try await CycleNotYet.query(on: req.db).filter(\.$area.$id == id).first()?.reason
        let now = req.application.clock()
        let policy = try await CycleSettings.policy(s.id, on: req.db)
        return CycleDTO(area: id, name: area.name, notYet: notYet, products: CycleKind.allCases.map { kind in
            let mine = products.filter { $0.kind == kind }
            let freshness = CycleFreshness.of(adoptedOn: mine.first { $0.status.isAdopted }?.adoptedOn, cadenceMonths: policy.months(kind),
                                              notYet: kind == .agenda && notYet != nil, now: now, calendar: DutchTime.calendar)
            let (label, until): (String, Date?) = {
                switch freshness {
                case .missing: return ("missing", nil)
                case .notYet: return ("notYet", nil)
                case .current(let u): return ("current", u)
                case .outdated(let u): return ("outdated", u)
                }
            }()
            return .init(kind: kind.rawValue, cadenceMonths: policy.months(kind), freshness: label, validUntil: until.map(Format.isoDay), versions: mine.map { p in
                .init(version: p.version, status: p.status.rawValue, title: p.title, consultationEnds: p.consultationEnds.map { Format.isoDay($0.addingTimeInterval(-1)) },
                      adoptedOn: p.adoptedOn.map(Format.isoDay), decision: p.decision,
                      href: Site.cycleProduct.link(s.slug, area.slug, CycleService.slug(kind), String(p.version)),
                      spearheads: kind == .agenda ? spearheads.filter { $0.$product.id == p.id }.map { .init(code: $0.code, title: $0.title, why: $0.why, success: $0.success, involved: $0.involved) } : nil,
                      items: kind == .plan ? items.filter { $0.$product.id == p.id }.map { .init(title: $0.title, owner: $0.owner, startsOn: Format.isoDay($0.startsOn), endsOn: Format.isoDay($0.endsOn),
                                                                                               amountCents: $0.budgetCents, budget: $0.budgetID, spearheads: $0.spearheadCodes) } : nil)
            })
        })
    }
}
