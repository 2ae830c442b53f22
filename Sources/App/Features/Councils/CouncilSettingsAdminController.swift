import Vapor
import Fluent
import Domain

/// Admin page for a municipality's council settings: when terms start (with the municipal council), how long the
/// college has to answer advice, and how a council's and a theme group's advice weigh when they differ.
struct CouncilSettingsAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let r = routes.access(.action(.administer))
        r.get(Site.adminCouncils.route, use: edit)
        r.post(Site.adminCouncils.route, use: save)
    }

    struct SettingsForm: Content { var csrf: String?; var termStart: String?; var answerDays: String?; var councilWeight: String?; var themeGroupWeight: String? }
    struct Page: Encodable { var page: PageMeta; var heading: String; var form: FormView; var back: String }

    private func page(_ req: Request, _ m: Municipality, form: SettingsForm, errors: [FieldError] = []) -> Page {
        let heading = req.t("councilSettings.title", m.name)
        return Page(page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link())], errors: errors, status: req.takeFlash()), heading: heading,
                    form: FormView(action: Site.adminCouncils.link(m.slug), submitLabel: req.t("admin.department.save"), fields: [
                        FieldView(req, name: "termStart", label: req.t("councilSettings.termStart"), type: "date", value: form.termStart ?? "",
                                  description: req.t("councilSettings.termStartHelp"), errors: errors),
                        FieldView(req, name: "answerDays", label: req.t("councilSettings.answerDays"), type: "number", value: form.answerDays ?? "",
                                  description: req.t("councilSettings.answerDaysHelp"), errors: errors),
                        FieldView(req, name: "councilWeight", label: req.t("councilSettings.councilWeight"), type: "number", value: form.councilWeight ?? "", errors: errors),
                        FieldView(req, name: "themeGroupWeight", label: req.t("councilSettings.themeGroupWeight"), type: "number", value: form.themeGroupWeight ?? "",
                                  description: req.t("councilSettings.weightHelp"), errors: errors),
                    ], csrf: req.csrfToken(), showRequiredNote: true), back: Site.admin.link())
    }

    func edit(req: Request) async throws -> View {
        let m = try await req.adminMunicipality()
        let s = try await CouncilSettings.load(try m.requireID(), on: req.db)
        let start = DutchTime.calendar.date(from: DateComponents(year: s.termYear, month: s.termMonth, day: s.termDay)) ?? Date()
        return try await req.view.render("Admin/form-page", page(req, m, form: .init(termStart: Format.isoDay(start), answerDays: String(s.answerDays),
                                                                                    councilWeight: String(s.councilWeight), themeGroupWeight: String(s.themeGroupWeight))))
    }

    func save(req: Request) async throws -> Response {
        let m = try await req.adminMunicipality()
        let form = req.form(SettingsForm())
        do {
            var errors: [FieldError] = []
            let start = Format.parseDay(form.termStart ?? "")
            if start == nil { errors.append(FieldError("termStart", "councilWork.dateInvalid")) }
            let days = Int(form.answerDays ?? "")
            if days == nil || !(7...365).contains(days!) { errors.append(FieldError("answerDays", "councilSettings.answerDaysInvalid")) }
            let council = Int(form.councilWeight ?? ""), theme = Int(form.themeGroupWeight ?? "")
            if council == nil || !(0...10).contains(council!) { errors.append(FieldError("councilWeight", "councilSettings.weightInvalid")) }
            if theme == nil || !(0...10).contains(theme!) { errors.append(FieldError("themeGroupWeight", "councilSettings.weightInvalid")) }
            if council == 0 && theme == 0 { errors.append(FieldError("councilWeight", "councilSettings.weightsZero")) }
            guard errors.isEmpty, let start, let days, let council, let theme else { throw ValidationFailure(errors) }
            let s = try await CouncilSettings.load(try m.requireID(), on: req.db)
            let before = s.snapshot
            let parts = DutchTime.calendar.dateComponents([.year, .month, .day], from: start)
            s.termYear = parts.year!
            s.termMonth = parts.month!
            s.termDay = parts.day!
            s.answerDays = days
            s.councilWeight = council
            s.themeGroupWeight = theme
            try await req.db.writeTransaction { db in
                try await s.save(on: db)
                try await req.audit(.councilSettingsUpdate, .init(id: s.id?.uuidString, summary: m.name, municipalityID: m.id),
                                    before: before, after: s.snapshot, on: db)
            }
            req.flash(req.t("councilSettings.saved"))
            return req.redirect(to: Site.adminCouncils.link(m.slug))
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/form-page", page(req, m, form: form, errors: failure.errors), status: failure.status)
        }
    }
}
