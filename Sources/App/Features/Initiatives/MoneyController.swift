import Vapor
import Fluent
import SQLKit
import Domain

/// Transparency (domain.md §4, Arnhem's lesson in seed 001): per municipality, year and area the money of the
/// area budgets — put in, committed, paid, returned, still available — per theme, and how initiatives were
/// decided; as tables, a chart and CSV.
struct MoneyController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.public).get(Site.money.route, use: page)
        routes.access(.public).get(Site.moneyCSV.route, use: csv)
    }

    /// The figures of one year (or all years): per area, per theme and per way of deciding.
    struct Figures {
        struct AreaLine { var areaID: UUID; var year: Int; var budget: String; var kind: BudgetKind; var decider: BudgetDecider; var balance: LedgerBalance }
        var lines: [AreaLine]
        var perArea: [(name: String, slug: String, balance: LedgerBalance)]
        var perTheme: [(theme: InitiativeTheme, count: Int, granted: Int)]
        var decided: [(label: String, count: Int)]
        var years: [Int]
        /// Support other than money, per kind: how often, and by whom.
        var given: [(kind: SupportKind, count: Int, by: [String])]
    }

    /// The budgets (of one year or all) as lines and summed per area: what the CSV and the API need.
    static func budgetLines(_ req: Request, snapshot s: MunicipalitySnapshot, year: Int?) async throws -> (lines: [Figures.AreaLine], perArea: [(name: String, slug: String, balance: LedgerBalance)]) {
        var budgetQuery = AreaBudget.query(on: req.db).filter(\.$municipality.$id == s.id)
        if let year { budgetQuery = budgetQuery.filter(\.$year == year) }
        let budgets = try await budgetQuery.sort(\.$year, .descending).all()
        let lines = budgets.map { Figures.AreaLine(areaID: $0.$area.id, year: $0.year, budget: $0.name, kind: $0.kind, decider: $0.decider, balance: $0.balance) }
        let perArea = s.areas.map { area -> (String, String, LedgerBalance) in
            let mine = lines.filter { $0.areaID == area.id }.map(\.balance)
            return (area.name, area.slug, mine.reduce(LedgerBalance(), +))
        }
        return (lines, perArea)
    }

    static func figures(_ req: Request, snapshot s: MunicipalitySnapshot, year: Int?, years: [Int]) async throws -> Figures {
        let (lines, perArea) = try await budgetLines(req, snapshot: s, year: year)
        // Initiatives decided on these budgets, counted in the database (a municipality holds tens of thousands).
        guard let sql = req.db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let yearFilter: SQLQueryString = year.map { "AND b.year = \(bind: $0)" } ?? ""
        let decidedRows = try await sql.raw("""
            SELECT i.theme AS theme, i.status AS status, b.decider AS decider, CASE WHEN i.granted_cents IS NULL THEN 0 ELSE 1 END AS granted,
                   COUNT(*) AS n, CAST(COALESCE(SUM(i.granted_cents), 0) AS BIGINT) AS cents
            FROM initiatives i JOIN area_budgets b ON b.id = i.budget_id
            WHERE b.municipality_id = \(bind: s.id) \(yearFilter) AND i.decided_at IS NOT NULL
            GROUP BY i.theme, i.status, b.decider, CASE WHEN i.granted_cents IS NULL THEN 0 ELSE 1 END
            """).all()
        struct Decided { var theme: String; var status: String; var decider: String; var granted: Bool; var count: Int; var cents: Int }
        let decided = try decidedRows.map { r in
            Decided(theme: try r.decode(column: "theme", as: String.self), status: try r.decode(column: "status", as: String.self),
                    decider: try r.decode(column: "decider", as: String.self), granted: try r.decode(column: "granted", as: Int.self) == 1,
                    count: try r.decode(column: "n", as: Int.self), cents: try r.decode(column: "cents", as: Int.self))
        }
        let grantedStates: Set<String> = Set([InitiativeStatus.granted, .inExecution, .accounted, .closed].map(\.rawValue))
        let perTheme = InitiativeTheme.allCases.map { theme -> (InitiativeTheme, Int, Int) in
            let mine = decided.filter { $0.theme == theme.rawValue && grantedStates.contains($0.status) }
            return (theme, mine.reduce(0) { $0 + $1.count }, mine.reduce(0) { $0 + $1.cents })
        }
        var ways: [(String, Int)] = BudgetDecider.allCases.map { d in
            (req.t("money.grantedBy." + d.rawValue), decided.filter { $0.granted && $0.decider == d.rawValue }.reduce(0) { $0 + $1.count })
        }
        ways.append((req.t("money.declined"), decided.filter { !$0.granted }.reduce(0) { $0 + $1.count }))
        let initiativeYear: SQLQueryString = year.map { "AND i.year = \(bind: $0)" } ?? ""
        let givenRows = try await sql.raw("""
            SELECT g.kind AS kind, g.department_id AS department, g.partner AS partner, COUNT(*) AS n
            FROM initiative_support_given g JOIN initiatives i ON i.id = g.initiative_id
            WHERE i.municipality_id = \(bind: s.id) \(initiativeYear)
            GROUP BY g.kind, g.department_id, g.partner
            """).all()
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).all()
        var givenPerKind: [(SupportKind, Int, [String])] = []
        for kind in SupportKind.allCases {
            var count = 0
            var by: Set<String> = []
            for r in givenRows where (try? r.decode(column: "kind", as: String.self)) == kind.rawValue {
                count += (try? r.decode(column: "n", as: Int.self)) ?? 0
                let department = try? r.decode(column: "department", as: UUID?.self)
                by.insert(departments.first { $0.id != nil && $0.id == department }?.name ?? ((try? r.decode(column: "partner", as: String.self)) ?? ""))
            }
            if count > 0 { givenPerKind.append((kind, count, by.filter { !$0.isEmpty }.sorted())) }
        }
        return Figures(lines: lines, perArea: perArea, perTheme: perTheme, decided: ways, years: years, given: givenPerKind)
    }

    struct Page: Encodable {
        struct AreaRow: Encodable { var name: String; var href: String; var allocated: String; var committed: String; var paid: String; var returned: String; var available: String }
        struct ThemeRow: Encodable { var theme: String; var count: Int; var granted: String }
        struct Count: Encodable { var label: String; var count: Int }
        struct Given: Encodable { var kind: String; var count: Int; var by: String }
        var page: PageMeta; var heading: String; var intro: String; var filters: [FieldView]; var areas: [AreaRow]; var total: AreaRow
        var themes: [ThemeRow]; var decided: [Count]; var given: [Given]; var chart: String; var csvHref: String; var initiativesHref: String; var empty: Bool; var yearLabel: String
    }

    private func selectedYear(_ req: Request, _ years: [Int]) -> Int? {
        let raw = req.query[String.self, at: "jaar"] ?? ""
        if raw == "alle" { return nil }
        if let y = Int(raw), (2000...2100).contains(y) { return y }
        return years.first ?? DutchTime.calendar.component(.year, from: req.application.clock())
    }

    func page(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let allYears = try await AreaBudget.query(on: req.db).filter(\.$municipality.$id == s.id).unique().all(\.$year).sorted(by: >)
        let year = selectedYear(req, allYears)
        let f = try await Self.figures(req, snapshot: s, year: year, years: allYears)
        let dutch = req.language == .nl
        let money = { (c: Int) in Money.format(c, dutch: dutch) }
        func row(_ name: String, _ href: String, _ b: LedgerBalance) -> Page.AreaRow {
            .init(name: name, href: href, allocated: money(b.allocated), committed: money(b.committed), paid: money(b.paid), returned: money(b.returned), available: money(b.available))
        }
        let total = f.perArea.map(\.balance).reduce(LedgerBalance(), +)
        let shown = f.perArea.filter { $0.balance != LedgerBalance() }
        let yearLabel = year.map(String.init) ?? req.t("money.allYears")
        let heading = req.t("money.title", s.name)
        return try await req.view.render("Initiatives/money", Page(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug))]), heading: heading, intro: req.t("money.intro"),
            filters: [FieldView(req, name: "jaar", label: req.t("money.year"), type: "select", value: year.map(String.init) ?? "alle",
                                options: allYears.map { (String($0), String($0)) } + [("alle", req.t("money.allYears"))])],
            areas: shown.map { row($0.name, Site.initiatives.link(s.slug) + "?gebied=" + $0.slug, $0.balance) },
            total: row(req.t("money.total"), Site.initiatives.link(s.slug), total),
            themes: f.perTheme.filter { $0.count > 0 }.map { .init(theme: req.t("initiative.theme." + $0.theme.rawValue), count: $0.count, granted: money($0.granted)) },
            decided: f.decided.map { .init(label: $0.label, count: $0.count) },
            given: f.given.map { .init(kind: req.t("initiative.support." + $0.kind.rawValue), count: $0.count, by: $0.by.joined(separator: ", ")) },
            chart: BarChart.svg(id: "grafiek-geld", title: req.t("money.chartTitle", yearLabel), description: req.t("money.chartDescription"),
                                labels: shown.map { String($0.name.prefix(10)) },
                                series: [.init(name: req.t("money.allocated"), cssClass: "ww-chart__bar--a", values: shown.map { $0.balance.allocated / 100 }),
                                         .init(name: req.t("money.spent"), cssClass: "ww-chart__bar--b", values: shown.map { ($0.balance.committed + $0.balance.paid) / 100 })]),
            csvHref: Site.moneyCSV.link(s.slug) + "?jaar=" + (year.map(String.init) ?? "alle"), initiativesHref: Site.initiatives.link(s.slug),
            empty: f.lines.isEmpty, yearLabel: yearLabel))
    }

    /// One line per budget: UTF-8 with a header, amounts in euros with a decimal point (what spreadsheets read),
    /// safe against formula injection (`CSVWriter`).
    func csv(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let allYears = try await AreaBudget.query(on: req.db).filter(\.$municipality.$id == s.id).unique().all(\.$year).sorted(by: >)
        let year = selectedYear(req, allYears)
        let f = try await Self.budgetLines(req, snapshot: s, year: year)
        let euros = { (c: Int) in String(format: "%d.%02d", c / 100, c % 100) }
        let header = ["money.csv.year", "money.csv.area", "money.csv.budget", "money.csv.kind", "money.csv.decider", "money.allocated", "money.committed",
                      "money.paid", "money.returned", "money.available"].map { req.t($0) }
        let rows = f.lines.map { l in [String(l.year), s.areas.first { $0.id == l.areaID }?.name ?? "", l.budget, req.t("budget.kind." + l.kind.rawValue),
                                       req.t("budget.decider." + l.decider.rawValue), euros(l.balance.allocated), euros(l.balance.committed), euros(l.balance.paid),
                                       euros(l.balance.returned), euros(l.balance.available)] }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.add(name: .contentDisposition, value: "attachment; filename=\"geld-\(s.slug)-\(year.map(String.init) ?? "alle").csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: CSVWriter.document(header: header, rows: rows)))
    }
}
