import Vapor
import Fluent
import Domain

/// The mixing panel pages (staff of the municipality) and the comparison API.
struct MixingPanelController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.access(.action(.viewAssessments)), fill = routes.access(.action(.assessOrganisation))
        view.get(Site.mixingPanels.route, use: list)
        fill.get(Site.mixingPanelNew.route, use: new)
        fill.post(Site.mixingPanelNew.route, use: create)
        view.get(Site.mixingPanel.route, use: show)
    }

    /// A panel's date (stored as yyyy-mm-dd) as people read it: "1 november 2026".
    static func day(_ stored: String, _ req: Request) -> String {
        Format.parseDay(stored).map { Format.day($0, req.language) } ?? stored
    }

    static func subjectLabel(_ p: MixingPanelRecord, _ req: Request) -> String {
        "\(req.t("mixingPanel.subjectKind.\(p.subjectKind)")): \(p.subjectName)"
    }

    // MARK: List

    struct ListPage: Encodable {
        struct Row: Encodable { var subject: String; var variant: String; var date: String; var nearest: String; var href: String }
        var page: PageMeta
        var heading: String
        var rows: [Row]
        var newHref: String
        var canFill: Bool
    }

    func list(req: Request) async throws -> View {
        let m = try await req.municipality { .viewAssessments(municipality: $0) }
        let actor = try await req.actor()
        let panels = try await MixingPanelRecord.query(on: req.db).filter(\.$municipality.$id == m.requireID())
            .sort(\.$subjectKind).sort(\.$subjectName).sort(\.$evaluatedOn, .descending).sort(\.$createdAt, .descending).all()
        let profiles = try await MixingPanelService.profiles(on: req.db)
        let content = req.application.mixingPanelContent
        let rows = panels.map { p in
            ListPage.Row(subject: Self.subjectLabel(p, req), variant: req.t("mixingPanel.variant.\(p.variant)"), date: Self.day(p.evaluatedOn, req),
                         nearest: MixingPanel.nearest(p.positions, scale: p.scale, profiles: profiles).flatMap { content.profile($0.profile)?.name.text(req.language) } ?? "",
                         href: Paths.mixingPanel(m.slug, p.id!))
        }
        let heading = req.t("mixingPanel.listTitle", m.name)
        return try await req.view.render("MixingPanel/list", ListPage(
            page: req.page(heading, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug))], status: req.takeFlash()),
            heading: heading, rows: rows, newHref: Site.mixingPanelNew.link(m.slug),
            canFill: Permissions.allows(actor, .assessOrganisation(municipality: try m.requireID()))))
    }

    // MARK: New panel

    struct FormPage: Encodable {
        var page: PageMeta
        var heading: String
        var intro: String
        var scaleLink: String?
        var scaleLinkLabel: String?
        var form: FormView
        var back: String
    }

    /// The form's values as typed (all text, so nothing is lost when it comes back).
    typealias Values = [String: String]

    private func formPage(_ req: Request, _ m: Municipality, values: Values, current: MixingPanelRecord?, errors: [FieldError]) -> FormPage {
        let content = req.application.mixingPanelContent
        let lang = req.language
        let steps = Int(values["scale"] ?? "") == 5 ? 5 : 3
        let sixth = values["sixthSlider"] == "ja"
        var fields: [FieldView] = []
        if let current {
            fields.append(FieldView(req, name: "currentID", label: "", type: "hidden", value: current.id!.uuidString))
        } else {
            fields.append(FieldView(req, name: "subjectKind", label: req.t("mixingPanel.subjectKind"), type: "radios", value: values["subjectKind"] ?? "gemeente",
                                    options: MixingPanelRecord.subjectKinds.map { ($0, req.t("mixingPanel.subjectKind.\($0)")) }, errors: errors))
            fields.append(FieldView(req, name: "subjectName", label: req.t("mixingPanel.subjectName"), value: values["subjectName"] ?? m.name,
                                    description: req.t("mixingPanel.subjectNameHelp"), errors: errors))
        }
        fields.append(FieldView(req, name: "evaluatedOn", label: req.t("mixingPanel.date"), type: "date", value: values["evaluatedOn"] ?? Format.isoDay(req.application.clock()),
                                description: req.t("audit.dateHelp"), errors: errors))
        fields.append(FieldView(req, name: "variant", label: "", type: "hidden", value: current == nil ? "nu" : "ambitie"))
        fields.append(FieldView(req, name: "scale", label: "", type: "hidden", value: String(steps)))
        fields.append(FieldView(req, name: "sixthSlider", label: req.t("mixingPanel.sixthSlider"), type: "checkboxes",
                                description: content.slider(MixingPanel.optionalSlider)?.explanation.text(lang), optional: true,
                                options: [("ja", req.t("mixingPanel.sixthSliderOption"))], selected: sixth ? ["ja"] : [], errors: errors))
        for slider in content.sliders where !slider.optional || sixth {
            let options: [(String, String)] = (1...steps).map { step in
                let label: String
                if step == 1 { label = req.t("mixingPanel.low", slider.low.text(lang)) }
                else if step == steps { label = req.t("mixingPanel.high", slider.high.text(lang)) }
                else if step == (steps + 1) / 2 { label = req.t("mixingPanel.middle") }
                else { label = req.t("mixingPanel.step", String(step)) }
                return (String(step), label)
            }
            fields.append(FieldView(req, name: "pos_\(slider.code)", label: slider.name.text(lang), type: "radios", value: values["pos_\(slider.code)"] ?? "",
                                    description: slider.explanation.text(lang), options: options, errors: errors))
            fields.append(FieldView(req, name: "note_\(slider.code)", label: req.t("mixingPanel.note", slider.name.text(lang)), type: "textarea",
                                    value: values["note_\(slider.code)"] ?? "", optional: true, errors: errors))
        }
        let heading = current == nil ? req.t("mixingPanel.newTitle") : req.t("mixingPanel.newAmbitionTitle", Self.subjectLabel(current!, req))
        var scaleLink: String? = nil
        if current == nil {
            scaleLink = Site.mixingPanelNew.link(m.slug) + "?schaal=\(steps == 3 ? 5 : 3)"
        }
        return FormPage(page: req.page(heading, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug)), (req.t("mixingPanel.listTitle", m.name), Paths.mixingPanels(m.slug))], errors: errors),
                        heading: heading, intro: req.t(current == nil ? "mixingPanel.newIntro" : "mixingPanel.newAmbitionIntro"),
                        scaleLink: scaleLink, scaleLinkLabel: scaleLink == nil ? nil : req.t(steps == 3 ? "mixingPanel.useFiveSteps" : "mixingPanel.useThreeSteps"),
                        form: FormView(action: Site.mixingPanelNew.link(m.slug), submitLabel: req.t(current == nil ? "mixingPanel.save" : "mixingPanel.saveAmbition"),
                                       fields: fields, csrf: req.csrfToken(), showRequiredNote: true),
                        back: Paths.mixingPanels(m.slug))
    }

    func new(req: Request) async throws -> View {
        let m = try await req.municipality { .assessOrganisation(municipality: $0) }
        var current: MixingPanelRecord? = nil
        if let raw = req.query[String.self, at: "bij"] {
            guard let id = UUID(uuidString: raw), let found = try await MixingPanelRecord.find(id, on: req.db), found.$municipality.id == m.id, found.variant == "nu" else {
                throw AppError.notFound("mixingPanel.notFound")
            }
            current = found
        }
        var values: Values = ["scale": req.query[String.self, at: "schaal"] == "5" ? "5" : (current.map { String($0.scaleSteps) } ?? "3")]
        if let current { values["sixthSlider"] = current.sixthSlider ? "ja" : "" }
        return try await req.view.render("MixingPanel/form", formPage(req, m, values: values, current: current, errors: []))
    }

    func create(req: Request) async throws -> Response {
        let m = try await req.municipality { .assessOrganisation(municipality: $0) }
        let values: Values = FormParts.read(req).values
        var current: MixingPanelRecord? = nil
        // Only a panel of this municipality can be the "now" of an ambition (another municipality's is never shown).
        if let id = values["currentID"].flatMap(UUID.init(uuidString:)) {
            current = try await MixingPanelRecord.query(on: req.db).filter(\.$id == id).filter(\.$municipality.$id == m.requireID()).first()
        }
        do {
            var positions: [String: Int] = [:]
            var notes: [String: String] = [:]
            var bad: [FieldError] = []
            for (key, value) in values {
                if key.hasPrefix("pos_") {
                    guard let p = Int(value) else { bad.append(FieldError(key, "mixingPanel.position.missing")); continue }
                    positions[String(key.dropFirst(4))] = p
                } else if key.hasPrefix("note_") {
                    notes[String(key.dropFirst(5))] = value
                }
            }
            let input = MixingPanelService.PanelInput(
                subjectKind: values["subjectKind"] ?? current?.subjectKind ?? "", subjectName: values["subjectName"] ?? current?.subjectName ?? "",
                variant: values["variant"] ?? "", currentID: current?.id,
                evaluatedOn: values["evaluatedOn"] ?? "", scale: Int(values["scale"] ?? "") ?? 0,
                sixthSlider: values["sixthSlider"] == "ja" || values["sixthSlider[]"] == "ja", positions: positions, notes: notes)
            guard bad.isEmpty else { throw ValidationFailure(bad + MixingPanelService.fieldErrors(MixingPanel.validate(positions, scale: MixingPanel.Scale(steps: input.scale), sixthSlider: input.sixthSlider)).filter { e in !bad.contains { $0.field == e.field } }) }
            let record = try await MixingPanelService.create(input, municipality: m, by: try req.requireUser(), requestID: req.id, now: req.application.clock(), on: req.db)
            req.flash(req.t("mixingPanel.saved"))
            return req.redirect(to: Paths.mixingPanel(m.slug, record.id!))
        } catch let failure as ValidationFailure {
            var kept = values
            if values["sixthSlider[]"] == "ja" { kept["sixthSlider"] = "ja" }
            return try await req.render("MixingPanel/form", formPage(req, m, values: kept, current: current?.variant == "nu" ? current : nil, errors: failure.errors), status: failure.status)
        }
    }

    // MARK: One panel with its comparison and history

    struct ShowPage: Encodable {
        struct Row: Encodable { var slider: String; var position: String; var comparison: String?; var profile: String; var note: String? }
        struct Distance: Encodable { var profile: String; var distance: String; var nearest: Bool; var differing: String }
        struct Bullet: Encodable { var slider: String; var texts: [String] }
        struct History: Encodable { var date: String; var variant: String; var nearest: String; var href: String; var current: Bool }
        struct Move: Encodable { var slider: String; var from: String; var to: String }
        var page: PageMeta
        var heading: String
        var drawing: String
        var comparisonHeading: String?
        var rows: [Row]
        var nearestName: String
        var nearestDescription: String
        var assignment: String
        var risk: String?
        var distances: [Distance]
        var bullets: [Bullet]
        var history: [History]
        var previousDate: String?
        var moves: [Move]
        var nearestChange: String?
        var ambitionHref: String?
        var ambitionLink: String?
        var back: String
    }

    func show(req: Request) async throws -> View {
        let m = try await req.municipality { .viewAssessments(municipality: $0) }
        let actor = try await req.actor()
        guard let id = req.parameters.get("panel", as: UUID.self), let panel = try await MixingPanelRecord.find(id, on: req.db), panel.$municipality.id == m.id else {
            throw AppError.notFound("mixingPanel.notFound")
        }
        let content = req.application.mixingPanelContent
        let lang = req.language
        let profiles = try await MixingPanelService.profiles(on: req.db)
        let comparison = try await comparisonPanel(for: panel, on: req.db)
        let distances = MixingPanel.compare(panel.positions, scale: panel.scale, profiles: profiles)
        guard let nearest = distances.first, let nearestProfile = content.profile(nearest.profile) else { throw AppError.notFound("mixingPanel.notFound") }
        func positionText(_ position: Int?, steps: Int) -> String {
            guard let position else { return "–" }
            if position == 1 { return req.t("mixingPanel.position.low", String(position), String(steps)) }
            if position == steps { return req.t("mixingPanel.position.high", String(position), String(steps)) }
            if position == (steps + 1) / 2 { return req.t("mixingPanel.position.middle", String(position), String(steps)) }
            return req.t("mixingPanel.position.step", String(position), String(steps))
        }
        let sliders = content.sliders.filter { !$0.optional || panel.sixthSlider }
        let rows = sliders.map { slider in
            ShowPage.Row(slider: slider.name.text(lang), position: positionText(panel.positions[slider.code], steps: panel.scaleSteps),
                         comparison: comparison.map { positionText($0.positions[slider.code], steps: $0.scaleSteps) },
                         profile: nearestProfile.positions[slider.code].map { positionText($0, steps: 3) } ?? "–", note: panel.notes[slider.code])
        }
        let comparisonLabel = comparison.map { req.t("mixingPanel.variant.\($0.variant)") + " (\(Self.day($0.evaluatedOn, req)))" }
        let drawing = MixingPanelDrawing.svg(
            id: "mengpaneel", title: req.t("mixingPanel.drawingTitle", Self.subjectLabel(panel, req)),
            description: rows.map { "\($0.slider): \($0.position)" + ($0.comparison.map { "; " + (comparisonLabel ?? "") + ": " + $0 } ?? "") }.joined(separator: ". "),
            tracks: sliders.map { slider in
                MixingPanelDrawing.Track(label: slider.name.text(lang), position: panel.positions[slider.code],
                                         comparison: comparison.flatMap { $0.scaleSteps == panel.scaleSteps ? $0.positions[slider.code] : nil })
            },
            steps: panel.scaleSteps, panelLabel: req.t("mixingPanel.variant.\(panel.variant)") + " (\(Self.day(panel.evaluatedOn, req)))", comparisonLabel: comparisonLabel,
            high: req.t("mixingPanel.axisHigh"), low: req.t("mixingPanel.axisLow"))
        let distanceRows = distances.map { d in
            ShowPage.Distance(profile: content.profile(d.profile)?.name.text(lang) ?? d.profile, distance: Format.decimal(d.distance, lang), nearest: d.profile == nearest.profile,
                              differing: d.differingSliders.compactMap { content.slider($0.slider)?.name.text(lang) }.joined(separator: ", "))
        }
        let bullets = sliders.compactMap { slider -> ShowPage.Bullet? in
            guard let texts = nearestProfile.bullets[slider.code], !texts.isEmpty else { return nil }
            return ShowPage.Bullet(slider: slider.name.text(lang), texts: texts.map { $0.text(lang) })
        }
        // History: the panels of the same subject, and what moved since the previous "now" panel.
        let sameSubject = try await MixingPanelRecord.query(on: req.db).filter(\.$municipality.$id == m.requireID())
            .filter(\.$subjectKind == panel.subjectKind).filter(\.$subjectName == panel.subjectName).sort(\.$evaluatedOn, .descending).sort(\.$createdAt, .descending).all()
        let history = sameSubject.map { p in
            ShowPage.History(date: Self.day(p.evaluatedOn, req), variant: req.t("mixingPanel.variant.\(p.variant)"),
                             nearest: MixingPanel.nearest(p.positions, scale: p.scale, profiles: profiles).flatMap { content.profile($0.profile)?.name.text(lang) } ?? "",
                             href: Paths.mixingPanel(m.slug, p.id!), current: p.id == panel.id)
        }
        let previous = sameSubject.filter { $0.variant == panel.variant && $0.scaleSteps == panel.scaleSteps && ($0.evaluatedOn, $0.createdAt) < (panel.evaluatedOn, panel.createdAt) }.first
        let moves = previous.map { MixingPanel.movements(from: $0.positions, to: panel.positions) } ?? []
        var nearestChange: String? = nil
        if let previous, let before = MixingPanel.nearest(previous.positions, scale: previous.scale, profiles: profiles), before.profile != nearest.profile {
            nearestChange = req.t("mixingPanel.nearestChanged", content.profile(before.profile)?.name.text(lang) ?? before.profile, nearestProfile.name.text(lang))
        }
        let hasAmbition = try await MixingPanelRecord.query(on: req.db).filter(\.$currentID == panel.requireID()).count() > 0
        let canFill = Permissions.allows(actor, .assessOrganisation(municipality: try m.requireID()))
        let heading = req.t("mixingPanel.showTitle", Self.subjectLabel(panel, req), req.t("mixingPanel.variant.\(panel.variant)"), Self.day(panel.evaluatedOn, req))
        return try await req.view.render("MixingPanel/show", ShowPage(
            page: req.page(heading, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug)), (req.t("mixingPanel.listTitle", m.name), Paths.mixingPanels(m.slug))], status: req.takeFlash()),
            heading: heading, drawing: drawing, comparisonHeading: comparisonLabel, rows: rows,
            nearestName: nearestProfile.name.text(lang), nearestDescription: nearestProfile.description.text(lang),
            assignment: nearestProfile.assignment.text(lang), risk: nearestProfile.risk?.text(lang),
            distances: distanceRows, bullets: bullets, history: history, previousDate: previous.map { Self.day($0.evaluatedOn, req) },
            moves: moves.map { .init(slider: content.slider($0.slider)?.name.text(lang) ?? $0.slider, from: positionText($0.from, steps: panel.scaleSteps), to: positionText($0.to, steps: panel.scaleSteps)) },
            nearestChange: nearestChange,
            ambitionHref: panel.variant == "nu" && !hasAmbition && canFill ? Site.mixingPanelNew.link(m.slug) + "?bij=\(panel.id!)" : nil,
            ambitionLink: req.t("mixingPanel.fillAmbition"), back: Paths.mixingPanels(m.slug)))
    }

    /// A "now" panel is compared with its ambition, an ambition with its "now" panel.
    private func comparisonPanel(for panel: MixingPanelRecord, on db: any Database) async throws -> MixingPanelRecord? {
        if let currentID = panel.currentID { return try await MixingPanelRecord.find(currentID, on: db) }
        return try await MixingPanelRecord.query(on: db).filter(\.$currentID == panel.requireID()).sort(\.$createdAt, .descending).first()
    }


}
