import Vapor
import Fluent
import Domain

/// The public part of initiatives and area budgets under /api/v1 (in the OpenAPI document): initiatives without
/// drafts and without contact details, budgets with their balances, and the money per area.
struct InitiativesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let api = routes.access(.public).grouped("api", "v1")
        api.get("initiatives", use: initiatives)
        api.get("budgets", use: budgets)
        api.get("money", use: money)
    }

    struct InitiativeDTO: Content {
        var code: String; var municipality: String; var area: UUID; var title: String; var summary: String; var theme: String; var status: String
        var askedCents: Int; var grantedCents: Int?; var decidedOn: String?; var motivation: String?; var goodExample: Bool; var url: String
    }
    struct Page<T: Content>: Content { var total: Int; var limit: Int; var offset: Int; var items: [T] }
    struct BudgetDTO: Content {
        var id: UUID; var municipality: String; var area: UUID; var year: Int; var name: String; var kind: String; var decider: String; var mandateLimitCents: Int?
        var allocatedCents: Int; var committedCents: Int; var paidCents: Int; var returnedCents: Int; var availableCents: Int
    }
    struct MoneyDTO: Content {
        var area: UUID; var name: String; var year: Int?
        var allocatedCents: Int; var committedCents: Int; var paidCents: Int; var returnedCents: Int; var availableCents: Int
    }

    /// ?municipality= is required here: a GM code (400 when malformed, 404 when unknown).
    private func snapshot(_ req: Request) async throws -> MunicipalitySnapshot {
        let raw = req.query[String.self, at: "municipality"] ?? ""
        guard CBSCode.level(of: raw) == .municipality else { throw AppError.badRequest("api.municipalityCode", [raw]) }
        return try await req.snapshot(raw)
    }

    private func year(_ req: Request) throws -> Int? {
        guard let raw = req.query[String.self, at: "year"] else { return nil }
        guard let y = Int(raw), (2000...2100).contains(y) else { throw AppError.badRequest("api.year", [raw]) }
        return y
    }

    func initiatives(req: Request) async throws -> Page<InitiativeDTO> {
        let s = try await snapshot(req)
        var query = Initiative.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$status != .draft)
        if let raw = req.query[String.self, at: "area"] {
            guard let id = UUID(uuidString: raw), s.areas.contains(where: { $0.id == id }) else { throw AppError.badRequest("api.areaID") }
            query = query.filter(\.$area.$id == id)
        }
        if let raw = req.query[String.self, at: "status"] {
            guard let status = InitiativeStatus(rawValue: raw), status.isPublic else { throw AppError.badRequest("api.initiativeStatus", [raw]) }
            query = query.filter(\.$status == status)
        }
        if let raw = req.query[String.self, at: "theme"] {
            guard let theme = InitiativeTheme(rawValue: raw) else { throw AppError.badRequest("api.initiativeTheme", [raw]) }
            query = query.filter(\.$theme == theme.rawValue)
        }
        let limit = Int(req.query[String.self, at: "limit"] ?? "100") ?? -1, offset = Int(req.query[String.self, at: "offset"] ?? "0") ?? -1
        guard (1...500).contains(limit), (0...1_000_000).contains(offset) else { throw AppError.badRequest("api.paging") }
        let total = try await query.count()
        let items = try await query.sort(\.$createdAt, .descending).sort(\.$code, .descending).range(offset..<(offset + limit)).all()
        return Page(total: total, limit: limit, offset: offset, items: items.map { i in
            InitiativeDTO(code: i.code, municipality: s.code, area: i.$area.id, title: i.title, summary: PersonalData.masked(i.summary), theme: i.theme,
                          status: i.status.rawValue, askedCents: i.askedCents, grantedCents: i.grantedCents, decidedOn: i.decidedAt.map(Format.isoDay),
                          motivation: i.decisionText.map { PersonalData.masked($0) }, goodExample: i.goodExample, url: Site.initiative.link(s.slug, i.code))
        })
    }

    func budgets(req: Request) async throws -> [BudgetDTO] {
        let s = try await snapshot(req)
        var query = AreaBudget.query(on: req.db).filter(\.$municipality.$id == s.id)
        if let year = try year(req) { query = query.filter(\.$year == year) }
        return try await query.sort(\.$year, .descending).sort(\.$name).all().map { b in
            BudgetDTO(id: b.id!, municipality: s.code, area: b.$area.id, year: b.year, name: b.name, kind: b.kind.rawValue, decider: b.decider.rawValue,
                      mandateLimitCents: b.mandateLimitCents, allocatedCents: b.allocatedCents, committedCents: b.committedCents, paidCents: b.paidCents,
                      returnedCents: b.returnedCents, availableCents: b.availableCents)
        }
    }

    func money(req: Request) async throws -> [MoneyDTO] {
        let s = try await snapshot(req)
        let year = try year(req)
        let figures = try await MoneyController.budgetLines(req, snapshot: s, year: year)
        return zip(s.areas, figures.perArea).map { area, line in
            MoneyDTO(area: area.id, name: area.name, year: year, allocatedCents: line.balance.allocated, committedCents: line.balance.committed,
                     paidCents: line.balance.paid, returnedCents: line.balance.returned, availableCents: line.balance.available)
        }
    }
}
