import Vapor
import Fluent
import SQLKit
import Domain

/// Admin: a subject's handling term, whether it is public, and whether residents can choose it.
struct SignalCategoriesAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let s = routes.access(.action(.administer))
        s.get(Site.adminSignals("onderwerpen", ":category").route, use: editCategory)
        s.post(Site.adminSignals("onderwerpen", ":category").route, use: saveCategory)
    }

    // MARK: Categories

    struct CategoryForm: Content { var csrf: String?; var termDays: String?; var termUnit: String?; var isPublic: String?; var active: String? }
    struct CategoryPage: Encodable { var page: PageMeta; var heading: String; var form: FormView; var back: String }

    private func category(_ req: Request, _ mid: UUID) async throws -> SignalCategory {
        guard let id = req.parameters.get("category", as: UUID.self), let c = try await SignalCategory.find(id, on: req.db), c.$municipality.id == mid else { throw AppError.notFound() }
        return c
    }

    private func categoryPage(_ req: Request, _ m: Municipality, _ c: SignalCategory, form: CategoryForm, errors: [FieldError] = []) -> CategoryPage {
        let heading = req.t("admin.signals.categoryTitle", c.name(req.language))
        return CategoryPage(page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.signals.title", m.name), SignalsAdminController.path(m))], errors: errors), heading: heading,
                            form: FormView(action: SignalsAdminController.path(m) + "/onderwerpen/\(c.id!)", submitLabel: req.t("admin.department.save"), fields: [
                                FieldView(req, name: "termDays", label: req.t("admin.signals.termDays"), type: "number", value: form.termDays ?? "", errors: errors),
                                FieldView(req, name: "termUnit", label: req.t("admin.signals.termUnit"), type: "radios", value: form.termUnit ?? "",
                                          options: HandlingTerm.Unit.allCases.map { (value: $0.rawValue, label: req.t("admin.signals.unit.\($0.rawValue)")) }, errors: errors),
                                FieldView(req, name: "isPublic", label: req.t("admin.signals.isPublic"), type: "checkbox", value: form.isPublic ?? "",
                                          description: req.t("admin.signals.isPublicHelp")),
                                FieldView(req, name: "active", label: req.t("admin.signals.active"), type: "checkbox", value: form.active ?? ""),
                            ], csrf: req.csrfToken(), showRequiredNote: true), back: SignalsAdminController.path(m))
    }

    func editCategory(req: Request) async throws -> View {
        let (m, mid) = try await SignalsAdminController.load(req)
        let c = try await category(req, mid)
        return try await req.view.render("Admin/form-page", categoryPage(req, m, c, form: .init(termDays: String(c.termDays), termUnit: c.termUnit,
                                                                                                isPublic: c.isPublic ? "ja" : "", active: c.active ? "ja" : "")))
    }

    func saveCategory(req: Request) async throws -> Response {
        let (m, mid) = try await SignalsAdminController.load(req)
        let c = try await category(req, mid)
        let form = req.form(CategoryForm())
        do {
            var errors: [FieldError] = []
            let days = Int(form.termDays ?? "")
            if days == nil || !(0...365).contains(days!) { errors.append(FieldError("termDays", "admin.signals.termInvalid")) }
            let unit = HandlingTerm.Unit(rawValue: form.termUnit ?? "")
            if unit == nil { errors.append(FieldError("termUnit", "admin.signals.unitMissing")) }
            guard errors.isEmpty, let days, let unit else { throw ValidationFailure(errors) }
            let before = c.snapshot
            c.termDays = days
            c.termUnit = unit.rawValue
            c.isPublic = form.isPublic == "ja"
            c.active = form.active == "ja"
            try await req.db.writeTransaction { db in
                try await c.update(on: db)
                try await req.audit(.signalsCategoryUpdate, .init(id: c.id?.uuidString, summary: c.nameNL, municipalityID: mid), before: before,
                                    after: c.snapshot, on: db)
            }
            req.flash(req.t("admin.signals.categorySaved", c.name(req.language)))
            return req.redirect(to: SignalsAdminController.path(m))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/form-page", categoryPage(req, m, c, form: form, errors: failure.errors), status: failure.status)
        }
    }
}
