import Vapor
import Fluent
import Domain

/// Staff work on councils: the list with the six-meetings flag and late answers (coordinators, area managers,
/// aldermen, admins), and for coordinators planning meetings with agenda, PDF documents, minutes and numbered
/// decisions (adopted advice is linked to its decision).
struct CouncilWorkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let follow = routes.access(.anyOf([.followCouncilWork, .coordinateArea])), coordinate = routes.access(.action(.coordinateArea))
        follow.get(Site.councilWork.route, use: list)
        follow.get(Site.council.route, use: council)
        coordinate.post(Site.councilMeetings.route, use: planMeeting)
    }

    // MARK: List

    struct ListPage: Encodable {
        struct Row: Encodable {
            var name: String; var href: String; var held: Int; var planned: Int; var minimum: Int
            var status: String; var statusClass: String; var flagged: Bool; var overdueAnswers: Int
        }
        var page: PageMeta
        var heading: String
        var year: Int
        var rows: [Row]
        var flaggedCount: Int
        var demo: Bool
        var withoutCouncil: [String]
        var alternativeForm: [FormView]
    }

    func list(req: Request) async throws -> View {
        _ = try req.requireUser()
        let actor = try await req.actor()
        let mid = try await req.workMunicipality().requireID()
        let councils = try await Council.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$name).all()
            .filter { Self.seesCouncilWork(actor, $0) }
        let now = req.application.clock()
        let year = DutchTime.calendar.component(.year, from: now)
        let ids = councils.compactMap(\.id)
        let meetings = ids.isEmpty ? [] : try await CouncilMeeting.query(on: req.db).filter(\.$council.$id ~~ ids).all()
        let advice = ids.isEmpty ? [] : try await CouncilAdvice.query(on: req.db).filter(\.$council.$id ~~ ids).all()
        let rows = councils.map { c -> ListPage.Row in
            let compliance = CouncilRules.compliance(of: meetings.filter { $0.$council.id == c.id }.map(\.rule), year: year, now: now)
            let late = advice.filter { $0.$council.id == c.id && CouncilRules.status(of: $0.rule, now: now) == .answerOverdue }.count
            let flagged = compliance.status == .atRisk || compliance.status == .missed
            return .init(name: c.name, href: Site.council.link(c.id!.uuidString), held: compliance.held, planned: compliance.planned, minimum: compliance.minimum,
                         status: req.t("councilWork.compliance.\(compliance.status.rawValue)"), statusClass: flagged ? "danger" : (compliance.status == .met ? "success" : "neutral"),
                         flagged: flagged, overdueAnswers: late)
        }.sorted { ($0.flagged ? 0 : 1, $0.name) < ($1.flagged ? 0 : 1, $1.name) }
        // Areas without a council, and what they do instead (seed 004: decided by the coordinator with the college).
        let all = try await Council.query(on: req.db).filter(\.$municipality.$id == mid).all().map(\.$area.id)
        let areas = try await Area.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$position).all()
            .filter { !all.contains($0.id!) && Permissions.allows(actor, .coordinateArea(municipality: mid, area: $0.id!)) }
        let alternatives = try await AlternativeParticipation.query(on: req.db).filter(\.$area.$id ~~ areas.compactMap(\.id)).all()
        let withoutCouncil = areas.map { a in
            a.name + (alternatives.first { $0.$area.id == a.id }.map { ": " + $0.text + " (" + req.t("membership.alternativeSince") + " " + Format.day($0.since, req.language) + ")" } ?? "")
        }
        var alternativeForm: [FormView] = []
        if !areas.isEmpty {
            alternativeForm = [FormView(action: Site.councilAlternative.link(), submitLabel: req.t("membership.recordAlternative"), fields: [
                FieldView(req, name: "gebied", label: req.t("signal.filter.area"), type: "select", options: areas.map { (value: $0.id!.uuidString, label: $0.name) }),
                FieldView(req, name: "vorm", label: req.t("membership.alternative"), type: "textarea"),
                FieldView(req, name: "sinds", label: req.t("membership.alternativeSince"), type: "date", value: Format.isoDay(now)),
                FieldView(req, name: "besluit", label: req.t("membership.alternativeDecided"), type: "date", value: Format.isoDay(now)),
            ], csrf: req.csrfToken(), showRequiredNote: false)]
        }
        let heading = req.t("councilWork.title")
        return try await req.view.render("Councils/work-list", ListPage(page: req.page(heading, status: req.takeFlash()), heading: heading, year: year, rows: rows,
                                                                         flaggedCount: rows.filter(\.flagged).count, demo: councils.contains { $0.demo },
                                                                         withoutCouncil: withoutCouncil, alternativeForm: alternativeForm))
    }

    // MARK: One council

    /// Who sees a council's internal work (closed meetings): its area's staff and the college, not departments or partners.
    static func seesCouncilWork(_ actor: Actor, _ council: Council) -> Bool {
        Permissions.allows(actor, .followCouncilWork(municipality: council.$municipality.id, area: council.$area.id))
    }

    static func loadCouncil(_ req: Request, coordinate: Bool) async throws -> (Council, Actor, Bool) {
        _ = try req.requireUser()
        let actor = try await req.actor()
        guard let id = req.parameters.get("council", as: UUID.self), let council = try await Council.find(id, on: req.db) else { throw AppError.notFound() }
        let mid = council.$municipality.id, area = council.$area.id
        let coordinates = Permissions.allows(actor, .coordinateArea(municipality: mid, area: area))
        guard coordinates || (!coordinate && Self.seesCouncilWork(actor, council)) else {
            throw AppError.forbidden
        }
        return (council, actor, coordinates)
    }

    struct CouncilPage: Encodable {
        struct Row: Encodable { var when: String; var iso: String; var place: String; var kind: String; var status: String; var href: String }
        var page: PageMeta
        var heading: String
        var compliance: String
        var rows: [Row]
        var form: FormView?
        var demo: Bool
        var membersHref: String
    }

    struct MeetingForm: Content { var csrf: String?; var datum: String?; var begin: String?; var eind: String?; var plaats: String?; var openbaar: String? }

    private func councilPage(_ req: Request, _ council: Council, coordinates: Bool, form: MeetingForm = .init(), errors: [FieldError] = [], status: String? = nil) async throws -> CouncilPage {
        let now = req.application.clock(), lang = req.language
        let meetings = try await CouncilMeeting.query(on: req.db).filter(\.$council.$id == council.requireID()).sort(\.$startsAt).all()
        let year = DutchTime.calendar.component(.year, from: now)
        let c = CouncilRules.compliance(of: meetings.map(\.rule), year: year, now: now)
        var meetingForm: FormView? = nil
        if coordinates {
            meetingForm = FormView(action: Site.councilMeetings.link(council.id!.uuidString), submitLabel: req.t("councilWork.plan"), fields: [
                FieldView(req, name: "datum", label: req.t("councilWork.date"), type: "date", value: form.datum ?? "", description: req.t("audit.dateHelp"), errors: errors),
                FieldView(req, name: "begin", label: req.t("councilWork.start"), type: "time", value: form.begin ?? "19:30", errors: errors),
                FieldView(req, name: "eind", label: req.t("councilWork.end"), type: "time", value: form.eind ?? "21:30", errors: errors),
                FieldView(req, name: "plaats", label: req.t("council.place"), value: form.plaats ?? "", errors: errors),
                FieldView(req, name: "openbaar", label: req.t("councilWork.public"), type: "checkbox", value: form.openbaar ?? (form.datum == nil ? "ja" : ""),
                          description: req.t("councilWork.publicHelp")),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        return CouncilPage(
            page: req.page(council.name, crumbs: [(req.t("councilWork.title"), Site.councilWork.link())], errors: errors, status: status ?? req.takeFlash()),
            heading: council.name,
            compliance: req.t("councilWork.complianceLine", String(year), String(c.held), String(c.planned), String(c.minimum), req.t("councilWork.compliance.\(c.status.rawValue)")),
            rows: meetings.reversed().map { m in
                .init(when: Format.dateTime(m.startsAt, lang), iso: Format.isoDate(m.startsAt), place: m.place,
                      kind: req.t(m.isPublic ? "councilWork.publicMeeting" : "councilWork.closedMeeting"), status: req.t("council.meeting.\(m.status)"),
                      href: Site.councilMeeting.link(council.id!.uuidString, m.id!.uuidString))
            },
            form: meetingForm, demo: council.demo, membersHref: Site.councilMembers.link(council.id!.uuidString))
    }

    func council(req: Request) async throws -> View {
        let (council, _, coordinates) = try await Self.loadCouncil(req, coordinate: false)
        return try await req.view.render("Councils/work-council", councilPage(req, council, coordinates: coordinates))
    }

    static func moment(day: String?, time: String?) -> Date? {
        guard let day = day, let start = Format.parseDay(day), let minutes = Input.minutes(time) ?? nil else { return nil }
        return DutchTime.calendar.date(byAdding: .minute, value: minutes, to: start)
    }

    func planMeeting(req: Request) async throws -> Response {
        let (council, _, _) = try await Self.loadCouncil(req, coordinate: true)
        let form = req.form(MeetingForm())
        do {
            var errors: [FieldError] = []
            if (form.datum ?? "").isEmpty || Format.parseDay(form.datum ?? "") == nil { errors.append(FieldError("datum", "councilWork.dateInvalid")) }
            let start = Self.moment(day: form.datum, time: form.begin), end = Self.moment(day: form.datum, time: form.eind)
            if start == nil { errors.append(FieldError("begin", "admin.signals.timeInvalid")) }
            if end == nil { errors.append(FieldError("eind", "admin.signals.timeInvalid")) }
            let place = Input.text(form.plaats, field: "plaats", max: 200).collect(into: &errors)
            if let start, let end {
                for problem in CouncilMeetingRules.problems(start: start, end: end, status: .planned, now: req.application.clock()) {
                    errors.append(FieldError(problem == .endBeforeStart ? "eind" : "datum", "councilWork.problem.\(problem.rawValue)"))
                }
            }
            guard errors.isEmpty, let start, let end, let place else { throw ValidationFailure(errors) }
            let meeting = CouncilMeeting()
            meeting.$council.id = try council.requireID()
            meeting.startsAt = start
            meeting.endsAt = end
            meeting.place = place
            meeting.isPublic = form.openbaar == "ja"
            meeting.status = .planned
            try await req.db.writeTransaction { db in
                try await meeting.create(on: db)
                try await req.audit(.councilMeetingPlan, .init(id: meeting.id?.uuidString, summary: "\(council.name): \(Format.isoDate(start))",
                                                                   municipalityID: council.$municipality.id),
                                    after: ["startsAt": Format.isoDate(start), "endsAt": Format.isoDate(end), "place": place, "public": meeting.isPublic ? "ja" : "nee"], on: db)
            }
            req.flash(req.t("councilWork.planned", Format.dateTime(start, req.language)))
            return req.redirect(to: Site.councilMeeting.link(council.id!.uuidString, meeting.id!.uuidString))
        } catch let failure as ValidationFailure {
            return try await req.render("Councils/work-council", councilPage(req, council, coordinates: true, form: form, errors: failure.errors), status: failure.status)
        }
    }


}
