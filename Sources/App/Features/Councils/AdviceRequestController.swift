import Vapor
import Fluent
import Domain

/// Starting advice: the college or a department asks a council a question with a date by which the advice is
/// wanted; a council member starts unsolicited advice of their own council. Both are later adopted in a meeting.
struct AdviceRequestController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        // The college and departments ask for advice; council members start unsolicited advice.
        let routes = routes.access(.anyOf([.requestAdvice, .giveAdvice]))
        routes.get(Site.adviceNew.route, use: form)
        routes.post(Site.adviceNew.route, use: create)
    }

    struct Page: Encodable { var page: PageMeta; var heading: String; var form: FormView; var back: String }

    /// The councils this user may start advice for, and whether it is requested (college, departments) or unsolicited (members).
    static func choices(_ actor: Actor, municipality: UUID, on db: any Database) async throws -> (councils: [Council], kind: CouncilRules.AdviceKind)? {
        let councils = try await Council.query(on: db).filter(\.$municipality.$id == municipality).sort(\.$name).all()
        if Permissions.allows(actor, .requestAdvice(municipality: municipality)) { return (councils, .requested) }
        let own = councils.filter { Permissions.allows(actor, .giveAdvice(municipality: municipality, area: $0.$area.id)) }
        return own.isEmpty ? nil : (own, .unsolicited)
    }

    private func page(_ req: Request, _ m: Municipality, councils: [Council], kind: CouncilRules.AdviceKind, values: [String: String], errors: [FieldError]) -> Page {
        let heading = req.t("adviceRequest.title.\(kind.rawValue)")
        var fields = [
            FieldView(req, name: "raad", label: req.t("advice.council"), type: "select", value: values["raad"] ?? "",
                      options: [(value: "", label: req.t("adviceRequest.chooseCouncil"))] + councils.map { (value: $0.id!.uuidString, label: $0.name) }, errors: errors),
            FieldView(req, name: "onderwerp", label: req.t("adviceRequest.subject"), value: values["onderwerp"] ?? "", errors: errors),
        ]
        if kind == .requested {
            fields.append(FieldView(req, name: "vraag", label: req.t("advice.question"), type: "textarea", value: values["vraag"] ?? "", errors: errors))
            fields.append(FieldView(req, name: "gewenst", label: req.t("adviceRequest.wantedBy"), type: "date", value: values["gewenst"] ?? "",
                                    description: req.t("adviceRequest.wantedByHelp"), errors: errors))
        }
        // Advice about a version of an area agenda or plan: the link travels with the form.
        if let product = values["product"], !product.isEmpty { fields.append(FieldView(req, name: "product", label: "", type: "hidden", value: product)) }
        return Page(page: req.page(heading, crumbs: [(req.t("advice.registerTitle", m.name), Site.adviceRegister.link(m.slug))], errors: errors),
                    heading: heading, form: FormView(action: Site.adviceNew.link(m.slug), submitLabel: req.t("adviceRequest.submit.\(kind.rawValue)"),
                                                     fields: fields, csrf: req.csrfToken(), showRequiredNote: true),
                    back: Site.adviceRegister.link(m.slug))
    }

    private func load(_ req: Request) async throws -> (Municipality, [Council], CouncilRules.AdviceKind) {
        _ = try req.requireUser()
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        guard let (councils, kind) = try await Self.choices(try await req.actor(), municipality: try m.requireID(), on: req.db) else { throw AppError.forbidden }
        return (m, councils, kind)
    }

    /// A version of a cycle product of this municipality whose area has one of these councils (for advice about it).
    private func product(_ raw: String?, municipality m: Municipality, councils: [Council], on db: any Database) async throws -> (CycleProduct, Council)? {
        guard let id = raw.flatMap(UUID.init(uuidString:)), let p = try await CycleProduct.find(id, on: db), p.$municipality.id == m.id, p.status.isPublic,
              let council = councils.first(where: { $0.$area.id == p.$area.id }) else { return nil }
        return (p, council)
    }

    func form(req: Request) async throws -> View {
        let (m, councils, kind) = try await load(req)
        var values: [String: String] = [:]
        if let (p, council) = try await product(req.query[String.self, at: "product"], municipality: m, councils: councils, on: req.db) {
            values = ["product": p.id!.uuidString, "raad": council.id!.uuidString,
                      "onderwerp": req.t("adviceRequest.aboutProduct", req.t("cycle.kind." + p.kind.rawValue).lowercased(), String(p.version))]
        }
        return try await req.view.render("Admin/form-page", page(req, m, councils: councils, kind: kind, values: values, errors: []))
    }

    func create(req: Request) async throws -> Response {
        let (m, councils, kind) = try await load(req)
        let values = FormParts.read(req).values
        do {
            var errors: [FieldError] = []
            let council = values["raad"].flatMap(UUID.init(uuidString:)).flatMap { id in councils.first { $0.id == id } }
            if council == nil { errors.append(FieldError("raad", "adviceRequest.councilMissing")) }
            let subject = Input.text(values["onderwerp"], field: "onderwerp", max: 200).collect(into: &errors)
            var question: String? = nil, wanted: Date? = nil
            let now = req.application.clock()
            if kind == .requested {
                question = Input.text(values["vraag"], field: "vraag", max: 4000).collect(into: &errors)
                wanted = Format.parseDay(values["gewenst"] ?? "")
                if wanted == nil { errors.append(FieldError("gewenst", "councilWork.dateInvalid")) } else if wanted! < Day(now).start { errors.append(FieldError("gewenst", "adviceRequest.wantedInPast")) }
            }
            guard errors.isEmpty, let council, let subject else { throw ValidationFailure(errors) }
            let about = try await product(values["product"], municipality: m, councils: [council], on: req.db)
            if values["product"].map({ !$0.isEmpty }) == true && about == nil { throw ValidationFailure([FieldError("raad", "adviceRequest.productOtherCouncil")]) }
            let advice = CouncilAdvice()
            advice.$council.id = try council.requireID()
            advice.cycleProductID = about?.0.id
            advice.kind = kind
            advice.subject = subject
            advice.question = question
            advice.askedOn = kind == .requested ? now : nil
            advice.wantedBy = wanted.map { Day($0).end }
            try await req.db.writeTransaction { db in
                try await advice.create(on: db)
                try await req.audit(kind == .requested ? .adviceRequested : .adviceUnsolicited,
                                    .init(id: advice.id?.uuidString, summary: "\(council.name): \(subject)", municipalityID: m.id),
                                    after: advice.snapshot, on: db)
            }
            req.flash(req.t("adviceRequest.created.\(kind.rawValue)", council.name))
            return req.redirect(to: Site.advice.link(m.slug, advice.id!.uuidString))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/form-page", page(req, m, councils: councils, kind: kind, values: values, errors: failure.errors), status: failure.status)
        }
    }
}
