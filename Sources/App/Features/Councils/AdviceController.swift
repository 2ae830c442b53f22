import Vapor
import Fluent
import Domain

/// The public register of advice per municipality: question, advice, answer, dates and status.
struct AdviceController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.public).get(Site.adviceRegister.route, use: register)
    }

    struct RegisterPage: Encodable {
        struct Row: Encodable {
            var council: String
            var kind: String
            var subject: String
            var question: String?
            var asked: String?
            var advice: String?
            var given: String?
            var due: String?
            var answer: String?
            var answered: String?
            var status: String
            var statusClass: String
            var href: String? = nil
        }
        var page: PageMeta
        var heading: String
        var rows: [Row]
        var overdue: Int
        var demo: Bool
        var requestHref: String?
    }

    static func day(_ date: Date?, _ language: Language) -> String? { date.map { Format.day($0, language) } }

    /// One advice as the register and its own page show it.
    static func row(_ advice: CouncilAdvice, council: String, municipalitySlug: String, termDays: Int, req: Request) -> RegisterPage.Row {
        let lang = req.language
        let status = CouncilRules.status(of: advice.rule, now: req.application.clock(), termDays: termDays)
        return RegisterPage.Row(
            council: council, kind: req.t("advice.kind.\(advice.kind.rawValue)"), subject: advice.subject, question: advice.question,
            asked: day(advice.askedOn, lang), advice: advice.advice, given: day(advice.givenOn, lang),
            due: advice.givenOn.flatMap { day(CouncilRules.answerDue(givenOn: $0, termDays: termDays), lang) }, answer: advice.answer,
            answered: day(advice.answeredOn, lang), status: req.t("advice.status.\(status.rawValue)"),
            statusClass: status == .answerOverdue ? "danger" : (status == .answered ? "success" : "neutral"),
            href: "\(Paths.municipality(municipalitySlug))/adviezen/\(advice.id!)")
    }

    func register(req: Request) async throws -> View {
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        var councils = try await Council.query(on: req.db).filter(\.$municipality.$id == m.requireID()).all()
        // The register of one area (?gebied=ruwaard) or of the whole municipality.
        var areaName: String? = nil
        if let slug = req.query[String.self, at: "gebied"], !slug.isEmpty {
            guard let area = try await req.areas.snapshot(for: m, on: req.db).area(slug: slug) else { throw AppError.notFound("area.notFound") }
            councils = councils.filter { $0.$area.id == area.id }
            areaName = area.name
        }
        let names = Dictionary(uniqueKeysWithValues: councils.compactMap { c in c.id.map { ($0, c.name) } })
        let list = names.isEmpty ? [] : try await CouncilAdvice.query(on: req.db).filter(\.$council.$id ~~ Array(names.keys)).all()
        let now = req.application.clock()
        let termDays = try await CouncilSettings.load(try m.requireID(), on: req.db).answerDays
        let statuses = list.map { CouncilRules.status(of: $0.rule, now: now, termDays: termDays) }
        let rows = zip(list, statuses).sorted { ($0.1 == .answerOverdue ? 0 : 1, names[$0.0.$council.id] ?? "") < ($1.1 == .answerOverdue ? 0 : 1, names[$1.0.$council.id] ?? "") }.map { advice, _ in
            Self.row(advice, council: names[advice.$council.id] ?? "", municipalitySlug: m.slug, termDays: termDays, req: req)
        }
        var requestHref: String? = nil
        if req.authUser != nil, try await AdviceRequestController.choices(try await req.actor(), municipality: try m.requireID(), on: req.db) != nil {
            requestHref = Site.adviceNew.link(m.slug)
        }
        let heading = areaName.map { req.t("advice.registerTitleArea", $0) } ?? req.t("advice.registerTitle", m.name)
        return try await req.view.render("Councils/advice", RegisterPage(
            page: req.page(heading, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug))]),
            heading: heading, rows: rows, overdue: statuses.filter { $0 == .answerOverdue }.count, demo: councils.contains { $0.demo }, requestHref: requestHref))
    }
}

