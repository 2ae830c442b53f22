import Vapor
import Fluent
import Domain

/// The public council page of an area (term, members, vacancies, next term) and the candidate form.
struct PublicCouncilController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get(Site.areaCouncil.route, use: publicCouncil)
        open.get(Site.areaCouncilApply.route, use: applyForm)
        open.post(Site.areaCouncilApply.route, use: apply)
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
            meetingsHref: Site.meetings.link(m.slug), demo: council.demo))
    }

    struct ApplyPage: Encodable { var page: PageMeta; var heading: String; var profile: [String]; var form: FormView; var demo: Bool }

    private func applyPage(_ req: Request, _ m: Municipality, _ area: MunicipalitySnapshot.AreaInfo, _ council: Council, values: [String: String], errors: [FieldError]) async throws -> ApplyPage {
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let yesNo = [(value: "nee", label: req.t("membership.no")), (value: "ja", label: req.t("membership.yes"))]
        let heading = req.t("membership.applyTitle", council.name)
        return ApplyPage(
            page: req.page(heading, municipality: m.name, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug)), (area.name, Paths.area(m.slug, area.slug)),
                                                                   (council.name, Site.areaCouncil.link(m.slug, area.slug))], errors: errors),
            heading: heading, profile: req.language == .nl ? Candidacy.profileNL : Candidacy.profileEN,
            form: FormView(action: Site.areaCouncilApply.link(m.slug, area.slug), submitLabel: req.t("membership.apply"), fields: [
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

    func apply(req: Request) async throws -> Response {
        let (m, area, council, settings) = try await publicContext(req)
        let values = FormParts.read(req).values
        var errors: [FieldError] = []
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
            let facts = try await MembershipController.facts(name: name, email: email, neighbourhood: buurt, politics: values["politiek"] == "ja", employed: values["gemeente"] == "ja",
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
                                 back: Site.areaCouncil.link(m.slug, area.slug))
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
        candidate.status = .applied
        candidate.reasons = ""
        candidate.appliedAt = now
        candidate.updatedAt = now
        try await req.db.writeTransaction { db in
            try await candidate.create(on: db)
            // No personal data in the log: the application's state, not who applied.
            try await AuditLog.record(on: db, by: nil, action: .councilCandidateApply, subject: .init(id: candidate.id?.uuidString,
                                      summary: council.name, municipalityID: m.id), after: ["status": candidate.status.rawValue], requestID: req.id, at: now)
        }
        return try await req.render("Councils/applied", thanks, status: .created)
    }

    struct AppliedPage: Encodable { var page: PageMeta; var heading: String; var text: String; var back: String }
}
