import Vapor
import Fluent
import Domain

/// How residents reach the area's coordinator: the municipality's general phone number and e-mail address
/// (configuration), and a form whose question is mailed to the area's coordinators through the outbox (or to
/// the general address when the area has none). The question and the resident's address are kept only in
/// that mail, which the outbox removes 30 days after sending.
struct AreaContactSection: AreaPageSection {
    struct Context: Encodable { var phone: String?; var email: String?; var askHref: String }

    /// A link to the form, not the form itself: the area page stays the same for everyone and stores no session.
    func html(_ context: AreaPageContext, req: Request) async throws -> String? {
        try await req.renderHTML("Communication/area-contact", Context(
            phone: req.application.config.contactPhone, email: req.application.config.contactEmail,
            askHref: Site.areaQuestion.link(context.municipality.slug, context.area.slug)))
    }
}

struct AreaContactController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.public).get(Site.areaQuestion.route, use: page)
        routes.access(.public).post(Site.areaQuestion.route, use: ask)
    }

    static func form(_ req: Request, municipality: String, area: String, values: [String: String], errors: [FieldError]) -> FormView {
        FormView(action: Site.areaQuestion.link(municipality, area), submitLabel: req.t("contact.send"), fields: [
            FieldView(req, name: "vraag", label: req.t("contact.question"), type: "textarea", value: values["vraag"] ?? "", description: req.t("contact.questionHelp"), errors: errors),
            FieldView(req, name: "naam", label: req.t("contact.name"), value: values["naam"] ?? "", optional: true, autocomplete: "name", errors: errors),
            FieldView(req, name: "email", label: req.t("contact.email"), type: "email", value: values["email"] ?? "", description: req.t("contact.emailHelp"),
                      autocomplete: "email", errors: errors),
        ], csrf: req.csrfToken(), showRequiredNote: true)
    }

    struct Page: Encodable { var page: PageMeta; var heading: String; var text: String?; var form: FormView?; var back: String }

    func page(req: Request) async throws -> View {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        guard let area = s.area(slug: req.parameters.get("area") ?? "") else { throw AppError.notFound("error.areaNotFound") }
        let heading = req.t("contact.title", area.name)
        return try await req.view.render("Communication/ask", Page(page: req.page(heading, municipality: s.name, crumbs: [(area.name, Site.area.link(s.slug, area.slug))]),
                                                                   heading: heading, text: req.t("contact.intro"), form: Self.form(req, municipality: s.slug, area: area.slug, values: [:], errors: []),
                                                                   back: Site.area.link(s.slug, area.slug)))
    }

    func ask(req: Request) async throws -> Response {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        guard let area = s.area(slug: req.parameters.get("area") ?? "") else { throw AppError.notFound("error.areaNotFound") }
        let values = FormParts.read(req).values
        var errors: [FieldError] = []
        let question = Input.text(values["vraag"], field: "vraag", max: 2000).collect(into: &errors)
        let name = Input.text(values["naam"], field: "naam", max: 120, required: false).collect(into: &errors)
        let email = Credentials.normaliseEmail(values["email"] ?? "", field: "email").collect(into: &errors)
        let back = Site.area.link(s.slug, area.slug)
        guard errors.isEmpty, let question, let email else {
            let heading = req.t("contact.title", area.name)
            return try await req.render("Communication/ask", Page(page: req.page(heading, municipality: s.name, errors: errors), heading: heading, text: nil,
                                                                  form: Self.form(req, municipality: s.slug, area: area.slug, values: values, errors: errors), back: back),
                                        status: .unprocessableEntity)
        }
        let coordinators = try await StaffDirectory.people(with: .areaCoordinator, municipality: s.id, area: area.id, department: nil, on: req.db)
        let recipients = coordinators.map(\.email) + (coordinators.isEmpty ? [req.application.config.contactEmail].compactMap { $0 } : [])
        let now = req.application.clock()
        for recipient in recipients {
            try await Outbox.enqueue(to: recipient, subject: req.application.localizer.text("contact.mail.subject", .nl, [area.name]),
                                     body: req.application.localizer.text("contact.mail.body", .nl, [area.name, (name ?? "").isEmpty ? "–" : name!, email, question]),
                                     at: now, on: req.db)
        }
        let heading = req.t("contact.thanksTitle")
        return try await req.render("Communication/ask", Page(page: req.page(heading, municipality: s.name), heading: heading,
                                                              text: req.t(recipients.isEmpty ? "contact.noRecipient" : "contact.thanks", area.name), form: nil, back: back),
                                    status: recipients.isEmpty ? .serviceUnavailable : .created)
    }
}
