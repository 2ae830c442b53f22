import Vapor
import Fluent
import Domain

/// Staff work on councils: the list with the six-meetings flag and late answers (coordinators, area managers,
/// aldermen, admins), and for coordinators planning meetings with agenda, PDF documents, minutes and numbered
/// decisions (adopted advice is linked to its decision).
struct CouncilWorkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let w = routes.grouped("werk", "raden")
        let follow = w.access(.anyOf([.followCouncilWork, .coordinateArea])), coordinate = w.access(.action(.coordinateArea))
        follow.get(use: list)
        follow.get(":council", use: council)
        coordinate.post(":council", "vergaderingen", use: planMeeting)
        follow.get(":council", "vergaderingen", ":meeting", use: meeting)
        coordinate.post(":council", "vergaderingen", ":meeting", "status", use: saveStatus)
        coordinate.post(":council", "vergaderingen", ":meeting", "agenda", use: addAgendaItem)
        coordinate.on(.POST, ":council", "vergaderingen", ":meeting", "documenten", body: .collect(maxSize: "12mb"), use: upload)
        coordinate.post(":council", "vergaderingen", ":meeting", "besluiten", use: decide)
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
            return .init(name: c.name, href: "/werk/raden/\(c.id!)", held: compliance.held, planned: compliance.planned, minimum: compliance.minimum,
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
            alternativeForm = [FormView(action: "/werk/raden/alternatief", submitLabel: req.t("membership.recordAlternative"), fields: [
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

    private func loadCouncil(_ req: Request, coordinate: Bool) async throws -> (Council, Actor, Bool) {
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
            meetingForm = FormView(action: "/werk/raden/\(council.id!)/vergaderingen", submitLabel: req.t("councilWork.plan"), fields: [
                FieldView(req, name: "datum", label: req.t("councilWork.date"), type: "date", value: form.datum ?? "", description: req.t("audit.dateHelp"), errors: errors),
                FieldView(req, name: "begin", label: req.t("councilWork.start"), type: "time", value: form.begin ?? "19:30", errors: errors),
                FieldView(req, name: "eind", label: req.t("councilWork.end"), type: "time", value: form.eind ?? "21:30", errors: errors),
                FieldView(req, name: "plaats", label: req.t("council.place"), value: form.plaats ?? "", errors: errors),
                FieldView(req, name: "openbaar", label: req.t("councilWork.public"), type: "checkbox", value: form.openbaar ?? (form.datum == nil ? "ja" : ""),
                          description: req.t("councilWork.publicHelp")),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        return CouncilPage(
            page: req.page(council.name, crumbs: [(req.t("councilWork.title"), "/werk/raden")], errors: errors, status: status ?? req.takeFlash()),
            heading: council.name,
            compliance: req.t("councilWork.complianceLine", String(year), String(c.held), String(c.planned), String(c.minimum), req.t("councilWork.compliance.\(c.status.rawValue)")),
            rows: meetings.reversed().map { m in
                .init(when: Format.dateTime(m.startsAt, lang), iso: Format.isoDate(m.startsAt), place: m.place,
                      kind: req.t(m.isPublic ? "councilWork.publicMeeting" : "councilWork.closedMeeting"), status: req.t("council.meeting.\(m.status)"),
                      href: "/werk/raden/\(council.id!)/vergaderingen/\(m.id!)")
            },
            form: meetingForm, demo: council.demo, membersHref: "/werk/raden/\(council.id!)/leden")
    }

    func council(req: Request) async throws -> View {
        let (council, _, coordinates) = try await loadCouncil(req, coordinate: false)
        return try await req.view.render("Councils/work-council", councilPage(req, council, coordinates: coordinates))
    }

    static func moment(day: String?, time: String?) -> Date? {
        guard let day = day, let start = Format.parseDay(day), let minutes = Input.minutes(time) ?? nil else { return nil }
        return DutchTime.calendar.date(byAdding: .minute, value: minutes, to: start)
    }

    func planMeeting(req: Request) async throws -> Response {
        let (council, _, _) = try await loadCouncil(req, coordinate: true)
        let form = req.form(MeetingForm())
        do {
            try req.checkCSRF(form.csrf)
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
            meeting.status = CouncilRules.MeetingStatus.planned.rawValue
            try await req.db.transaction { db in
                try await meeting.create(on: db)
                try await req.audit(.councilMeetingPlan, .init(id: meeting.id?.uuidString, summary: "\(council.name): \(Format.isoDate(start))",
                                                                   municipalityID: council.$municipality.id),
                                    after: ["startsAt": Format.isoDate(start), "endsAt": Format.isoDate(end), "place": place, "public": meeting.isPublic ? "ja" : "nee"], on: db)
            }
            req.flash(req.t("councilWork.planned", Format.dateTime(start, req.language)))
            return req.redirect(to: "/werk/raden/\(council.id!)/vergaderingen/\(meeting.id!)")
        } catch let failure as ValidationFailure {
            return try await req.render("Councils/work-council", councilPage(req, council, coordinates: true, form: form, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: One meeting

    struct MeetingPage: Encodable {
        struct Item: Encodable { var position: Int; var title: String; var details: String? }
        struct Document: Encodable { var title: String; var href: String; var size: String }
        struct Decision: Encodable { var number: String; var kind: String; var text: String; var advice: String? }
        var page: PageMeta
        var heading: String
        var when: String
        var place: String
        var kind: String
        var status: String
        var minutes: String?
        var agenda: [Item]
        var documents: [Document]
        var decisions: [Decision]
        var forms: [FormView]
        var publicHref: String?
        var back: String
        var demo: Bool
        var meetingID: String
        var uploadFields: [FieldView]
    }

    private func loadMeeting(_ req: Request, coordinate: Bool) async throws -> (Council, CouncilMeeting, Bool) {
        let (council, _, coordinates) = try await loadCouncil(req, coordinate: coordinate)
        guard let id = req.parameters.get("meeting", as: UUID.self), let meeting = try await CouncilMeeting.find(id, on: req.db), meeting.$council.id == council.id else {
            throw AppError.notFound()
        }
        return (council, meeting, coordinates)
    }

    static func details(_ meeting: CouncilMeeting, req: Request) async throws -> ([MeetingPage.Item], [CouncilDocument], [MeetingPage.Decision]) {
        let mid = try meeting.requireID()
        let items = try await CouncilAgendaItem.query(on: req.db).filter(\.$meeting.$id == mid).sort(\.$position).all()
            .map { MeetingPage.Item(position: $0.position, title: $0.title, details: $0.details) }
        let documents = try await CouncilDocument.query(on: req.db).filter(\.$meeting.$id == mid).field(\.$id).field(\.$title).field(\.$filename).field(\.$size)
            .field(\.$meeting.$id).field(\.$uploadedAt).sort(\.$uploadedAt).all()
        let decisions = try await CouncilDecision.query(on: req.db).filter(\.$meeting.$id == mid).sort(\.$sequence).all()
        let adviceIDs = decisions.compactMap(\.adviceID)
        let advice = adviceIDs.isEmpty ? [] : try await CouncilAdvice.query(on: req.db).filter(\.$id ~~ adviceIDs).all()
        return (items, documents, decisions.map { d in
            .init(number: d.number, kind: req.t("councilWork.decision.\(d.kind)"), text: d.text, advice: d.adviceID.flatMap { id in advice.first { $0.id == id }?.subject })
        })
    }

    struct StatusForm: Content { var csrf: String?; var status: String?; var notulen: String? }
    struct ItemForm: Content { var csrf: String?; var titel: String?; var toelichting: String? }
    struct DecisionForm: Content { var csrf: String?; var soort: String?; var tekst: String?; var advies: String? }

    private func meetingPage(_ req: Request, _ council: Council, _ meeting: CouncilMeeting, coordinates: Bool, values: [String: String] = [:], errors: [FieldError] = []) async throws -> MeetingPage {
        let lang = req.language
        let (items, documents, decisions) = try await Self.details(meeting, req: req)
        let base = "/werk/raden/\(council.id!)/vergaderingen/\(meeting.id!)"
        var forms: [FormView] = []
        if coordinates {
            let csrf = req.csrfToken()
            forms.append(FormView(action: base + "/status", submitLabel: req.t("councilWork.saveStatus"), fields: [
                FieldView(req, name: "status", label: req.t("council.status"), type: "radios", value: values["status"] ?? meeting.status,
                          options: ["planned", "held", "cancelled"].map { (value: $0, label: req.t("council.meeting.\($0)")) }, errors: errors),
                FieldView(req, name: "notulen", label: req.t("councilWork.minutes"), type: "textarea", value: values["notulen"] ?? meeting.minutes ?? "",
                          description: req.t("councilWork.minutesHelp"), optional: true, errors: errors),
            ], csrf: csrf, showRequiredNote: false))
            forms.append(FormView(action: base + "/agenda", submitLabel: req.t("councilWork.addItem"), fields: [
                FieldView(req, name: "titel", label: req.t("councilWork.itemTitle"), value: values["titel"] ?? "", errors: errors),
                FieldView(req, name: "toelichting", label: req.t("councilWork.itemDetails"), type: "textarea", value: values["toelichting"] ?? "", optional: true, errors: errors),
            ], csrf: csrf, showRequiredNote: false))
            let open = try await CouncilAdvice.query(on: req.db).filter(\.$council.$id == council.requireID()).filter(\.$decisionID == nil).sort(\.$subject).all()
            forms.append(FormView(action: base + "/besluiten", submitLabel: req.t("councilWork.addDecision"), fields: [
                FieldView(req, name: "soort", label: req.t("councilWork.decisionKind"), type: "radios", value: values["soort"] ?? "",
                          options: CouncilMeetingRules.DecisionKind.allCases.map { (value: $0.rawValue, label: req.t("councilWork.decision.\($0.rawValue)")) }, errors: errors),
                FieldView(req, name: "tekst", label: req.t("councilWork.decisionText"), type: "textarea", value: values["tekst"] ?? "", errors: errors),
                FieldView(req, name: "advies", label: req.t("councilWork.decisionAdvice"), type: "select", value: values["advies"] ?? "", description: req.t("councilWork.decisionAdviceHelp"),
                          optional: true, options: [(value: "", label: req.t("councilWork.noAdvice"))] + open.map { (value: $0.id!.uuidString, label: $0.subject) }, errors: errors),
            ], csrf: csrf, showRequiredNote: false))
        }
        var documentField = FieldView(req, name: "document", label: req.t("councilWork.document"), type: "file",
                                      description: req.t("councilWork.documentHelp", String(CouncilMeetingRules.maxDocumentBytes / 1024 / 1024)), errors: errors)
        documentField.accept = "application/pdf"
        let uploadFields = [FieldView(req, name: "titel_document", label: req.t("councilWork.documentTitle"), value: values["titel_document"] ?? "", errors: errors), documentField]
        let m = try await Municipality.find(council.$municipality.id, on: req.db)
        return MeetingPage(
            page: req.page(req.t("councilWork.meetingTitle", council.name, Format.day(meeting.startsAt, lang)),
                           crumbs: [(req.t("councilWork.title"), "/werk/raden"), (council.name, "/werk/raden/\(council.id!)")], errors: errors, status: req.takeFlash()),
            heading: req.t("councilWork.meetingTitle", council.name, Format.day(meeting.startsAt, lang)), when: Format.dateTime(meeting.startsAt, lang), place: meeting.place,
            kind: req.t(meeting.isPublic ? "councilWork.publicMeeting" : "councilWork.closedMeeting"), status: req.t("council.meeting.\(meeting.status)"),
            minutes: meeting.minutes, agenda: items,
            documents: documents.map { .init(title: $0.title, href: "/gemeenten/\(m?.slug ?? "")/vergaderingen/\(meeting.id!)/documenten/\($0.id!)", size: "\(max(1, $0.size / 1024)) kB") },
            decisions: decisions, forms: forms,
            publicHref: meeting.isPublic ? "/gemeenten/\(m?.slug ?? "")/vergaderingen/\(meeting.id!)" : nil, back: "/werk/raden/\(council.id!)", demo: council.demo,
            meetingID: meeting.id!.uuidString, uploadFields: coordinates ? uploadFields : [])
    }

    func meeting(req: Request) async throws -> View {
        let (council, meeting, coordinates) = try await loadMeeting(req, coordinate: false)
        return try await req.view.render("Councils/work-meeting", meetingPage(req, council, meeting, coordinates: coordinates))
    }

    /// Runs a change on a meeting by its coordinator; problems come back on the page with the input kept.
    private func change(_ req: Request, _ body: (Council, CouncilMeeting, [String: String]) async throws -> String) async throws -> Response {
        let (council, meeting, _) = try await loadMeeting(req, coordinate: true)
        let parts = FormParts.read(req)
        var values = parts.values
        values["document"] = nil
        do {
            try req.checkCSRF(values["csrf"])
            let message = try await body(council, meeting, values)
            req.flash(message)
            return req.redirect(to: "/werk/raden/\(council.id!)/vergaderingen/\(meeting.id!)")
        } catch let failure as ValidationFailure {
            return try await req.render("Councils/work-meeting", meetingPage(req, council, meeting, coordinates: true, values: values, errors: failure.errors), status: failure.status)
        }
    }

    func saveStatus(req: Request) async throws -> Response {
        try await change(req) { council, meeting, values in
            var errors: [FieldError] = []
            let status = CouncilRules.MeetingStatus(rawValue: values["status"] ?? "")
            if status == nil { errors.append(FieldError("status", "councilWork.statusMissing")) }
            let minutes = Input.text(values["notulen"], field: "notulen", max: 50_000, required: false).collect(into: &errors)
            if let status {
                for problem in CouncilMeetingRules.problems(start: meeting.startsAt, end: meeting.endsAt, status: status, now: req.application.clock()) where problem != .endBeforeStart {
                    errors.append(FieldError("status", "councilWork.problem.\(problem.rawValue)"))
                }
            }
            guard errors.isEmpty, let status else { throw ValidationFailure(errors) }
            let before = ["status": meeting.status, "minutes": meeting.minutes ?? ""]
            meeting.status = status.rawValue
            meeting.minutes = (minutes ?? "").isEmpty ? nil : minutes
            try await req.db.transaction { db in
                try await meeting.update(on: db)
                try await req.audit(.councilMeetingUpdate, .init(id: meeting.id?.uuidString, summary: council.name, municipalityID: council.$municipality.id),
                                    before: before, after: ["status": meeting.status, "minutes": meeting.minutes ?? ""], on: db)
            }
            return req.t("councilWork.statusSaved")
        }
    }

    func addAgendaItem(req: Request) async throws -> Response {
        try await change(req) { council, meeting, values in
            var errors: [FieldError] = []
            let title = Input.text(values["titel"], field: "titel", max: 200).collect(into: &errors)
            let details = Input.text(values["toelichting"], field: "toelichting", max: 4000, required: false).collect(into: &errors)
            guard errors.isEmpty, let title else { throw ValidationFailure(errors) }
            let count = try await CouncilAgendaItem.query(on: req.db).filter(\.$meeting.$id == meeting.requireID()).count()
            let item = CouncilAgendaItem()
            item.$meeting.id = try meeting.requireID()
            item.position = count + 1
            item.title = title
            item.details = (details ?? "").isEmpty ? nil : details
            try await req.db.transaction { db in
                try await item.create(on: db)
                try await req.audit(.councilAgendaAdd, .init(id: meeting.id?.uuidString, summary: "\(council.name): \(title)", municipalityID: council.$municipality.id),
                                    after: ["position": String(item.position), "title": title, "details": item.details ?? ""], on: db)
            }
            return req.t("councilWork.itemAdded", title)
        }
    }

    func upload(req: Request) async throws -> Response {
        let file = FormParts.read(req).files["document"]
        return try await change(req) { council, meeting, values in
            var errors: [FieldError] = []
            let title = Input.text(values["titel_document"], field: "titel_document", max: 200).collect(into: &errors)
            if let file {
                if let problem = CouncilMeetingRules.checkDocument(file.data) {
                    errors.append(FieldError("document", "councilWork.document.\(problem.rawValue)", [String(CouncilMeetingRules.maxDocumentBytes / 1024 / 1024)]))
                }
            } else {
                errors.append(FieldError("document", "councilWork.document.empty"))
            }
            guard errors.isEmpty, let title, let file else { throw ValidationFailure(errors) }
            let document = CouncilDocument()
            document.$meeting.id = try meeting.requireID()
            document.title = title
            document.filename = file.filename.isEmpty ? "document.pdf" : String(file.filename.suffix(200))
            document.size = file.data.count
            document.data = file.data
            document.uploadedAt = req.application.clock()
            try await req.db.transaction { db in
                try await document.create(on: db)
                try await req.audit(.councilDocumentUpload, .init(id: meeting.id?.uuidString, summary: "\(council.name): \(title)", municipalityID: council.$municipality.id),
                                    after: ["title": title, "filename": document.filename, "size": String(document.size)], on: db)
            }
            return req.t("councilWork.documentAdded", title)
        }
    }

    func decide(req: Request) async throws -> Response {
        try await change(req) { council, meeting, values in
            var errors: [FieldError] = []
            let kind = CouncilMeetingRules.DecisionKind(rawValue: values["soort"] ?? "")
            if kind == nil { errors.append(FieldError("soort", "councilWork.decisionKindMissing")) }
            let text = Input.text(values["tekst"], field: "tekst", max: 4000).collect(into: &errors)
            var advice: CouncilAdvice? = nil
            if let raw = values["advies"], !raw.isEmpty {
                if let id = UUID(uuidString: raw) { advice = try await CouncilAdvice.find(id, on: req.db) }
                if advice == nil || advice?.$council.id != council.id || advice?.decisionID != nil { errors.append(FieldError("advies", "councilWork.adviceUnknown")) }
            }
            if kind == .adviceAdopted && advice == nil && !errors.contains(where: { $0.field == "advies" }) { errors.append(FieldError("advies", "councilWork.adviceMissing")) }
            if meeting.startsAt > req.application.clock() { errors.append(FieldError("soort", "councilWork.decisionInFuture")) }
            guard errors.isEmpty, let kind, let text else { throw ValidationFailure(errors) }
            let adopted = advice
            let year = DutchTime.calendar.component(.year, from: meeting.startsAt)
            let area = try await Area.find(council.$area.id, on: req.db)
            var attempt = 0
            while true {
            attempt += 1
            do {
            let number: String = try await req.db.transaction { db in
                let sequence = (try await CouncilDecision.query(on: db).filter(\.$council.$id == council.requireID()).filter(\.$year == year).max(\.$sequence) ?? 0) + 1
                let decision = CouncilDecision()
                decision.$council.id = try council.requireID()
                decision.$meeting.id = try meeting.requireID()
                decision.year = year
                decision.sequence = sequence
                decision.number = CouncilMeetingRules.decisionNumber(year: year, councilCode: CouncilMeetingRules.councilCode(area?.name ?? council.name), sequence: sequence)
                decision.kind = kind.rawValue
                decision.text = text
                decision.adviceID = adopted?.id
                decision.decidedOn = meeting.startsAt
                try await decision.create(on: db)
                if let advice = adopted {
                    advice.decisionID = decision.id
                    if advice.givenOn == nil {
                        advice.givenOn = meeting.startsAt
                        advice.advice = text
                    }
                    try await advice.update(on: db)
                }
                try await req.audit(.councilDecision, .init(id: decision.id?.uuidString, summary: "\(decision.number): \(text.prefix(80))",
                                                               municipalityID: council.$municipality.id),
                                    after: ["number": decision.number, "kind": decision.kind, "text": text, "advice": adopted?.id?.uuidString ?? "–"], on: db)
                return decision.number
            }
            return req.t("councilWork.decided", number)
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 3 {
                continue // someone numbered a decision of this council at the same moment: take the next number
            }
            }
        }
    }
}
