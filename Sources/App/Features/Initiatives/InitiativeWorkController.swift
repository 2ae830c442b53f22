import Vapor
import Fluent
import Domain

/// Staff: the initiatives of the areas (or the deciding department) a user follows; the coordinator's review,
/// questions and decision; the decision by whoever the budget names (council in a meeting, coordinator under
/// mandate, department).
struct InitiativeWorkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let follow = routes.access(.action(.followInitiatives))
        follow.get(Site.initiativeWork.route, use: list)
        follow.get(Site.initiativeWorkItem.route, use: show)
        let act = routes.access(.anyOf([.coordinateArea, .handleDepartmentWork]))
        act.post(Site.initiativeWorkItem("stap").route, use: step)
        act.post(Site.initiativeWorkItem("besluit").route, use: decide)
        act.post(Site.initiativeWorkItem("steun").route, use: recordSupport)
        routes.access(.action(.coordinateArea)).post(Site.initiativeWorkItem("voorbeeld").route, use: goodExample)
    }

    /// The initiatives an actor follows in a municipality (the same rule as `Permissions.allows(.followInitiatives)`).
    static func visible(_ actor: Actor, municipality m: UUID, on db: any Database) async throws -> QueryBuilder<Initiative> {
        let query = Initiative.query(on: db).filter(\.$municipality.$id == m).filter(\.$status != .draft)
        if Permissions.allows(actor, .followInitiatives(municipality: m, area: UUID(), department: nil)) { return query }
        let areas = actor.areaIDs.filter { Permissions.allows(actor, .followInitiatives(municipality: m, area: $0, department: nil)) }
        if !areas.isEmpty { return query.filter(\.$area.$id ~~ Array(areas)) }
        if let department = actor.departmentID, Permissions.allows(actor, .followInitiatives(municipality: m, area: UUID(), department: department)) {
            let budgets = try await AreaBudget.query(on: db).filter(\.$municipality.$id == m).filter(\.$departmentID == department).all().compactMap(\.id)
            return query.group(.or) { $0.filter(\.$budgetID ~~ budgets).filter(\.$taskDepartmentID == department) }
        }
        return query.filter(\.$id == UUID())
    }

    // MARK: List

    struct ListPage: Encodable {
        struct Row: Encodable { var code: String; var href: String; var title: String; var area: String; var status: String; var statusClass: String; var asked: String; var since: String; var iso: String }
        var page: PageMeta; var heading: String; var filters: [FieldView]; var rows: [Row]; var counts: [Count]; var budgetsHref: String?; var ideasHref: String?
        struct Count: Encodable { var label: String; var count: Int; var href: String }
    }

    func list(req: Request) async throws -> View {
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let status = InitiativeStatus(rawValue: req.query[String.self, at: "status"] ?? "")
        let areaSlug = req.query[String.self, at: "gebied"] ?? ""
        var query = try await Self.visible(actor, municipality: s.id, on: req.db)
        if let status { query = query.filter(\.$status == status) }
        if let area = s.area(slug: areaSlug) { query = query.filter(\.$area.$id == area.id) }
        let items = try await query.sort(\.$updatedAt, .descending).limit(500).all()
        let all = try await Self.visible(actor, municipality: s.id, on: req.db).all(\.$status)
        let dutch = req.language == .nl
        let heading = req.t("initiative.work.title")
        let base = Site.initiativeWork.link()
        return try await req.view.render("Initiatives/work-list", ListPage(
            page: req.page(heading, municipality: s.name, status: req.takeFlash()), heading: heading,
            filters: [
                FieldView(req, name: "status", label: req.t("initiative.filter.status"), type: "select", value: status?.rawValue ?? "",
                          options: [("", req.t("initiative.filter.allStatuses"))] + InitiativeStatus.allCases.filter(\.isPublic).map { ($0.rawValue, req.t("initiative.status." + $0.rawValue)) }),
                FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: areaSlug,
                          options: [("", req.t("initiative.filter.allAreas"))] + s.areas.map { ($0.slug, $0.name) }),
            ],
            rows: items.map { i in .init(code: i.code, href: Site.initiativeWorkItem.link(i.id!.uuidString), title: i.title, area: s.areas.first { $0.id == i.$area.id }?.name ?? "",
                                         status: req.t("initiative.status." + i.status.rawValue), statusClass: PublicInitiativesController.statusClass(i.status),
                                         asked: Money.format(i.askedCents, dutch: dutch), since: Format.day(i.updatedAt, req.language), iso: Format.isoDate(i.updatedAt)) },
            counts: [InitiativeStatus.submitted, .inReview, .waitingForInitiators, .toDecision, .granted, .inExecution, .accounted].map { st in
                .init(label: req.t("initiative.status." + st.rawValue), count: all.filter { $0 == st }.count, href: base + "?status=" + st.rawValue)
            },
            budgetsHref: Permissions.mayEver(actor, .manageBudgets) || Permissions.mayEver(actor, .coordinateArea) ? Site.budgets.link() : nil,
            ideasHref: Permissions.mayEver(actor, .coordinateArea) ? Site.ideaWork.link() : nil))
    }

    // MARK: One initiative

    struct ItemPage: Encodable {
        struct Contact: Encodable { var name: String; var email: String; var phone: String? }
        struct Option: Encodable { var value: String; var label: String }
        var page: PageMeta
        var details: InitiativeDetails
        var contact: Contact
        var publicHref: String?
        var forms: [InitiativePageBuilder.StepForm]
        var stepAction: String
        var decisionAction: String
        var decisionFields: [FieldView]
        var budgetsNote: String?
        var supportAction: String?
        var supportFields: [FieldView]
        var exampleAction: String?
        var exampleLabel: String
        var csrf: String
        var version: Int
        var back: String
    }

    private func load(_ req: Request) async throws -> (Initiative, Actor, MunicipalitySnapshot) {
        let actor = try await req.actor()
        guard let id = req.parameters.get("id", as: UUID.self), let initiative = try await Initiative.find(id, on: req.db), initiative.status != .draft else {
            throw AppError.notFound("initiative.unknown")
        }
        var department: UUID? = initiative.taskDepartmentID
        if department == nil, let budgetID = initiative.budgetID { department = try await AreaBudget.find(budgetID, on: req.db)?.departmentID }
        guard Permissions.allows(actor, .followInitiatives(municipality: initiative.$municipality.id, area: initiative.$area.id, department: department)) else { throw AppError.forbidden }
        let m = try await Municipality.find(initiative.$municipality.id, on: req.db)!
        return (initiative, actor, try await req.areas.snapshot(for: m, on: req.db))
    }

    /// Budgets of the initiative's area that this actor may decide on: a council's and the coordinator's budgets by
    /// the area's coordinator (who records the council's decision), a department's by that department.
    static func decidableBudgets(_ actor: Actor, _ i: Initiative, on db: any Database) async throws -> [AreaBudget] {
        let m = i.$municipality.id
        return try await AreaBudget.query(on: db).filter(\.$area.$id == i.$area.id).sort(\.$year, .descending).sort(\.$name).all().filter { b in
            guard i.kind.fits(budgetDecider: b.decider, budgetDepartment: b.departmentID, taskDepartment: i.taskDepartmentID) else { return false }
            switch b.decider {
            case .council, .coordinator: return Permissions.allows(actor, .coordinateArea(municipality: m, area: i.$area.id))
            case .department: return b.departmentID.map { Permissions.allows(actor, .handleDepartmentWork(municipality: m, department: $0)) } ?? false
            }
        }
    }

    func itemPage(_ req: Request, _ i: Initiative, _ actor: Actor, _ s: MunicipalitySnapshot, values: [String: String], errors: [FieldError]) async throws -> ItemPage {
        let details = try await InitiativePageBuilder.details(req, i, snapshot: s, forStaff: true)
        let coordinates = Permissions.allows(actor, .coordinateArea(municipality: s.id, area: i.$area.id))
        var forms: [InitiativePageBuilder.StepForm] = []
        if coordinates {
            for step in InitiativeLifecycle.steps(from: i.status) where !step.byInitiators && step != .grant && step != .decline {
                forms.append(InitiativePageBuilder.stepForm(req, step, values: values, errors: errors))
            }
        }
        var decisionFields: [FieldView] = []
        var budgetsNote: String? = nil
        if i.status == .toDecision {
            let budgets = try await Self.decidableBudgets(actor, i, on: req.db)
            if budgets.isEmpty { budgetsNote = req.t("initiative.decide.noBudget") } else {
                decisionFields = try await decisionForm(req, i, budgets: budgets, values: values, errors: errors)
            }
        }
        // Support other than money: recorded by the coordinator, or by a department for itself.
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$name).all()
            .filter { coordinates || Permissions.allows(actor, .handleDepartmentWork(municipality: s.id, department: $0.id!)) }
        let canRecordSupport = (coordinates || !departments.isEmpty) && ![.draft, .declined, .withdrawn].contains(i.status)
        let supportFields = !canRecordSupport ? [] : [
            FieldView(req, name: "soortsteun", label: req.t("initiative.given.kind"), type: "radios", value: values["soortsteun"] ?? "",
                      options: SupportKind.allCases.map { ($0.rawValue, req.t("initiative.support." + $0.rawValue)) }, errors: errors),
            FieldView(req, name: "door", label: req.t("initiative.given.department"), type: "select", value: values["door"] ?? "", optional: coordinates,
                      options: (coordinates ? [("", "–")] : []) + departments.map { ($0.id!.uuidString, $0.name) }, errors: errors),
            FieldView(req, name: "partner", label: req.t("initiative.given.partner"), value: values["partner"] ?? "", description: req.t("initiative.given.partnerHelp"),
                      optional: true, errors: errors),
            FieldView(req, name: "wat", label: req.t("initiative.given.what"), value: values["wat"] ?? "", errors: errors),
        ]
        let heading = i.title
        return ItemPage(
            page: req.page(heading, municipality: s.name, crumbs: [(req.t("initiative.work.title"), Site.initiativeWork.link())], errors: errors, status: req.takeFlash()),
            details: details, contact: .init(name: i.contactName, email: i.contactEmail, phone: i.contactPhone),
            publicHref: Site.initiative.link(s.slug, i.code), forms: forms, stepAction: Site.initiativeWorkItem("stap").link(i.id!.uuidString),
            decisionAction: Site.initiativeWorkItem("besluit").link(i.id!.uuidString), decisionFields: decisionFields, budgetsNote: budgetsNote,
            supportAction: canRecordSupport ? Site.initiativeWorkItem("steun").link(i.id!.uuidString) : nil, supportFields: supportFields,
            exampleAction: coordinates && [.inExecution, .accounted, .closed, .granted].contains(i.status) ? Site.initiativeWorkItem("voorbeeld").link(i.id!.uuidString) : nil,
            exampleLabel: req.t(i.goodExample ? "initiative.example.unmark" : "initiative.example.mark"),
            csrf: req.csrfToken(), version: i.version, back: Site.initiativeWork.link())
    }

    private func decisionForm(_ req: Request, _ i: Initiative, budgets: [AreaBudget], values: [String: String], errors: [FieldError]) async throws -> [FieldView] {
        let dutch = req.language == .nl
        var fields = [
            FieldView(req, name: "besluit", label: req.t("initiative.decide.what"), type: "radios", value: values["besluit"] ?? "",
                      options: [("toekennen", req.t("initiative.decide.grant")), ("afwijzen", req.t("initiative.decide.decline"))], errors: errors),
            FieldView(req, name: "budget", label: req.t("initiative.decide.budget"), type: "select", value: values["budget"] ?? "",
                      description: req.t("initiative.decide.budgetHelp"),
                      options: budgets.map { b in (b.id!.uuidString, req.t("initiative.decide.budgetOption", b.name, String(b.year), Money.format(b.availableCents, dutch: dutch),
                                                                              req.t("budget.decider." + b.decider.rawValue))) }, errors: errors),
            FieldView(req, name: "bedrag", label: req.t("initiative.decide.amount"), value: values["bedrag"] ?? Money.plain(i.askedCents, dutch: dutch),
                      description: req.t("initiative.decide.amountHelp", Money.format(i.askedCents, dutch: dutch)), errors: errors),
        ]
        if budgets.contains(where: { $0.decider == .council }) {
            let now = req.application.clock()
            let meetings: [CouncilMeeting]
            if let council = try await Council.query(on: req.db).filter(\.$area.$id == i.$area.id).first() {
                meetings = try await CouncilMeeting.query(on: req.db).filter(\.$council.$id == council.requireID()).filter(\.$startsAt <= now)
                    .filter(\.$startsAt >= now.addingTimeInterval(-400 * 86_400)).filter(\.$isPublic == true).sort(\.$startsAt, .descending).limit(20).all()
            } else { meetings = [] }
            fields.append(FieldView(req, name: "vergadering", label: req.t("initiative.decide.meeting"), type: "select", value: values["vergadering"] ?? "",
                                    description: req.t("initiative.decide.meetingHelp"), optional: true,
                                    options: [("", req.t("initiative.decide.noMeeting"))] + meetings.map { ($0.id!.uuidString, Format.dateTime($0.startsAt, req.language)) }, errors: errors))
        }
        fields.append(FieldView(req, name: "motivering", label: req.t("initiative.decide.motivation"), type: "textarea", value: values["motivering"] ?? "",
                                description: req.t("initiative.decide.motivationHelp"), errors: errors))
        return fields
    }

    func show(req: Request) async throws -> View {
        let (initiative, actor, s) = try await load(req)
        return try await req.view.render("Initiatives/work-item", itemPage(req, initiative, actor, s, values: [:], errors: []))
    }

    /// Runs a change and comes back to the page: with the message, or with the problems and the input kept.
    private func change(_ req: Request, _ body: (Initiative, Actor, [String: String]) async throws -> String) async throws -> Response {
        let (initiative, actor, s) = try await load(req)
        let values = FormParts.read(req).values
        do {
            let message = try await body(initiative, actor, values)
            req.flash(message)
            return req.redirect(to: Site.initiativeWorkItem.link(initiative.id!.uuidString))
        } catch let failure as ValidationFailure {
            let fresh = try await Initiative.find(initiative.id, on: req.db) ?? initiative
            return try await req.render("Initiatives/work-item", itemPage(req, fresh, actor, s, values: values, errors: failure.errors), status: failure.status)
        }
    }

    func step(req: Request) async throws -> Response {
        try await change(req) { initiative, actor, values in
            guard Permissions.allows(actor, .coordinateArea(municipality: initiative.$municipality.id, area: initiative.$area.id)) else { throw AppError.forbidden }
            guard let step = InitiativeStep(rawValue: values["stap"] ?? ""), !step.byInitiators, step != .grant, step != .decline else {
                throw ValidationFailure([FieldError("stap", "initiative.stepNotPossible")])
            }
            var errors: [FieldError] = []
            let text = Input.text(values["tekst"], field: "tekst", max: 4000, required: step == .ask).collect(into: &errors)
            guard errors.isEmpty else { throw ValidationFailure(errors) }
            let version = Int(values["versie"] ?? "") ?? -1
            if step == .startExecution {
                try await InitiativeService.startExecution(initiative, expectedVersion: version, user: req.authUser, req: req)
            } else {
                try await InitiativeService.step(initiative, step, text: text, expectedVersion: version, user: req.authUser, req: req)
            }
            return req.t("initiative.stepDone." + step.rawValue)
        }
    }

    func decide(req: Request) async throws -> Response {
        try await change(req) { initiative, actor, values in
            var errors: [FieldError] = []
            let grant: Bool? = values["besluit"] == "toekennen" ? true : (values["besluit"] == "afwijzen" ? false : nil)
            if grant == nil { errors.append(FieldError("besluit", "initiative.decide.whatMissing")) }
            let budgets = try await Self.decidableBudgets(actor, initiative, on: req.db)
            let budget = budgets.first { $0.id?.uuidString == values["budget"] }
            if budget == nil { errors.append(FieldError("budget", budgets.isEmpty ? "initiative.decide.noBudget" : "initiative.decide.budgetMissing")) }
            let cents = grant == true ? Input.cents(values["bedrag"], field: "bedrag", errors: &errors) : nil
            let motivation = Input.text(values["motivering"], field: "motivering", max: 4000, required: false).collect(into: &errors) ?? ""
            var meeting: CouncilMeeting? = nil
            if let raw = values["vergadering"], !raw.isEmpty {
                if let id = UUID(uuidString: raw) { meeting = try await CouncilMeeting.find(id, on: req.db) }
                if meeting == nil { errors.append(FieldError("vergadering", "initiative.grant.meetingRequired")) }
            }
            guard errors.isEmpty, let grant, let budget else { throw ValidationFailure(errors) }
            try await InitiativeService.decide(initiative, grantCents: grant ? cents : nil, budget: budget, meeting: budget.decider == .council ? meeting : nil,
                                               motivation: motivation, expectedVersion: Int(values["versie"] ?? "") ?? -1, user: req.authUser, req: req)
            return req.t(grant ? "initiative.stepDone.grant" : "initiative.stepDone.decline")
        }
    }

    func recordSupport(req: Request) async throws -> Response {
        try await change(req) { initiative, actor, values in
            let m = initiative.$municipality.id
            let coordinates = Permissions.allows(actor, .coordinateArea(municipality: m, area: initiative.$area.id))
            var errors: [FieldError] = []
            let kind = SupportKind(rawValue: values["soortsteun"] ?? "")
            if kind == nil { errors.append(FieldError("soortsteun", "initiative.given.kindMissing")) }
            var department: UUID? = nil
            if let raw = values["door"], !raw.isEmpty {
                department = try await Department.query(on: req.db).filter(\.$municipality.$id == m).all().first { $0.id?.uuidString == raw }?.id
                if department == nil { errors.append(FieldError("door", "initiative.given.byMissing")) }
            }
            let partner = Input.text(values["partner"], field: "partner", max: 120, required: false).collect(into: &errors) ?? ""
            if department == nil && partner.isEmpty && !errors.contains(where: { $0.field == "door" }) { errors.append(FieldError("door", "initiative.given.byMissing")) }
            // A department records only its own support; the coordinator records anyone's.
            if !coordinates && !(department.map { Permissions.allows(actor, .handleDepartmentWork(municipality: m, department: $0)) } ?? false) { throw AppError.forbidden }
            let text = Input.text(values["wat"], field: "wat", max: 500).collect(into: &errors)
            if [.draft, .declined, .withdrawn].contains(initiative.status) { errors.append(FieldError("soortsteun", "initiative.stepNotPossible")) }
            guard errors.isEmpty, let kind, let text else { throw ValidationFailure(errors) }
            try await InitiativeService.recordSupport(initiative, kind: kind, department: department, partner: department == nil ? partner : "", text: text, user: req.authUser, req: req)
            return req.t("initiative.given.recorded")
        }
    }

    func goodExample(req: Request) async throws -> Response {
        try await change(req) { initiative, actor, values in
            guard Permissions.allows(actor, .coordinateArea(municipality: initiative.$municipality.id, area: initiative.$area.id)) else { throw AppError.forbidden }
            try await InitiativeService.setGoodExample(initiative, !initiative.goodExample, expectedVersion: Int(values["versie"] ?? "") ?? -1, req: req)
            return req.t(initiative.goodExample ? "initiative.example.marked" : "initiative.example.unmarked")
        }
    }
}
