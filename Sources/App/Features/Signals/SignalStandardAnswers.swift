import Vapor
import Fluent
import Domain

/// Standard answers: texts a handler picks for the public answer and then edits, per state and subject (or for
/// every subject), in the reporter's language. Kept by the municipality's administrators.
final class SignalStandardAnswer: Model, @unchecked Sendable {
    static let schema = "signal_standard_answers"
    @ID(key: .id) var id: UUID?
    @Parent(key: "municipality_id") var municipality: Municipality
    @OptionalField(key: "category_id") var categoryID: UUID?
    @Field(key: "state") var state: String
    @Field(key: "language") var language: String
    @Field(key: "title") var title: String
    @Field(key: "text") var text: String
    @Field(key: "created_at") var createdAt: Date
    init() {}

    struct Snapshot: Codable { var state: String; var language: String; var category: String?; var title: String; var text: String }
    var snapshot: Snapshot { Snapshot(state: state, language: language, category: categoryID?.uuidString, title: title, text: text) }

    /// The answers that fit a signal: its language, for its subject, the subject's main subject, or every subject.
    static func fitting(_ signal: Signal, category: SignalCategory, on db: any Database) async throws -> [SignalStandardAnswer] {
        let subjects = [try category.requireID()] + (category.parentID.map { [$0] } ?? [])
        return try await query(on: db).filter(\.$municipality.$id == signal.$municipality.id).filter(\.$language == signal.language)
            .group(.or) { $0.filter(\.$categoryID == nil).filter(\.$categoryID ~~ subjects) }
            .sort(\.$state).sort(\.$title).all()
            .filter { SignalState(rawValue: $0.state).map { signal.state.staffTargets.contains($0) } ?? false }
    }
}

