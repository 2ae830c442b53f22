import Vapor
import Fluent
import Domain

/// Installation admin: the five profiles' positions (a documented reading of the publication), editable.
struct MixingPanelProfilesController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let profiles = routes.access(.action(.administerInstallation))
        profiles.get(Site.mixingPanelProfiles.route, use: editProfiles)
        profiles.post(Site.mixingPanelProfiles.route, use: saveProfiles)
    }

    // MARK: Admin: the profiles' positions

    struct ProfilesPage: Encodable {
        struct Cell: Encodable { var name: String; var id: String; var label: String; var options: [FieldView.Option] }
        struct Row: Encodable { var profile: String; var cells: [Cell] }
        var page: PageMeta
        var sliders: [String]
        var rows: [Row]
        var csrf: String
    }

    func editProfiles(req: Request) async throws -> View {
        try await req.authorize(.administerInstallation)
        return try await req.view.render("MixingPanel/profiles", try await profilesPage(req, chosen: nil, errors: []))
    }

    private func profilesPage(_ req: Request, chosen: [String: String]?, errors: [FieldError]) async throws -> ProfilesPage {
        let content = req.application.mixingPanelContent
        let stored = try await MixingPanelService.profiles(on: req.db)
        let lang = req.language
        let sliders = content.sliders.filter { !$0.optional }
        let rows = content.profiles.map { profile in
            ProfilesPage.Row(profile: profile.name.text(lang), cells: sliders.map { slider in
                let name = "\(profile.code)_\(slider.code)"
                let value = chosen?[name] ?? stored[profile.code]?[slider.code].map(String.init) ?? ""
                return ProfilesPage.Cell(name: name, id: name, label: req.t("mixingPanel.profileCell", profile.name.text(lang), slider.name.text(lang)),
                                         options: (1...3).map { FieldView.Option(value: String($0), label: req.t("mixingPanel.threeStep.\($0)"), selected: String($0) == value, id: "") })
            })
        }
        return ProfilesPage(page: req.page(req.t("mixingPanel.profilesTitle"), crumbs: [(req.t("admin.title"), Site.admin.link())], errors: errors, status: req.takeFlash()),
                            sliders: sliders.map { $0.name.text(lang) }, rows: rows, csrf: req.csrfToken())
    }

    func saveProfiles(req: Request) async throws -> Response {
        try await req.authorize(.administerInstallation)
        let values = FormParts.read(req).values
        do {
            let content = req.application.mixingPanelContent
            var errors: [FieldError] = []
            var updated: [String: [String: Int]] = [:]
            for profile in content.profiles {
                for slider in content.sliders where !slider.optional {
                    let name = "\(profile.code)_\(slider.code)"
                    guard let p = values[name].flatMap(Int.init), (1...3).contains(p) else { errors.append(FieldError(name, "mixingPanel.position.outOfScale", ["3"])); continue }
                    updated[profile.code, default: [:]][slider.code] = p
                }
            }
            guard errors.isEmpty else { throw ValidationFailure(errors) }
            let before = try await MixingPanelService.profiles(on: req.db)
            let user = try req.requireUser()
            let newPositions = updated
            try await req.db.writeTransaction { db in
                for (code, positions) in newPositions {
                    if let record = try await MixingPanelProfileRecord.query(on: db).filter(\.$code == code).first() {
                        record.positionsJSON = AuditLog.json(positions)
                        try await record.update(on: db)
                    }
                }
                try await AuditLog.record(on: db, by: user, action: .mixingPanelProfiles, subject: .init(id: nil, summary: req.t("mixingPanel.profilesTitle"), municipalityID: nil),
                                          before: before, after: newPositions, requestID: req.id, at: req.application.clock())
            }
            req.flash(req.t("mixingPanel.profilesSaved"))
            return req.redirect(to: Site.mixingPanelProfiles.link())
        } catch let failure as ValidationFailure {
            return try await req.render("MixingPanel/profiles", try await profilesPage(req, chosen: values, errors: failure.errors), status: failure.status)
        }
    }
}
