import Vapor
import Fluent
import Domain

/// The area cycle (domain.md §7): per area the analysis, agenda, plan and monitor, their versions, the public
/// consultation and the college's adoption. Public pages show everything past the draft; staff of the area see
/// drafts; the coordinator writes and moves products along; the college (alderman, executive) adopts.
struct AreaCycleController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get(Site.areaCycle.route, use: overview)
        open.get(Site.municipalityCycle.route, use: municipality)
        routes.access(.action(.administer)).post(Site.municipalityCycle.route, use: setPolicy)
        open.get(Site.cycleProduct.route, use: product)
        open.post(Site.cycleResponses.route, use: respond)
        let coordinate = routes.access(.action(.coordinateArea))
        coordinate.post(Site.areaCycleNew.route, use: start)
        coordinate.post(Site.areaCycleNotYet.route, use: notYet)
        coordinate.post(Site.cycleProductText.route, use: editText)
        coordinate.post(Site.cycleSpearheads.route, use: addSpearhead)
        coordinate.post(Site.cyclePlanItems.route, use: addPlanItem)
        coordinate.post(Site.cycleResponseAnswer.route, use: answer)
        coordinate.post(Site.cycleLinks.route, use: link)
        coordinate.post(Site.cyclePlanItemProgress.route, use: progress)
        coordinate.post(Site.areaRecurringToAgenda.route, use: recurringToAgenda)
        routes.access(.anyOf([.coordinateArea, .decideForCollege])).post(Site.cycleStep.route, use: step)
    }

    // MARK: Loading and roles

    struct Roles { var viewer = false; var coordinator = false; var college = false }

    private func load(_ req: Request) async throws -> (MunicipalitySnapshot, MunicipalitySnapshot.AreaInfo, Roles) {
        let (s, area) = try await req.areaFromPath()
        var roles = Roles()
        if req.authUser != nil, let actor = try? await req.actor() {
            roles.viewer = Permissions.allows(actor, .viewAreaWork(municipality: s.id, area: area.id))
            roles.coordinator = Permissions.allows(actor, .coordinateArea(municipality: s.id, area: area.id))
            roles.college = Permissions.allows(actor, .decideForCollege(municipality: s.id, area: area.id))
        }
        return (s, area, roles)
    }

    private func loadProduct(_ req: Request) async throws -> (MunicipalitySnapshot, MunicipalitySnapshot.AreaInfo, Roles, CycleProduct) {
        let (s, area, roles) = try await load(req)
        guard let kind = CycleService.kind(slug: req.parameters.get("kind") ?? ""), let version = req.parameters.get("version", as: Int.self),
              let p = try await CycleProduct.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$kind == kind).filter(\.$version == version).first(),
              p.status.isPublic || roles.viewer else { throw AppError.notFound("cycle.notFound") }
        return (s, area, roles, p)
    }

    /// A product the signed-in user coordinates, and the posted form.
    private func coordinatorProduct(_ req: Request) async throws -> (MunicipalitySnapshot, MunicipalitySnapshot.AreaInfo, Roles, CycleProduct, [String: String]) {
        let (s, area, roles, p) = try await loadProduct(req)
        guard roles.coordinator else { throw AppError.forbidden }
        return (s, area, roles, p, FormParts.read(req).values)
    }

    private func productLink(_ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, _ p: CycleProduct) -> String {
        Site.cycleProduct.link(s.slug, area.slug, CycleService.slug(p.kind), String(p.version))
    }

    // MARK: Overview

    struct OverviewPage: Encodable {
        var page: PageMeta; var heading: String; var intro: String; var products: [CyclePages.ProductSummary]
        var notYet: String?; var coordinator: Bool; var startAction: String; var notYetForm: FormView?; var csrf: String
        var projectsHref: String?; var linksHref: String?; var areaHref: String; var profileHref: String
    }

    func overview(req: Request) async throws -> Response {
        let (s, area, roles) = try await load(req)
        return try await renderOverview(req, s, area, roles, values: [:], errors: [])
    }

    private func renderOverview(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, _ roles: Roles, values: [String: String],
                                errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let products = try await CycleProduct.query(on: req.db).filter(\.$area.$id == area.id).all()
        let notYet = try await CycleNotYet.query(on: req.db).filter(\.$area.$id == area.id).first()?.reason
        let heading = req.t("cycle.title", area.name)
        let form = roles.coordinator ? FormView(action: Site.areaCycleNotYet.link(s.slug, area.slug), submitLabel: req.t("cycle.notYet.submit"), fields: [
            FieldView(req, name: "reden", label: req.t("cycle.notYet.reason"), type: "textarea", value: values["reden"] ?? notYet ?? "",
                      description: req.t("cycle.notYet.help"), optional: true, errors: errors),
        ], csrf: req.csrfToken(), showRequiredNote: false) : nil
        return try await req.render("Cycle/overview", OverviewPage(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (area.name, Site.area.link(s.slug, area.slug))], errors: errors, status: req.takeFlash()),
            heading: heading, intro: req.t("cycle.intro"), products: CyclePages.summaries(req, s, area, products: products, notYet: notYet, staff: roles.viewer,
                                                                                      policy: try await CycleSettings.policy(s.id, on: req.db)),
            notYet: notYet, coordinator: roles.coordinator, startAction: Site.areaCycleNew.link(s.slug, area.slug), notYetForm: form, csrf: req.csrfToken(),
            projectsHref: roles.viewer ? Site.projects.link() + "?gebied=" + area.slug : nil,
            linksHref: roles.coordinator ? Site.linkingOpportunities.link() + "?gebied=" + area.slug : nil,
            areaHref: Site.area.link(s.slug, area.slug), profileHref: Site.areaProfile.link(s.slug, area.slug)), status: status)
    }

    struct MunicipalityPage: Encodable {
        var page: PageMeta; var heading: String; var intro: String; var kinds: [String]; var rows: [CyclePages.AreaRow]; var outdated: Int; var policyForm: FormView?
    }

    /// Per area, at a glance, which products are in force and which are outdated; for an admin, the municipality's
    /// cadence and which products are consulted.
    func municipality(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        return try await renderMunicipality(req, s, values: [:], errors: [])
    }

    private func renderMunicipality(_ req: Request, _ s: MunicipalitySnapshot, values: [String: String], errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let rows = try await CyclePages.municipalityRows(req, s).rows
        let policy = try await CycleSettings.policy(s.id, on: req.db)
        let heading = req.t("cycle.municipality.title", s.name)
        var form: FormView? = nil
        if req.authUser != nil, let actor = try? await req.actor(), Permissions.allows(actor, .administer(municipality: s.id)) {
            var fields: [FieldView] = CycleKind.allCases.map { kind in
                FieldView(req, name: "maanden-" + kind.rawValue, label: req.t("cycle.policy.months", req.t("cycle.kind." + kind.rawValue)), value: values["maanden-" + kind.rawValue] ?? String(policy.months(kind)),
                          description: kind == .analysis ? req.t("cycle.policy.monthsHelp") : nil, errors: errors)
            }
            fields.append(FieldView(req, name: "consultatie", label: req.t("cycle.policy.consulted"), type: "checkboxes", optional: true,
                                    options: CycleKind.allCases.map { ($0.rawValue, req.t("cycle.kind." + $0.rawValue)) },
                                    selected: Set(values["consultatie"].map { $0.split(separator: ",").map(String.init) } ?? policy.consulted), errors: errors))
            form = FormView(action: Site.municipalityCycle.link(s.slug), submitLabel: req.t("cycle.policy.submit"), fields: fields, csrf: req.csrfToken(), showRequiredNote: false)
        }
        return try await req.render("Cycle/municipality", MunicipalityPage(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug))], errors: errors, status: req.takeFlash()), heading: heading,
            intro: req.t("cycle.municipality.intro"), kinds: CycleKind.allCases.map { req.t("cycle.kind." + $0.rawValue) }, rows: rows,
            outdated: rows.reduce(0) { $0 + $1.products.filter(\.freshness.outdated).count }, policyForm: form), status: status)
    }

    func setPolicy(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        _ = try await req.authorize(.administer(municipality: s.id))
        let form = FormParts.read(req)
        var values = form.values
        values["consultatie"] = (form.all["consultatie[]"] ?? []).joined(separator: ",")
        var errors: [FieldError] = []
        var months: [String: Int] = [:]
        for kind in CycleKind.allCases {
            let raw = (values["maanden-" + kind.rawValue] ?? "").trimmingCharacters(in: .whitespaces)
            if let n = Int(raw), CyclePolicy.monthRange.contains(n) { months[kind.rawValue] = n }
            else { errors.append(FieldError("maanden-" + kind.rawValue, "cycle.policy.monthsInvalid", [String(CyclePolicy.monthRange.upperBound)])) }
        }
        let consulted = (form.all["consultatie[]"] ?? []).filter { CycleKind(rawValue: $0) != nil }
        guard errors.isEmpty else { return try await renderMunicipality(req, s, values: values, errors: errors, status: .unprocessableEntity) }
        let policy = CyclePolicy(cadenceMonths: months, consulted: consulted.sorted())
        let json = String(decoding: try JSONEncoder().encode(policy), as: UTF8.self)
        let before = try await CycleSettings.policy(s.id, on: req.db)
        try await req.db.writeTransaction { db in
            let row = try await CycleSettings.query(on: db).filter(\.$municipality.$id == s.id).first() ?? CycleSettings()
            row.$municipality.id = s.id
            row.policyJSON = json
            row.updatedAt = req.application.clock()
            try await row.save(on: db)
            try await req.audit(.cycleSettings, .init(id: s.id.uuidString, summary: s.name, municipalityID: s.id), before: before, after: policy, on: db)
        }
        req.flash(req.t("cycle.policy.saved"))
        return req.redirect(to: Site.municipalityCycle.link(s.slug))
    }

    func start(req: Request) async throws -> Response {
        let (s, area, roles) = try await load(req)
        guard roles.coordinator else { throw AppError.forbidden }
        guard let kind = CycleKind(rawValue: FormParts.read(req).values["soort"] ?? "") else { throw AppError.badRequest("cycle.kindMissing") }
        let p = try await CycleService.startDraft(kind, area: area, municipality: s.id, req: req)
        return req.redirect(to: productLink(s, area, p))
    }

    func notYet(req: Request) async throws -> Response {
        let (s, area, roles) = try await load(req)
        guard roles.coordinator else { throw AppError.forbidden }
        let values = FormParts.read(req).values
        var errors: [FieldError] = []
        let reason = Input.text(values["reden"], field: "reden", max: 1000, required: false).collect(into: &errors)
        guard errors.isEmpty else { return try await renderOverview(req, s, area, roles, values: values, errors: errors, status: .unprocessableEntity) }
        try await CycleService.setNotYet(area: area, municipality: s.id, reason: (reason ?? "").isEmpty ? nil : reason, req: req)
        req.flash(req.t((reason ?? "").isEmpty ? "cycle.notYet.cleared" : "cycle.notYet.saved"))
        return req.redirect(to: Site.areaCycle.link(s.slug, area.slug))
    }

    // MARK: A product

    func product(req: Request) async throws -> Response {
        let (s, area, roles, p) = try await loadProduct(req)
        return try await req.render("Cycle/product", try await CycleProductPage.build(req, s, area, p, viewer: roles.viewer, coordinator: roles.coordinator,
                                                                                     college: roles.college, values: [:], errors: []))
    }

    /// Runs a write; a refusal or bad input shows the product page again with the message and what was typed.
    private func attempt(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, _ roles: Roles, _ p: CycleProduct,
                         values: [String: String], flash: String, anchor: String = "", _ work: () async throws -> Void) async throws -> Response {
        do {
            try await work()
        } catch let failure as ValidationFailure {
            return try await req.render("Cycle/product", try await CycleProductPage.build(req, s, area, p, viewer: roles.viewer, coordinator: roles.coordinator, college: roles.college,
                                                                                         values: values, errors: failure.errors), status: failure.status)
        } catch let error as AppError where error.status == .conflict || error.status == .badRequest {
            return try await req.render("Cycle/product", try await CycleProductPage.build(req, s, area, p, viewer: roles.viewer, coordinator: roles.coordinator, college: roles.college,
                                                                                         values: values, errors: [FieldError("formulier", error.key)]), status: error.status)
        }
        req.flash(req.t(flash))
        return req.redirect(to: productLink(s, area, p) + anchor)
    }

    func editText(req: Request) async throws -> Response {
        let (s, area, roles, p, values) = try await coordinatorProduct(req)
        return try await attempt(req, s, area, roles, p, values: values, flash: "cycle.saved") {
            var errors: [FieldError] = []
            let title = Input.text(values["titel"], field: "titel", max: 200).collect(into: &errors)
            let summary = Input.text(values["tekst"], field: "tekst", max: 20_000, required: false).collect(into: &errors) ?? ""
            let date = Input.day(values["profieldatum"], field: "profieldatum", errors: &errors)
            if let date, date > req.application.clock() { errors.append(FieldError("profieldatum", "profile.date.future")) }
            guard errors.isEmpty, let title else { throw ValidationFailure(errors) }
            try await CycleService.editText(p, title: title, summary: summary, profileDate: date.map { DutchTime.calendar.date(byAdding: .day, value: 1, to: $0)!.addingTimeInterval(-1) }, req: req)
        }
    }

    func addSpearhead(req: Request) async throws -> Response {
        let (s, area, roles, p, values) = try await coordinatorProduct(req)
        return try await attempt(req, s, area, roles, p, values: values, flash: "cycle.spearheadAdded", anchor: "#speerpunten") {
            var errors: [FieldError] = []
            let title = Input.text(values["sp_titel"], field: "sp_titel", max: 200).collect(into: &errors)
            let why = Input.text(values["sp_waarom"], field: "sp_waarom", max: 4000).collect(into: &errors)
            let success = Input.text(values["sp_succes"], field: "sp_succes", max: 4000).collect(into: &errors)
            let involved = Input.text(values["sp_wie"], field: "sp_wie", max: 1000).collect(into: &errors)
            guard errors.isEmpty, let title, let why, let success, let involved else { throw ValidationFailure(errors) }
            try await CycleService.addSpearhead(p, .init(title: title, why: why, success: success, involved: involved), req: req)
        }
    }

    func addPlanItem(req: Request) async throws -> Response {
        let (s, area, roles, p, values) = try await coordinatorProduct(req)
        return try await attempt(req, s, area, roles, p, values: values, flash: "cycle.itemAdded", anchor: "#acties") {
            var errors: [FieldError] = []
            let title = Input.text(values["ac_titel"], field: "ac_titel", max: 200).collect(into: &errors)
            let owner = Input.text(values["ac_eigenaar"], field: "ac_eigenaar", max: 200).collect(into: &errors)
            let starts = Input.day(values["ac_van"], field: "ac_van", errors: &errors)
            let ends = Input.day(values["ac_tot"], field: "ac_tot", errors: &errors)
            if (values["ac_van"] ?? "").isEmpty { errors.append(FieldError("ac_van", "cycle.dateMissing")) }
            if (values["ac_tot"] ?? "").isEmpty { errors.append(FieldError("ac_tot", "cycle.dateMissing")) }
            if let starts, let ends, ends < starts { errors.append(FieldError("ac_tot", "cycle.endsBeforeStart")) }
            let cents = Input.cents(values["ac_bedrag"], field: "ac_bedrag", required: false, errors: &errors) ?? 0
            let codes = Set(try await Spearhead.query(on: req.db).join(CycleProduct.self, on: \Spearhead.$product.$id == \CycleProduct.$id)
                .filter(CycleProduct.self, \.$area.$id == area.id).all().map(\.code))
            let chosen = (values["ac_speerpunten"] ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map { String($0).uppercased() }
            if let unknown = chosen.first(where: { !codes.contains($0) }) { errors.append(FieldError("ac_speerpunten", "cycle.spearheadUnknown", [unknown])) }
            var budgetID: UUID? = nil
            if let raw = values["ac_budget"], !raw.isEmpty {
                budgetID = try await AreaBudget.query(on: req.db).filter(\.$area.$id == area.id).all().first { $0.id?.uuidString == raw }?.id
                if budgetID == nil { errors.append(FieldError("ac_budget", "cycle.budgetUnknown")) }
            }
            var projectID: UUID? = nil
            if let raw = values["ac_project"], !raw.isEmpty {
                projectID = try await AreaProject.query(on: req.db).filter(\.$municipality.$id == s.id).all().first { $0.id?.uuidString == raw && $0.areas.contains(area.id) }?.id
                if projectID == nil { errors.append(FieldError("ac_project", "cycle.projectUnknown")) }
            }
            guard errors.isEmpty, let title, let owner, let starts, let ends else { throw ValidationFailure(errors) }
            try await CycleService.addPlanItem(p, .init(title: title, owner: owner, projectID: projectID, budgetID: budgetID, starts: starts,
                                                        ends: DutchTime.calendar.date(byAdding: .day, value: 1, to: ends)!.addingTimeInterval(-1), cents: cents, spearheads: chosen), req: req)
        }
    }

    func step(req: Request) async throws -> Response {
        let (s, area, roles, p) = try await loadProduct(req)
        let values = FormParts.read(req).values
        guard let step = CycleFlow.Step(rawValue: values["stap"] ?? "") else { throw AppError.badRequest("cycle.stepMissing") }
        let actor: CycleActor = [.adopt, .sendBack].contains(step) ? .college : .coordinator
        guard actor == .college ? roles.college : roles.coordinator else { throw AppError.forbidden }
        return try await attempt(req, s, area, roles, p, values: values, flash: "cycle.stepDone.\(step.rawValue)") {
            var errors: [FieldError] = []
            var ends: Date? = nil, adoptedOn: Date? = nil, text: String? = nil
            switch step {
            case .openConsultation:
                ends = Input.day(values["einde"], field: "einde", errors: &errors).map { DutchTime.calendar.date(byAdding: .day, value: 1, to: $0)! }
                if (values["einde"] ?? "").isEmpty { errors.append(FieldError("einde", "cycle.dateMissing")) }
                if let e = ends, e <= req.application.clock() { errors.append(FieldError("einde", "cycle.refused.consultationEndInPast")) }
            case .adopt:
                adoptedOn = Input.day(values["datum"], field: "datum", errors: &errors)
                if (values["datum"] ?? "").isEmpty { errors.append(FieldError("datum", "cycle.dateMissing")) }
                if let d = adoptedOn, d > req.application.clock() { errors.append(FieldError("datum", "cycle.adoptedInFuture")) }
                if let d = adoptedOn, let submitted = p.submittedAt, d < Day(submitted).start { errors.append(FieldError("datum", "cycle.adoptedBeforeSubmitted", [Format.day(submitted, req.language)])) }
                text = Input.text(values["besluit"], field: "besluit", max: 4000).collect(into: &errors)
            case .sendBack:
                text = Input.text(values["reden"], field: "reden", max: 4000).collect(into: &errors)
            default: break
            }
            guard errors.isEmpty else { throw ValidationFailure(errors) }
            try await CycleService.step(p, step, by: actor, consultationEnds: ends, adoptedOn: adoptedOn, text: text, req: req)
        }
    }

    func respond(req: Request) async throws -> Response {
        let (s, area, roles, p) = try await loadProduct(req)
        let values = FormParts.read(req).values
        return try await attempt(req, s, area, roles, p, values: values, flash: "cycle.responseThanks", anchor: "#reacties") {
            var errors: [FieldError] = []
            let role = ResponseRole(rawValue: values["rol"] ?? "")
            if role == nil { errors.append(FieldError("rol", "cycle.roleMissing")) }
            let text = Input.text(values["reactie"], field: "reactie", max: 4000).collect(into: &errors)
            let name = Input.text(values["naam"], field: "naam", max: 80, required: false).collect(into: &errors) ?? ""
            guard errors.isEmpty, let role, let text else { throw ValidationFailure(errors) }
            try await CycleService.respond(p, signedAs: name, role: role, text: text, req: req)
        }
    }

    func answer(req: Request) async throws -> Response {
        let (s, area, roles, p, values) = try await coordinatorProduct(req)
        guard let id = req.parameters.get("response", as: UUID.self),
              let response = try await CycleResponse.query(on: req.db).filter(\.$id == id).filter(\.$product.$id == p.requireID()).first() else { throw AppError.notFound("cycle.notFound") }
        return try await attempt(req, s, area, roles, p, values: values, flash: "cycle.answered", anchor: "#reacties") {
            var errors: [FieldError] = []
            let text = Input.text(values["antwoord-\(id.uuidString)"], field: "antwoord-\(id.uuidString)", max: 4000).collect(into: &errors)
            guard errors.isEmpty, let text else { throw ValidationFailure(errors) }
            try await CycleService.answer(response, text: text, product: p, req: req)
        }
    }

    func progress(req: Request) async throws -> Response {
        let (s, area, roles, p) = try await loadProduct(req)
        guard roles.coordinator else { throw AppError.forbidden }
        guard let id = req.parameters.get("item", as: UUID.self),
              let item = try await PlanItem.query(on: req.db).filter(\.$id == id).filter(\.$product.$id == p.requireID()).first() else { throw AppError.notFound("cycle.notFound") }
        let values = FormParts.read(req).values
        return try await attempt(req, s, area, roles, p, values: values, flash: "cycle.progressSaved", anchor: "#voortgang") {
            var errors: [FieldError] = []
            let text = Input.text(values["voortgang-\(id.uuidString)"], field: "voortgang-\(id.uuidString)", max: 1000, required: false).collect(into: &errors) ?? ""
            guard errors.isEmpty else { throw ValidationFailure(errors) }
            try await CycleService.progress(item, text: text, product: p, req: req)
        }
    }

    /// Links a signal, initiative, idea or council advice to a spearhead of the agenda.
    func link(req: Request) async throws -> Response {
        let (s, area, roles, p, values) = try await coordinatorProduct(req)
        return try await attempt(req, s, area, roles, p, values: values, flash: "cycle.link.saved", anchor: "#speerpunten") {
            let codes = Set(try await Spearhead.query(on: req.db).join(CycleProduct.self, on: \Spearhead.$product.$id == \CycleProduct.$id)
                .filter(CycleProduct.self, \.$area.$id == area.id).all().map(\.code))
            let code = (values["speerpunt"] ?? "").uppercased()
            guard codes.contains(code) else { throw ValidationFailure([FieldError("speerpunt", "cycle.link.spearheadMissing")]) }
            guard let reference = values["verwijzing"], !reference.trimmingCharacters(in: .whitespaces).isEmpty else {
                throw ValidationFailure([FieldError("verwijzing", "cycle.link.referenceMissing")])
            }
            try await CycleService.link(area: area, municipality: s.id, code: code, reference: String(reference.prefix(100)), req: req)
        }
    }

    /// A recurring problem from the area profile becomes a spearhead of the agenda's draft in one action, tracked
    /// so the monitor shows whether those signals went down afterwards.
    func recurringToAgenda(req: Request) async throws -> Response {
        let (s, area, roles) = try await load(req)
        guard roles.coordinator else { throw AppError.forbidden }
        let values = FormParts.read(req).values
        var errors: [FieldError] = []
        let subject = Input.text(values["onderwerp"], field: "onderwerp", max: 200).collect(into: &errors)
        let buurt = Input.text(values["buurt"], field: "buurt", max: 200).collect(into: &errors)
        guard errors.isEmpty, let subject, let buurt, s.neighbourhoods(of: area.id).contains(where: { $0.name == buurt }) else { throw AppError.badRequest("cycle.recurringUnknown") }
        let agenda = try await CycleService.startDraft(.agenda, area: area, municipality: s.id, req: req)
        guard agenda.status == .draft else {
            req.flash(req.t("cycle.agendaNotDraft"))
            return req.redirect(to: productLink(s, area, agenda))
        }
        let count = values["aantal"].flatMap(Int.init) ?? 0
        try await CycleService.addSpearhead(agenda, .init(title: req.t("cycle.recurring.title", subject, buurt), why: req.t("cycle.recurring.why", String(count), subject, buurt),
                                                          success: req.t("cycle.recurring.success", subject), involved: req.t("cycle.recurring.involved"),
                                                          trackedSubject: subject, trackedBuurt: buurt), req: req)
        req.flash(req.t("cycle.recurring.added"))
        return req.redirect(to: productLink(s, area, agenda) + "#speerpunten")
    }
}
