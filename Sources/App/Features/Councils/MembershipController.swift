import Vapor
import Fluent
import Domain

/// Council membership for staff: the members, the selection group and the candidates' flow
/// (applied → checked → nominated → appointed, or ineligible / not nominated / withdrawn), every step audited.
struct MembershipController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // Coordinators run the candidates' flow; the college appoints.
        let flow = routes.access(.anyOf([.coordinateArea, .decideForCollege])), coordinate = routes.access(.action(.coordinateArea))
        flow.get(Site.councilMembers.route, use: members)
        coordinate.post(Site.councilMembers("lid").route, use: addMember)
        coordinate.post(Site.councilMembers("lid", ":member", "gestopt").route, use: resign)
        coordinate.post(Site.councilMembers("selectiegroep").route, use: addSelector)
        flow.post(Site.councilMembers("kandidaten", ":candidate").route, use: step)
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
        let base = Site.councilMembers.link(cid.uuidString)
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
            page: req.page(heading, crumbs: [(req.t("councilWork.title"), Site.councilWork.link()), (council.name, Site.council.link(cid.uuidString))], errors: errors, status: req.takeFlash()),
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
            req.flash(try await body(council, settings, values))
            return req.redirect(to: Site.councilMembers.link(council.id!.uuidString))
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
            try await req.db.writeTransaction { db in
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
            try await req.db.writeTransaction { db in
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
            let before = candidate.status.rawValue
            candidate.status = next
            candidate.reasons = reasons.map(\.rawValue).joined(separator: ",")
            candidate.updatedAt = now
            candidate.decisionDate = decision ?? candidate.decisionDate
            let term = settings.calendar.term(containing: candidate.termStart)
            let decided = decision
            try await req.db.writeTransaction { db in
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
