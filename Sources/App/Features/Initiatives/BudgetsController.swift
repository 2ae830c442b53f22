import Vapor
import Fluent
import Domain

/// Staff: the area budgets of the municipality with their balances, setting one up, putting money in, and each
/// budget's ledger (every entry with its decision and initiative).
struct BudgetsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let read = routes.access(.anyOf([.manageBudgets, .coordinateArea]))
        read.get(Site.budgets.route, use: list)
        read.get(Site.budget.route, use: show)
        let manage = routes.access(.action(.manageBudgets))
        manage.post(Site.budgets.route, use: create)
        manage.post(Site.budget.route, use: book)
    }

    struct Row: Encodable {
        var name: String; var href: String; var area: String; var year: Int; var decider: String
        var allocated: String; var committed: String; var paid: String; var returned: String; var available: String
    }
    struct ListPage: Encodable { var page: PageMeta; var heading: String; var rows: [Row]; var form: FormView?; var moneyHref: String; var divisionHref: String? }

    static func row(_ req: Request, _ b: AreaBudget, snapshot s: MunicipalitySnapshot) -> Row {
        let dutch = req.language == .nl
        let decider = req.t("budget.decider." + b.decider.rawValue) + (b.mandateLimitCents.map { " (" + req.t("budget.upTo", Money.format($0, dutch: dutch)) + ")" } ?? "")
        return Row(name: b.name, href: Site.budget.link(b.id!.uuidString), area: s.areas.first { $0.id == b.$area.id }?.name ?? "", year: b.year, decider: decider,
                   allocated: Money.format(b.allocatedCents, dutch: dutch), committed: Money.format(b.committedCents, dutch: dutch), paid: Money.format(b.paidCents, dutch: dutch),
                   returned: Money.format(b.returnedCents, dutch: dutch), available: Money.format(b.availableCents, dutch: dutch))
    }

    private func listPage(_ req: Request, values: [String: String], errors: [FieldError]) async throws -> ListPage {
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let budgets = try await AreaBudget.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$year, .descending).sort(\.$name).all()
            .filter { Permissions.allows(actor, .manageBudgets(municipality: s.id)) || Permissions.allows(actor, .coordinateArea(municipality: s.id, area: $0.$area.id)) }
        var form: FormView? = nil
        if Permissions.allows(actor, .manageBudgets(municipality: s.id)) {
            let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$name).all()
            let year = DutchTime.calendar.component(.year, from: req.application.clock())
            form = FormView(action: Site.budgets.link() + "?gemeente=" + s.slug, submitLabel: req.t("budget.create"), fields: [
                FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: values["gebied"] ?? "",
                          options: [("", req.t("initiative.field.areaChoose"))] + s.areas.map { ($0.slug, $0.name) }, errors: errors),
                FieldView(req, name: "jaar", label: req.t("budget.year"), value: values["jaar"] ?? String(year), errors: errors),
                FieldView(req, name: "soort", label: req.t("budget.kind"), type: "radios", value: values["soort"] ?? "",
                          options: BudgetKind.allCases.map { ($0.rawValue, req.t("budget.kind." + $0.rawValue)) }, errors: errors),
                FieldView(req, name: "naam", label: req.t("budget.name"), value: values["naam"] ?? "", description: req.t("budget.nameHelp"), errors: errors),
                FieldView(req, name: "beslisser", label: req.t("budget.decider"), type: "radios", value: values["beslisser"] ?? "",
                          options: BudgetDecider.allCases.map { ($0.rawValue, req.t("budget.decider." + $0.rawValue)) }, errors: errors),
                FieldView(req, name: "mandaat", label: req.t("budget.mandate"), value: values["mandaat"] ?? "", description: req.t("budget.mandateHelp"), optional: true, errors: errors),
                FieldView(req, name: "afdeling", label: req.t("budget.department"), type: "select", value: values["afdeling"] ?? "", description: req.t("budget.departmentHelp"), optional: true,
                          options: [("", "–")] + departments.map { ($0.id!.uuidString, $0.name) }, errors: errors),
                FieldView(req, name: "bedrag", label: req.t("budget.initial"), value: values["bedrag"] ?? "", description: req.t("budget.initialHelp"), optional: true, errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        let heading = req.t("budget.title")
        return ListPage(page: req.page(heading, municipality: s.name, crumbs: [(req.t("initiative.work.title"), Site.initiativeWork.link())], errors: errors, status: req.takeFlash()),
                        heading: heading, rows: budgets.map { Self.row(req, $0, snapshot: s) }, form: form, moneyHref: Site.money.link(s.slug),
                        divisionHref: form == nil ? nil : Site.budgetDivision.link() + "?gemeente=" + s.slug)
    }

    func list(req: Request) async throws -> View {
        try await req.view.render("Initiatives/budgets", listPage(req, values: [:], errors: []))
    }

    func create(req: Request) async throws -> Response {
        let m = try await req.workMunicipality()
        _ = try await req.authorize(.manageBudgets(municipality: m.requireID()))
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let values = FormParts.read(req).values
        do {
            let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).all()
            let setup = try BudgetService.read(values, snapshot: s, departments: departments).get()
            let budget = try await BudgetService.create(setup, municipality: s.id, reference: req.t("budget.reference.initial", String(setup.year)), user: req.authUser, req: req)
            req.flash(req.t("budget.created", budget.name))
            return req.redirect(to: Site.budget.link(budget.id!.uuidString))
        } catch let failure as ValidationFailure {
            return try await req.render("Initiatives/budgets", listPage(req, values: values, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: One budget

    struct BudgetPage: Encodable {
        struct Entry: Encodable { var when: String; var iso: String; var kind: String; var amount: String; var reference: String; var initiative: String?; var initiativeHref: String? }
        var page: PageMeta; var heading: String; var summary: Row; var entries: [Entry]; var reconciled: Bool; var form: FormView?; var back: String
    }

    private func budgetPage(_ req: Request, values: [String: String], errors: [FieldError]) async throws -> (BudgetPage, AreaBudget) {
        let actor = try await req.actor()
        guard let id = req.parameters.get("budget", as: UUID.self), let budget = try await AreaBudget.find(id, on: req.db) else { throw AppError.notFound() }
        let m = budget.$municipality.id
        guard Permissions.allows(actor, .manageBudgets(municipality: m)) || Permissions.allows(actor, .coordinateArea(municipality: m, area: budget.$area.id)) else { throw AppError.forbidden }
        let municipality = try await Municipality.find(m, on: req.db)!
        let s = try await req.areas.snapshot(for: municipality, on: req.db)
        let entries = try await LedgerEntry.query(on: req.db).filter(\.$budget.$id == id).sort(\.$recordedAt, .descending).limit(1000).all()
        let initiatives = try await Initiative.query(on: req.db).filter(\.$id ~~ Array(Set(entries.compactMap(\.initiativeID)))).all()
        let dutch = req.language == .nl
        let sum = try await BudgetLedger.sum(id, on: req.db)
        var form: FormView? = nil
        if Permissions.allows(actor, .manageBudgets(municipality: m)) {
            form = FormView(action: Site.budget.link(id.uuidString), submitLabel: req.t("budget.book"), fields: [
                FieldView(req, name: "soort", label: req.t("budget.entryKind"), type: "radios", value: values["soort"] ?? "",
                          options: [LedgerKind.allocated, .reduced].map { ($0.rawValue, req.t("budget.entry." + $0.rawValue)) }, errors: errors),
                FieldView(req, name: "bedrag", label: req.t("budget.amount"), value: values["bedrag"] ?? "", errors: errors),
                FieldView(req, name: "omschrijving", label: req.t("budget.reference"), value: values["omschrijving"] ?? "", description: req.t("budget.referenceHelp"), errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        let heading = "\(budget.name) \(budget.year)"
        return (BudgetPage(
            page: req.page(heading, municipality: s.name, crumbs: [(req.t("budget.title"), Site.budgets.link())], errors: errors, status: req.takeFlash()),
            heading: heading, summary: Self.row(req, budget, snapshot: s),
            entries: entries.map { e in
                let i = initiatives.first { $0.id == e.initiativeID }
                return .init(when: Format.dateTime(e.recordedAt, req.language), iso: Format.isoDate(e.recordedAt), kind: req.t("budget.entry." + e.kind.rawValue),
                             amount: Money.format(e.amountCents, dutch: dutch), reference: e.reference, initiative: i.map { "\($0.code) \($0.title)" },
                             initiativeHref: i.map { Site.initiativeWorkItem.link($0.id!.uuidString) })
            },
            reconciled: sum == budget.balance, form: form, back: Site.budgets.link()), budget)
    }

    func show(req: Request) async throws -> View {
        try await req.view.render("Initiatives/budget", budgetPage(req, values: [:], errors: []).0)
    }

    func book(req: Request) async throws -> Response {
        let (_, budget) = try await budgetPage(req, values: [:], errors: [])
        _ = try await req.authorize(.manageBudgets(municipality: budget.$municipality.id))
        let values = FormParts.read(req).values
        do {
            var errors: [FieldError] = []
            let kind = LedgerKind(rawValue: values["soort"] ?? "").flatMap { [.allocated, .reduced].contains($0) ? $0 : nil }
            if kind == nil { errors.append(FieldError("soort", "budget.entryKindMissing")) }
            let cents = Input.cents(values["bedrag"], field: "bedrag", positive: true, errors: &errors)
            let reference = Input.text(values["omschrijving"], field: "omschrijving", max: 200).collect(into: &errors)
            guard errors.isEmpty, let kind, let cents, let reference else { throw ValidationFailure(errors) }
            try await BudgetService.book(budget, kind: kind, cents: cents, reference: reference, user: req.authUser, req: req)
            req.flash(req.t("budget.booked"))
            return req.redirect(to: Site.budget.link(budget.id!.uuidString))
        } catch let failure as ValidationFailure {
            return try await req.render("Initiatives/budget", budgetPage(req, values: values, errors: failure.errors).0, status: failure.status)
        }
    }
}