struct StandardAnswersAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let s = routes.access(.action(.administer))
        s.get(Site.adminStandardAnswers.route, use: list)
        s.post(Site.adminStandardAnswers.route, use: create)
        s.get(Site.adminStandardAnswer.route, use: edit)
        s.post(Site.adminStandardAnswer.route, use: update)
        s.get(Site.adminStandardAnswer("verwijderen").route, use: confirmDelete)
        s.post(Site.adminStandardAnswer("verwijderen").route, use: delete)
    }

    struct Page: Encodable {
        struct Row: Encodable { var title: String; var state: String; var category: String; var language: String; var text: String; var edit: String; var delete: String }
        var page: PageMeta
        var heading: String
        var intro: String
        var rows: [Row]
        var form: FormView
        var back: String
    }

    private func fields(_ req: Request, _ mid: UUID, values: [String: String], errors: [FieldError]) async throws -> [FieldView] {
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$position).all()
        return [
            FieldView(req, name: "titel", label: req.t("admin.answers.title"), value: values["titel"] ?? "", description: req.t("admin.answers.titleHelp"), errors: errors),
            FieldView(req, name: "status", label: req.t("admin.answers.state"), type: "select", value: values["status"] ?? "",
                      options: [(value: "", label: req.t("signal.staff.chooseState"))] + SignalState.allCases.filter { $0 != .gemeld }.map { (value: $0.rawValue, label: req.t("signal.state." + $0.rawValue)) },
                      errors: errors),
            FieldView(req, name: "onderwerp", label: req.t("admin.answers.category"), type: "select", value: values["onderwerp"] ?? "", optional: true,
                      options: [(value: "", label: req.t("admin.answers.everyCategory"))] + categories.map { c in (value: c.id!.uuidString, label: c.name(req.language)) },
                      errors: errors),
            FieldView(req, name: "taal", label: req.t("admin.answers.language"), type: "radios", value: values["taal"] ?? "nl",
                      options: [(value: "nl", label: "Nederlands"), (value: "en", label: "English")], errors: errors),
            FieldView(req, name: "tekst", label: req.t("admin.answers.text"), type: "textarea", value: values["tekst"] ?? "", description: req.t("admin.answers.textHelp"), errors: errors),
        ]
    }

    private func page(_ req: Request, _ m: Municipality, values: [String: String] = [:], errors: [FieldError] = []) async throws -> Page {
        let mid = try m.requireID()
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == mid).all()
        let name = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name(req.language)) } })
        let answers = try await SignalStandardAnswer.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$state).sort(\.$title).all()
        let heading = req.t("admin.answers.heading", m.name)
        let base = Site.adminStandardAnswers.link(m.slug)
        return Page(page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.signals.title", m.name), Site.adminSignals.link(m.slug))], errors: errors),
                    heading: heading, intro: req.t("admin.answers.intro"),
                    rows: answers.map { a in .init(title: a.title, state: req.t("signal.state." + a.state), category: a.categoryID.flatMap { name[$0] } ?? req.t("admin.answers.everyCategory"),
                                                   language: a.language == "en" ? "English" : "Nederlands", text: a.text,
                                                   edit: base + "/\(a.id!)", delete: base + "/\(a.id!)/verwijderen") },
                    form: FormView(action: base, submitLabel: req.t("admin.answers.add"), fields: try await fields(req, mid, values: values, errors: errors),
                                   csrf: req.csrfToken(), showRequiredNote: true),
                    back: Site.adminSignals.link(m.slug))
    }

    func list(req: Request) async throws -> View {
        let m = try await req.adminMunicipality()
        return try await req.view.render("Signals/standard-answers", page(req, m))
    }

    /// Checks a posted answer; nil fields where the form was wrong.
    private func read(_ req: Request, _ mid: UUID, editing: UUID? = nil) async throws -> (SignalStandardAnswer.Snapshot, [String: String]) {
        let values = FormParts.read(req).values
        var errors: [FieldError] = []
        let title = Input.text(values["titel"], field: "titel", max: 80).collect(into: &errors)
        let text = Input.text(values["tekst"], field: "tekst", max: 4000).collect(into: &errors)
        let state = values["status"].flatMap(SignalState.init(rawValue:))
        if state == nil || state == .gemeld { errors.append(FieldError("status", (values["status"] ?? "").isEmpty ? "signal.state.missing" : "signal.state.unknown")) }
        let language = values["taal"] ?? ""
        if !["nl", "en"].contains(language) { errors.append(FieldError("taal", "admin.answers.languageUnknown")) }
        var category: UUID? = nil
        if let raw = values["onderwerp"], !raw.isEmpty {
            if let id = UUID(uuidString: raw), try await SignalCategory.query(on: req.db).filter(\.$id == id).filter(\.$municipality.$id == mid).count() == 1 { category = id }
            else { errors.append(FieldError("onderwerp", "signal.category.unknown")) }
        }
        // One answer per title for the same step, subject and language: a second would only confuse the handler's choice.
        if let title, let state, errors.isEmpty {
            let same = try await SignalStandardAnswer.query(on: req.db).filter(\.$municipality.$id == mid).filter(\.$state == state.rawValue)
                .filter(\.$language == language).all()
                .filter { $0.id != editing && $0.categoryID == category && $0.title.lowercased() == title.lowercased() }
            if !same.isEmpty { errors.append(FieldError("titel", "admin.answers.duplicate", [title])) }
        }
        guard errors.isEmpty, let title, let text, let state else { throw ValidationFailure(errors) }
        return (.init(state: state.rawValue, language: language, category: category?.uuidString, title: title, text: text), values)
    }

    private func apply(_ s: SignalStandardAnswer.Snapshot, to a: SignalStandardAnswer) {
        a.state = s.state; a.language = s.language; a.categoryID = s.category.flatMap(UUID.init(uuidString:)); a.title = s.title; a.text = s.text
    }

    func create(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let mid = try m.requireID()
        do {
            let (snapshot, _) = try await read(req, mid)
            let a = SignalStandardAnswer()
            a.$municipality.id = mid
            a.createdAt = req.application.clock()
            apply(snapshot, to: a)
            try await req.db.writeTransaction { db in
                try await a.create(on: db)
                try await req.audit(.signalsAnswerCreate, .init(id: a.id?.uuidString, summary: a.title, municipalityID: mid), after: snapshot, on: db)
            }
            req.flash(req.t("admin.answers.added", a.title))
            return req.redirect(to: Site.adminStandardAnswers.link(m.slug))
        } catch let failure as ValidationFailure {
            return try await req.render("Signals/standard-answers", page(req, m, values: FormParts.read(req).values, errors: failure.errors), status: failure.status)
        }
    }

    private func find(_ req: Request) async throws -> (Municipality, SignalStandardAnswer) {
        let m = try await req.adminMunicipality()
        guard let id = req.parameters.get("answer", as: UUID.self), let a = try await SignalStandardAnswer.find(id, on: req.db),
              a.$municipality.id == m.id else { throw AppError.notFound() }
        return (m, a)
    }

    struct EditPage: Encodable { var page: PageMeta; var heading: String; var form: FormView; var back: String }

    private func editPage(_ req: Request, _ m: Municipality, _ a: SignalStandardAnswer, values: [String: String], errors: [FieldError]) async throws -> EditPage {
        let heading = req.t("admin.answers.edit", a.title)
        return EditPage(page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.answers.heading", m.name), Site.adminStandardAnswers.link(m.slug))], errors: errors),
                        heading: heading, form: FormView(action: Site.adminStandardAnswer.link(m.slug, a.id!.uuidString), submitLabel: req.t("admin.answers.save"),
                                                         fields: try await fields(req, try m.requireID(), values: values, errors: errors), csrf: req.csrfToken(), showRequiredNote: true),
                        back: Site.adminStandardAnswers.link(m.slug))
    }

    func edit(req: Request) async throws -> View {
        let (m, a) = try await find(req)
        return try await req.view.render("Admin/form-page", editPage(req, m, a, values: ["titel": a.title, "status": a.state, "onderwerp": a.categoryID?.uuidString ?? "",
                                                                                        "taal": a.language, "tekst": a.text], errors: []))
    }

    func update(req: Request) async throws -> Response {
        let (m, a) = try await find(req)
        do {
            let (snapshot, _) = try await read(req, try m.requireID(), editing: a.id)
            let before = a.snapshot
            apply(snapshot, to: a)
            try await req.db.writeTransaction { db in
                try await a.update(on: db)
                try await req.audit(.signalsAnswerUpdate, .init(id: a.id?.uuidString, summary: a.title, municipalityID: m.id), before: before, after: snapshot, on: db)
            }
            req.flash(req.t("admin.answers.saved", a.title))
            return req.redirect(to: Site.adminStandardAnswers.link(m.slug))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/form-page", editPage(req, m, a, values: FormParts.read(req).values, errors: failure.errors), status: failure.status)
        }
    }

    func confirmDelete(req: Request) async throws -> View {
        let (m, a) = try await find(req)
        let heading = req.t("admin.answers.deleteTitle", a.title)
        return try await req.view.render("Admin/confirm", SignalsAdminController.ConfirmPage(
            page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.answers.heading", m.name), Site.adminStandardAnswers.link(m.slug))]),
            heading: heading, text: req.t("admin.answers.deleteText", a.title), action: Site.adminStandardAnswer("verwijderen").link(m.slug, a.id!.uuidString),
            csrf: req.csrfToken(), submit: req.t("admin.answers.delete"), cancel: Site.adminStandardAnswers.link(m.slug)))
    }

    func delete(req: Request) async throws -> Response {
        let (m, a) = try await find(req)
        let before = a.snapshot
        try await req.db.writeTransaction { db in
            try await a.delete(on: db)
            try await req.audit(.signalsAnswerDelete, .init(id: a.id?.uuidString, summary: a.title, municipalityID: m.id), before: before, on: db)
        }
        req.flash(req.t("admin.answers.deleted", a.title))
        return req.redirect(to: Site.adminStandardAnswers.link(m.slug))
    }
}
