import Vapor
import Fluent
import Domain

/// Residents: propose an initiative, follow it through its own link, answer questions, withdraw, account for it;
/// everyone: the public overview, each initiative's page with its decision, and the good examples.
struct PublicInitiativesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get(Site.initiatives.route, use: overview)
        open.get(Site.goodExamples.route, use: goodExamples)
        open.get(Site.initiativeNew.route, use: newForm)
        open.post(Site.initiativeNew.route, use: propose)
        open.get(Site.initiative.route, use: show)
        open.get(Site.initiativeOwnLink.route, use: ownLink)
        open.post(Site.initiativeStep.route, use: initiatorsStep)
        open.get(Site.initiativeAccounting.route, use: accountingForm)
        open.on(.POST, Site.initiativeAccounting.route, body: .collect(maxSize: "20mb"), use: account).maxBody("20mb")
        open.get(Site.initiativePhoto.route, use: photo)
    }

    // MARK: Overview

    struct Row: Encodable {
        var code: String; var href: String; var title: String; var area: String; var theme: String; var status: String; var statusClass: String
        var asked: String; var granted: String?; var goodExample: Bool
    }
    struct OverviewPage: Encodable {
        var page: PageMeta; var heading: String; var intro: String; var filters: [FieldView]; var rows: [Row]; var total: Int
        var newHref: String; var examplesHref: String; var moneyHref: String; var previous: String?; var next: String?
    }

    static let pageSize = 50

    func overview(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let areaSlug = req.query[String.self, at: "gebied"] ?? ""
        let theme = InitiativeTheme(rawValue: req.query[String.self, at: "thema"] ?? "")
        let status = InitiativeStatus(rawValue: req.query[String.self, at: "status"] ?? "").flatMap { $0.isPublic ? $0 : nil }
        let pageNumber = max(1, min(req.query[Int.self, at: "pagina"] ?? 1, 10_000))
        var query = Initiative.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$status != .draft)
        if let area = s.area(slug: areaSlug) { query = query.filter(\.$area.$id == area.id) }
        if let theme { query = query.filter(\.$theme == theme.rawValue) }
        if let status { query = query.filter(\.$status == status) }
        let total = try await query.count()
        let items = try await query.sort(\.$createdAt, .descending).sort(\.$code, .descending).range(((pageNumber - 1) * Self.pageSize)..<(pageNumber * Self.pageSize)).all()
        let heading = req.t("initiative.overview.title", s.name)
        let filters = [
            FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: areaSlug,
                      options: [("", req.t("initiative.filter.allAreas"))] + s.areas.map { ($0.slug, $0.name) }),
            FieldView(req, name: "thema", label: req.t("initiative.field.theme"), type: "select", value: theme?.rawValue ?? "",
                      options: [("", req.t("initiative.filter.allThemes"))] + InitiativeTheme.allCases.map { ($0.rawValue, req.t("initiative.theme." + $0.rawValue)) }),
            FieldView(req, name: "status", label: req.t("initiative.filter.status"), type: "select", value: status?.rawValue ?? "",
                      options: [("", req.t("initiative.filter.allStatuses"))] + InitiativeStatus.allCases.filter(\.isPublic).map { ($0.rawValue, req.t("initiative.status." + $0.rawValue)) }),
        ]
        return try await req.view.render("Initiatives/overview", OverviewPage(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug))]), heading: heading, intro: req.t("initiative.overview.intro"),
            filters: filters, rows: Self.rows(req, items, snapshot: s), total: total,
            newHref: Site.initiativeNew.link(s.slug) + (s.area(slug: areaSlug).map { "?gebied=" + $0.slug } ?? ""),
            examplesHref: Site.goodExamples.link(s.slug), moneyHref: Site.money.link(s.slug),
            previous: pageNumber > 1 ? req.pageLink(pageNumber - 1) : nil, next: pageNumber * Self.pageSize < total ? req.pageLink(pageNumber + 1) : nil))
    }

    static func rows(_ req: Request, _ items: [Initiative], snapshot s: MunicipalitySnapshot) -> [Row] {
        let dutch = req.language == .nl
        return items.map { i in
            Row(code: i.code, href: Site.initiative.link(s.slug, i.code), title: i.title, area: s.areas.first { $0.id == i.$area.id }?.name ?? "",
                theme: req.t("initiative.theme." + i.theme), status: req.t("initiative.status." + i.status.rawValue), statusClass: statusClass(i.status),
                asked: Money.format(i.askedCents, dutch: dutch), granted: i.grantedCents.map { Money.format($0, dutch: dutch) }, goodExample: i.goodExample)
        }
    }

    static func statusClass(_ status: InitiativeStatus) -> String {
        switch status {
        case .granted, .inExecution, .accounted, .closed: return "success"
        case .declined, .withdrawn: return "error"
        default: return "neutral"
        }
    }

    struct ExamplesPage: Encodable { var page: PageMeta; var heading: String; var intro: String; var examples: [Example]; var newHref: String }
    struct Example: Encodable { var title: String; var href: String; var area: String; var summary: String; var result: String?; var theme: String }

    func goodExamples(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let items = try await Initiative.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$goodExample == true).filter(\.$status != .draft)
            .sort(\.$updatedAt, .descending).limit(100).all()
        let heading = req.t("initiative.examples.title")
        return try await req.view.render("Initiatives/examples", ExamplesPage(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("initiative.overview.short"), Site.initiatives.link(s.slug))]),
            heading: heading, intro: req.t("initiative.examples.intro"),
            examples: items.map { i in Example(title: i.title, href: Site.initiative.link(s.slug, i.code), area: s.areas.first { $0.id == i.$area.id }?.name ?? "",
                                               summary: PersonalData.masked(i.summary), result: i.resultText.map { PersonalData.masked($0) }, theme: req.t("initiative.theme." + i.theme)) },
            newHref: Site.initiativeNew.link(s.slug)))
    }

    // MARK: Proposing

    struct FormPage: Encodable { var page: PageMeta; var heading: String; var intro: String; var privacy: String; var action: String; var csrf: String; var fields: [FieldView] }

    private func formPage(_ req: Request, _ s: MunicipalitySnapshot, values: [String: String], errors: [FieldError]) async throws -> FormPage {
        let heading = req.t("initiative.new.title")
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$name).all()
        return FormPage(page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("initiative.overview.short"), Site.initiatives.link(s.slug))], errors: errors),
                        heading: heading, intro: req.t("initiative.new.intro"), privacy: req.t("initiative.new.privacy"), action: Site.initiativeNew.link(s.slug), csrf: req.csrfToken(),
                        fields: InitiativeForm.fields(req, areas: s.areas.map { ($0.slug, $0.name) }, departments: departments.map { ($0.id!.uuidString, $0.name) }, values: values, errors: errors))
    }

    func newForm(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        var values = ["gebied": s.area(slug: req.query[String.self, at: "gebied"] ?? "")?.slug ?? ""]
        // From an idea: its words to start with, and the link back once the initiative exists.
        if let idea = try await Self.idea(req, s, code: req.query[String.self, at: "idee"]) {
            values["idee"] = idea.code
            values["titel"] = idea.title
            values["wat"] = idea.text
            values["thema"] = idea.theme
            values["gebied"] = s.areas.first { $0.id == idea.$area.id }?.slug ?? ""
        }
        return try await req.view.render("Initiatives/form", try await formPage(req, s, values: values, errors: []))
    }

    /// An open idea of this municipality by its code (for an initiative that grows out of it).
    static func idea(_ req: Request, _ s: MunicipalitySnapshot, code: String?) async throws -> Idea? {
        guard let code = code?.uppercased(), IdeaRules.isWellFormed(code) else { return nil }
        return try await Idea.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$code == code).filter(\.$status == .open).first()
    }

    struct ThanksPage: Encodable { var page: PageMeta; var heading: String; var text: String; var code: String; var href: String; var ownHref: String; var draft: Bool }

    func propose(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let values = FormParts.read(req).values
        var proposal: InitiativeProposal
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).all().compactMap(\.id)
        switch InitiativeForm.read(values, departments: departments) {
        case .success(let p): proposal = p
        case .failure(let failure):
            return try await req.render("Initiatives/form", try await formPage(req, s, values: values, errors: failure.errors), status: failure.status)
        }
        guard let area = s.area(slug: proposal.areaSlug) else {
            return try await req.render("Initiatives/form", try await formPage(req, s, values: values, errors: [FieldError("gebied", "initiative.areaMissing")]), status: .unprocessableEntity)
        }
        proposal.areaSlug = area.slug
        let submit = values["actie"] != "concept"
        let idea = try await Self.idea(req, s, code: values["idee"])
        let (initiative, key) = try await InitiativeService.propose(proposal, municipalityID: s.id, areaID: area.id, submit: submit, from: idea, req: req)
        if submit { await ReachCounter.count(values[ReachCounter.fieldName], area: area.id, channel: "initiatives", at: req.application.clock(), on: req.db) }
        let heading = req.t(submit ? "initiative.thanks.title" : "initiative.thanks.draftTitle")
        let response = try await req.render("Initiatives/thanks", ThanksPage(
            page: req.page(heading, municipality: s.name), heading: heading,
            text: req.t(submit ? "initiative.thanks.text" : "initiative.thanks.draftText", initiative.code, initiative.contactEmail),
            code: initiative.code, href: Site.initiative.link(s.slug, initiative.code), ownHref: Site.initiativeOwnLink.link(s.slug, initiative.code, key), draft: !submit),
            status: .created)
        InitiatorKey.remember(req, response, municipality: s.slug, initiative, key: key)
        return response
    }

    // MARK: One initiative

    static func find(_ req: Request, _ s: MunicipalitySnapshot) async throws -> Initiative {
        let code = (req.parameters.get("code") ?? "").uppercased()
        guard InitiativeCode.isWellFormed(code),
              let initiative = try await Initiative.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$code == code).first() else {
            throw AppError.notFound("initiative.unknown")
        }
        return initiative
    }

    func ownLink(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let initiative = try await Self.find(req, s)
        let response = req.redirect(to: Site.initiative.link(s.slug, initiative.code))
        InitiatorKey.remember(req, response, municipality: s.slug, initiative, key: req.parameters.get("key") ?? "")
        return response
    }

    func show(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let initiative = try await Self.find(req, s)
        let initiators = InitiatorKey.isInitiator(req, initiative)
        // A draft is the initiators' own until they submit it.
        guard initiative.status.isPublic || initiators else { throw AppError.notFound("initiative.unknown") }
        return try await req.view.render("Initiatives/initiative", InitiativePageBuilder.publicPage(req, initiative, snapshot: s, initiators: initiators, values: [:], errors: []))
    }

    /// Submitting a draft, answering a question, withdrawing: only with the initiators' key.
    func initiatorsStep(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let initiative = try await Self.find(req, s)
        guard InitiatorKey.isInitiator(req, initiative) else { throw AppError.forbidden }
        let values = FormParts.read(req).values
        do {
            guard let step = InitiativeStep(rawValue: values["stap"] ?? ""), step.byInitiators, step != .account else {
                throw ValidationFailure([FieldError("stap", "initiative.stepNotPossible")])
            }
            var errors: [FieldError] = []
            let text = Input.text(values["tekst"], field: "tekst", max: 4000, required: step == .answer).collect(into: &errors)
            guard errors.isEmpty else { throw ValidationFailure(errors) }
            try await InitiativeService.step(initiative, step, text: text, expectedVersion: Int(values["versie"] ?? "") ?? -1, user: nil, req: req)
            req.flash(req.t("initiative.stepDone." + step.rawValue))
            return req.redirect(to: Site.initiative.link(s.slug, initiative.code))
        } catch let failure as ValidationFailure {
            let fresh = try await Initiative.find(initiative.id, on: req.db) ?? initiative
            return try await req.render("Initiatives/initiative", InitiativePageBuilder.publicPage(req, fresh, snapshot: s, initiators: true, values: values, errors: failure.errors),
                                        status: failure.status)
        }
    }

    // MARK: Accounting

    static let maxPhotos = 3

    /// A photo of the accounting, public with the initiative.
    func photo(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let initiative = try await Self.find(req, s)
        guard initiative.status.isPublic, let n = req.parameters.get("photo", as: Int.self),
              let photo = try await InitiativePhoto.query(on: req.db).filter(\.$initiative.$id == initiative.requireID()).filter(\.$position == n).first() else {
            throw AppError.notFound()
        }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: photo.contentType)
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=86400")
        return Response(status: .ok, headers: headers, body: .init(data: photo.data))
    }

    struct AccountingPage: Encodable { var page: PageMeta; var heading: String; var intro: String; var action: String; var csrf: String; var version: Int; var fields: [FieldView]; var back: String }

    private func accountingPage(_ req: Request, _ s: MunicipalitySnapshot, _ i: Initiative, lines: [InitiativeBudgetLine], values: [String: String], errors: [FieldError]) -> AccountingPage {
        let heading = req.t("initiative.accounting.title", i.title)
        let dutch = req.language == .nl
        var fields = lines.map { line in
            FieldView(req, name: "kosten-\(line.position)", label: req.t("initiative.accounting.line", line.text, Money.format(line.cents, dutch: dutch)),
                      value: values["kosten-\(line.position)"] ?? "", errors: errors)
        }
        fields.append(FieldView(req, name: "kosten-overig", label: req.t(lines.isEmpty ? "initiative.accounting.total" : "initiative.accounting.other"),
                                value: values["kosten-overig"] ?? "", optional: !lines.isEmpty, errors: errors))
        fields.append(FieldView(req, name: "resultaat", label: req.t("initiative.accounting.result"), type: "textarea", value: values["resultaat"] ?? "",
                                description: req.t("initiative.accounting.resultHelp"), errors: errors))
        fields += PhotoFields.fields(req, count: Self.maxPhotos, labelKey: "initiative.accounting.photo", helpKey: "initiative.accounting.photoHelp", errors: errors)
        return AccountingPage(page: req.page(heading, municipality: s.name, crumbs: [(i.title, Site.initiative.link(s.slug, i.code))], errors: errors),
                              heading: heading, intro: req.t("initiative.accounting.intro", Money.format(i.grantedCents ?? 0, dutch: dutch)),
                              action: Site.initiativeAccounting.link(s.slug, i.code), csrf: req.csrfToken(), version: i.version, fields: fields, back: Site.initiative.link(s.slug, i.code))
    }

    private func loadForAccounting(_ req: Request) async throws -> (MunicipalitySnapshot, Initiative, [InitiativeBudgetLine]) {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        let initiative = try await Self.find(req, s)
        guard InitiatorKey.isInitiator(req, initiative) else { throw AppError.forbidden }
        let lines = try await InitiativeBudgetLine.query(on: req.db).filter(\.$initiative.$id == initiative.requireID()).sort(\.$position).all()
        return (s, initiative, lines)
    }

    func accountingForm(req: Request) async throws -> Response {
        let (s, initiative, lines) = try await loadForAccounting(req)
        guard initiative.status == .inExecution else {
            return try await req.render("Initiatives/initiative", InitiativePageBuilder.publicPage(req, initiative, snapshot: s, initiators: true, values: [:],
                                                                                                   errors: [FieldError("formulier", "initiative.accountNotPossible")]), status: .conflict)
        }
        return try await req.render("Initiatives/accounting", accountingPage(req, s, initiative, lines: lines, values: [:], errors: []))
    }

    func account(req: Request) async throws -> Response {
        let (s, initiative, lines) = try await loadForAccounting(req)
        let parts = FormParts.read(req)
        let values = parts.values
        var errors: [FieldError] = []
        var actual: [UUID: Int] = [:]
        let photos = PhotoFields.read(parts, count: Self.maxPhotos, errors: &errors)
        for line in lines { actual[line.id!] = Input.cents(values["kosten-\(line.position)"], field: "kosten-\(line.position)", errors: &errors) ?? 0 }
        let extra = Input.cents(values["kosten-overig"], field: "kosten-overig", required: lines.isEmpty, errors: &errors) ?? 0
        let result = Input.text(values["resultaat"], field: "resultaat", max: 4000).collect(into: &errors)
        do {
            guard errors.isEmpty, let result else { throw ValidationFailure(errors) }
            try await InitiativeService.account(initiative, actual: actual, extraCosts: extra, result: result, photos: photos, expectedVersion: Int(values["versie"] ?? "") ?? -1, req: req)
            req.flash(req.t("initiative.stepDone.account"))
            return req.redirect(to: Site.initiative.link(s.slug, initiative.code))
        } catch let failure as ValidationFailure {
            return try await req.render("Initiatives/accounting", accountingPage(req, s, initiative, lines: lines, values: values, errors: failure.errors), status: failure.status)
        }
    }
}

/// The initiators' own link: its key goes into a cookie for this initiative's pages only (like a report's own link),
/// and the browser is sent on without the key, so it never stays in the address bar or a Referer header.
enum InitiatorKey {
    static func cookieName(_ i: Initiative) -> String { "wijkwerk_initiatief_" + i.code }

    static func remember(_ req: Request, _ response: Response, municipality: String, _ i: Initiative, key: String) {
        guard constantTimeEqual(sha256Hex(key), i.keyHash) else { return }
        response.cookies[cookieName(i)] = HTTPCookies.Value(string: key, maxAge: 400 * 86_400, path: Site.initiative.link(municipality, i.code),
                                                            isSecure: req.application.config.secureCookies || req.cameOverTLS, isHTTPOnly: true, sameSite: .lax)
    }

    static func isInitiator(_ req: Request, _ i: Initiative) -> Bool {
        guard let key = req.cookies[cookieName(i)]?.string else { return false }
        return constantTimeEqual(sha256Hex(key), i.keyHash)
    }
}
