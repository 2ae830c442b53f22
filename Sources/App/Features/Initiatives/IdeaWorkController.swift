import Vapor
import Fluent
import Domain

/// Staff: the ideas of the areas a coordinator coordinates, with the public answer (and closing an idea with it).
struct IdeaWorkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let coordinate = routes.access(.action(.coordinateArea))
        coordinate.get(Site.ideaWork.route, use: list)
        coordinate.get(Site.ideaWorkItem.route, use: show)
        coordinate.post(Site.ideaWorkItem.route, use: answer)
    }

    struct ListPage: Encodable {
        struct Row: Encodable { var code: String; var href: String; var title: String; var area: String; var supports: Int; var status: String; var answered: Bool }
        var page: PageMeta; var heading: String; var rows: [Row]
    }

    func list(req: Request) async throws -> View {
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let areas = s.areas.filter { Permissions.allows(actor, .coordinateArea(municipality: s.id, area: $0.id)) }.map(\.id)
        let ideas = try await Idea.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$area.$id ~~ areas)
            .sort(\.$answeredAt).sort(\.$supportCount, .descending).limit(500).all()
        let heading = req.t("idea.work.title")
        return try await req.view.render("Initiatives/idea-work-list", ListPage(
            page: req.page(heading, municipality: s.name, status: req.takeFlash()), heading: heading,
            rows: ideas.map { i in .init(code: i.code, href: Site.ideaWorkItem.link(i.id!.uuidString), title: i.title, area: s.areas.first { $0.id == i.$area.id }?.name ?? "",
                                         supports: i.supportCount, status: req.t("idea.status." + i.status.rawValue), answered: i.answer != nil) }))
    }

    struct ItemPage: Encodable {
        var page: PageMeta; var title: String; var text: String; var area: String; var supports: Int; var status: String
        var poster: String; var posterEmail: String; var answer: String?; var publicHref: String; var form: FormView?; var back: String
    }

    private func load(_ req: Request) async throws -> (Idea, MunicipalitySnapshot) {
        let actor = try await req.actor()
        guard let id = req.parameters.get("id", as: UUID.self), let idea = try await Idea.find(id, on: req.db) else { throw AppError.notFound("idea.unknown") }
        guard Permissions.allows(actor, .coordinateArea(municipality: idea.$municipality.id, area: idea.$area.id)) else { throw AppError.forbidden }
        let m = try await Municipality.find(idea.$municipality.id, on: req.db)!
        return (idea, try await req.areas.snapshot(for: m, on: req.db))
    }

    private func page(_ req: Request, _ idea: Idea, _ s: MunicipalitySnapshot, values: [String: String], errors: [FieldError]) async throws -> ItemPage {
        var fields = [
            FieldView(req, name: "antwoord", label: req.t("idea.work.answer"), type: "textarea", value: values["antwoord"] ?? idea.answer ?? "",
                      description: req.t("idea.work.answerHelp"), errors: errors),
            FieldView(req, name: "sluiten", label: req.t("idea.work.close"), type: "checkbox", value: values["sluiten"] ?? "", description: req.t("idea.work.closeHelp"), errors: errors),
        ]
        // "No, with reasons" (seed 001): point to the area's adopted plan.
        if let plan = try await CycleReferences.adoptedPlan(area: idea.$area.id, on: req.db) {
            fields.append(FieldView(req, name: "buitenplan", label: req.t("idea.work.outsidePlan"), type: "checkbox", value: values["buitenplan"] ?? (idea.outsidePlanID != nil ? "ja" : ""),
                                    description: req.t("idea.work.outsidePlanHelp", plan.title), errors: errors))
        }
        return ItemPage(page: req.page(idea.title, municipality: s.name, crumbs: [(req.t("idea.work.title"), Site.ideaWork.link())], errors: errors, status: req.takeFlash()),
                 title: idea.title, text: idea.text, area: s.areas.first { $0.id == idea.$area.id }?.name ?? "", supports: idea.supportCount,
                 status: req.t("idea.status." + idea.status.rawValue), poster: idea.posterName, posterEmail: idea.posterEmail, answer: idea.answer,
                 publicHref: Site.idea.link(s.slug, idea.code),
                 form: idea.status == .closed ? nil : FormView(action: Site.ideaWorkItem.link(idea.id!.uuidString), submitLabel: req.t("idea.work.answerSubmit"), fields: fields,
                                                              csrf: req.csrfToken(), showRequiredNote: false),
                 back: Site.ideaWork.link())
    }

    func show(req: Request) async throws -> View {
        let (idea, s) = try await load(req)
        return try await req.view.render("Initiatives/idea-work", try await page(req, idea, s, values: [:], errors: []))
    }

    func answer(req: Request) async throws -> Response {
        let (idea, s) = try await load(req)
        let values = FormParts.read(req).values
        var errors: [FieldError] = []
        let text = Input.text(values["antwoord"], field: "antwoord", max: 4000).collect(into: &errors)
        if idea.status == .closed { errors.append(FieldError("antwoord", "idea.notOpen")) }
        guard errors.isEmpty, let text else {
            return try await req.render("Initiatives/idea-work", try await page(req, idea, s, values: values, errors: errors), status: .unprocessableEntity)
        }
        let plan = values["buitenplan"] == "ja" ? try await CycleReferences.adoptedPlan(area: idea.$area.id, on: req.db)?.id : nil
        try await IdeaService.answer(idea, text: text, close: values["sluiten"] == "ja", outsidePlan: plan, req: req)
        req.flash(req.t("idea.work.answered"))
        return req.redirect(to: Site.ideaWorkItem.link(idea.id!.uuidString))
    }
}
