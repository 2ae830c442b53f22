import Vapor
import Fluent
import Domain

/// The weighing of main priorities (Venray). Public: the weighings and each ranking with every score and weight.
/// Budget managers set up a weighing, score the priorities and adopt the ranking; an area's coordinator (or a
/// budget manager) puts forward the area's main priority.
struct PriorityRankingController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get(Site.priorityRankings.route, use: list)
        open.get(Site.priorityRanking.route, use: show)
        let budgets = routes.access(.action(.manageBudgets))
        budgets.get(Site.priorityRankingNew.route, use: newForm)
        budgets.post(Site.priorityRankingNew.route, use: create)
        budgets.get(Site.priorityRankingScores.route, use: scoresForm)
        budgets.post(Site.priorityRankingScores.route, use: saveScores)
        budgets.post(Site.priorityRankingAdopt.route, use: adopt)
        let areas = routes.access(.anyOf([.coordinateArea, .manageBudgets]))
        areas.get(Site.priorityRankingManage.route, use: manage)
        areas.get(Site.priorityRankingEntry.route, use: entryForm)
        areas.post(Site.priorityRankingEntry.route, use: saveEntry)
    }

    static func mayManage(_ actor: Actor, _ m: UUID) -> Bool { Permissions.allows(actor, .manageBudgets(municipality: m)) }

    static func mayEnter(_ actor: Actor, _ m: UUID, area: UUID) -> Bool {
        mayManage(actor, m) || Permissions.allows(actor, .coordinateArea(municipality: m, area: area))
    }

    private func crumbs(_ req: Request, _ s: MunicipalitySnapshot) -> [(String, String)] {
        [(s.name, Paths.municipality(s.slug)), (req.t("priorities.list.short"), Site.priorityRankings.link(s.slug))]
    }

    // MARK: Public

    struct ListRow: Encodable { var title: String; var href: String; var year: Int; var credit: String; var status: String }
    struct ListPage: Encodable { var page: PageMeta; var heading: String; var intro: String; var rows: [ListRow]; var newHref: String? }

    func list(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let rankings = try await PriorityRanking.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$number, .descending).all()
        let actor = try await req.optionalActor()
        let heading = req.t("priorities.list.title")
        return try await req.view.render("Priorities/list", ListPage(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug))], status: req.takeFlash()), heading: heading,
            intro: req.t("priorities.list.intro"),
            rows: rankings.map { r in ListRow(title: r.title, href: PriorityRankingPages.link(s, r), year: r.year, credit: Money.format(r.creditCents, dutch: req.language == .nl, compact: true),
                                              status: Self.status(req, r)) },
            newHref: actor.map { Self.mayManage($0, s.id) } == true ? Site.priorityRankingNew.link(s.slug) : nil))
    }

    static func status(_ req: Request, _ r: PriorityRanking) -> String {
        r.adoptedAt.map { req.t("priorities.status.adopted", Format.day($0, req.language)) } ?? req.t("priorities.status.open")
    }

    struct ShowPage: Encodable {
        var page: PageMeta; var heading: String; var text: String; var year: Int; var status: String; var adopted: Bool
        var ranking: PriorityRankingPages.View; var manageHref: String?
    }

    func show(req: Request) async throws -> View {
        let (s, ranking) = try await PriorityRankingPages.find(req)
        let evaluation = try await PriorityRankingService.evaluate(ranking, areas: s.areas, on: req.db)
        let actor = try await req.optionalActor()
        let mayManage = actor.map { a in Self.mayManage(a, s.id) || s.areas.contains { Self.mayEnter(a, s.id, area: $0.id) } } ?? false
        return try await req.view.render("Priorities/ranking", ShowPage(
            page: req.page(ranking.title, municipality: s.name, crumbs: crumbs(req, s), status: req.takeFlash()), heading: ranking.title, text: ranking.text,
            year: ranking.year, status: Self.status(req, ranking), adopted: ranking.adoptedAt != nil,
            ranking: try await PriorityRankingPages.view(req, s, ranking, evaluation), manageHref: mayManage ? PriorityRankingPages.link(s, ranking, Site.priorityRankingManage) : nil))
    }

    // MARK: A new weighing

    /// A form with a group of fields per criterion (or per area): `Shared/grouped-form`.
    struct Group: Encodable { var legend: String; var fields: [FieldView] }
    struct GroupedFormPage: Encodable {
        var page: PageMeta; var heading: String; var intro: String; var action: String; var csrf: String; var fields: [FieldView]
        var groupsTitle: String; var groupsIntro: String; var groups: [Group]; var submit: String
    }

    private func newPage(_ req: Request, _ s: MunicipalitySnapshot, values v: [String: String], errors: [FieldError]) -> GroupedFormPage {
        let heading = req.t("priorities.new.title")
        let groups = (1...PriorityRankingService.criterionRows).map { i in
            let p = "criterium_\(i)_"
            return Group(legend: req.t("priorities.new.criterion", String(i)), fields: [
                FieldView(req, name: p + "naam", label: req.t("priorities.field.criterionName"), value: v[p + "naam"] ?? "", optional: true, errors: errors),
                FieldView(req, name: p + "uitleg", label: req.t("priorities.field.explanation"), value: v[p + "uitleg"] ?? "", optional: true, errors: errors),
                FieldView(req, name: p + "gewicht", label: req.t("priorities.field.weight"), value: v[p + "gewicht"] ?? "", description: req.t("priorities.field.weightHelp"), optional: true, errors: errors),
                FieldView(req, name: p + "max", label: req.t("priorities.field.maxScore"), value: v[p + "max"] ?? "5", description: req.t("priorities.field.maxScoreHelp"), optional: true, errors: errors),
            ])
        } + [Group(legend: req.t("priorities.ownContribution"), fields: [
            FieldView(req, name: "eigen_uitleg", label: req.t("priorities.field.explanation"), value: v["eigen_uitleg"] ?? "", optional: true, errors: errors),
            FieldView(req, name: "eigen_gewicht", label: req.t("priorities.field.weight"), value: v["eigen_gewicht"] ?? "", description: req.t("priorities.field.weightHelp"), errors: errors),
            FieldView(req, name: "eigen_max", label: req.t("priorities.field.maxScore"), value: v["eigen_max"] ?? "", description: req.t("priorities.field.maxScoreHelp"), errors: errors),
            FieldView(req, name: "eigen_volledig", label: req.t("priorities.field.fullAt"), value: v["eigen_volledig"] ?? "", description: req.t("priorities.field.fullAtHelp"), errors: errors),
        ])]
        return GroupedFormPage(page: req.page(heading, municipality: s.name, crumbs: crumbs(req, s), errors: errors), heading: heading, intro: req.t("priorities.new.intro"),
                       action: Site.priorityRankingNew.link(s.slug), csrf: req.csrfToken(), fields: [
                           FieldView(req, name: "titel", label: req.t("priorities.field.title"), value: v["titel"] ?? "", errors: errors),
                           FieldView(req, name: "jaar", label: req.t("priorities.field.year"), value: v["jaar"] ?? "", errors: errors),
                           FieldView(req, name: "krediet", label: req.t("priorities.field.credit"), value: v["krediet"] ?? "", description: req.t("priorities.field.creditHelp"), errors: errors),
                           FieldView(req, name: "tekst", label: req.t("priorities.field.text"), type: "textarea", value: v["tekst"] ?? "", optional: true, errors: errors),
                       ], groupsTitle: req.t("priorities.new.criteriaTitle"), groupsIntro: req.t("priorities.new.criteriaIntro"), groups: groups, submit: req.t("priorities.new.submit"))
    }

    private func municipality(_ req: Request) async throws -> (MunicipalitySnapshot, Actor) {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let actor = try await req.actor()
        guard Self.mayManage(actor, s.id) else { throw AppError.forbidden }
        return (s, actor)
    }

    func newForm(req: Request) async throws -> View {
        let (s, _) = try await municipality(req)
        let latest = try await PriorityRanking.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$number, .descending).first()
        return try await req.view.render("Shared/grouped-form", newPage(req, s, values: try await PriorityRankingService.defaultValues(req, latest: latest, on: req.db), errors: []))
    }

    func create(req: Request) async throws -> Response {
        let (s, _) = try await municipality(req)
        let values = FormParts.read(req).values
        do {
            let ranking = try await PriorityRankingService.create(try PriorityRankingService.readSetup(values).get(), municipality: s.id, user: req.authUser, req: req)
            req.flash(req.t("priorities.new.created"))
            return req.redirect(to: PriorityRankingPages.link(s, ranking, Site.priorityRankingManage))
        } catch let failure as ValidationFailure {
            return try await req.render("Shared/grouped-form", newPage(req, s, values: values, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: Managing a weighing

    struct AreaRow: Encodable {
        var area: String; var kind: String; var entry: String?; var state: String; var ripe: Bool; var entryHref: String?; var scoreHref: String?
    }
    struct ManagePage: Encodable {
        var page: PageMeta; var heading: String; var publicHref: String; var adopted: Bool; var status: String
        var rows: [AreaRow]; var mayAdopt: Bool; var adoptAction: String; var csrf: String; var fundedCount: Int; var funded: String; var credit: String
    }

    private func managed(_ req: Request) async throws -> (MunicipalitySnapshot, PriorityRanking, Actor) {
        let (s, ranking) = try await PriorityRankingPages.find(req)
        let actor = try await req.actor()
        guard Self.mayManage(actor, s.id) || s.areas.contains(where: { Self.mayEnter(actor, s.id, area: $0.id) }) else { throw AppError.forbidden }
        return (s, ranking, actor)
    }

    private func managePage(_ req: Request, _ s: MunicipalitySnapshot, _ ranking: PriorityRanking, _ actor: Actor, errors: [FieldError] = []) async throws -> ManagePage {
        let e = try await PriorityRankingService.evaluate(ranking, areas: s.areas, on: req.db)
        let open = ranking.adoptedAt == nil
        let manager = Self.mayManage(actor, s.id)
        let rows = s.areas.filter { Self.mayEnter(actor, s.id, area: $0.id) }.map { area -> AreaRow in
            let entry = e.entries.first { $0.$area.id == area.id }
            let line = entry.flatMap { en in e.result.lines.first { $0.number == en.number } }
            var state = req.t("priorities.manage.noEntry")
            if let line {
                switch line.outcome {
                case .notRipe(let missing): state = PriorityRankingPages.notRipe(req, missing)
                default: state = req.t("priorities.manage.ranked", String(line.rank ?? 0), PriorityRankingPages.decimal(req, line.total))
                }
            }
            return AreaRow(area: area.name, kind: req.t("priorities.kind." + area.kind.rawValue), entry: entry.map { "\($0.number). \($0.title)" }, state: state,
                           ripe: line?.rank != nil,
                           entryHref: open ? Site.priorityRankingEntry.link(s.slug, String(ranking.number), area.slug) : nil,
                           scoreHref: open && manager && entry != nil ? Site.priorityRankingScores.link(s.slug, String(ranking.number), String(entry!.number)) : nil)
        }
        let heading = req.t("priorities.manage.title", ranking.title)
        let funded = e.result.lines.filter { $0.outcome == .funded }
        return ManagePage(page: req.page(heading, municipality: s.name, crumbs: crumbs(req, s) + [(ranking.title, PriorityRankingPages.link(s, ranking))], errors: errors, status: req.takeFlash()),
                          heading: heading, publicHref: PriorityRankingPages.link(s, ranking), adopted: !open, status: Self.status(req, ranking), rows: rows,
                          mayAdopt: open && manager, adoptAction: PriorityRankingPages.link(s, ranking, Site.priorityRankingAdopt), csrf: req.csrfToken(),
                          fundedCount: funded.count, funded: Money.format(e.result.fundedCents, dutch: req.language == .nl),
                          credit: Money.format(ranking.creditCents, dutch: req.language == .nl))
    }

    func manage(req: Request) async throws -> View {
        let (s, ranking, actor) = try await managed(req)
        return try await req.view.render("Priorities/manage", managePage(req, s, ranking, actor))
    }

    func adopt(req: Request) async throws -> Response {
        let (s, ranking, actor) = try await managed(req)
        guard Self.mayManage(actor, s.id) else { throw AppError.forbidden }
        do {
            try await PriorityRankingService.adopt(ranking, snapshot: s, user: req.authUser, req: req)
            req.flash(req.t("priorities.adopt.done"))
            return req.redirect(to: PriorityRankingPages.link(s, ranking))
        } catch let failure as ValidationFailure {
            return try await req.render("Priorities/manage", managePage(req, s, ranking, actor, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: An area's main priority

    private func entryTarget(_ req: Request) async throws -> (MunicipalitySnapshot, PriorityRanking, Actor, MunicipalitySnapshot.AreaInfo) {
        let (s, ranking) = try await PriorityRankingPages.find(req)
        guard let area = s.area(slug: req.parameters.get("area") ?? "") else { throw AppError.notFound("priorities.unknown") }
        let actor = try await req.actor()
        guard Self.mayEnter(actor, s.id, area: area.id) else { throw AppError.forbidden }
        return (s, ranking, actor, area)
    }

    private func entryPage(_ req: Request, _ s: MunicipalitySnapshot, _ ranking: PriorityRanking, _ area: MunicipalitySnapshot.AreaInfo,
                           values v: [String: String], errors: [FieldError]) -> BudgetRoundAdminController.FormPage {
        let heading = req.t("priorities.entry.title", area.name)
        return BudgetRoundAdminController.FormPage(
            page: req.page(heading, municipality: s.name, crumbs: crumbs(req, s) + [(ranking.title, PriorityRankingPages.link(s, ranking))], errors: errors),
            heading: heading, intro: req.t("priorities.entry.intro"),
            form: FormView(action: Site.priorityRankingEntry.link(s.slug, String(ranking.number), area.slug), submitLabel: req.t("priorities.entry.submit"), fields: [
                FieldView(req, name: "titel", label: req.t("priorities.field.entryTitle"), value: v["titel"] ?? "", errors: errors),
                FieldView(req, name: "samenvatting", label: req.t("priorities.field.summary"), type: "textarea", value: v["samenvatting"] ?? "", errors: errors),
                FieldView(req, name: "kosten", label: req.t("priorities.field.cost"), value: v["kosten"] ?? "", description: req.t("priorities.field.costHelp"), errors: errors),
                FieldView(req, name: "eigen_bedrag", label: req.t("priorities.field.ownAmount"), value: v["eigen_bedrag"] ?? "", description: req.t("priorities.field.ownAmountHelp"), optional: true, errors: errors),
                FieldView(req, name: "eigen_tekst", label: req.t("priorities.field.ownText"), type: "textarea", value: v["eigen_tekst"] ?? "", description: req.t("priorities.field.ownTextHelp"), optional: true, errors: errors),
                FieldView(req, name: "haalbaar", label: req.t("priorities.field.feasible"), type: "radios", value: v["haalbaar"] ?? "",
                          options: [("", req.t("priorities.feasibleOption.open")), ("ja", req.t("priorities.feasibleOption.yes")), ("nee", req.t("priorities.feasibleOption.no"))], errors: errors),
                FieldView(req, name: "reden", label: req.t("priorities.field.reason"), type: "textarea", value: v["reden"] ?? "", description: req.t("priorities.field.reasonHelp"), optional: true, errors: errors),
                FieldView(req, name: "contact_naam", label: req.t("priorities.field.contactName"), value: v["contact_naam"] ?? "", description: req.t("priorities.field.contactHelp"), autocomplete: "off", errors: errors),
                FieldView(req, name: "contact_email", label: req.t("priorities.field.contactEmail"), type: "email", value: v["contact_email"] ?? "", autocomplete: "off", errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true))
    }

    func entryForm(req: Request) async throws -> Response {
        let (s, ranking, _, area) = try await entryTarget(req)
        guard ranking.adoptedAt == nil else { throw AppError(status: .conflict, key: "priorities.adopted") }
        var values: [String: String] = [:]
        if let e = try await PriorityEntry.query(on: req.db).filter(\.$ranking.$id == ranking.requireID()).filter(\.$area.$id == area.id).first() {
            values = ["titel": e.title, "samenvatting": e.summary, "kosten": Money.plain(e.costCents), "eigen_bedrag": e.ownCents > 0 ? Money.plain(e.ownCents) : "",
                      "eigen_tekst": e.ownText, "haalbaar": e.feasible.map { $0 ? "ja" : "nee" } ?? "", "reden": e.feasibilityReason ?? "",
                      "contact_naam": e.contactName, "contact_email": e.contactEmail]
        }
        return try await req.render("Initiatives/idea-form", entryPage(req, s, ranking, area, values: values, errors: []), status: .ok)
    }

    func saveEntry(req: Request) async throws -> Response {
        let (s, ranking, _, area) = try await entryTarget(req)
        let values = FormParts.read(req).values
        do {
            _ = try await PriorityRankingService.saveEntry(try PriorityRankingService.readEntry(values).get(), ranking: ranking, area: area.id, user: req.authUser, req: req)
            req.flash(req.t("priorities.entry.saved", area.name))
            return req.redirect(to: PriorityRankingPages.link(s, ranking, Site.priorityRankingManage))
        } catch let failure as ValidationFailure {
            return try await req.render("Initiatives/idea-form", entryPage(req, s, ranking, area, values: values, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: Scores

    private func scoreTarget(_ req: Request) async throws -> (MunicipalitySnapshot, PriorityRanking, Actor, PriorityEntry, [PriorityCriterion]) {
        let (s, ranking) = try await PriorityRankingPages.find(req)
        let actor = try await req.actor()
        guard Self.mayManage(actor, s.id) else { throw AppError.forbidden }
        guard let number = Int(req.parameters.get("entry") ?? ""),
              let entry = try await PriorityEntry.query(on: req.db).filter(\.$ranking.$id == ranking.requireID()).filter(\.$number == number).first() else {
            throw AppError.notFound("priorities.unknown")
        }
        let criteria = try await PriorityCriterion.query(on: req.db).filter(\.$ranking.$id == ranking.requireID()).sort(\.$position).all()
        return (s, ranking, actor, entry, criteria)
    }

    private func scoresPage(_ req: Request, _ s: MunicipalitySnapshot, _ ranking: PriorityRanking, _ entry: PriorityEntry, _ criteria: [PriorityCriterion],
                            values v: [String: String], errors: [FieldError]) -> BudgetRoundAdminController.FormPage {
        let area = s.areas.first { $0.id == entry.$area.id }?.name ?? ""
        let heading = req.t("priorities.scores.title", entry.title)
        let dutch = req.language == .nl
        var fields: [FieldView] = []
        for c in criteria where c.fullAtPercent == nil {
            fields.append(FieldView(req, name: "score_\(c.position)", label: req.t("priorities.scores.score", c.name, String(c.weight)), type: "select", value: v["score_\(c.position)"] ?? "",
                                    description: c.explanation.isEmpty ? nil : c.explanation,
                                    options: [("", req.t("priorities.notScored"))] + (0...c.maxScore).map { (String($0), String($0)) }, errors: errors))
            fields.append(FieldView(req, name: "toelichting_\(c.position)", label: req.t("priorities.scores.note", c.name), type: "textarea", value: v["toelichting_\(c.position)"] ?? "",
                                    optional: true, errors: errors))
        }
        return BudgetRoundAdminController.FormPage(
            page: req.page(heading, municipality: s.name, crumbs: crumbs(req, s) + [(ranking.title, PriorityRankingPages.link(s, ranking))], errors: errors),
            heading: heading,
            intro: req.t("priorities.scores.intro", area, Money.format(entry.costCents, dutch: dutch), Money.format(entry.ownCents, dutch: dutch)),
            form: FormView(action: Site.priorityRankingScores.link(s.slug, String(ranking.number), String(entry.number)), submitLabel: req.t("priorities.scores.submit"),
                           fields: fields, csrf: req.csrfToken(), showRequiredNote: false))
    }

    func scoresForm(req: Request) async throws -> Response {
        let (s, ranking, _, entry, criteria) = try await scoreTarget(req)
        guard ranking.adoptedAt == nil else { throw AppError(status: .conflict, key: "priorities.adopted") }
        var values: [String: String] = [:]
        for score in try await PriorityScore.query(on: req.db).filter(\.$entry.$id == entry.requireID()).all() {
            guard let c = criteria.first(where: { $0.id == score.$criterion.id }) else { continue }
            values["score_\(c.position)"] = String(score.score)
            values["toelichting_\(c.position)"] = score.note
        }
        return try await req.render("Initiatives/idea-form", scoresPage(req, s, ranking, entry, criteria, values: values, errors: []), status: .ok)
    }

    func saveScores(req: Request) async throws -> Response {
        let (s, ranking, _, entry, criteria) = try await scoreTarget(req)
        let values = FormParts.read(req).values
        do {
            try await PriorityRankingService.saveScores(try PriorityRankingService.readScores(values, criteria: criteria).get(), entry: entry, ranking: ranking, user: req.authUser, req: req)
            req.flash(req.t("priorities.scores.saved", entry.title))
            return req.redirect(to: PriorityRankingPages.link(s, ranking, Site.priorityRankingManage))
        } catch let failure as ValidationFailure {
            return try await req.render("Initiatives/idea-form", scoresPage(req, s, ranking, entry, criteria, values: values, errors: failure.errors), status: failure.status)
        }
    }
}
