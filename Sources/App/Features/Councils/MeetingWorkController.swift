import Vapor
import Fluent
import Domain
import SQLKit

/// Staff: one meeting of a council: its status and minutes, agenda items, PDF documents and numbered decisions.
struct MeetingWorkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let follow = routes.access(.anyOf([.followCouncilWork, .coordinateArea])), coordinate = routes.access(.action(.coordinateArea))
        follow.get(Site.councilMeeting.route, use: meeting)
        coordinate.post(Site.councilMeeting("status").route, use: saveStatus)
        coordinate.post(Site.councilMeeting("agenda").route, use: addAgendaItem)
        coordinate.on(.POST, Site.councilMeeting("documenten").route, body: .collect(maxSize: "12mb"), use: upload).maxBody("12mb")
        coordinate.post(Site.councilMeeting("besluiten").route, use: decide)
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
        let (council, _, coordinates) = try await CouncilWorkController.loadCouncil(req, coordinate: coordinate)
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
            .init(number: d.number, kind: req.t("councilWork.decision.\(d.kind.rawValue)"), text: d.text, advice: d.adviceID.flatMap { id in advice.first { $0.id == id }?.subject })
        })
    }

    struct StatusForm: Content { var csrf: String?; var status: String?; var notulen: String? }
    struct ItemForm: Content { var csrf: String?; var titel: String?; var toelichting: String? }
    struct DecisionForm: Content { var csrf: String?; var soort: String?; var tekst: String?; var advies: String? }

    private func meetingPage(_ req: Request, _ council: Council, _ meeting: CouncilMeeting, coordinates: Bool, values: [String: String] = [:], errors: [FieldError] = []) async throws -> MeetingPage {
        let lang = req.language
        let (items, documents, decisions) = try await Self.details(meeting, req: req)
        let base = Site.councilMeeting.link(council.id!.uuidString, meeting.id!.uuidString)
        var forms: [FormView] = []
        if coordinates {
            let csrf = req.csrfToken()
            forms.append(FormView(action: base + "/status", submitLabel: req.t("councilWork.saveStatus"), fields: [
                FieldView(req, name: "status", label: req.t("council.status"), type: "radios", value: values["status"] ?? meeting.status.rawValue,
                          options: ["planned", "held", "cancelled"].map { (value: $0, label: req.t("council.meeting.\($0)")) }, errors: errors),
                FieldView(req, name: "notulen", label: req.t("councilWork.minutes"), type: "textarea", value: values["notulen"] ?? meeting.minutes ?? "",
                          description: req.t("councilWork.minutesHelp"), optional: true, errors: errors),
            ], csrf: csrf, showRequiredNote: false))
            forms.append(FormView(action: base + "/agenda", submitLabel: req.t("councilWork.addItem"), fields: [
                FieldView(req, name: "titel", label: req.t("councilWork.itemTitle"), value: values["titel"] ?? "", errors: errors),
                FieldView(req, name: "toelichting", label: req.t("councilWork.itemDetails"), type: "textarea", value: values["toelichting"] ?? "", optional: true, errors: errors),
            ], csrf: csrf, showRequiredNote: false))
            // Decisions are taken in a meeting that has started: no form for a meeting still ahead.
            let open = try await CouncilAdvice.query(on: req.db).filter(\.$council.$id == council.requireID()).filter(\.$decisionID == nil).sort(\.$subject).all()
            if meeting.startsAt <= req.application.clock() { forms.append(FormView(action: base + "/besluiten", submitLabel: req.t("councilWork.addDecision"), fields: [
                FieldView(req, name: "soort", label: req.t("councilWork.decisionKind"), type: "radios", value: values["soort"] ?? "",
                          options: CouncilMeetingRules.DecisionKind.allCases.map { (value: $0.rawValue, label: req.t("councilWork.decision.\($0.rawValue)")) }, errors: errors),
                FieldView(req, name: "tekst", label: req.t("councilWork.decisionText"), type: "textarea", value: values["tekst"] ?? "", errors: errors),
                FieldView(req, name: "advies", label: req.t("councilWork.decisionAdvice"), type: "select", value: values["advies"] ?? "", description: req.t("councilWork.decisionAdviceHelp"),
                          optional: true, options: [(value: "", label: req.t("councilWork.noAdvice"))] + open.map { (value: $0.id!.uuidString, label: $0.subject) }, errors: errors),
            ], csrf: csrf, showRequiredNote: false)) }
        }
        var documentField = FieldView(req, name: "document", label: req.t("councilWork.document"), type: "file",
                                      description: req.t("councilWork.documentHelp", String(CouncilMeetingRules.maxDocumentBytes / 1024 / 1024)), errors: errors)
        documentField.accept = "application/pdf"
        let uploadFields = [FieldView(req, name: "titel_document", label: req.t("councilWork.documentTitle"), value: values["titel_document"] ?? "", errors: errors), documentField]
        let m = try await Municipality.find(council.$municipality.id, on: req.db)
        return MeetingPage(
            page: req.page(req.t("councilWork.meetingTitle", council.name, Format.day(meeting.startsAt, lang)),
                           crumbs: [(req.t("councilWork.title"), Site.councilWork.link()), (council.name, Site.council.link(council.id!.uuidString))], errors: errors, status: req.takeFlash()),
            heading: req.t("councilWork.meetingTitle", council.name, Format.day(meeting.startsAt, lang)), when: Format.dateTime(meeting.startsAt, lang), place: meeting.place,
            kind: req.t(meeting.isPublic ? "councilWork.publicMeeting" : "councilWork.closedMeeting"), status: req.t("council.meeting.\(meeting.status)"),
            minutes: meeting.minutes, agenda: items,
            documents: documents.map { .init(title: $0.title, href: Site.meetingDocument.link(m?.slug ?? "", meeting.id!.uuidString, $0.id!.uuidString), size: "\(max(1, $0.size / 1024)) kB") },
            decisions: decisions, forms: forms,
            publicHref: meeting.isPublic ? Site.meeting.link(m?.slug ?? "", meeting.id!.uuidString) : nil, back: Site.council.link(council.id!.uuidString), demo: council.demo,
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
            let message = try await body(council, meeting, values)
            req.flash(message)
            return req.redirect(to: Site.councilMeeting.link(council.id!.uuidString, meeting.id!.uuidString))
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
            let before = ["status": meeting.status.rawValue, "minutes": meeting.minutes ?? ""]
            meeting.status = status
            meeting.minutes = (minutes ?? "").isEmpty ? nil : minutes
            try await req.db.writeTransaction { db in
                try await meeting.update(on: db)
                try await req.audit(.councilMeetingUpdate, .init(id: meeting.id?.uuidString, summary: council.name, municipalityID: council.$municipality.id),
                                    before: before, after: ["status": meeting.status.rawValue, "minutes": meeting.minutes ?? ""], on: db)
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
            try await req.db.writeTransaction { db in
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
            try await req.db.writeTransaction { db in
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
            var attempt = 0
            while true {
            attempt += 1
            do {
            let number: String = try await req.db.writeTransaction { db in
                let decision = try await CouncilDecision.record(council: council, meeting: meeting, kind: kind, text: text, adviceID: adopted?.id, on: db)
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
                                    after: ["number": decision.number, "kind": decision.kind.rawValue, "text": text, "advice": adopted?.id?.uuidString ?? "–"], on: db)
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
