import Vapor
import Fluent
import Domain

/// Starting advice: the college or a department asks a council a question with a date by which the advice is
/// wanted; a council member starts unsolicited advice of their own council. Both are later adopted in a meeting.
struct AdviceRequestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // The college and departments ask for advice; council members start unsolicited advice.
        let routes = routes.access(.anyOf([.requestAdvice, .giveAdvice]))
        routes.get("gemeenten", ":municipality", "adviezen", "nieuw", use: form)
        routes.post("gemeenten", ":municipality", "adviezen", "nieuw", use: create)
    }

    struct Page: Encodable { var page: PageMeta; var heading: String; var form: FormView; var back: String }

    /// The councils this user may start advice for, and whether it is requested (college, departments) or unsolicited (members).
    static func choices(_ actor: Actor, municipality: UUID, on db: any Database) async throws -> (councils: [Council], kind: String)? {
        let councils = try await Council.query(on: db).filter(\.$municipality.$id == municipality).sort(\.$name).all()
        if Permissions.allows(actor, .requestAdvice(municipality: municipality)) { return (councils, "requested") }
        let own = councils.filter { Permissions.allows(actor, .giveAdvice(municipality: municipality, area: $0.$area.id)) }
        return own.isEmpty ? nil : (own, "unsolicited")
    }

    private func page(_ req: Request, _ m: Municipality, councils: [Council], kind: String, values: [String: String], errors: [FieldError]) -> Page {
        let heading = req.t("adviceRequest.title.\(kind)")
        var fields = [
            FieldView(req, name: "raad", label: req.t("advice.council"), type: "select", value: values["raad"] ?? "",
                      options: [(value: "", label: req.t("adviceRequest.chooseCouncil"))] + councils.map { (value: $0.id!.uuidString, label: $0.name) }, errors: errors),
            FieldView(req, name: "onderwerp", label: req.t("adviceRequest.subject"), value: values["onderwerp"] ?? "", errors: errors),
        ]
        if kind == "requested" {
            fields.append(FieldView(req, name: "vraag", label: req.t("advice.question"), type: "textarea", value: values["vraag"] ?? "", errors: errors))
            fields.append(FieldView(req, name: "gewenst", label: req.t("adviceRequest.wantedBy"), type: "date", value: values["gewenst"] ?? "",
                                    description: req.t("adviceRequest.wantedByHelp"), errors: errors))
        }
        return Page(page: req.page(heading, crumbs: [(req.t("advice.registerTitle", m.name), Paths.municipality(m.slug) + "/adviezen")], errors: errors),
                    heading: heading, form: FormView(action: Paths.municipality(m.slug) + "/adviezen/nieuw", submitLabel: req.t("adviceRequest.submit.\(kind)"),
                                                     fields: fields, csrf: req.csrfToken(), showRequiredNote: true),
                    back: Paths.municipality(m.slug) + "/adviezen")
    }

    private func load(_ req: Request) async throws -> (Municipality, [Council], String) {
        _ = try req.requireUser()
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        guard let (councils, kind) = try await Self.choices(try await req.actor(), municipality: try m.requireID(), on: req.db) else { throw AppError.forbidden }
        return (m, councils, kind)
    }

    func form(req: Request) async throws -> View {
        let (m, councils, kind) = try await load(req)
        return try await req.view.render("Admin/form-page", page(req, m, councils: councils, kind: kind, values: [:], errors: []))
    }

    func create(req: Request) async throws -> Response {
        let (m, councils, kind) = try await load(req)
        let values = FormParts.read(req).values
        do {
            try req.checkCSRF(values["csrf"])
            var errors: [FieldError] = []
            let council = values["raad"].flatMap(UUID.init(uuidString:)).flatMap { id in councils.first { $0.id == id } }
            if council == nil { errors.append(FieldError("raad", "adviceRequest.councilMissing")) }
            let subject = Input.text(values["onderwerp"], field: "onderwerp", max: 200).collect(into: &errors)
            var question: String? = nil, wanted: Date? = nil
            let now = req.application.clock()
            if kind == "requested" {
                question = Input.text(values["vraag"], field: "vraag", max: 4000).collect(into: &errors)
                wanted = Format.parseDay(values["gewenst"] ?? "")
                if wanted == nil { errors.append(FieldError("gewenst", "councilWork.dateInvalid")) } else if wanted! < Day(now).start { errors.append(FieldError("gewenst", "adviceRequest.wantedInPast")) }
            }
            guard errors.isEmpty, let council, let subject else { throw ValidationFailure(errors) }
            let advice = CouncilAdvice()
            advice.$council.id = try council.requireID()
            advice.kind = kind
            advice.subject = subject
            advice.question = question
            advice.askedOn = kind == "requested" ? now : nil
            advice.wantedBy = wanted.map { Day($0).end }
            try await req.db.transaction { db in
                try await advice.create(on: db)
                try await req.audit(kind == "requested" ? .adviceRequested : .adviceUnsolicited,
                                    .init(id: advice.id?.uuidString, summary: "\(council.name): \(subject)", municipalityID: m.id),
                                    after: advice.snapshot, on: db)
            }
            req.flash(req.t("adviceRequest.created.\(kind)", council.name))
            return req.redirect(to: Paths.municipality(m.slug) + "/adviezen/\(advice.id!)")
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/form-page", page(req, m, councils: councils, kind: kind, values: values, errors: failure.errors), status: failure.status)
        }
    }
}

