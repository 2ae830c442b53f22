import Vapor
import Fluent
import Domain

/// Residents: ideas for the area, supporting one (confirmed by e-mail, no account), and turning an idea into an
/// initiative. The coordinator answers publicly (`IdeaWorkController`).
struct IdeasController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get(Site.ideas.route, use: list)
        open.get(Site.ideaNew.route, use: newForm)
        open.post(Site.ideaNew.route, use: post)
        open.get(Site.idea.route, use: show)
        open.post(Site.ideaSupport.route, use: support)
        open.get(Site.ideaSupportConfirm.route, use: confirm)
    }

    struct ListPage: Encodable {
        struct Row: Encodable { var title: String; var href: String; var area: String; var theme: String; var supports: Int; var status: String; var statusClass: String }
        struct AreaCount: Encodable { var area: String; var ideas: Int; var supports: Int }
        var page: PageMeta; var heading: String; var intro: String; var filters: [FieldView]; var rows: [Row]; var perArea: [AreaCount]; var newHref: String; var initiativesHref: String
    }

    func list(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let areaSlug = req.query[String.self, at: "gebied"] ?? ""
        let sort = req.query[String.self, at: "volgorde"] == "nieuw" ? "nieuw" : "steun"
        var query = Idea.query(on: req.db).filter(\.$municipality.$id == s.id)
        if let area = s.area(slug: areaSlug) { query = query.filter(\.$area.$id == area.id) }
        query = sort == "nieuw" ? query.sort(\.$createdAt, .descending) : query.sort(\.$supportCount, .descending).sort(\.$createdAt, .descending)
        let ideas = try await query.limit(200).all()
        let all = try await Idea.query(on: req.db).filter(\.$municipality.$id == s.id).all()
        let heading = req.t("idea.list.title", s.name)
        return try await req.view.render("Initiatives/ideas", ListPage(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug))]), heading: heading, intro: req.t("idea.list.intro"),
            filters: [
                FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: areaSlug,
                          options: [("", req.t("initiative.filter.allAreas"))] + s.areas.map { ($0.slug, $0.name) }),
                FieldView(req, name: "volgorde", label: req.t("idea.list.sort"), type: "select", value: sort,
                          options: [("steun", req.t("idea.list.sortSupport")), ("nieuw", req.t("idea.list.sortNew"))]),
            ],
            rows: ideas.map { i in .init(title: i.title, href: Site.idea.link(s.slug, i.code), area: s.areas.first { $0.id == i.$area.id }?.name ?? "",
                                         theme: req.t("initiative.theme." + i.theme), supports: i.supportCount, status: req.t("idea.status." + i.status.rawValue),
                                         statusClass: i.status == .open ? "neutral" : (i.status == .becameInitiative ? "success" : "error")) },
            perArea: s.areas.compactMap { area in
                let mine = all.filter { $0.$area.id == area.id }
                return mine.isEmpty ? nil : .init(area: area.name, ideas: mine.count, supports: mine.reduce(0) { $0 + $1.supportCount })
            },
            newHref: Site.ideaNew.link(s.slug) + (s.area(slug: areaSlug).map { "?gebied=" + $0.slug } ?? ""), initiativesHref: Site.initiatives.link(s.slug)))
    }

    struct FormPage: Encodable { var page: PageMeta; var heading: String; var intro: String; var form: FormView }

    private func formPage(_ req: Request, _ s: MunicipalitySnapshot, values: [String: String], errors: [FieldError]) -> FormPage {
        let heading = req.t("idea.new.title")
        return FormPage(page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("idea.list.short"), Site.ideas.link(s.slug))], errors: errors),
                        heading: heading, intro: req.t("idea.new.intro"),
                        form: FormView(action: Site.ideaNew.link(s.slug), submitLabel: req.t("idea.new.submit"), fields: [
                            FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: values["gebied"] ?? "",
                                      options: [("", req.t("initiative.field.areaChoose"))] + s.areas.map { ($0.slug, $0.name) }, errors: errors),
                        ] + Self.ideaFields(req, values: values, errors: errors, textHelp: "initiative.field.summaryHelp", emailHelp: "idea.field.emailHelp"),
                        csrf: req.csrfToken(), showRequiredNote: true))
    }

    /// The questions of an idea (what `IdeaService.read` reads), for this form and a budget round's idea form.
    static func ideaFields(_ req: Request, values: [String: String], errors: [FieldError], textHelp: String, emailHelp: String) -> [FieldView] {
        [
            FieldView(req, name: "titel", label: req.t("idea.field.title"), value: values["titel"] ?? "", errors: errors),
            FieldView(req, name: "tekst", label: req.t("idea.field.text"), type: "textarea", value: values["tekst"] ?? "", description: req.t(textHelp), errors: errors),
            FieldView(req, name: "thema", label: req.t("initiative.field.theme"), type: "select", value: values["thema"] ?? "",
                      options: [("", req.t("initiative.field.themeChoose"))] + InitiativeTheme.allCases.map { ($0.rawValue, req.t("initiative.theme." + $0.rawValue)) }, errors: errors),
            FieldView(req, name: "naam", label: req.t("initiative.field.name"), value: values["naam"] ?? "", autocomplete: "name", errors: errors),
            FieldView(req, name: "email", label: req.t("initiative.field.email"), type: "email", value: values["email"] ?? "", description: req.t(emailHelp),
                      autocomplete: "email", errors: errors),
            ReachCounter.field(req, value: values[ReachCounter.fieldName]),
        ]
    }

    func newForm(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        return try await req.view.render("Initiatives/idea-form", formPage(req, s, values: ["gebied": s.area(slug: req.query[String.self, at: "gebied"] ?? "")?.slug ?? ""], errors: []))
    }

    func post(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let values = FormParts.read(req).values
        switch IdeaService.read(values, snapshot: s) {
        case .failure(let failure):
            return try await req.render("Initiatives/idea-form", formPage(req, s, values: values, errors: failure.errors), status: failure.status)
        case .success(let posting):
            let idea = try await IdeaService.post(posting, municipalityID: s.id, req: req)
            await ReachCounter.count(values[ReachCounter.fieldName], area: idea.$area.id, channel: "ideas", at: idea.createdAt, on: req.db)
            req.flash(req.t("idea.posted.flash"))
            return req.redirect(to: Site.idea.link(s.slug, idea.code))
        }
    }

    static func find(_ req: Request, _ s: MunicipalitySnapshot) async throws -> Idea {
        let code = (req.parameters.get("code") ?? "").uppercased()
        guard IdeaRules.isWellFormed(code), let idea = try await Idea.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$code == code).first() else {
            throw AppError.notFound("idea.unknown")
        }
        return idea
    }

    struct IdeaPage: Encodable {
        var page: PageMeta; var title: String; var code: String; var area: String; var areaHref: String; var theme: String; var text: String; var posted: String
        var supports: Int; var status: String; var answer: String?; var answeredOn: String?; var initiativeHref: String?; var initiativeTitle: String?
        var supportForm: FormView?; var makeInitiativeHref: String?; var listHref: String
        var outsidePlan: CycleReferences.Reference?; var spearheads: [CycleReferences.Reference]
        var budgetRound: CycleReferences.Reference?
    }

    private func ideaPage(_ req: Request, _ s: MunicipalitySnapshot, _ idea: Idea, values: [String: String], errors: [FieldError], status: String?) async throws -> IdeaPage {
        var initiative: Initiative? = nil
        if let id = idea.initiativeID { initiative = try await Initiative.find(id, on: req.db) }
        let area = s.areas.first { $0.id == idea.$area.id }
        return IdeaPage(
            page: req.page(idea.title, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("idea.list.short"), Site.ideas.link(s.slug))], errors: errors, status: status),
            title: idea.title, code: idea.code, area: area?.name ?? "", areaHref: area.map { Site.area.link(s.slug, $0.slug) } ?? Paths.municipality(s.slug),
            theme: req.t("initiative.theme." + idea.theme), text: PersonalData.masked(idea.text), posted: Format.day(idea.createdAt, req.language),
            supports: idea.supportCount, status: req.t("idea.status." + idea.status.rawValue), answer: idea.answer.map { PersonalData.masked($0) },
            answeredOn: idea.answeredAt.map { Format.day($0, req.language) },
            initiativeHref: initiative.flatMap { $0.status.isPublic ? Site.initiative.link(s.slug, $0.code) : nil }, initiativeTitle: initiative?.title,
            supportForm: idea.status.acceptsSupport ? FormView(action: Site.ideaSupport.link(s.slug, idea.code), submitLabel: req.t("idea.support.submit"), fields: [
                FieldView(req, name: "email", label: req.t("initiative.field.email"), type: "email", value: values["email"] ?? "", description: req.t("idea.support.emailHelp"),
                          autocomplete: "email", errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: false) : nil,
            makeInitiativeHref: idea.status == .open ? Site.initiativeNew.link(s.slug) + "?idee=" + idea.code : nil, listHref: Site.ideas.link(s.slug),
            outsidePlan: try await CycleReferences.planReference(req, s, productID: idea.outsidePlanID),
            spearheads: try await CycleReferences.spearheads(req, s, kind: .idea, target: idea.requireID()),
            budgetRound: try await roundReference(req, s, idea))
    }

    /// The buurtbegroting round this idea takes part in, as project number N.
    private func roundReference(_ req: Request, _ s: MunicipalitySnapshot, _ idea: Idea) async throws -> CycleReferences.Reference? {
        guard let project = try await BudgetRoundProject.query(on: req.db).filter(\.$ideaID == idea.requireID()).first(),
              let round = try await BudgetRound.find(project.$round.id, on: req.db) else { return nil }
        return .init(text: req.t("idea.inBudgetRound", round.title, String(project.number)), href: BudgetRoundPages.link(s, round) + "#project-\(project.number)")
    }

    func show(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let idea = try await Self.find(req, s)
        return try await req.view.render("Initiatives/idea", ideaPage(req, s, idea, values: [:], errors: [], status: req.takeFlash()))
    }

    func support(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let idea = try await Self.find(req, s)
        let values = FormParts.read(req).values
        var errors: [FieldError] = []
        let email = Credentials.normaliseEmail(values["email"] ?? "", field: "email").collect(into: &errors)
        do {
            guard errors.isEmpty, let email else { throw ValidationFailure(errors) }
            try await IdeaService.requestSupport(idea, email: email, municipalitySlug: s.slug, req: req)
            req.flash(req.t("idea.support.mailed"))
            return req.redirect(to: Site.idea.link(s.slug, idea.code))
        } catch let failure as ValidationFailure {
            return try await req.render("Initiatives/idea", ideaPage(req, s, idea, values: values, errors: failure.errors, status: nil), status: failure.status)
        }
    }

    func confirm(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let idea = try await Self.find(req, s)
        let outcome = try await IdeaService.confirm(idea, token: req.parameters.get("token") ?? "", req: req)
        let fresh = try await Idea.find(idea.id, on: req.db) ?? idea
        let key: String
        switch outcome {
        case .counted: key = "idea.support.counted"
        case .already: key = "idea.support.already"
        case .expired: key = "idea.support.expired"
        case .unknown: key = "idea.support.unknownLink"
        }
        let status: HTTPResponseStatus = outcome == .expired ? .gone : (outcome == .unknown ? .notFound : .ok)
        return try await req.render("Initiatives/idea", ideaPage(req, s, fresh, values: [:], errors: outcome == .counted || outcome == .already ? [] : [FieldError("email", key)],
                                                                status: outcome == .counted || outcome == .already ? req.t(key) : nil), status: status)
    }
}
