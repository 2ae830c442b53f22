import Vapor
import Fluent
import Domain

/// Council membership: the public council page (term, members, vacancies, next term) with the candidate form,
/// and for staff the members, the selection group and the candidates' flow
/// (applied → checked → nominated → appointed, or ineligible / not nominated / withdrawn), every step audited.
struct MembershipController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get("gemeenten", ":municipality", "gebieden", ":area", "raad", use: publicCouncil)
        open.get("gemeenten", ":municipality", "gebieden", ":area", "raad", "aanmelden", use: applyForm)
        open.post("gemeenten", ":municipality", "gebieden", ":area", "raad", "aanmelden", use: apply)
        let w = routes.grouped("werk", "raden", ":council", "leden")
        // Coordinators run the candidates' flow; the college appoints.
        let flow = w.access(.anyOf([.coordinateArea, .decideForCollege])), coordinate = w.access(.action(.coordinateArea))
        flow.get(use: members)
        coordinate.post("lid", use: addMember)
        coordinate.post("lid", ":member", "gestopt", use: resign)
        coordinate.post("selectiegroep", use: addSelector)
        flow.post("kandidaten", ":candidate", use: step)
        routes.access(.action(.coordinateArea)).post("werk", "raden", "alternatief", use: recordAlternative)
    }

    // MARK: Public

    struct PublicPage: Encodable {
        struct Member: Encodable { var name: String; var role: String }
        var page: PageMeta
        var heading: String
        var term: String
        var nextTerm: String
        var members: [Member]
        var seats: Int
        var vacancies: Int
        var applyHref: String
        var meetingsHref: String
        var demo: Bool
    }

    private func publicContext(_ req: Request) async throws -> (Municipality, MunicipalitySnapshot.AreaInfo, Council, CouncilSettings) {
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        let s = try await req.areas.snapshot(for: m, on: req.db)
        guard let area = s.area(slug: req.parameters.get("area") ?? ""),
              let council = try await Council.query(on: req.db).filter(\.$area.$id == area.id).first() else { throw AppError.notFound("council.none") }
        return (m, area, council, try await CouncilSettings.load(try m.requireID(), on: req.db))
    }

    func publicCouncil(req: Request) async throws -> View {
        let (m, area, council, settings) = try await publicContext(req)
        let now = req.application.clock(), lang = req.language
        let term = settings.calendar.term(containing: now)
        let members = try await CouncilMember.query(on: req.db).filter(\.$council.$id == council.requireID()).sort(\.$name).all().filter { $0.isActive(at: now) }
        let base = Paths.area(m.slug, area.slug)
        return try await req.view.render("Councils/council", PublicPage(
            page: req.page(council.name, municipality: m.name, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug)), (area.name, base)]),
            heading: council.name, term: req.t("membership.term", Format.day(term.start, lang), Format.day(term.end, lang)),
            nextTerm: req.t("membership.nextTerm", Format.day(term.end, lang)),
            members: members.map { .init(name: $0.name, role: req.t("membership.role.\($0.role)")) }, seats: council.seats,
            vacancies: Candidacy.vacancies(seats: council.seats, members: members.count), applyHref: base + "/raad/aanmelden",
            meetingsHref: Paths.municipality(m.slug) + "/vergaderingen", demo: council.demo))
    }

    struct ApplyPage: Encodable { var page: PageMeta; var heading: String; var profile: [String]; var form: FormView; var demo: Bool }

    private func applyPage(_ req: Request, _ m: Municipality, _ area: MunicipalitySnapshot.AreaInfo, _ council: Council, values: [String: String], errors: [FieldError]) async throws -> ApplyPage {
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let yesNo = [(value: "nee", label: req.t("membership.no")), (value: "ja", label: req.t("membership.yes"))]
        let heading = req.t("membership.applyTitle", council.name)
        return ApplyPage(
            page: req.page(heading, municipality: m.name, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug)), (area.name, Paths.area(m.slug, area.slug)),
                                                                   (council.name, Paths.area(m.slug, area.slug) + "/raad")], errors: errors),
            heading: heading, profile: req.language == .nl ? Candidacy.profileNL : Candidacy.profileEN,
            form: FormView(action: Paths.area(m.slug, area.slug) + "/raad/aanmelden", submitLabel: req.t("membership.apply"), fields: [
                FieldView(req, name: "naam", label: req.t("membership.name"), value: values["naam"] ?? "", autocomplete: "name", errors: errors),
                FieldView(req, name: "email", label: req.t("signal.field.email"), type: "email", value: values["email"] ?? "", autocomplete: "email", errors: errors),
                FieldView(req, name: "telefoon", label: req.t("signal.field.phone"), type: "tel", value: values["telefoon"] ?? "", optional: true, autocomplete: "tel", errors: errors),
                FieldView(req, name: "buurt", label: req.t("membership.buurt"), type: "select", value: values["buurt"] ?? "", description: req.t("membership.buurtHelp", area.name),
                          options: [(value: "", label: req.t("membership.chooseBuurt"))] + s.neighbourhoods.sorted { $0.name < $1.name }.map { (value: $0.id.uuidString, label: $0.name) }, errors: errors),
                FieldView(req, name: "adres", label: req.t("membership.address"), value: values["adres"] ?? "", optional: true, autocomplete: "street-address", errors: errors),
                FieldView(req, name: "politiek", label: req.t("membership.politics"), type: "radios", value: values["politiek"] ?? "", options: yesNo, errors: errors),
                FieldView(req, name: "gemeente", label: req.t("membership.employed", m.name), type: "radios", value: values["gemeente"] ?? "", options: yesNo, errors: errors),
                FieldView(req, name: "motivatie", label: req.t("membership.motivation"), type: "textarea", value: values["motivatie"] ?? "", description: req.t("membership.motivationHelp"), errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true), demo: council.demo)
    }

    func applyForm(req: Request) async throws -> View {
        let (m, area, council, _) = try await publicContext(req)
        return try await req.view.render("Councils/apply", applyPage(req, m, area, council, values: [:], errors: []))
    }

    /// The eligibility facts of a candidate for this council (staff accounts by e-mail; the selection group of the round).
    static func facts(name: String, email: String, neighbourhood: UUID?, politics: Bool, employed: Bool, council: Council, termStart: Date,
                      snapshot: MunicipalitySnapshot, on db: any Database) async throws -> CouncilRules.CandidateFacts {
        let area = neighbourhood.flatMap { id in snapshot.neighbourhoods.first { $0.id == id }?.areaID }
        let staff = try await User.query(on: db).filter(\.$municipality.$id == council.$municipality.id).all().contains { $0.email.lowercased() == email.lowercased() }
        let group = try await SelectionGroupMember.query(on: db).filter(\.$council.$id == council.requireID()).filter(\.$termStart == termStart).all()
        return CouncilRules.CandidateFacts(livesInArea: area, politicallyActive: politics, employedByMunicipality: employed, hasStaffAccount: staff,
                                           inSelectionGroup: group.contains { Candidacy.samePerson(($0.email, $0.name), (email, name)) })
    }

    func apply(req: Request) async throws -> Response {
        let (m, area, council, settings) = try await publicContext(req)
        let values = FormParts.read(req).values
        var errors: [FieldError] = []
        if !req.csrfValid(values["csrf"]) { errors.append(FieldError("formulier", "form.csrf")) }
        let name = Input.text(values["naam"], field: "naam", max: 120).collect(into: &errors)
        let email = Credentials.normaliseEmail(values["email"] ?? "", field: "email").collect(into: &errors)
        let phone = Input.text(values["telefoon"], field: "telefoon", max: 30, required: false).collect(into: &errors)
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let buurt = values["buurt"].flatMap(UUID.init(uuidString:)).flatMap { id in s.neighbourhoods.contains { $0.id == id } ? id : nil }
        if buurt == nil { errors.append(FieldError("buurt", "membership.buurtMissing")) }
        let address = Input.text(values["adres"], field: "adres", max: 200, required: false).collect(into: &errors)
        for field in ["politiek", "gemeente"] where !["ja", "nee"].contains(values[field] ?? "") { errors.append(FieldError(field, "membership.yesNoMissing")) }
        let motivation = Input.text(values["motivatie"], field: "motivatie", max: 4000).collect(into: &errors)
        let now = req.application.clock()
        let termStart = settings.calendar.term(containing: now).start
        if errors.isEmpty, let name, let email {
            let facts = try await Self.facts(name: name, email: email, neighbourhood: buurt, politics: values["politiek"] == "ja", employed: values["gemeente"] == "ja",
                                             council: council, termStart: termStart, snapshot: s, on: req.db)
            // Whether the address belongs to a staff member is not told here (that would let anyone probe
            // which addresses are staff): the coordinator's check reports it after the application is stored.
            for reason in CouncilRules.ineligibilities(facts, councilArea: area.id) where reason != .staffAccount {
                let field = [CouncilRules.Ineligibility.livesOutsideArea: "buurt", .addressUnknown: "buurt", .politicallyActive: "politiek",
                             .employedByMunicipality: "gemeente", .staffAccount: "email", .inSelectionGroup: "naam"][reason] ?? "formulier"
                errors.append(FieldError(field, "membership.ineligible.\(reason.rawValue)", [area.name, m.name]))
            }
        }
        // A second application with the same address gets the same answer as the first (nothing tells
        // whether an address applied), and is not stored twice.
        var alreadyApplied = false
        if errors.isEmpty, let email {
            alreadyApplied = try await CouncilCandidate.query(on: req.db).filter(\.$council.$id == council.requireID()).filter(\.$termStart == termStart).all()
                .contains(where: { $0.email.lowercased() == email.lowercased() && ![.withdrawn, .notNominated, .ineligible].contains($0.state) })
        }
        guard errors.isEmpty, let name, let email, let motivation else {
            let status: HTTPResponseStatus = errors.contains { $0.field == "formulier" } ? .forbidden : .unprocessableEntity
            return try await req.render("Councils/apply", applyPage(req, m, area, council, values: values, errors: errors), status: status)
        }
        let thanks = AppliedPage(page: req.page(req.t("membership.thanksTitle"), municipality: m.name),
                                 heading: req.t("membership.thanksTitle"), text: req.t("membership.thanks", council.name),
                                 back: Paths.area(m.slug, area.slug) + "/raad")
        if alreadyApplied { return try await req.render("Councils/applied", thanks, status: .created) }
        let candidate = CouncilCandidate()
        candidate.$council.id = try council.requireID()
        candidate.termStart = termStart
        candidate.name = name
        candidate.email = email
        candidate.phone = (phone ?? "").isEmpty ? nil : phone
        candidate.neighbourhoodID = buurt
        candidate.address = (address ?? "").isEmpty ? nil : address
        candidate.politicallyActive = false
        candidate.employed = false
        candidate.motivation = motivation
        candidate.status = Candidacy.Status.applied.rawValue
        candidate.reasons = ""
        candidate.appliedAt = now
        candidate.updatedAt = now
        try await req.db.transaction { db in
            try await candidate.create(on: db)
            // No personal data in the log: the application's state, not who applied.
            try await AuditLog.record(on: db, by: nil, action: .councilCandidateApply, subject: .init(id: candidate.id?.uuidString,
                                      summary: council.name, municipalityID: m.id), after: ["status": candidate.status], requestID: req.id, at: now)
        }
        return try await req.render("Councils/applied", thanks, status: .created)
    }

    struct AppliedPage: Encodable { var page: PageMeta; var heading: String; var text: String; var back: String }

    // MARK: Staff

    struct MembersPage: Encodable {
        struct Member: Encodable { var name: String; var role: String; var period: String; var resign: String? }
        struct Candidate: Encodable { var id: String; var name: String; var contact: String; var buurt: String; var status: String; var reasons: String; var applied: String; var steps: [StepButton] }
        struct StepButton: Encodable { var action: String; var step: String; var label: String }
        var page: PageMeta
        var heading: String
        var term: String
        var vacancies: Int
        var members: [Member]
        var selectors: [String]
        var candidates: [Candidate]
        var forms: [FormView]
        var csrf: String
        var canAppoint: Bool
        var demo: Bool
        var today: String
    }

    private func loadCouncil(_ req: Request) async throws -> (Council, Actor, CouncilSettings) {
        _ = try req.requireUser()
        let actor = try await req.actor()
        guard let id = req.parameters.get("council", as: UUID.self), let council = try await Council.find(id, on: req.db) else { throw AppError.notFound() }
        let mid = council.$municipality.id, area = council.$area.id
        guard Permissions.allows(actor, .coordinateArea(municipality: mid, area: area)) || Permissions.allows(actor, .decideForCollege(municipality: mid, area: area)) else {
            throw AppError.forbidden
        }
        return (council, actor, try await CouncilSettings.load(mid, on: req.db))
    }

    private func membersPage(_ req: Request, _ council: Council, _ actor: Actor, _ settings: CouncilSettings, values: [String: String] = [:], errors: [FieldError] = []) async throws -> MembersPage {
        let now = req.application.clock(), lang = req.language
        let term = settings.calendar.term(containing: now)
        let cid = try council.requireID()
        let base = "/werk/raden/\(cid)/leden"
        let coordinates = Permissions.allows(actor, .coordinateArea(municipality: council.$municipality.id, area: council.$area.id))
        let canAppoint = Permissions.allows(actor, .decideForCollege(municipality: council.$municipality.id, area: council.$area.id))
        let members = try await CouncilMember.query(on: req.db).filter(\.$council.$id == cid).sort(\.$name).all()
        let active = members.filter { $0.isActive(at: now) }
        let selectors = try await SelectionGroupMember.query(on: req.db).filter(\.$council.$id == cid).filter(\.$termStart == term.start).sort(\.$name).all()
        let candidates = try await CouncilCandidate.query(on: req.db).filter(\.$council.$id == cid).sort(\.$appliedAt).all()
        let m = try await Municipality.find(council.$municipality.id, on: req.db)!
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let csrf = req.csrfToken()
        var forms: [FormView] = []
        if coordinates {
            forms.append(FormView(action: base + "/lid", submitLabel: req.t("membership.addMember"), fields: [
                FieldView(req, name: "naam", label: req.t("membership.name"), value: values["naam"] ?? "", errors: errors),
                FieldView(req, name: "email", label: req.t("signal.field.email"), type: "email", value: values["email"] ?? "", optional: true, errors: errors),
                FieldView(req, name: "rol", label: req.t("membership.roleLabel"), type: "select", value: values["rol"] ?? "member",
                          options: CouncilMember.roles.map { (value: $0, label: req.t("membership.role.\($0)")) }, errors: errors),
                FieldView(req, name: "vanaf", label: req.t("membership.from"), type: "date", value: values["vanaf"] ?? Format.isoDay(now), description: req.t("audit.dateHelp"), errors: errors),
            ], csrf: csrf, showRequiredNote: false))
            forms.append(FormView(action: base + "/selectiegroep", submitLabel: req.t("membership.addSelector"), fields: [
                FieldView(req, name: "selector_naam", label: req.t("membership.name"), value: values["selector_naam"] ?? "", errors: errors),
                FieldView(req, name: "selector_email", label: req.t("signal.field.email"), type: "email", value: values["selector_email"] ?? "", optional: true, errors: errors),
            ], csrf: csrf, showRequiredNote: false))
        }
        let heading = req.t("membership.staffTitle", council.name)
        return MembersPage(
            page: req.page(heading, crumbs: [(req.t("councilWork.title"), "/werk/raden"), (council.name, "/werk/raden/\(cid)")], errors: errors, status: req.takeFlash()),
            heading: heading, term: req.t("membership.term", Format.day(term.start, lang), Format.day(term.end, lang)),
            vacancies: Candidacy.vacancies(seats: council.seats, members: active.count),
            members: members.map { mem in
                .init(name: mem.name, role: req.t("membership.role.\(mem.role)"),
                      period: Format.day(mem.startsOn, lang) + " – " + Format.day(mem.resignedOn ?? mem.endsOn, lang) + (mem.resignedOn != nil ? " (" + req.t("membership.resigned") + ")" : ""),
                      resign: coordinates && mem.isActive(at: now) ? base + "/lid/\(mem.id!)/gestopt" : nil)
            },
            selectors: selectors.map { $0.name },
            candidates: candidates.map { c in
                let steps = Candidacy.steps(from: c.state).filter { $0 == .appoint ? canAppoint : coordinates }
                return .init(id: c.id!.uuidString, name: c.name, contact: [c.email, c.phone].compactMap { $0 }.joined(separator: ", "),
                             buurt: c.neighbourhoodID.flatMap { id in s.neighbourhoods.first { $0.id == id }?.name } ?? (c.address ?? "–"),
                             status: req.t("membership.status.\(c.status)"),
                             reasons: c.reasons.split(separator: ",").map { req.t("membership.reason.\($0)") }.joined(separator: " "),
                             applied: Format.day(c.appliedAt, lang),
                             steps: steps.map { .init(action: base + "/kandidaten/\(c.id!)", step: $0.rawValue, label: req.t("membership.step.\($0.rawValue)", c.name)) })
            },
            forms: forms, csrf: csrf, canAppoint: canAppoint, demo: council.demo, today: Format.isoDay(now))
    }

    func members(req: Request) async throws -> View {
        let (council, actor, settings) = try await loadCouncil(req)
        return try await req.view.render("Councils/members", membersPage(req, council, actor, settings))
    }

    private func act(_ req: Request, coordinate: Bool = true, _ body: (Council, CouncilSettings, [String: String]) async throws -> String) async throws -> Response {
        let (council, actor, settings) = try await loadCouncil(req)
        if coordinate && !Permissions.allows(actor, .coordinateArea(municipality: council.$municipality.id, area: council.$area.id)) { throw AppError.forbidden }
        let values = FormParts.read(req).values
        do {
            try req.checkCSRF(values["csrf"])
            req.flash(try await body(council, settings, values))
            return req.redirect(to: "/werk/raden/\(council.id!)/leden")
        } catch let failure as ValidationFailure {
            return try await req.render("Councils/members", membersPage(req, council, actor, settings, values: values, errors: failure.errors), status: failure.status)
        }
    }

    func addMember(req: Request) async throws -> Response {
        try await act(req) { council, settings, values in
            var errors: [FieldError] = []
            let name = Input.text(values["naam"], field: "naam", max: 120).collect(into: &errors)
            var email: String? = nil
            if let raw = values["email"], !raw.isEmpty { email = Credentials.normaliseEmail(raw, field: "email").collect(into: &errors) }
            let role = values["rol"] ?? ""
            if !CouncilMember.roles.contains(role) { errors.append(FieldError("rol", "membership.roleMissing")) }
            let from = Format.parseDay(values["vanaf"] ?? "")
            if from == nil { errors.append(FieldError("vanaf", "councilWork.dateInvalid")) }
            guard errors.isEmpty, let name, let from else { throw ValidationFailure(errors) }
            let term = settings.calendar.term(containing: from)
            let existing = try await CouncilMember.query(on: req.db).filter(\.$council.$id == council.requireID()).all()
            if existing.contains(where: { Candidacy.samePerson(($0.email, $0.name), (email, name)) && Candidacy.overlaps(($0.startsOn, $0.resignedOn ?? $0.endsOn), (from, term.end)) }) {
                throw ValidationFailure([FieldError("naam", "membership.overlap", [name])])
            }
            try await Self.createMember(council: council, name: name, email: email, role: role, from: from, until: term.end, by: req)
            return req.t("membership.memberAdded", name)
        }
    }

    static func createMember(council: Council, name: String, email: String?, role: String, from: Date, until: Date, by req: Request, on db: (any Database)? = nil) async throws {
        let member = CouncilMember()
        member.$council.id = try council.requireID()
        member.name = name
        member.email = email
        member.role = role
        member.startsOn = from
        member.endsOn = until
        member.demo = false
        try await member.create(on: db ?? req.db)
        try await req.audit(.councilMemberAdd, .init(id: member.id?.uuidString, summary: "\(council.name): \(name)", municipalityID: council.$municipality.id),
                            after: ["name": name, "role": role, "startsOn": Format.isoDay(from), "endsOn": Format.isoDay(until)], on: db)
    }

    func resign(req: Request) async throws -> Response {
        try await act(req) { council, _, values in
            guard let id = req.parameters.get("member", as: UUID.self), let member = try await CouncilMember.find(id, on: req.db), member.$council.id == council.id else { throw AppError.notFound() }
            let date = Format.parseDay(values["datum"] ?? "") ?? req.application.clock()
            guard date >= member.startsOn else { throw ValidationFailure([FieldError("formulier", "membership.resignBeforeStart")]) }
            member.resignedOn = date
            try await req.db.transaction { db in
                try await member.update(on: db)
                try await req.audit(.councilMemberResign, .init(id: member.id?.uuidString, summary: "\(council.name): \(member.name)", municipalityID: council.$municipality.id),
                                    before: ["resignedOn": "–"], after: ["resignedOn": Format.isoDay(date)], on: db)
            }
            return req.t("membership.memberResigned", member.name)
        }
    }

    func addSelector(req: Request) async throws -> Response {
        try await act(req) { council, settings, values in
            var errors: [FieldError] = []
            let name = Input.text(values["selector_naam"], field: "selector_naam", max: 120).collect(into: &errors)
            var email: String? = nil
            if let raw = values["selector_email"], !raw.isEmpty { email = Credentials.normaliseEmail(raw, field: "selector_email").collect(into: &errors) }
            guard errors.isEmpty, let name else { throw ValidationFailure(errors) }
            let termStart = settings.calendar.term(containing: req.application.clock()).start
            // Nobody in the selection group may be a candidate in the same round.
            let candidates = try await CouncilCandidate.query(on: req.db).filter(\.$council.$id == council.requireID()).filter(\.$termStart == termStart).all()
            if candidates.contains(where: { ![.withdrawn].contains($0.state) && Candidacy.samePerson(($0.email, $0.name), (email, name)) }) {
                throw ValidationFailure([FieldError("selector_naam", "membership.selectorIsCandidate", [name])])
            }
            let selector = SelectionGroupMember()
            selector.$council.id = try council.requireID()
            selector.termStart = termStart
            selector.name = name
            selector.email = email
            try await req.db.transaction { db in
                try await selector.create(on: db)
                try await req.audit(.councilSelectionGroupAdd, .init(id: selector.id?.uuidString, summary: "\(council.name): \(name)", municipalityID: council.$municipality.id),
                                    after: ["name": name, "termStart": Format.isoDay(termStart)], on: db)
            }
            return req.t("membership.selectorAdded", name)
        }
    }

    func step(req: Request) async throws -> Response {
        let values = FormParts.read(req).values
        let stepName = Candidacy.Step(rawValue: values["stap"] ?? "")
        if stepName == .appoint {
            // Only the college (the area's alderman, the executive) appoints.
            let (council, actor, _) = try await loadCouncil(req)
            guard Permissions.allows(actor, .decideForCollege(municipality: council.$municipality.id, area: council.$area.id)) else { throw AppError.forbidden }
        }
        return try await act(req, coordinate: stepName != .appoint) { council, settings, values in
            guard let id = req.parameters.get("candidate", as: UUID.self), let candidate = try await CouncilCandidate.find(id, on: req.db), candidate.$council.id == council.id else {
                throw AppError.notFound()
            }
            guard let step = stepName else { throw ValidationFailure([FieldError("formulier", "membership.stepUnknown")]) }
            let now = req.application.clock()
            var eligible = true
            var reasons: [CouncilRules.Ineligibility] = []
            if step == .check {
                let m = try await Municipality.find(council.$municipality.id, on: req.db)!
                let s = try await req.areas.snapshot(for: m, on: req.db)
                let facts = try await Self.facts(name: candidate.name, email: candidate.email, neighbourhood: candidate.neighbourhoodID, politics: candidate.politicallyActive,
                                                 employed: candidate.employed, council: council, termStart: candidate.termStart, snapshot: s, on: req.db)
                reasons = CouncilRules.ineligibilities(facts, councilArea: council.$area.id)
                eligible = reasons.isEmpty
            }
            var decision: Date? = nil
            if step == .appoint {
                guard let d = Format.parseDay(values["besluitdatum"] ?? ""), d <= now else {
                    throw ValidationFailure([FieldError("formulier", "membership.decisionDateMissing")])
                }
                decision = d
            }
            guard let next = Candidacy.next(candidate.state, step, eligible: eligible) else {
                throw ValidationFailure([FieldError("formulier", "membership.stepNotAllowed")], status: .conflict)
            }
            let before = candidate.status
            candidate.status = next.rawValue
            candidate.reasons = reasons.map(\.rawValue).joined(separator: ",")
            candidate.updatedAt = now
            candidate.decisionDate = decision ?? candidate.decisionDate
            let term = settings.calendar.term(containing: candidate.termStart)
            let decided = decision
            try await req.db.transaction { db in
                try await candidate.update(on: db)
                try await req.audit(Self.auditAction(step), .init(id: candidate.id?.uuidString, summary: council.name, municipalityID: council.$municipality.id),
                                    before: ["status": before], after: ["status": next.rawValue], on: db)
                if next == .appointed, let decided {
                    try await Self.createMember(council: council, name: candidate.name, email: candidate.email, role: "member", from: max(decided, term.start), until: term.end, by: req, on: db)
                }
            }
            return req.t("membership.stepDone.\(next.rawValue)", candidate.name)
        }
    }

    // MARK: Alternative participation

    func recordAlternative(req: Request) async throws -> Response {
        _ = try req.requireUser()
        let values = FormParts.read(req).values
        guard let areaID = values["gebied"].flatMap(UUID.init(uuidString:)), let area = try await Area.find(areaID, on: req.db) else { throw AppError.notFound() }
        try await req.authorize(.coordinateArea(municipality: area.$municipality.id, area: areaID))
        guard req.csrfValid(values["csrf"]) else { throw AppError(status: .forbidden, key: "form.csrf") }
        var errors: [FieldError] = []
        let text = Input.text(values["vorm"], field: "vorm", max: 2000).collect(into: &errors)
        let since = Format.parseDay(values["sinds"] ?? ""), decided = Format.parseDay(values["besluit"] ?? "")
        if since == nil { errors.append(FieldError("sinds", "councilWork.dateInvalid")) }
        if decided == nil { errors.append(FieldError("besluit", "councilWork.dateInvalid")) }
        if try await Council.query(on: req.db).filter(\.$area.$id == areaID).count() > 0 { errors.append(FieldError("vorm", "membership.areaHasCouncil")) }
        guard errors.isEmpty, let text, let since, let decided else { throw AppError(status: .unprocessableEntity, key: errors.first!.key) }
        let record = try await AlternativeParticipation.query(on: req.db).filter(\.$area.$id == areaID).first() ?? AlternativeParticipation()
        let before: [String: String]? = record.id == nil ? nil : ["text": record.text, "since": Format.isoDay(record.since), "decidedOn": Format.isoDay(record.decidedOn)]
        record.$area.id = areaID
        record.text = text
        record.since = since
        record.decidedOn = decided
        try await req.db.transaction { db in
            try await record.save(on: db)
            try await req.audit(.councilAlternative, .init(id: record.id?.uuidString, summary: area.name, municipalityID: area.$municipality.id),
                                before: before, after: ["text": text, "since": Format.isoDay(since), "decidedOn": Format.isoDay(decided)], on: db)
        }
        req.flash(req.t("membership.alternativeSaved", area.name))
        return req.redirect(to: "/werk/raden")
    }

    static func auditAction(_ step: Candidacy.Step) -> AuditAction {
        switch step {
        case .check: return .councilCandidateCheck
        case .nominate: return .councilCandidateNominate
        case .reject: return .councilCandidateReject
        case .appoint: return .councilCandidateAppoint
        case .withdraw: return .councilCandidateWithdraw
        }
    }
}
