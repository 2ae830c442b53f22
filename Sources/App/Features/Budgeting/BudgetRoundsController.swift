import Vapor
import Fluent
import Domain

/// Residents: the municipality's buurtbegroting rounds, a round's page (phases, rule, projects, results and why),
/// submitting an idea, voting with a code, checking which of one's projects won, and the Pabulib export.
struct BudgetRoundsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get(Site.budgetRounds.route, use: list)
        open.get(Site.budgetRound.route, use: show)
        open.get(Site.budgetRoundSeries.route, use: series)
        open.get(Site.budgetRoundIdea.route, use: ideaForm)
        open.post(Site.budgetRoundIdea.route, use: postIdea)
        open.get(Site.budgetRoundVote.route, use: ballot)
        open.post(Site.budgetRoundVote.route, use: vote)
        open.post(Site.budgetRoundCheck.route, use: check)
        open.get(Site.budgetRoundExport.route, use: export)
        open.post(Site.budgetRoundPledge.route, use: pledge)
    }

    // MARK: List

    struct ListRow: Encodable { var title: String; var href: String; var area: String; var money: String; var phase: String }
    struct ListPage: Encodable {
        var page: PageMeta; var heading: String; var intro: String; var rows: [ListRow]; var newHref: String?; var newChequesHref: String
        var series: [ListRow]; var newSeriesHref: String?
    }

    func list(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let now = req.application.clock()
        let rounds = try await BudgetRound.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$votingFrom, .descending).all()
        let rows = rounds.map { r in
            ListRow(title: r.title, href: BudgetRoundPages.link(s, r), area: s.areas.first { $0.id == r.$area.id }?.name ?? "",
                    money: Money.format(r.amountCents, dutch: req.language == .nl, compact: true), phase: BudgetRoundPages.phaseLabel(req, r, r.phase(at: now)))
        }
        let actor = try await req.optionalActor()
        let mayCreate = actor.map { a in Permissions.allows(a, .manageBudgets(municipality: s.id)) || s.areas.contains { Permissions.allows(a, .coordinateArea(municipality: s.id, area: $0.id)) } } ?? false
        let heading = req.t("budgetRound.list.title")
        let grouped: [Int: [BudgetRound]] = Dictionary(grouping: rounds.filter { $0.series != nil }, by: { $0.series ?? 0 })
        var series: [ListRow] = []
        for number in grouped.keys.sorted(by: >) {
            let members = grouped[number] ?? []
            let total = members.reduce(0) { $0 + $1.amountCents }
            series.append(ListRow(title: members[0].seriesTitle ?? "", href: Site.budgetRoundSeries.link(s.slug, String(number)),
                                  area: req.t(members.count == 1 ? "budgetRound.series.oneArea" : "budgetRound.series.areas", String(members.count)), money: Money.format(total, dutch: req.language == .nl, compact: true),
                                  phase: BudgetRoundPages.phaseLabel(req, members[0], members[0].phase(at: now))))
        }
        let mayCreateSeries = actor.map { Permissions.allows($0, .manageBudgets(municipality: s.id)) } ?? false
        return try await req.view.render("Budgeting/rounds", ListPage(page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug))], status: req.takeFlash()),
                                                                     heading: heading, intro: req.t("budgetRound.list.intro"), rows: rows,
                                                                     newHref: mayCreate ? Site.budgetRoundNew.link(s.slug) : nil, newChequesHref: Site.budgetRoundNewCheques.link(s.slug),
                                                                     series: series,
                                                                     newSeriesHref: mayCreateSeries ? Site.budgetRoundSeriesNew.link(s.slug) : nil))
    }

    // MARK: A round for the whole municipality (one pot per area)

    struct SeriesPage: Encodable {
        var page: PageMeta; var heading: String; var text: String; var phases: [BudgetRoundPages.PhaseRow]; var rule: String; var deciding: String
        var rows: [ListRow]; var total: String
    }

    func series(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        guard let number = Int(req.parameters.get("series") ?? ""), number > 0 else { throw AppError.notFound("budgetRound.unknown") }
        let rounds = try await BudgetRound.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$series == number).sort(\.$number).all()
        guard let first = rounds.first else { throw AppError.notFound("budgetRound.unknown") }
        let now = req.application.clock()
        let heading = first.seriesTitle ?? first.title
        let rows = rounds.map { r in
            ListRow(title: r.title, href: BudgetRoundPages.link(s, r), area: s.areas.first { $0.id == r.$area.id }?.name ?? "",
                    money: Money.format(r.amountCents, dutch: req.language == .nl, compact: true), phase: BudgetRoundPages.phaseLabel(req, r, r.phase(at: now)))
        }
        return try await req.view.render("Budgeting/series", SeriesPage(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("budgetRound.list.short"), Site.budgetRounds.link(s.slug))], status: req.takeFlash()),
            heading: heading, text: first.text, phases: BudgetRoundPages.phases(req, first, now: now), rule: first.ruleKind == "budget" ? req.t("budgetRound.series.ruleBudget") : req.t("budgetRound.series.ruleEach", BudgetRoundPages.ruleText(req, first)),
            deciding: BudgetRoundPages.decidingText(req, first.rule), rows: rows,
            total: Money.format(rounds.reduce(0) { $0 + $1.amountCents }, dutch: req.language == .nl, compact: true)))
    }

    // MARK: The round's page

    struct RoundPage: Encodable {
        var page: PageMeta; var heading: String; var text: String; var area: String; var areaHref: String; var money: String
        var phase: String; var phases: [BudgetRoundPages.PhaseRow]; var rule: String; var deciding: String; var minimumAge: Int
        var ideaHref: String?; var voteHref: String?; var manageHref: String?
        var projects: [BudgetRoundPages.ProjectRow]; var showVotes: Bool; var onBallotOnly: Bool
        var results: BudgetRoundPages.ResultsView?; var exportHref: String?; var checkForm: [FormView]; var checked: [CheckedRow]?
        var listHref: String
        var isCheques: Bool; var chequeValue: String; var validity: String; var pools: [BudgetRoundPages.PoolRow]; var pledgeForm: [FormView]
        /// The results are still being computed (a large round); the page says so.
        var computing = false
        /// The series this round is one pot of (a round for the whole municipality).
        var seriesHref: String? = nil
        var seriesTitle: String? = nil
    }
    struct CheckedRow: Encodable { var title: String; var won: Bool }

    func roundPage(_ req: Request, _ s: MunicipalitySnapshot, _ round: BudgetRound, checkValue: String = "", checked: [CheckedRow]? = nil, errors: [FieldError] = [],
                   pledgeValues: [String: String] = [:]) async throws -> RoundPage {
        let now = req.application.clock()
        let phase = round.phase(at: now)
        let pools = round.isCheques ? try await BudgetRoundPages.poolRows(req, s, round) : []
        let collecting = pools.filter(\.collecting)
        let pledgeForm: [FormView] = round.isCheques && phase == .voting && !collecting.isEmpty ? [FormView(action: BudgetRoundPages.link(s, round, Site.budgetRoundPledge),
            submitLabel: req.t("cheques.pledge.submit"), fields: [
                FieldView(req, name: "code", label: req.t("cheques.field.code"), value: pledgeValues["code"] ?? "", description: req.t("cheques.field.codeHelp"), autocomplete: "off", errors: errors),
                FieldView(req, name: "initiatief", label: req.t("cheques.field.initiative"), type: "radios", value: pledgeValues["initiatief"] ?? "",
                          options: collecting.map { (String($0.number), $0.title + " — " + req.t("cheques.stillNeeded", String($0.needed))) }, errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: false)] : []
        let area = s.areas.first { $0.id == round.$area.id }
        let projects = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == round.requireID()).all()
        let showVotes = round.showCounts && phase == .voting
        let votes = showVotes ? try await BudgetRoundResults.votes(round.requireID(), on: req.db) : nil
        var results: BudgetRoundPages.ResultsView? = nil
        var checkForm: FormView? = nil
        if !round.isCheques && (phase == .result || phase == .execution) {
            results = try await BudgetRoundResults.ifReady(round, on: req).map { BudgetRoundPages.results(req, round, $0) }
            checkForm = FormView(action: BudgetRoundPages.link(s, round, Site.budgetRoundCheck), submitLabel: req.t("budgetRound.check.submit"), fields: [
                FieldView(req, name: "code", label: req.t("budgetRound.field.code"), value: checkValue, description: req.t("budgetRound.check.help"), autocomplete: "off", errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: false)
        }
        let actor = try await req.optionalActor()
        let mayManage = actor.map { BudgetRoundAdminController.mayAssess($0, round) } ?? false
        let rows = try await BudgetRoundPages.projectRows(req, s, projects, votes: votes)
        var built = RoundPage(page: req.page(round.title, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("budgetRound.list.short"), Site.budgetRounds.link(s.slug))],
                                        errors: errors, status: req.takeFlash()),
                         heading: round.title, text: round.text, area: area?.name ?? "", areaHref: area.map { Paths.area(s.slug, $0.slug) } ?? "",
                         money: Money.format(round.amountCents, dutch: req.language == .nl, compact: true), phase: BudgetRoundPages.phaseLabel(req, round, phase),
                         phases: BudgetRoundPages.phases(req, round, now: now), rule: BudgetRoundPages.ruleText(req, round),
                         deciding: BudgetRoundPages.decidingText(req, round.rule), minimumAge: round.minimumAge,
                         ideaHref: phase == .ideas && !round.isCheques ? BudgetRoundPages.link(s, round, Site.budgetRoundIdea) : nil,
                         voteHref: phase == .voting && !round.isCheques ? BudgetRoundPages.link(s, round, Site.budgetRoundVote) : nil,
                         manageHref: mayManage ? BudgetRoundPages.link(s, round, Site.budgetRoundManage) : nil,
                         projects: phase == .voting || phase == .result || phase == .execution ? rows.filter { $0.feasible == true && $0.cost != nil } + rows.filter { !($0.feasible == true && $0.cost != nil) } : rows,
                         showVotes: showVotes, onBallotOnly: false, results: results,
                         exportHref: results == nil ? nil : BudgetRoundPages.link(s, round, Site.budgetRoundExport), checkForm: checkForm.map { [$0] } ?? [], checked: checked,
                         listHref: Site.budgetRounds.link(s.slug),
                         isCheques: round.isCheques, chequeValue: Money.format(round.chequeCents, dutch: req.language == .nl),
                         validity: Format.day(round.votingFrom, req.language) + " – " + Format.day(round.votingUntil, req.language), pools: pools, pledgeForm: pledgeForm)
        built.computing = !round.isCheques && (phase == .result || phase == .execution) && results == nil
        built.seriesHref = round.series.map { Site.budgetRoundSeries.link(s.slug, String($0)) }
        built.seriesTitle = round.seriesTitle
        return built
    }

    // MARK: Cheques

    func pledge(req: Request) async throws -> Response {
        let (s, round) = try await BudgetRoundPages.find(req)
        guard round.isCheques else { throw AppError.notFound() }
        let values = FormParts.read(req).values
        do {
            try await ChequeService.pledge(round, code: values["code"] ?? "", project: Int(values["initiatief"] ?? ""), req: req)
            req.flash(req.t("cheques.pledge.done"))
            return req.redirect(to: BudgetRoundPages.link(s, round) + "#cheques")
        } catch let failure as ValidationFailure {
            return try await req.render("Budgeting/round", roundPage(req, s, round, errors: failure.errors, pledgeValues: values), status: failure.status)
        }
    }

    func show(req: Request) async throws -> View {
        let (s, round) = try await BudgetRoundPages.find(req)
        return try await req.view.render("Budgeting/round", roundPage(req, s, round))
    }

    // MARK: Ideas

    struct FormPage: Encodable { var page: PageMeta; var heading: String; var intro: String; var form: FormView }

    private func ideaPage(_ req: Request, _ s: MunicipalitySnapshot, _ round: BudgetRound, values: [String: String], errors: [FieldError]) -> FormPage {
        let heading = req.t("budgetRound.idea.title", round.title)
        let area = s.areas.first { $0.id == round.$area.id }
        return FormPage(page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (round.title, BudgetRoundPages.link(s, round))], errors: errors),
                        heading: heading, intro: req.t("budgetRound.idea.intro", area?.name ?? "", Format.day(round.ideasUntil, req.language)),
                        form: FormView(action: BudgetRoundPages.link(s, round, Site.budgetRoundIdea), submitLabel: req.t("idea.new.submit"), fields: [
                            FieldView(req, name: "gebied", label: "", type: "hidden", value: area?.slug ?? ""),
                        ] + IdeasController.ideaFields(req, values: values, errors: errors, textHelp: "budgetRound.idea.textHelp", emailHelp: "budgetRound.idea.emailHelp"),
                        csrf: req.csrfToken(), showRequiredNote: true))
    }

    func ideaForm(req: Request) async throws -> Response {
        let (s, round) = try await BudgetRoundPages.find(req)
        guard !round.isCheques else { throw AppError.notFound() }
        guard round.phase(at: req.application.clock()) == .ideas else {
            return try await req.render("Budgeting/round", roundPage(req, s, round, errors: [FieldError("formulier", "budgetRound.notIdeasPhase")]), status: .conflict)
        }
        return try await req.render("Initiatives/idea-form", ideaPage(req, s, round, values: [:], errors: []))
    }

    func postIdea(req: Request) async throws -> Response {
        let (s, round) = try await BudgetRoundPages.find(req)
        guard !round.isCheques else { throw AppError.notFound() }
        let values = FormParts.read(req).values
        do {
            let posting = try IdeaService.read(values, snapshot: s).get()
            let idea = try await BudgetRoundService.submitIdea(posting, round: round, req: req)
            await ReachCounter.count(values[ReachCounter.fieldName], area: idea.$area.id, channel: "ideas", at: idea.createdAt, on: req.db)
            req.flash(req.t("budgetRound.idea.posted", idea.code))
            return req.redirect(to: BudgetRoundPages.link(s, round))
        } catch let failure as ValidationFailure {
            return try await req.render("Initiatives/idea-form", ideaPage(req, s, round, values: values, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: Voting

    struct BallotPage: Encodable {
        var page: PageMeta; var heading: String; var intro: String; var rule: String; var deciding: String; var standing: String?
        var action: String; var csrf: String; var fields: [FieldView]; var roundHref: String
    }

    private func ballotPage(_ req: Request, _ s: MunicipalitySnapshot, _ round: BudgetRound, values: [String: String], chosen: [String], errors: [FieldError], standing: String?) async throws -> BallotPage {
        let projects = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == round.requireID()).sort(\.$number).all().filter(\.onBallot)
        let area = s.areas.first { $0.id == round.$area.id }?.name ?? ""
        let heading = req.t("budgetRound.vote.title", round.title)
        let options = projects.map { (String($0.number), $0.title + " — " + Money.format($0.costCents!, dutch: req.language == .nl, compact: true)) }
        return BallotPage(page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (round.title, BudgetRoundPages.link(s, round))], errors: errors),
                          heading: heading, intro: req.t("budgetRound.vote.intro", Format.day(round.votingUntil, req.language)),
                          rule: BudgetRoundPages.ruleText(req, round), deciding: BudgetRoundPages.decidingText(req, round.rule), standing: standing,
                          action: BudgetRoundPages.link(s, round, Site.budgetRoundVote), csrf: req.csrfToken(), fields: [
                            FieldView(req, name: "code", label: req.t("budgetRound.field.code"), value: values["code"] ?? "", description: req.t("budgetRound.field.codeHelp"),
                                      autocomplete: "off", errors: errors),
                            FieldView(req, name: "projecten", label: req.t("budgetRound.field.projects"), type: "checkboxes", description: BudgetRoundPages.ruleText(req, round),
                                      options: options, selected: Set(chosen), errors: errors),
                            FieldView(req, name: "verklaring", label: req.t("budgetRound.field.declaration", area, String(round.minimumAge)), type: "checkbox",
                                      value: values["verklaring"] ?? "", errors: errors),
                          ], roundHref: BudgetRoundPages.link(s, round))
    }

    /// What the current choice leaves: money or projects, and whether the ballot would be valid.
    private func standing(_ req: Request, _ round: BudgetRound, costs: [Int]) -> String {
        let rule = round.ballotRule
        let left = rule.remaining(costs: costs)
        let valid = rule.problems(costs: costs).isEmpty
        switch rule {
        case .budget:
            return req.t("budgetRound.vote.standingBudget", BudgetRoundPages.money(req, euros: costs.reduce(0, +)), BudgetRoundPages.money(req, euros: max(left, 0)))
                + " " + req.t(valid ? "budgetRound.vote.valid" : "budgetRound.vote.notYetValid")
        case .count:
            return req.t("budgetRound.vote.standingCount", String(costs.count), String(max(left, 0))) + " " + req.t(valid ? "budgetRound.vote.valid" : "budgetRound.vote.notYetValid")
        }
    }

    func ballot(req: Request) async throws -> Response {
        let (s, round) = try await BudgetRoundPages.find(req)
        guard !round.isCheques else { throw AppError.notFound() }
        guard round.phase(at: req.application.clock()) == .voting else {
            return try await req.render("Budgeting/round", roundPage(req, s, round, errors: [FieldError("formulier", "budgetRound.votingNotOpen")]), status: .conflict)
        }
        return try await req.render("Budgeting/vote", ballotPage(req, s, round, values: [:], chosen: [], errors: [], standing: nil))
    }

    func vote(req: Request) async throws -> Response {
        let (s, round) = try await BudgetRoundPages.find(req)
        guard !round.isCheques else { throw AppError.notFound() }
        let parts = FormParts.read(req)
        let chosen = parts.all["projecten[]"] ?? []
        let numbers = chosen.compactMap { Int($0) }
        let projects = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == round.requireID()).all().filter(\.onBallot)
        let costs = projects.filter { numbers.contains($0.number) }.map { $0.costCents! / 100 }
        if parts["actie"] == "bekijk" {
            // "How much do I have left?": the same page with the sum, nothing stored (works without JavaScript).
            return try await req.render("Budgeting/vote", ballotPage(req, s, round, values: parts.values, chosen: chosen, errors: [], standing: standing(req, round, costs: costs)))
        }
        do {
            guard numbers.count == chosen.count else { throw ValidationFailure([FieldError("projecten", "budgetRound.unknownProject")]) }
            try await BudgetRoundService.cast(round, code: parts["code"] ?? "", projects: numbers, channel: .online, declared: parts["verklaring"] == "ja", user: nil, req: req)
            req.flash(req.t("budgetRound.vote.counted"))
            return req.redirect(to: BudgetRoundPages.link(s, round))
        } catch let failure as ValidationFailure {
            return try await req.render("Budgeting/vote", ballotPage(req, s, round, values: parts.values, chosen: chosen, errors: failure.errors, standing: standing(req, round, costs: costs)),
                                        status: failure.status)
        }
    }

    // MARK: After the vote

    func check(req: Request) async throws -> Response {
        let (s, round) = try await BudgetRoundPages.find(req)
        let typed = FormParts.read(req)["code"] ?? ""
        let phase = round.phase(at: req.application.clock())
        guard phase == .result || phase == .execution else {
            return try await req.render("Budgeting/round", roundPage(req, s, round, errors: [FieldError("formulier", "budgetRound.noResultYet")]), status: .conflict)
        }
        guard req.mayPost("budget-round-check") else {
            return try await req.render("Budgeting/round", roundPage(req, s, round, checkValue: typed, errors: [FieldError("code", "budgetRound.check.tooMany")]), status: .tooManyRequests)
        }
        guard let chosen = try await BudgetRoundService.choices(of: typed, round: round, on: req.db) else {
            return try await req.render("Budgeting/round", roundPage(req, s, round, checkValue: typed, errors: [FieldError("code", "budgetRound.check.noBallot")]), status: .unprocessableEntity)
        }
        guard let results = try await BudgetRoundResults.ifReady(round, on: req) else {
            return try await req.render("Budgeting/round", roundPage(req, s, round, checkValue: typed, errors: [FieldError("code", "budgetRound.results.computingRetry")]), status: .conflict)
        }
        let won = Set(results.decisive.selected)
        let titles = Dictionary(uniqueKeysWithValues: results.election.projects.map { ($0.id, $0.name) })
        let rows = chosen.map { CheckedRow(title: titles[String($0)] ?? String($0), won: won.contains(String($0))) }
        return try await req.render("Budgeting/round", roundPage(req, s, round, checked: rows))
    }

    func export(req: Request) async throws -> Response {
        let (s, round) = try await BudgetRoundPages.find(req)
        let phase = round.phase(at: req.application.clock())
        guard phase == .result || phase == .execution else { throw AppError(status: .conflict, key: "budgetRound.noResultYet") }
        guard let results = try await BudgetRoundResults.ifReady(round, on: req) else { throw AppError(status: .conflict, key: "budgetRound.results.computingRetry") }
        let area = s.areas.first { $0.id == round.$area.id }?.name ?? ""
        let text = BudgetRoundResults.pabulib(round, results: results, municipality: s.name, area: area).render()
        let response = Response(status: .ok, body: .init(string: text))
        response.headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["charset": "utf-8"])
        response.headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"\(s.slug)-buurtbegroting-\(round.number).pb\"")
        return response
    }
}