/// Recording a council's advice and the college's answer, each by the role that may do so.
struct AdviceActionsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.public).get(Site.advice.route, use: show)
        // Recording the council's advice or the college's answer: which one depends on the advice's state.
        routes.access(.anyOf([.giveAdvice, .answerAdvice])).post(Site.advice.route, use: save)
    }

    struct Page: Encodable {
        var page: PageMeta
        var heading: String
        var row: AdviceController.RegisterPage.Row
        var form: FormView?
        var back: String
        var wantedBy: String?
        var escalatedTo: String?
        var decision: String?
        var sideBySide: SideBySide?
    }

    /// A council's and theme groups' advice on the same question, with the weight each gets.
    struct SideBySide: Encodable {
        struct Column: Encodable { var who: String; var text: String; var weight: String }
        var columns: [Column]
        var differ: Bool
    }

    private func load(_ req: Request) async throws -> (Municipality, CouncilAdvice, Council) {
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        guard let id = req.parameters.get("advice", as: UUID.self), let advice = try await CouncilAdvice.find(id, on: req.db) else { throw AppError.notFound("advice.notFound") }
        let council = try await advice.$council.get(on: req.db)
        guard council.$municipality.id == m.id else { throw AppError.notFound("advice.notFound") }
        return (m, advice, council)
    }

    /// Which form this user gets: the advice while none is given, the answer once it is.
    private func step(_ advice: CouncilAdvice, _ council: Council, _ m: Municipality, _ req: Request) async throws -> String? {
        guard req.authUser != nil else { return nil }
        let actor = try await req.actor()
        let mid = try m.requireID(), area = council.$area.id
        if advice.givenOn == nil { return Permissions.allows(actor, .giveAdvice(municipality: mid, area: area)) ? "advies" : nil }
        if advice.answeredOn == nil { return Permissions.allows(actor, .answerAdvice(municipality: mid, area: area)) ? "antwoord" : nil }
        return nil
    }

    private func page(_ req: Request, _ m: Municipality, _ advice: CouncilAdvice, _ council: Council, step: String?, values: [String: String], errors: [FieldError]) async throws -> Page {
        let now = req.application.clock()
        let termDays = try await CouncilSettings.load(try m.requireID(), on: req.db).answerDays
        let row = AdviceController.row(advice, council: council.name, municipalitySlug: m.slug, termDays: termDays, req: req)
        let escalations = try await AdviceEscalation.query(on: req.db).filter(\.$advice.$id == advice.requireID()).sort(\.$level).all()
        let decision = advice.decisionID == nil ? nil : try await CouncilDecision.find(advice.decisionID, on: req.db)
        var form: FormView? = nil
        if let step {
            form = FormView(action: "\(Paths.municipality(m.slug))/adviezen/\(advice.id!)", submitLabel: req.t("advice.save.\(step)"), fields: [
                FieldView(req, name: "tekst", label: req.t("advice.field.\(step)"), type: "textarea", value: values["tekst"] ?? "", errors: errors),
                FieldView(req, name: "datum", label: req.t("advice.field.date.\(step)"), type: "date", value: values["datum"] ?? Format.isoDay(now),
                          description: req.t("audit.dateHelp"), errors: errors),
                FieldView(req, name: "stap", label: "", type: "hidden", value: step),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        return Page(page: req.page(advice.subject, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug)),
                                                           (req.t("advice.registerTitle", m.name), Site.adviceRegister.link(m.slug))],
                                   errors: errors, status: req.takeFlash()),
                    heading: advice.subject, row: row, form: form, back: Site.adviceRegister.link(m.slug),
                    wantedBy: advice.wantedBy.map { req.t("advice.wantedBy", Format.day($0, req.language)) },
                    escalatedTo: escalations.isEmpty ? nil : req.t("advice.escalatedTo", escalations.map { req.t("role." + $0.role.rawValue) }.joined(separator: ", ")),
                    decision: decision?.number, sideBySide: try await sideBySide(req, m, advice, council))
    }

    private func sideBySide(_ req: Request, _ m: Municipality, _ advice: CouncilAdvice, _ council: Council) async throws -> SideBySide? {
        let groups = try await ThemeGroupAdvice.query(on: req.db).filter(\.$request.$id == advice.requireID()).with(\.$group).all()
        guard !groups.isEmpty else { return nil }
        let settings = try await CouncilSettings.load(try m.requireID(), on: req.db)
        let shares = ThemeGroups.shares(councilWeight: settings.councilWeight, themeGroupWeight: settings.themeGroupWeight)
        var columns = [SideBySide.Column(who: council.name, text: advice.advice ?? req.t("advice.notYetGiven"), weight: req.t("themeGroup.weight", String(shares.council)))]
        columns += groups.map { .init(who: req.t("themeGroup.named", $0.group.topic), text: $0.text, weight: req.t("themeGroup.weight", String(shares.themeGroup))) }
        return SideBySide(columns: columns, differ: advice.advice.map { given in groups.contains { ThemeGroups.differ(given, $0.text) } } ?? false)
    }

    func show(req: Request) async throws -> View {
        let (m, advice, council) = try await load(req)
        return try await req.view.render("Councils/advice-item", try await page(req, m, advice, council, step: try await step(advice, council, m, req), values: [:], errors: []))
    }

    func save(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let (m, advice, council) = try await load(req)
        let values = FormParts.read(req).values
        guard let step = try await step(advice, council, m, req), step == values["stap"] else { throw AppError.forbidden }
        do {
            var errors: [FieldError] = []
            let text = Input.text(values["tekst"], field: "tekst", max: 4000).collect(into: &errors)
            let date = Input.day(values["datum"], field: "datum", errors: &errors)
            if values["datum"]?.isEmpty ?? true { errors.append(FieldError("datum", "mixingPanel.date.missing")) }
            if let date, date > req.application.clock() { errors.append(FieldError("datum", "advice.date.future")) }
            var candidate = advice.rule
            if step == "advies" { candidate.givenOn = date } else { candidate.answeredOn = date }
            if date != nil {
                for problem in CouncilRules.validate(candidate) { errors.append(FieldError("datum", "advice.problem.\(problem.rawValue)")) }
            }
            guard errors.isEmpty, let text, let date else { throw ValidationFailure(errors) }
            let before = ["advice": advice.advice ?? "", "answer": advice.answer ?? ""]
            if step == "advies" { advice.advice = text; advice.givenOn = date } else { advice.answer = text; advice.answeredOn = date }
            try await req.db.writeTransaction { db in
                try await advice.update(on: db)
                try await AuditLog.record(on: db, by: user, action: step == "advies" ? .adviceGive : .adviceAnswer,
                                          subject: .init(id: advice.id?.uuidString, summary: "\(council.name): \(advice.subject)", municipalityID: m.id),
                                          before: before, after: ["advice": advice.advice ?? "", "answer": advice.answer ?? ""], requestID: req.id, at: req.application.clock())
            }
            req.flash(req.t("advice.saved.\(step)"))
            return req.redirect(to: "\(Paths.municipality(m.slug))/adviezen/\(advice.id!)")
        } catch let failure as ValidationFailure {
            return try await req.render("Councils/advice-item", try await page(req, m, advice, council, step: step, values: values, errors: failure.errors), status: failure.status)
        }
    }
}
