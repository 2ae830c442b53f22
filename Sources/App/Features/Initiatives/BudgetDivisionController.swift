import Vapor
import Fluent
import Domain

/// Dividing a pot over all areas (issue 12): equal shares, per inhabitant, or a formula with stated weights on the
/// areas' CBS figures. The page shows each area's amount, the formula and each term's contribution as a what-if
/// (a GET form, nothing stored) before the budgets are set; setting them writes the allocations to the ledger.
struct BudgetDivisionController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let manage = routes.access(.action(.manageBudgets))
        manage.get(Site.budgetDivision.route, use: page)
        manage.post(Site.budgetDivision.route, use: apply)
    }

    /// The figures a formula can use: the area's key figures and, from the area profile's CBS import, the number of
    /// children, of people aged 65 and over, and of people with a low income (inhabitants × the share with a low income).
    static let termKeys = [MoneyDivision.equalKey, "inhabitants", "dwellings", "landHa", "age0to14Count", "age65Count", "lowIncomePeople"]

    static func figures(_ area: MunicipalitySnapshot.AreaInfo, profile: [String: Double]) -> [String: Double] {
        let f = area.figures.figures
        var out: [String: Double] = [:]
        if let v = f.inhabitants { out["inhabitants"] = Double(v) }
        if let v = f.dwellings { out["dwellings"] = Double(v) }
        if let v = f.areaLandHa { out["landHa"] = Double(v) }
        if let v = profile["age0to14Count"] { out["age0to14Count"] = v }
        if let v = profile["age65Count"] { out["age65Count"] = v }
        if let share = profile["lowIncome"], let inhabitants = profile["inhabitants"] ?? out["inhabitants"] { out["lowIncomePeople"] = (inhabitants * share / 100).rounded() }
        return out
    }

    struct Input {
        var year: Int?
        var totalCents: Int?
        var name: String?
        var decider: BudgetDecider?
        var mandate: Int?
        var method: MoneyDivision.Method?
        var errors: [FieldError]
    }

    static func read(_ v: [String: String]) -> Input {
        var errors: [FieldError] = []
        let year = Int(v["jaar"] ?? "").flatMap { (2000...2100).contains($0) ? $0 : nil }
        if year == nil { errors.append(FieldError("jaar", "budget.yearInvalid")) }
        let total = App.Input.cents(v["bedrag"], field: "bedrag", positive: true, errors: &errors)
        let name = App.Input.text(v["naam"], field: "naam", max: 60).collect(into: &errors)
        let decider = BudgetDecider(rawValue: v["beslisser"] ?? "")
        if decider == nil { errors.append(FieldError("beslisser", "budget.deciderMissing")) }
        let mandate = decider == .coordinator ? BudgetService.mandate(v, errors: &errors) : nil
        var method: MoneyDivision.Method? = nil
        switch v["methode"] {
        case "equal": method = .equal
        case "perInhabitant": method = .perInhabitant
        case "formula":
            var terms: [MoneyDivision.Term] = []
            for key in termKeys {
                if let weight = App.Input.weight(v["gewicht-" + key], field: "gewicht-" + key, errors: &errors) { terms.append(.init(key: key, weight: weight)) }
            }
            method = .formula(terms)
        default: errors.append(FieldError("methode", "division.methodMissing"))
        }
        return Input(year: year, totalCents: total, name: name, decider: decider, mandate: mandate, method: method, errors: errors)
    }

    struct Page: Encodable {
        struct Row: Encodable { var area: String; var cells: [String]; var total: String }
        var page: PageMeta; var heading: String; var intro: String; var action: String; var fields: [FieldView]; var weightFields: [FieldView]
        var explanation: String?; var columns: [String]; var rows: [Row]; var totalRow: Row?; var notes: [String]
        var applyAction: String; var hidden: [Hidden]; var csrf: String; var canApply: Bool
        struct Hidden: Encodable { var name: String; var value: String }
    }

    private func render(_ req: Request, values: [String: String], errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let m = try await req.workMunicipality()
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let lang = req.language, dutch = lang == .nl
        let year = DutchTime.calendar.component(.year, from: req.application.clock()) + 1
        var v = values
        if v["jaar"] == nil { v["jaar"] = String(year) }
        if v["naam"] == nil { v["naam"] = req.t("division.defaultName") }
        if v["beslisser"] == nil { v["beslisser"] = BudgetDecider.council.rawValue }
        if v["methode"] == nil { v["methode"] = "formula"; v["gewicht-equal"] = "1"; v["gewicht-inhabitants"] = "1" }
        let submitted = values["bedrag"] != nil
        var allErrors = errors
        var columns: [String] = [], rows: [Page.Row] = [], totalRow: Page.Row? = nil, notes: [String] = [], explanation: String? = nil
        if submitted {
            let input = Self.read(values)
            allErrors += input.errors
            if input.errors.isEmpty, let total = input.totalCents, let method = input.method {
                let profile = try await AreaProfileService.latest(s, now: req.application.clock(), on: req.db, cache: req.application.profileCache)
                let areas = s.areas.map { MoneyDivision.Area(id: $0.id, figures: Self.figures($0, profile: profile[$0.id] ?? [:])) }
                switch MoneyDivision.divide(totalCents: total, areas: areas, method: method) {
                case .failure(let problem):
                    allErrors.append(FieldError("methode", Self.problemKey(problem), [Self.termLabel(req, Self.problemTerm(problem))]))
                case .success(let result):
                    let terms = method.terms.filter { $0.weight > 0 }
                    let weightSum = terms.reduce(0) { $0 + $1.weight }
                    explanation = req.t("division.explanation", Money.format(total, dutch: dutch),
                                        terms.map { req.t("division.termPart", Self.termLabel(req, $0.key), Format.decimal(100 * $0.weight / weightSum, lang), Money.format(result.parts[$0.key] ?? 0, dutch: dutch)) }.joined(separator: "; "))
                    columns = terms.flatMap { t in t.key == MoneyDivision.equalKey ? [Self.termLabel(req, t.key)] : [Self.termLabel(req, t.key), req.t("division.contribution", Self.termLabel(req, t.key))] }
                    for (info, share) in zip(s.areas, result.shares) {
                        let figures = Self.figures(info, profile: profile[info.id] ?? [:])
                        let cells = terms.flatMap { t -> [String] in
                            let part = Money.format(share.contributions[t.key] ?? 0, dutch: dutch)
                            if t.key == MoneyDivision.equalKey { return [part] }
                            return [figures[t.key].map { Format.number(Int($0), lang) } ?? req.t("division.noFigure"), part]
                        }
                        rows.append(.init(area: info.name, cells: cells, total: Money.format(share.cents, dutch: dutch)))
                    }
                    totalRow = .init(area: req.t("money.total"), cells: columns.map { _ in "" }, total: Money.format(result.shares.reduce(0) { $0 + $1.cents }, dutch: dutch))
                    for (key, ids) in result.missing.sorted(by: { $0.key < $1.key }) {
                        notes.append(req.t("division.missing", Self.termLabel(req, key), ids.compactMap { id in s.areas.first { $0.id == id }?.name }.joined(separator: ", ")))
                    }
                }
            }
        }
        let heading = req.t("division.title")
        let fields = [
            FieldView(req, name: "jaar", label: req.t("budget.year"), value: v["jaar"] ?? "", errors: allErrors),
            FieldView(req, name: "bedrag", label: req.t("division.total"), value: v["bedrag"] ?? "", description: req.t("division.totalHelp"), errors: allErrors),
            FieldView(req, name: "naam", label: req.t("budget.name"), value: v["naam"] ?? "", description: req.t("division.nameHelp"), errors: allErrors),
            FieldView(req, name: "beslisser", label: req.t("budget.decider"), type: "radios", value: v["beslisser"] ?? "",
                      options: BudgetDecider.allCases.filter { $0 != .department }.map { ($0.rawValue, req.t("budget.decider." + $0.rawValue)) }, errors: allErrors),
            FieldView(req, name: "mandaat", label: req.t("budget.mandate"), value: v["mandaat"] ?? "", description: req.t("budget.mandateHelp"), optional: true, errors: allErrors),
            FieldView(req, name: "methode", label: req.t("division.method"), type: "radios", value: v["methode"] ?? "",
                      options: [("equal", req.t("division.method.equal")), ("perInhabitant", req.t("division.method.perInhabitant")), ("formula", req.t("division.method.formula"))], errors: allErrors),
        ]
        let weightFields = Self.termKeys.map { key in
            FieldView(req, name: "gewicht-" + key, label: req.t("division.weight", Self.termLabel(req, key)), value: v["gewicht-" + key] ?? "", optional: true, errors: allErrors)
        }
        let hiddenNames = ["jaar", "bedrag", "naam", "beslisser", "mandaat", "methode"] + Self.termKeys.map { "gewicht-" + $0 }
        return try await req.render("Initiatives/division", Page(
            page: req.page(heading, municipality: s.name, crumbs: [(req.t("budget.title"), Site.budgets.link())], errors: allErrors, status: req.takeFlash()),
            heading: heading, intro: req.t("division.intro"), action: Site.budgetDivision.link(), fields: fields, weightFields: weightFields,
            explanation: explanation, columns: columns, rows: rows, totalRow: totalRow, notes: notes,
            applyAction: Site.budgetDivision.link() + "?gemeente=" + s.slug, hidden: hiddenNames.map { .init(name: $0, value: values[$0] ?? "") },
            csrf: req.csrfToken(), canApply: submitted && !rows.isEmpty && allErrors.isEmpty), status: status)
    }

    static func termLabel(_ req: Request, _ key: String) -> String { req.t("division.term." + key) }

    static func problemKey(_ p: MoneyDivision.Problem) -> String {
        switch p {
        case .noAreas: return "division.problem.noAreas"
        case .notPositive: return "money.notPositive"
        case .noWeights: return "division.problem.noWeights"
        case .negativeWeight: return "division.weightInvalid"
        case .figureMissingEverywhere: return "division.problem.figureMissing"
        }
    }

    static func problemTerm(_ p: MoneyDivision.Problem) -> String {
        switch p {
        case .negativeWeight(let k), .figureMissingEverywhere(let k): return k
        default: return MoneyDivision.equalKey
        }
    }

    func page(req: Request) async throws -> Response {
        var values: [String: String] = [:]
        for name in ["jaar", "bedrag", "naam", "beslisser", "mandaat", "methode"] + Self.termKeys.map({ "gewicht-" + $0 }) {
            if let value = req.query[String.self, at: name] { values[name] = value }
        }
        return try await render(req, values: values, errors: [])
    }

    func apply(req: Request) async throws -> Response {
        let m = try await req.workMunicipality()
        _ = try await req.authorize(.manageBudgets(municipality: m.requireID()))
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let values = FormParts.read(req).values
        let input = Self.read(values)
        guard input.errors.isEmpty, let year = input.year, let total = input.totalCents, let name = input.name, let decider = input.decider, let method = input.method else {
            return try await render(req, values: values, errors: [], status: .unprocessableEntity)
        }
        let profile = try await AreaProfileService.latest(s, now: req.application.clock(), on: req.db, cache: req.application.profileCache)
        guard case .success(let result) = MoneyDivision.divide(totalCents: total, areas: s.areas.map { MoneyDivision.Area(id: $0.id, figures: Self.figures($0, profile: profile[$0.id] ?? [:])) },
                                                               method: method) else {
            return try await render(req, values: values, errors: [], status: .unprocessableEntity)
        }
        let template = BudgetSetup(areaID: UUID(), year: year, kind: .initiatives, name: name, decider: decider, mandateLimitCents: input.mandate, departmentID: nil, initialCents: 0)
        let terms = method.terms.filter { $0.weight > 0 }.map { "\(Self.termLabel(req, $0.key)) \(Format.decimal($0.weight, .nl))" }.joined(separator: ", ")
        try await BudgetService.applyDivision(result.shares, template: template, municipality: s.id,
                                              reference: req.application.localizer.text("division.reference", .nl, [String(year), terms]), user: req.authUser, req: req)
        req.flash(req.t("division.applied", Money.format(total, dutch: req.language == .nl), String(s.areas.count)))
        return req.redirect(to: Site.budgets.link() + "?gemeente=" + s.slug)
    }
}
