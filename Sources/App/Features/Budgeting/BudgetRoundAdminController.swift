import Vapor
import Fluent
import Domain

/// Staff: setting up a round (coordinator of the area or budget managers), the feasibility check (also the
/// departments), voting codes with letters and the mailing house's file, paper ballots, and closing the round.
struct BudgetRoundAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let manage = routes.access(.anyOf([.coordinateArea, .manageBudgets]))
        manage.get(Site.budgetRoundNew.route, use: newForm)
        manage.post(Site.budgetRoundNew.route, use: create)
        manage.post(Site.budgetRoundSettings.route, use: settings)
        manage.post(Site.budgetRoundCodes.route, use: issueCodes)
        manage.get(Site.budgetRoundBatch.route, use: letters)
        manage.get(Site.budgetRoundBatchCSV.route, use: codesCSV)
        manage.post(Site.budgetRoundBatchSent.route, use: markSent)
        manage.post(Site.budgetRoundPaper.route, use: paper)
        manage.post(Site.budgetRoundClose.route, use: close)
        manage.get(Site.budgetRoundNewCheques.route, use: newChequesForm)
        manage.post(Site.budgetRoundNewCheques.route, use: createCheques)
        manage.post(Site.budgetRoundChequeInitiative.route, use: addChequeInitiative)
        let budgets = routes.access(.action(.manageBudgets))
        budgets.get(Site.budgetRoundSeriesNew.route, use: newSeriesForm)
        budgets.post(Site.budgetRoundSeriesNew.route, use: createSeries)
        let assess = routes.access(.anyOf([.coordinateArea, .manageBudgets, .handleDepartmentWork]))
        assess.get(Site.budgetRoundManage.route, use: overview)
        assess.get(Site.budgetRoundAssess.route, use: assessForm)
        assess.post(Site.budgetRoundAssess.route, use: assessProject)
    }

    static func mayManage(_ actor: Actor, _ round: BudgetRound) -> Bool {
        Permissions.allows(actor, .manageBudgets(municipality: round.$municipality.id))
            || Permissions.allows(actor, .coordinateArea(municipality: round.$municipality.id, area: round.$area.id))
    }

    /// Departments give the cost and feasibility of the ideas (their own assessment of work in their field).
    static func mayAssess(_ actor: Actor, _ round: BudgetRound) -> Bool {
        mayManage(actor, round) || (actor.departmentID.map { Permissions.allows(actor, .handleDepartmentWork(municipality: round.$municipality.id, department: $0)) } ?? false)
    }

    private func managed(_ req: Request, assess: Bool = false) async throws -> (MunicipalitySnapshot, BudgetRound, Actor) {
        let (s, round) = try await BudgetRoundPages.find(req)
        let actor = try await req.actor()
        guard assess ? Self.mayAssess(actor, round) : Self.mayManage(actor, round) else { throw AppError.forbidden }
        return (s, round, actor)
    }

    // MARK: A new round

    struct FormPage: Encodable { var page: PageMeta; var heading: String; var intro: String; var form: FormView }

    static func settingsFields(_ req: Request, _ s: MunicipalitySnapshot, areas: [MunicipalitySnapshot.AreaInfo], budgets: [AreaBudget], values v: [String: String],
                               errors: [FieldError], withArea: Bool) -> [FieldView] {
        var fields: [FieldView] = []
        if withArea {
            fields.append(FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: v["gebied"] ?? "",
                                    options: [("", req.t("initiative.field.areaChoose"))] + areas.map { ($0.slug, $0.name) }, errors: errors))
        }
        fields += [
            FieldView(req, name: "titel", label: req.t("budgetRound.field.title"), value: v["titel"] ?? "", errors: errors),
            FieldView(req, name: "tekst", label: req.t("budgetRound.field.text"), type: "textarea", value: v["tekst"] ?? "", description: req.t("budgetRound.field.textHelp"), errors: errors),
            FieldView(req, name: "budget", label: req.t("budgetRound.field.budget"), type: "select", value: v["budget"] ?? "", description: req.t("budgetRound.field.budgetHelp"),
                      options: budgetOptions(req, s, budgets), errors: errors),
            FieldView(req, name: "bedrag", label: req.t("budgetRound.field.amount"), value: v["bedrag"] ?? "", description: req.t("budgetRound.field.amountHelp"), errors: errors),
            FieldView(req, name: "ideeen_van", label: req.t("budgetRound.field.ideasFrom"), type: "date", value: v["ideeen_van"] ?? "", errors: errors),
            FieldView(req, name: "ideeen_tot", label: req.t("budgetRound.field.ideasUntil"), type: "date", value: v["ideeen_tot"] ?? "", errors: errors),
            FieldView(req, name: "haalbaarheid_tot", label: req.t("budgetRound.field.feasibilityUntil"), type: "date", value: v["haalbaarheid_tot"] ?? "", errors: errors),
            FieldView(req, name: "stemmen_van", label: req.t("budgetRound.field.votingFrom"), type: "date", value: v["stemmen_van"] ?? "", errors: errors),
            FieldView(req, name: "stemmen_tot", label: req.t("budgetRound.field.votingUntil"), type: "date", value: v["stemmen_tot"] ?? "", errors: errors),
            FieldView(req, name: "stemregel", label: req.t("budgetRound.field.rule"), type: "radios", value: v["stemregel"] ?? "",
                      options: [("budget", req.t("budgetRound.field.ruleBudget")), ("count", req.t("budgetRound.field.ruleCount"))], errors: errors),
            FieldView(req, name: "minimum_procent", label: req.t("budgetRound.field.minimumPercent"), value: v["minimum_procent"] ?? "",
                      description: req.t("budgetRound.field.minimumPercentHelp"), optional: true, errors: errors),
            FieldView(req, name: "minimum_projecten", label: req.t("budgetRound.field.minimumProjects"), value: v["minimum_projecten"] ?? "",
                      description: req.t("budgetRound.field.countHelp"), optional: true, errors: errors),
            FieldView(req, name: "maximum_projecten", label: req.t("budgetRound.field.maximumProjects"), value: v["maximum_projecten"] ?? "", optional: true, errors: errors),
            FieldView(req, name: "beslisregel", label: req.t("budgetRound.field.deciding"), type: "radios", value: v["beslisregel"] ?? "",
                      options: BudgetRoundService.decidingRules.map { ($0.rawValue, req.t("budgetRound.deciding." + $0.rawValue)) }, errors: errors),
            FieldView(req, name: "minimumleeftijd", label: req.t("budgetRound.field.minimumAge"), value: v["minimumleeftijd"] ?? "16", errors: errors),
            FieldView(req, name: "tussenstand", label: req.t("budgetRound.field.showCounts"), type: "checkbox", value: v["tussenstand"] ?? "", errors: errors),
        ]
        return fields
    }

    /// The area budgets to choose from, each with its area, year and what is still available.
    static func budgetOptions(_ req: Request, _ s: MunicipalitySnapshot, _ budgets: [AreaBudget]) -> [(value: String, label: String)] {
        [("", req.t("budgetRound.field.budgetChoose"))] + budgets.map { b in
            (b.id!.uuidString, "\(b.name) (\(s.areas.first { $0.id == b.$area.id }?.name ?? ""), \(b.year)) – "
                + req.t("budgetRound.available", Money.format(b.availableCents, dutch: req.language == .nl)))
        }
    }

    /// The areas this person may set up a round for, and those areas' budgets.
    private func choices(_ req: Request, _ s: MunicipalitySnapshot, _ actor: Actor) async throws -> ([MunicipalitySnapshot.AreaInfo], [AreaBudget]) {
        let areas = s.areas.filter { Permissions.allows(actor, .manageBudgets(municipality: s.id)) || Permissions.allows(actor, .coordinateArea(municipality: s.id, area: $0.id)) }
        let ids = Set(areas.map(\.id))
        let budgets = try await AreaBudget.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$year, .descending).sort(\.$name).all().filter { ids.contains($0.$area.id) }
        return (areas, budgets)
    }

    private func newPage(_ req: Request, _ s: MunicipalitySnapshot, _ actor: Actor, values: [String: String], errors: [FieldError]) async throws -> FormPage {
        let (areas, budgets) = try await choices(req, s, actor)
        let heading = req.t("budgetRound.new.title")
        return FormPage(page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("budgetRound.list.short"), Site.budgetRounds.link(s.slug))], errors: errors),
                        heading: heading, intro: req.t("budgetRound.new.intro"),
                        form: FormView(action: Site.budgetRoundNew.link(s.slug), submitLabel: req.t("budgetRound.new.submit"),
                                       fields: Self.settingsFields(req, s, areas: areas, budgets: budgets, values: values, errors: errors, withArea: true),
                                       csrf: req.csrfToken(), showRequiredNote: true))
    }

    func newForm(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let actor = try await req.actor()
        guard actor.municipalityID == s.id || actor.role == .admin else { throw AppError.forbidden }
        return try await req.view.render("Initiatives/idea-form", newPage(req, s, actor, values: ["minimumleeftijd": "16"], errors: []))
    }

    func create(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let actor = try await req.actor()
        let values = FormParts.read(req).values
        let (areas, budgets) = try await choices(req, s, actor)
        do {
            guard let area = areas.first(where: { $0.slug == values["gebied"] }) else { throw ValidationFailure([FieldError("gebied", "initiative.areaMissing")]) }
            let settings = try BudgetRoundService.readSettings(values, budgets: budgets.filter { $0.$area.id == area.id }).get()
            let round = try await BudgetRoundService.create(settings, municipalityID: s.id, areaID: area.id, req: req)
            req.flash(req.t("budgetRound.new.created"))
            return req.redirect(to: BudgetRoundPages.link(s, round, Site.budgetRoundManage))
        } catch let failure as ValidationFailure {
            return try await req.render("Initiatives/idea-form", newPage(req, s, actor, values: values, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: A round for the whole municipality, one pot per area

    private func seriesPage(_ req: Request, _ s: MunicipalitySnapshot, values v: [String: String], errors: [FieldError]) async throws -> PriorityRankingController.GroupedFormPage {
        let budgets = try await AreaBudget.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$year, .descending).sort(\.$name).all()
        let heading = req.t("budgetRound.series.new.title")
        let shared = Self.settingsFields(req, s, areas: [], budgets: [], values: v, errors: errors, withArea: false).filter { !["budget", "bedrag"].contains($0.name) }
        let groups = s.areas.map { area in
            PriorityRankingController.Group(legend: area.name, fields: [
                FieldView(req, name: "budget_\(area.slug)", label: req.t("budgetRound.series.field.budget", area.name), type: "select", value: v["budget_\(area.slug)"] ?? "",
                          optional: true,
                          options: [("", req.t("budgetRound.series.field.notTakingPart"))] + Array(Self.budgetOptions(req, s, budgets.filter { $0.$area.id == area.id }).dropFirst()),
                          errors: errors),
                FieldView(req, name: "bedrag_\(area.slug)", label: req.t("budgetRound.series.field.amount", area.name), value: v["bedrag_\(area.slug)"] ?? "", optional: true, errors: errors),
            ])
        }
        return PriorityRankingController.GroupedFormPage(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("budgetRound.list.short"), Site.budgetRounds.link(s.slug))], errors: errors),
            heading: heading, intro: req.t("budgetRound.series.new.intro"), action: Site.budgetRoundSeriesNew.link(s.slug), csrf: req.csrfToken(), fields: shared,
            groupsTitle: req.t("budgetRound.series.new.areasTitle"), groupsIntro: req.t("budgetRound.series.new.areasIntro"), groups: groups,
            submit: req.t("budgetRound.series.new.submit"))
    }

    private func budgetManager(_ req: Request) async throws -> MunicipalitySnapshot {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        guard Permissions.allows(try await req.actor(), .manageBudgets(municipality: s.id)) else { throw AppError.forbidden }
        return s
    }

    func newSeriesForm(req: Request) async throws -> View {
        let s = try await budgetManager(req)
        return try await req.view.render("Shared/grouped-form", seriesPage(req, s, values: ["minimumleeftijd": "16"], errors: []))
    }

    func createSeries(req: Request) async throws -> Response {
        let s = try await budgetManager(req)
        let values = FormParts.read(req).values
        do {
            let budgets = try await AreaBudget.query(on: req.db).filter(\.$municipality.$id == s.id).all()
            let (title, specs) = try BudgetRoundService.readSeries(values, areas: s.areas, budgets: budgets).get()
            let rounds = try await BudgetRoundService.createSeries(specs, title: title, municipalityID: s.id, req: req)
            req.flash(req.t("budgetRound.series.created", String(rounds.count)))
            return req.redirect(to: Site.budgetRoundSeries.link(s.slug, String(rounds[0].number)))
        } catch let failure as ValidationFailure {
            return try await req.render("Shared/grouped-form", seriesPage(req, s, values: values, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: A cheque round (Ede Doet)

    private func newChequesPage(_ req: Request, _ s: MunicipalitySnapshot, _ actor: Actor, values v: [String: String], errors: [FieldError]) async throws -> FormPage {
        let (areas, budgets) = try await choices(req, s, actor)
        let heading = req.t("cheques.new.title")
        return FormPage(page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("budgetRound.list.short"), Site.budgetRounds.link(s.slug))], errors: errors),
                        heading: heading, intro: req.t("cheques.new.intro"),
                        form: FormView(action: Site.budgetRoundNewCheques.link(s.slug), submitLabel: req.t("cheques.new.submit"), fields: [
                            FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: v["gebied"] ?? "",
                                      options: [("", req.t("initiative.field.areaChoose"))] + areas.map { ($0.slug, $0.name) }, errors: errors),
                            FieldView(req, name: "titel", label: req.t("budgetRound.field.title"), value: v["titel"] ?? "", errors: errors),
                            FieldView(req, name: "tekst", label: req.t("budgetRound.field.text"), type: "textarea", value: v["tekst"] ?? "", description: req.t("cheques.field.textHelp"), errors: errors),
                            FieldView(req, name: "budget", label: req.t("budgetRound.field.budget"), type: "select", value: v["budget"] ?? "", description: req.t("budgetRound.field.budgetHelp"),
                                      options: Self.budgetOptions(req, s, budgets), errors: errors),
                            FieldView(req, name: "bedrag", label: req.t("budgetRound.field.amount"), value: v["bedrag"] ?? "", description: req.t("budgetRound.field.amountHelp"), errors: errors),
                            FieldView(req, name: "chequewaarde", label: req.t("cheques.field.value"), value: v["chequewaarde"] ?? "", description: req.t("cheques.field.valueHelp"), errors: errors),
                            FieldView(req, name: "geldig_van", label: req.t("cheques.field.validFrom"), type: "date", value: v["geldig_van"] ?? "", errors: errors),
                            FieldView(req, name: "geldig_tot", label: req.t("cheques.field.validUntil"), type: "date", value: v["geldig_tot"] ?? "", errors: errors),
                        ], csrf: req.csrfToken(), showRequiredNote: true))
    }

    func newChequesForm(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let actor = try await req.actor()
        guard actor.municipalityID == s.id || actor.role == .admin else { throw AppError.forbidden }
        return try await req.view.render("Initiatives/idea-form", newChequesPage(req, s, actor, values: [:], errors: []))
    }

    func createCheques(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let actor = try await req.actor()
        let values = FormParts.read(req).values
        let (areas, budgets) = try await choices(req, s, actor)
        do {
            guard let area = areas.first(where: { $0.slug == values["gebied"] }) else { throw ValidationFailure([FieldError("gebied", "initiative.areaMissing")]) }
            let (settings, value) = try ChequeService.readSetup(values, budgets: budgets.filter { $0.$area.id == area.id }).get()
            let round = try await BudgetRoundService.create(settings, cheques: value, municipalityID: s.id, areaID: area.id, req: req)
            req.flash(req.t("budgetRound.new.created"))
            return req.redirect(to: BudgetRoundPages.link(s, round, Site.budgetRoundManage))
        } catch let failure as ValidationFailure {
            return try await req.render("Initiatives/idea-form", newChequesPage(req, s, actor, values: values, errors: failure.errors), status: failure.status)
        }
    }

    private func chequeInitiativeForm(_ req: Request, _ s: MunicipalitySnapshot, _ round: BudgetRound, values v: [String: String], errors: [FieldError]) async throws -> FormView {
        let open = try await Initiative.query(on: req.db).filter(\.$area.$id == round.$area.id).filter(\.$status ~~ ChequeService.openStatuses).sort(\.$code).all()
        return FormView(action: BudgetRoundPages.link(s, round, Site.budgetRoundChequeInitiative), submitLabel: req.t("cheques.add.submit"), fields: [
            FieldView(req, name: "initiatief", label: req.t("cheques.field.openInitiative"), type: "select", value: v["initiatief"] ?? "",
                      options: [("", req.t("cheques.field.openInitiativeChoose"))] + open.map { ($0.code, "\($0.code): \($0.title) (" + Money.format($0.askedCents, dutch: req.language == .nl) + ")") },
                      errors: errors),
            FieldView(req, name: "doel", label: req.t("cheques.field.target"), value: v["doel"] ?? "", description: req.t("cheques.field.targetHelp"), errors: errors),
            FieldView(req, name: "deadline", label: req.t("cheques.field.deadline"), type: "date", value: v["deadline"] ?? "", errors: errors),
        ], csrf: req.csrfToken(), showRequiredNote: false)
    }

    func addChequeInitiative(req: Request) async throws -> Response {
        let (s, round, actor) = try await managed(req)
        let values = FormParts.read(req).values
        do {
            try await ChequeService.addInitiative(round, values: values, req: req)
            req.flash(req.t("cheques.add.done"))
            return req.redirect(to: BudgetRoundPages.link(s, round, Site.budgetRoundManage) + "#cheques")
        } catch let failure as ValidationFailure {
            return try await req.render("Budgeting/manage", managePage(req, s, round, actor, errors: failure.errors, chequeValues: values), status: failure.status)
        }
    }

    // MARK: Managing a round

    struct AssessRow: Encodable { var project: BudgetRoundPages.ProjectRow; var assessHref: String? }
    struct BatchRow: Encodable { var number: Int; var count: Int; var used: Int; var created: String; var sent: String?; var lettersHref: String?; var csvHref: String?; var sentAction: String? }
    struct ManagePage: Encodable {
        var page: PageMeta; var heading: String; var phase: String; var phases: [BudgetRoundPages.PhaseRow]; var roundHref: String
        var mayManage: Bool; var settings: [FormView]; var ruleLocked: Bool
        var projects: [AssessRow]; var batches: [BatchRow]; var codesForm: [FormView]; var paperForm: [FormView]
        var online: Int; var paper: Int; var codesIssued: Int; var codesUsed: Int
        var closeAction: String?; var results: BudgetRoundPages.ResultsView?; var csrf: String; var version: Int; var showVotes: Bool
        var isCheques: Bool; var pools: [BudgetRoundPages.PoolRow]; var chequeForm: [FormView]
        var computing = false
    }

    private func managePage(_ req: Request, _ s: MunicipalitySnapshot, _ round: BudgetRound, _ actor: Actor, values: [String: String] = [:], errors: [FieldError] = [],
                            paperValues: [String: String] = [:], paperChosen: [String] = [], chequeValues: [String: String]? = nil) async throws -> ManagePage {
        let now = req.application.clock()
        let phase = round.phase(at: now)
        let roundID = try round.requireID()
        let mayManage = Self.mayManage(actor, round)
        let projects = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == roundID).sort(\.$number).all()
        // During voting nobody sees the count so far, staff included, unless the round publishes it.
        let votes = phase != .voting || round.showCounts ? try await BudgetRoundResults.votes(roundID, on: req.db) : nil
        let rows = try await BudgetRoundPages.projectRows(req, s, projects, votes: votes)
        let canAssess = [.announced, .ideas, .feasibility].contains(phase) && !round.isCheques
        let assess = rows.map { AssessRow(project: $0, assessHref: canAssess ? Site.budgetRoundAssess.link(s.slug, String(round.number), String($0.number)) : nil) }
        let counts = try await BudgetRoundResults.channelCounts(roundID, on: req.db)
        var batches: [BatchRow] = []
        var issued = 0, usedTotal = 0
        if mayManage {
            for b in try await BudgetRoundCodeBatch.query(on: req.db).filter(\.$round.$id == roundID).sort(\.$number).all() {
                let used = try await BudgetRoundCode.query(on: req.db).filter(\.$batch.$id == b.requireID()).filter(\.$usedOn != nil).count()
                issued += b.count
                usedTotal += used
                let base = Site.budgetRoundBatch.link(s.slug, String(round.number), String(b.number))
                batches.append(BatchRow(number: b.number, count: b.count, used: used, created: Format.day(b.createdAt, req.language), sent: b.sentAt.map { Format.day($0, req.language) },
                                        lettersHref: b.sentAt == nil ? base : nil,
                                        csvHref: b.sentAt == nil ? Site.budgetRoundBatchCSV.link(s.slug, String(round.number), String(b.number)) : nil,
                                        sentAction: b.sentAt == nil ? Site.budgetRoundBatchSent.link(s.slug, String(round.number), String(b.number)) : nil))
            }
        }
        let ballots = counts.online + counts.paper
        let (_, budgets) = try await choices(req, s, actor)
        var settingsValues = values["form"] != "instellingen" ? Self.values(of: round) : values
        settingsValues["form"] = nil
        let settings: FormView? = mayManage && phase != .execution && !round.isCheques ? FormView(action: BudgetRoundPages.link(s, round, Site.budgetRoundSettings), submitLabel: req.t("budgetRound.settings.submit"),
            fields: [FieldView(req, name: "versie", label: "", type: "hidden", value: String(round.version))]
                + Self.settingsFields(req, s, areas: [], budgets: budgets.filter { $0.$area.id == round.$area.id }, values: settingsValues,
                                      errors: values["form"] == "instellingen" ? errors : [], withArea: false),
            csrf: req.csrfToken(), showRequiredNote: true) : nil
        let onBallot = projects.filter(\.onBallot)
        let paperForm: FormView? = mayManage && (phase == .voting || phase == .result) && !round.isCheques ? FormView(action: BudgetRoundPages.link(s, round, Site.budgetRoundPaper),
            submitLabel: req.t("budgetRound.paper.submit"), fields: [
                FieldView(req, name: "code", label: req.t("budgetRound.field.paperCode"), value: paperValues["code"] ?? "", autocomplete: "off", errors: errors),
                FieldView(req, name: "projecten", label: req.t("budgetRound.field.projects"), type: "checkboxes", description: BudgetRoundPages.ruleText(req, round),
                          options: onBallot.map { (String($0.number), "\($0.number). \($0.title) — " + Money.format($0.costCents!, dutch: req.language == .nl, compact: true)) },
                          selected: Set(paperChosen), errors: paperValues.isEmpty ? [] : errors),
            ], csrf: req.csrfToken(), showRequiredNote: false) : nil
        let codesForm: FormView? = mayManage && phase != .result && phase != .execution ? FormView(action: BudgetRoundPages.link(s, round, Site.budgetRoundCodes),
            submitLabel: req.t(round.isCheques ? "cheques.codes.submit" : "budgetRound.codes.submit"), fields: [
                FieldView(req, name: "aantal", label: req.t("budgetRound.field.codeCount"), value: values["aantal"] ?? "", description: req.t("budgetRound.field.codeCountHelp"),
                          errors: values["aantal"] != nil ? errors : []),
            ], csrf: req.csrfToken(), showRequiredNote: false) : nil
        let results = !round.isCheques && (phase == .result || phase == .execution) ? try await BudgetRoundResults.ifReady(round, on: req).map { BudgetRoundPages.results(req, round, $0) } : nil
        let heading = req.t("budgetRound.manage.title", round.title)
        var built = ManagePage(page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (round.title, BudgetRoundPages.link(s, round))],
                                         errors: errors, status: req.takeFlash()),
                          heading: heading, phase: BudgetRoundPages.phaseLabel(req, round, phase), phases: BudgetRoundPages.phases(req, round, now: now), roundHref: BudgetRoundPages.link(s, round),
                          mayManage: mayManage, settings: settings.map { [$0] } ?? [], ruleLocked: ballots > 0, projects: assess, batches: batches,
                          codesForm: codesForm.map { [$0] } ?? [], paperForm: paperForm.map { [$0] } ?? [],
                          online: counts.online, paper: counts.paper, codesIssued: issued, codesUsed: usedTotal,
                          closeAction: mayManage && phase == .result && !round.isCheques ? BudgetRoundPages.link(s, round, Site.budgetRoundClose) : nil, results: results,
                          csrf: req.csrfToken(), version: round.version, showVotes: votes != nil,
                          isCheques: round.isCheques, pools: round.isCheques ? try await BudgetRoundPages.poolRows(req, s, round) : [],
                          chequeForm: round.isCheques && mayManage && phase != .result && phase != .execution ? [try await chequeInitiativeForm(req, s, round, values: chequeValues ?? [:], errors: chequeValues == nil ? [] : errors)] : [])
        built.computing = !round.isCheques && (phase == .result || phase == .execution) && results == nil
        return built
    }

    static func values(of r: BudgetRound) -> [String: String] {
        ["titel": r.title, "tekst": r.text, "budget": r.$budget.id.uuidString, "bedrag": Money.plain(r.amountCents),
         "ideeen_van": Format.isoDay(r.ideasFrom), "ideeen_tot": Format.isoDay(r.ideasUntil), "haalbaarheid_tot": Format.isoDay(r.feasibilityUntil),
         "stemmen_van": Format.isoDay(r.votingFrom), "stemmen_tot": Format.isoDay(r.votingUntil), "stemregel": r.ruleKind,
         "minimum_procent": String(r.minimumPercent), "minimum_projecten": String(r.minimumProjects), "maximum_projecten": String(r.maximumProjects),
         "beslisregel": r.decidedBy, "minimumleeftijd": String(r.minimumAge), "tussenstand": r.showCounts ? "ja" : ""]
    }

    func overview(req: Request) async throws -> View {
        let (s, round, actor) = try await managed(req, assess: true)
        return try await req.view.render("Budgeting/manage", managePage(req, s, round, actor))
    }

    func settings(req: Request) async throws -> Response {
        let (s, round, actor) = try await managed(req)
        var values = FormParts.read(req).values
        values["form"] = "instellingen"
        do {
            let budgets = try await AreaBudget.query(on: req.db).filter(\.$area.$id == round.$area.id).all()
            let settings = try BudgetRoundService.readSettings(values, budgets: budgets).get()
            try await BudgetRoundService.update(round, settings, expectedVersion: Int(values["versie"] ?? "") ?? -1, req: req)
            req.flash(req.t("budgetRound.settings.saved"))
            return req.redirect(to: BudgetRoundPages.link(s, round, Site.budgetRoundManage))
        } catch let failure as ValidationFailure {
            if let fresh = try await BudgetRound.find(round.id, on: req.db) { round.version = fresh.version }
            return try await req.render("Budgeting/manage", managePage(req, s, round, actor, values: values, errors: failure.errors), status: failure.status)
        }
    }

    struct AssessPage: Encodable { var page: PageMeta; var heading: String; var project: BudgetRoundPages.ProjectRow; var form: FormView?; var manageHref: String }

    private func project(_ req: Request, _ round: BudgetRound) async throws -> BudgetRoundProject {
        guard let number = Int(req.parameters.get("project") ?? ""),
              let project = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == round.requireID()).filter(\.$number == number).first() else {
            throw AppError.notFound()
        }
        return project
    }

    private func assessPage(_ req: Request, _ s: MunicipalitySnapshot, _ round: BudgetRound, _ p: BudgetRoundProject, values: [String: String]?, errors: [FieldError]) async throws -> AssessPage {
        let v = values ?? ["haalbaar": p.feasible.map { $0 ? "ja" : "nee" } ?? "", "kosten": p.costCents.map { Money.plain($0) } ?? "", "reden": p.feasibilityReason ?? ""]
        let row = try await BudgetRoundPages.projectRows(req, s, [p], votes: nil)[0]
        let open = [.announced, .ideas, .feasibility].contains(round.phase(at: req.application.clock()))
        let heading = req.t("budgetRound.assess.title", String(p.number), p.title)
        return AssessPage(page: req.page(heading, municipality: s.name, crumbs: [(round.title, BudgetRoundPages.link(s, round)), (req.t("budgetRound.manage.short"), BudgetRoundPages.link(s, round, Site.budgetRoundManage))],
                                         errors: errors),
                          heading: heading, project: row,
                          form: open ? FormView(action: Site.budgetRoundAssess.link(s.slug, String(round.number), String(p.number)), submitLabel: req.t("budgetRound.assess.submit"), fields: [
                            FieldView(req, name: "haalbaar", label: req.t("budgetRound.field.feasible"), type: "radios", value: v["haalbaar"] ?? "",
                                      options: [("ja", req.t("budgetRound.assessment.feasible")), ("nee", req.t("budgetRound.assessment.notFeasible"))], errors: errors),
                            FieldView(req, name: "kosten", label: req.t("budgetRound.field.cost"), value: v["kosten"] ?? "", description: req.t("budgetRound.field.costHelp"), optional: true, errors: errors),
                            FieldView(req, name: "reden", label: req.t("budgetRound.field.reason"), type: "textarea", value: v["reden"] ?? "", description: req.t("budgetRound.field.reasonHelp"), errors: errors),
                          ], csrf: req.csrfToken(), showRequiredNote: true) : nil,
                          manageHref: BudgetRoundPages.link(s, round, Site.budgetRoundManage))
    }

    func assessForm(req: Request) async throws -> View {
        let (s, round, _) = try await managed(req, assess: true)
        let p = try await project(req, round)
        return try await req.view.render("Budgeting/assess", assessPage(req, s, round, p, values: nil, errors: []))
    }

    func assessProject(req: Request) async throws -> Response {
        let (s, round, _) = try await managed(req, assess: true)
        let p = try await project(req, round)
        let values = FormParts.read(req).values
        do {
            try await BudgetRoundService.assess(p, round: round, values: values, user: req.authUser, req: req)
            req.flash(req.t("budgetRound.assess.saved", String(p.number)))
            return req.redirect(to: BudgetRoundPages.link(s, round, Site.budgetRoundManage) + "#projecten")
        } catch let failure as ValidationFailure {
            return try await req.render("Budgeting/assess", assessPage(req, s, round, p, values: values, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: Codes

    func issueCodes(req: Request) async throws -> Response {
        let (s, round, actor) = try await managed(req)
        let values = FormParts.read(req).values
        do {
            var errors: [FieldError] = []
            guard let count = BudgetRoundService.whole(values["aantal"], field: "aantal", range: 1...BudgetRoundService.maximumBatch, errors: &errors) else {
                throw ValidationFailure(errors)
            }
            let batch = try await BudgetRoundService.issueCodes(round, count: count, user: req.authUser, req: req)
            req.flash(req.t("budgetRound.codes.issued", String(count), String(batch.number)))
            return req.redirect(to: BudgetRoundPages.link(s, round, Site.budgetRoundManage) + "#codes")
        } catch let failure as ValidationFailure {
            return try await req.render("Budgeting/manage", managePage(req, s, round, actor, values: ["aantal": values["aantal"] ?? ""], errors: failure.errors), status: failure.status)
        }
    }

    private func batch(_ req: Request, _ round: BudgetRound) async throws -> BudgetRoundCodeBatch {
        guard let number = Int(req.parameters.get("batch") ?? ""),
              let batch = try await BudgetRoundCodeBatch.query(on: req.db).filter(\.$round.$id == round.requireID()).filter(\.$number == number).first() else {
            throw AppError.notFound()
        }
        return batch
    }

    private func readableCodes(_ req: Request, _ batch: BudgetRoundCodeBatch) async throws -> [String] {
        guard batch.sentAt == nil else { throw AppError(status: .gone, key: "budgetRound.codes.gone") }
        return try await BudgetRoundCode.query(on: req.db).filter(\.$batch.$id == batch.requireID()).sort(\.$position).all().compactMap(\.plain)
    }

    struct Letter: Encodable { var number: Int; var code: String }
    struct LettersPage: Encodable {
        var page: PageMeta; var heading: String; var round: String; var area: String; var voteURL: String; var votingFrom: String; var votingUntil: String
        var minimumAge: Int; var rule: String; var letters: [Letter]; var manageHref: String; var isCheques: Bool; var chequeValue: String
    }

    /// Printable letters, one per page: the code, where and until when to vote, and who may vote.
    func letters(req: Request) async throws -> View {
        let (s, round, _) = try await managed(req)
        let batch = try await batch(req, round)
        let codes = try await readableCodes(req, batch)
        let area = s.areas.first { $0.id == round.$area.id }?.name ?? ""
        let heading = req.t("budgetRound.letters.title", String(batch.number))
        return try await req.view.render("Budgeting/letters", LettersPage(
            page: req.page(heading, municipality: s.name, crumbs: [(round.title, BudgetRoundPages.link(s, round, Site.budgetRoundManage))]), heading: heading, round: round.title, area: area,
            voteURL: req.application.config.publicURL + BudgetRoundPages.link(s, round, round.isCheques ? Site.budgetRound : Site.budgetRoundVote),
            votingFrom: Format.day(round.votingFrom, req.language), votingUntil: Format.day(round.votingUntil, req.language), minimumAge: round.minimumAge,
            rule: BudgetRoundPages.ruleText(req, round), letters: codes.enumerated().map { Letter(number: $0.offset + 1, code: $0.element) },
            manageHref: BudgetRoundPages.link(s, round, Site.budgetRoundManage), isCheques: round.isCheques,
            chequeValue: Money.format(round.chequeCents, dutch: req.language == .nl)))
    }

    /// The mailing house's file: a sequence number and a code per line (they add the addresses; Wijkwerk never has them).
    func codesCSV(req: Request) async throws -> Response {
        let (s, round, _) = try await managed(req)
        let batch = try await batch(req, round)
        let codes = try await readableCodes(req, batch)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.add(name: .contentDisposition, value: "attachment; filename=\"\(s.slug)-buurtbegroting-\(round.number)-codes-\(batch.number).csv\"")
        headers.add(name: .cacheControl, value: "no-store")
        return Response(status: .ok, headers: headers, body: .init(string: CSVWriter.document(header: ["nummer", "code"], rows: codes.enumerated().map { [String($0.offset + 1), $0.element] })))
    }

    func markSent(req: Request) async throws -> Response {
        let (s, round, _) = try await managed(req)
        let batch = try await batch(req, round)
        try await BudgetRoundService.markSent(batch, round: round, req: req)
        req.flash(req.t("budgetRound.codes.sent", String(batch.number)))
        return req.redirect(to: BudgetRoundPages.link(s, round, Site.budgetRoundManage) + "#codes")
    }

    // MARK: Paper ballots and closing

    func paper(req: Request) async throws -> Response {
        let (s, round, actor) = try await managed(req)
        let parts = FormParts.read(req)
        let chosen = parts.all["projecten[]"] ?? []
        do {
            let numbers = chosen.compactMap { Int($0) }
            guard numbers.count == chosen.count else { throw ValidationFailure([FieldError("projecten", "budgetRound.unknownProject")]) }
            try await BudgetRoundService.cast(round, code: parts["code"] ?? "", projects: numbers, channel: .paper, declared: true, user: req.authUser, req: req)
            req.flash(req.t("budgetRound.paper.counted"))
            return req.redirect(to: BudgetRoundPages.link(s, round, Site.budgetRoundManage) + "#papier")
        } catch let failure as ValidationFailure {
            var kept = parts.values
            kept["paper"] = "ja"
            return try await req.render("Budgeting/manage", managePage(req, s, round, actor, errors: failure.errors, paperValues: kept, paperChosen: chosen), status: failure.status)
        }
    }

    func close(req: Request) async throws -> Response {
        let (s, round, actor) = try await managed(req)
        let values = FormParts.read(req).values
        do {
            try await BudgetRoundService.close(round, expectedVersion: Int(values["versie"] ?? "") ?? -1, user: req.authUser, req: req)
            req.flash(req.t("budgetRound.closedFlash"))
            return req.redirect(to: BudgetRoundPages.link(s, round))
        } catch let failure as ValidationFailure {
            if let fresh = try await BudgetRound.find(round.id, on: req.db) { round.version = fresh.version; round.closedAt = fresh.closedAt }
            return try await req.render("Budgeting/manage", managePage(req, s, round, actor, errors: failure.errors), status: failure.status)
        }
    }
}