/// Late answers escalate like late signals: the municipality's ladder from the answer's due date, with the
/// roles that have an area (the coordinator, the area manager, the alderman); each level once, by mail.
final class AdviceEscalation: Model, @unchecked Sendable {
    static let schema = "advice_escalations"
    @ID(key: .id) var id: UUID?
    @Parent(key: "advice_id") var advice: CouncilAdvice
    @Field(key: "level") var level: Int
    @Enum(key: "role") var role: Role
    @Field(key: "at") var at: Date
    init() {}
}

struct CreateAdviceEscalations: AsyncMigration {
    var name: String { "2026-11-23-12-create-advice-escalations" }
    func prepare(on db: any Database) async throws {
        try await db.schema(AdviceEscalation.schema)
            .id()
            .field("advice_id", .uuid, .required, .references(CouncilAdvice.schema, "id", onDelete: .cascade))
            .field("level", .int, .required)
            .field("role", .string, .required)
            .field("at", .datetime, .required)
            .unique(on: "advice_id", "level")
            .create()
    }
    func revert(on db: any Database) async throws { try await db.schema(AdviceEscalation.schema).delete() }
}

enum AdviceJobs {
    static func escalate(app: Application, now: Date) async throws -> Int {
        let db = app.db
        var count = 0
        for m in try await Municipality.query(on: db).all() {
            let mid = try m.requireID()
            let settings = try await CouncilSettings.load(mid, on: db)
            let config = try await SignalConfiguration.load(mid, on: db)
            let ladder = config.ladder.filter { $0.role.scopeKind != .department }
            guard !ladder.isEmpty else { continue }
            let councils = try await Council.query(on: db).filter(\.$municipality.$id == mid).all()
            guard !councils.isEmpty else { continue }
            let waiting = try await CouncilAdvice.query(on: db).filter(\.$council.$id ~~ councils.compactMap(\.id)).filter(\.$givenOn != nil).filter(\.$answeredOn == nil)
                .filter(\.$givenOn < now.addingTimeInterval(-Double(settings.answerDays) * 86_400)).all()
            for advice in waiting {
                guard let given = advice.givenOn, let council = councils.first(where: { $0.id == advice.$council.id }) else { continue }
                let done = Set(try await AdviceEscalation.query(on: db).filter(\.$advice.$id == advice.requireID()).all().map(\.level))
                let due = CouncilRules.answerDue(givenOn: given, termDays: settings.answerDays)
                for step in EscalationLadder.dueSteps(ladder, deadline: due, state: .gemeld, now: now, alreadyEscalated: done, holidays: config.settings.holidays) {
                    do {
                        try await db.transaction { db in
                            let e = AdviceEscalation()
                            e.$advice.id = try advice.requireID()
                            e.level = step.level
                            e.role = step.role
                            e.at = now
                            try await e.create(on: db)
                            let people = try await StaffDirectory.people(with: step.role, municipality: mid, area: council.$area.id, department: nil, on: db)
                            for user in people {
                                try await Outbox.enqueue(to: user.email, subject: app.localizer.text("advice.mail.escalated.subject", .nl, [council.name]),
                                                         body: app.localizer.text("advice.mail.escalated.body", .nl, [advice.subject, council.name, Format.day(due, .nl),
                                                                                  "\(app.config.publicURL)/gemeenten/\(m.slug)/adviezen/\(advice.id!)"]), at: now, on: db)
                            }
                        }
                        count += 1
                    } catch let error as any DatabaseError where error.isConstraintFailure {
                        continue
                    }
                }
            }
        }
        return count
    }
}
