import Vapor
import Fluent
import Domain

/// Departments (and the coordinator, for partners) register their area-oriented projects, by form or CSV import,
/// so the coordinator sees everything planned in the area; the coordinator judges the linking opportunities.
struct ProjectsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let staff = routes.access(.anyOf([.handleDepartmentWork, .coordinateArea, .viewAreaWork]))
        staff.get(Site.projects.route, use: list)
        let register = routes.access(.anyOf([.handleDepartmentWork, .coordinateArea]))
        register.post(Site.projects.route, use: create)
        register.on(.POST, Site.projectsImport.route, body: .collect(maxSize: "4mb"), use: importCSV).maxBody("4mb")
        let coordinate = routes.access(.action(.coordinateArea))
        coordinate.get(Site.linkingOpportunities.route, use: opportunities)
        coordinate.post(Site.linkingOpportunities.route, use: decide)
    }

    struct Row: Encodable { var title: String; var owner: String; var areas: String; var period: String; var money: String; var status: String; var spearheads: String; var contact: String }
    struct ListPage: Encodable {
        var page: PageMeta; var heading: String; var intro: String; var filter: [FieldView]; var rows: [Row]; var form: FormView?; var importAction: String?
        var importHelp: String; var importFields: [FieldView]; var csrf: String; var linksHref: String?; var problems: [String]
    }

    private struct Context { var m: Municipality; var s: MunicipalitySnapshot; var actor: Actor; var departments: [Department]; var mayRegister: Bool; var fixedDepartment: UUID? }

    private func context(_ req: Request) async throws -> Context {
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).sort(\.$name).all()
        let department = actor.departmentID.flatMap { d in Permissions.allows(actor, .handleDepartmentWork(municipality: s.id, department: d)) ? d : nil }
        let coordinates = s.areas.contains { Permissions.allows(actor, .coordinateArea(municipality: s.id, area: $0.id)) }
        return Context(m: m, s: s, actor: actor, departments: departments, mayRegister: department != nil || coordinates, fixedDepartment: coordinates ? nil : department)
    }

    private func page(_ req: Request, _ c: Context, values: [String: String], errors: [FieldError], problems: [String] = []) async throws -> ListPage {
        let lang = req.language, dutch = lang == .nl
        let areaSlug = req.query[String.self, at: "gebied"] ?? values["filter"] ?? ""
        let area = c.s.area(slug: areaSlug)
        var projects = try await AreaProject.query(on: req.db).filter(\.$municipality.$id == c.s.id).sort(\.$startsOn).limit(2000).all()
        if let area { projects = projects.filter { $0.areas.contains(area.id) } }
        let names = Dictionary(c.departments.compactMap { d in d.id.map { ($0, d.name) } }, uniquingKeysWith: { a, _ in a })
        let areaName = Dictionary(uniqueKeysWithValues: c.s.areas.map { ($0.id, $0.name) })
        var form: FormView? = nil
        if c.mayRegister {
            var fields: [FieldView] = [FieldView(req, name: "titel", label: req.t("project.title"), value: values["titel"] ?? "", errors: errors),
                                       FieldView(req, name: "omschrijving", label: req.t("project.description"), type: "textarea", value: values["omschrijving"] ?? "", optional: true, errors: errors)]
            if c.fixedDepartment == nil {
                fields.append(FieldView(req, name: "afdeling", label: req.t("project.department"), type: "select", value: values["afdeling"] ?? "", optional: true,
                                        options: [("", req.t("project.departmentNone"))] + c.departments.map { ($0.id!.uuidString, $0.name) }, errors: errors))
                fields.append(FieldView(req, name: "partner", label: req.t("project.partner"), value: values["partner"] ?? "", description: req.t("project.partnerHelp"), optional: true, errors: errors))
            }
            let selected = Set((values["gebieden"] ?? area?.slug ?? "").split(separator: ",").map(String.init))
            fields += [
                FieldView(req, name: "gebieden", label: req.t("project.areas"), type: "checkboxes", options: c.s.areas.map { ($0.slug, $0.name) }, selected: selected, errors: errors),
                FieldView(req, name: "buurten", label: req.t("project.buurten"), value: values["buurten"] ?? "", description: req.t("project.buurtenHelp"), optional: true, errors: errors),
                FieldView(req, name: "van", label: req.t("cycle.item.from"), type: "date", value: values["van"] ?? "", errors: errors),
                FieldView(req, name: "tot", label: req.t("cycle.item.to"), type: "date", value: values["tot"] ?? "", errors: errors),
                FieldView(req, name: "bedrag", label: req.t("cycle.item.amount"), value: values["bedrag"] ?? "", description: req.t("cycle.item.amountHelp"), optional: true, errors: errors),
                FieldView(req, name: "contact", label: req.t("project.contact"), value: values["contact"] ?? "", description: req.t("project.contactHelp"), errors: errors),
                FieldView(req, name: "status", label: req.t("project.status"), type: "select", value: values["status"] ?? "planned",
                          options: ProjectStatus.allCases.map { ($0.rawValue, req.t("project.status." + $0.rawValue)) }, errors: errors),
                FieldView(req, name: "speerpunten", label: req.t("cycle.item.spearheads"), value: values["speerpunten"] ?? "", description: req.t("project.spearheadsHelp"), optional: true, errors: errors),
            ]
            form = FormView(action: Site.projects.link(), submitLabel: req.t("project.register"), fields: fields, csrf: req.csrfToken(), showRequiredNote: true)
        }
        let heading = req.t("project.listTitle", c.m.name)
        return ListPage(
            page: req.page(heading, municipality: c.m.name, errors: errors, status: req.takeFlash()), heading: heading, intro: req.t("project.intro"),
            filter: [FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: area?.slug ?? "",
                               options: [("", req.t("initiative.filter.allAreas"))] + c.s.areas.map { ($0.slug, $0.name) })],
            rows: projects.map { p in
                Row(title: p.title, owner: ProjectsService.owner(p, departments: names), areas: p.areas.compactMap { areaName[$0] }.sorted().joined(separator: ", "),
                    period: Format.day(p.startsOn, lang) + " – " + Format.day(p.endsOn, lang), money: Money.format(p.budgetCents, dutch: dutch),
                    status: req.t("project.status." + p.status.rawValue), spearheads: p.spearheads.replacingOccurrences(of: ",", with: ", "), contact: p.contact)
            },
            form: form, importAction: c.mayRegister ? Site.projectsImport.link() : nil, importHelp: req.t("project.importHelp"),
            importFields: [{ var f = FieldView(req, name: "bestand", label: req.t("project.import.file"), type: "file", errors: errors); f.accept = ".csv,text/csv"; return f }()],
            csrf: req.csrfToken(),
            linksHref: c.s.areas.contains { Permissions.allows(c.actor, .coordinateArea(municipality: c.s.id, area: $0.id)) } ? Site.linkingOpportunities.link() : nil,
            problems: problems)
    }

    func list(req: Request) async throws -> View {
        let c = try await context(req)
        return try await req.view.render("Cycle/projects", try await page(req, c, values: [:], errors: []))
    }

    /// The areas a registrant may name: a department any area of the municipality, a coordinator their own areas.
    private func checkAreas(_ c: Context, _ input: ProjectsService.ProjectInput) -> Bool {
        c.fixedDepartment != nil || input.areas.allSatisfy { Permissions.allows(c.actor, .coordinateArea(municipality: c.s.id, area: $0)) }
    }

    func create(req: Request) async throws -> Response {
        let c = try await context(req)
        guard c.mayRegister else { throw AppError.forbidden }
        let form = FormParts.read(req)
        var values = form.values
        values["gebieden"] = (form.all["gebieden[]"] ?? form.all["gebieden"] ?? []).joined(separator: ",")
        switch ProjectsService.read(values, areaSlugs: (values["gebieden"] ?? "").split(separator: ",").map(String.init), snapshot: c.s, departments: c.departments, fixedDepartment: c.fixedDepartment) {
        case .failure(let failure):
            return try await req.view.render("Cycle/projects", try await page(req, c, values: values, errors: failure.errors)).encodeResponse(status: failure.status, for: req)
        case .success(let input):
            var problems: [FieldError] = []
            if !checkAreas(c, input) { problems.append(FieldError("gebieden", "project.import.notYourArea")) }
            problems += try await ProjectsService.unknownSpearheads(input, on: req.db).map { FieldError("speerpunten", "cycle.spearheadUnknown", [$0]) }
            guard problems.isEmpty else {
                return try await req.view.render("Cycle/projects", try await page(req, c, values: values, errors: problems)).encodeResponse(status: .unprocessableEntity, for: req)
            }
            try await ProjectsService.create([input], municipality: c.s.id, req: req)
            req.flash(req.t("project.registered"))
            return req.redirect(to: Site.projects.link())
        }
    }

    /// A CSV with the form's columns (`titel;omschrijving;afdeling;partner;gebieden;buurten;van;tot;bedrag;contact;status;speerpunten`,
    /// several areas or buurten separated by `|`): every bad row is reported with its line, and nothing is saved until all are good.
    func importCSV(req: Request) async throws -> Response {
        let c = try await context(req)
        guard c.mayRegister else { throw AppError.forbidden }
        let parts = FormParts.read(req)
        guard let file = parts.files["bestand"], !file.data.isEmpty else {
            return try await req.view.render("Cycle/projects", try await page(req, c, values: [:], errors: [FieldError("bestand", "project.import.noFile")])).encodeResponse(status: .unprocessableEntity, for: req)
        }
        guard var text = String(data: file.data, encoding: .utf8) else {
            return try await req.view.render("Cycle/projects", try await page(req, c, values: [:], errors: [FieldError("bestand", "project.import.notUTF8")])).encodeResponse(status: .unprocessableEntity, for: req)
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        let separator: Character = (text.split(separator: "\n").first ?? "").contains(";") ? ";" : ","
        let records = CSV.rows(text, separator: separator)
        let header = (records.first ?? []).map { $0.trimmingCharacters(in: .whitespaces).lowercased() }
        var problems: [String] = []
        var inputs: [ProjectsService.ProjectInput] = []
        let needed = ["titel", "gebieden", "van", "tot", "contact"]
        let missing = needed.filter { !header.contains($0) }
        if !missing.isEmpty { problems.append(req.t("project.import.columns", missing.joined(separator: ", "))) }
        else {
            for (offset, cells) in records.dropFirst().enumerated() {
                let line = offset + 2
                if cells.allSatisfy({ $0.trimmingCharacters(in: .whitespaces).isEmpty }) { continue }
                guard cells.count == header.count else { problems.append(req.t("project.import.cellCount", String(line), String(cells.count), String(header.count))); continue }
                var v: [String: String] = [:]
                for (i, name) in header.enumerated() { v[name] = cells[i].trimmingCharacters(in: .whitespaces) }
                v["buurten"] = v["buurten"]?.replacingOccurrences(of: "|", with: ",")
                let areaSlugs = (v["gebieden"] ?? "").split(separator: "|").map { String($0).trimmingCharacters(in: .whitespaces) }
                switch ProjectsService.read(v, areaSlugs: areaSlugs.isEmpty ? [""] : areaSlugs, snapshot: c.s, departments: c.departments, fixedDepartment: c.fixedDepartment) {
                case .failure(let failure):
                    problems.append(req.t("project.import.line", String(line), failure.errors.map { "\($0.field): " + req.t($0) }.joined(separator: " ")))
                case .success(let input):
                    let unknown = try await ProjectsService.unknownSpearheads(input, on: req.db)
                    if !checkAreas(c, input) { problems.append(req.t("project.import.line", String(line), "gebieden: " + req.t("project.import.notYourArea"))) }
                    else if let code = unknown.first { problems.append(req.t("project.import.line", String(line), "speerpunten: " + req.t("cycle.spearheadUnknown", code))) }
                    else { inputs.append(input) }
                }
                if problems.count >= 200 { break }
            }
            if problems.isEmpty && inputs.isEmpty { problems.append(req.t("project.import.empty")) }
        }
        guard problems.isEmpty else {
            return try await req.view.render("Cycle/projects", try await page(req, c, values: [:], errors: [FieldError("bestand", "project.import.failed")], problems: problems))
                .encodeResponse(status: .unprocessableEntity, for: req)
        }
        try await ProjectsService.create(inputs, municipality: c.s.id, req: req)
        req.flash(req.t("project.import.done", String(inputs.count)))
        return req.redirect(to: Site.projects.link())
    }

    // MARK: Linking opportunities

    struct Opportunity: Encodable {
        var key: String; var first: String; var firstOwner: String; var firstPeriod: String; var second: String; var secondOwner: String; var secondPeriod: String
        var reasons: [String]; var status: String; var statusClass: String; var fields: [FieldView]; var firstID: String; var secondID: String
    }
    struct OpportunitiesPage: Encodable { var page: PageMeta; var heading: String; var intro: String; var truncated: String?; var filter: [FieldView]; var items: [Opportunity]; var action: String; var csrf: String; var openLabel: String }

    /// The linking opportunities in the areas this user coordinates, with why they were matched and the judgement so far.
    static func opportunities(_ actor: Actor, _ s: MunicipalitySnapshot, area: MunicipalitySnapshot.AreaInfo?, on db: any Database) async throws
        -> (matches: [LinkingOpportunities.Match], projects: [UUID: AreaProject], decisions: [String: LinkDecision], departments: [UUID: String]) {
        let projects = try await AreaProject.query(on: db).filter(\.$municipality.$id == s.id).filter(\.$status ~~ [.planned, .running]).all()
        let departments = Dictionary(try await Department.query(on: db).filter(\.$municipality.$id == s.id).all().compactMap { d in d.id.map { ($0, d.name) } }, uniquingKeysWith: { a, _ in a })
        let mine = Set(s.areas.filter { a in (area == nil || area?.id == a.id) && Permissions.allows(actor, .coordinateArea(municipality: s.id, area: a.id)) }.map(\.id))
        let relevant = projects.filter { !$0.areas.isDisjoint(with: mine) }
        let matches = ProjectsService.opportunities(relevant, departments: departments)
        let decisions = try await LinkDecision.query(on: db).filter(\.$municipality.$id == s.id).all()
        return (matches, Dictionary(uniqueKeysWithValues: relevant.map { ($0.id!, $0) }),
                Dictionary(decisions.map { ("\($0.firstID)|\($0.secondID)", $0) }, uniquingKeysWith: { a, _ in a }), departments)
    }

    func opportunities(req: Request) async throws -> View {
        let c = try await context(req)
        return try await req.view.render("Cycle/opportunities", try await opportunitiesPage(req, c, values: [:], errors: []))
    }

    private func opportunitiesPage(_ req: Request, _ c: Context, values: [String: String], errors: [FieldError]) async throws -> OpportunitiesPage {
        let lang = req.language
        let area = c.s.area(slug: req.query[String.self, at: "gebied"] ?? "")
        let (matches, projects, decisions, departments) = try await Self.opportunities(c.actor, c.s, area: area, on: req.db)
        let buurtName = Dictionary(uniqueKeysWithValues: c.s.neighbourhoods.map { ($0.id, $0.name) })
        let areaName = Dictionary(uniqueKeysWithValues: c.s.areas.map { ($0.id, $0.name) })
        let items = matches.map { match -> Opportunity in
            let a = projects[match.first]!, b = projects[match.second]!
            let key = "\(match.first)|\(match.second)"
            let decision = decisions[key]
            let reasons = match.reasons.map { reason -> String in
                switch reason {
                case .placeAndTime(let buurten, let area, let from, let to):
                    let place = buurten.isEmpty ? (area.flatMap { areaName[$0] } ?? "") : buurten.compactMap { buurtName[$0] }.sorted().joined(separator: ", ")
                    return req.t("link.reason.placeAndTime", place, Format.day(from, lang), Format.day(to, lang))
                case .spearhead(let code):
                    return req.t("link.reason.spearhead", String(code.split(separator: ":").last ?? ""))
                }
            }
            let suffix = "-\(match.first.uuidString.prefix(8))-\(match.second.uuidString.prefix(8))"
            return Opportunity(key: key, first: a.title, firstOwner: ProjectsService.owner(a, departments: departments), firstPeriod: Format.day(a.startsOn, lang) + " – " + Format.day(a.endsOn, lang),
                               second: b.title, secondOwner: ProjectsService.owner(b, departments: departments), secondPeriod: Format.day(b.startsOn, lang) + " – " + Format.day(b.endsOn, lang),
                               reasons: reasons, status: req.t("link.status." + (decision?.status.rawValue ?? "open")),
                               statusClass: decision == nil || decision?.status == .toDiscuss ? "warning" : (decision?.status == .linked ? "success" : "neutral"),
                               fields: [
                                FieldView(req, name: "status" + suffix, label: req.t("link.judgement"), type: "select", value: values["status" + suffix] ?? decision?.status.rawValue ?? "",
                                          options: [("", req.t("link.choose"))] + LinkStatus.allCases.map { ($0.rawValue, req.t("link.status." + $0.rawValue)) }, errors: errors),
                                FieldView(req, name: "notitie" + suffix, label: req.t("link.note"), value: values["notitie" + suffix] ?? decision?.note ?? "", optional: true, errors: errors),
                               ], firstID: match.first.uuidString, secondID: match.second.uuidString)
        }
        let heading = req.t("link.title")
        return OpportunitiesPage(page: req.page(heading, municipality: c.m.name, errors: errors, status: req.takeFlash()), heading: heading, intro: req.t("link.intro"),
                                 truncated: matches.count >= ProjectsService.opportunityLimit ? req.t("link.truncated", String(ProjectsService.opportunityLimit)) : nil,
                                 filter: [FieldView(req, name: "gebied", label: req.t("initiative.field.area"), type: "select", value: area?.slug ?? "",
                                                    options: [("", req.t("link.allMyAreas"))] + c.s.areas.filter { Permissions.allows(c.actor, .coordinateArea(municipality: c.s.id, area: $0.id)) }.map { ($0.slug, $0.name) })],
                                 items: items, action: Site.linkingOpportunities.link(), csrf: req.csrfToken(),
                                 openLabel: req.t("link.openCount", String(items.filter { decisions[$0.key] == nil || decisions[$0.key]?.status == .toDiscuss }.count)))
    }

    func decide(req: Request) async throws -> Response {
        let c = try await context(req)
        let values = FormParts.read(req).values
        guard let first = values["eerste"].flatMap(UUID.init(uuidString:)), let second = values["tweede"].flatMap(UUID.init(uuidString:)) else { throw AppError.badRequest("link.unknown") }
        let (matches, _, decisions, _) = try await Self.opportunities(c.actor, c.s, area: nil, on: req.db)
        guard matches.contains(where: { $0.first == first && $0.second == second }) else { throw AppError.notFound("link.unknown") }
        let suffix = "-\(first.uuidString.prefix(8))-\(second.uuidString.prefix(8))"
        var errors: [FieldError] = []
        let status = LinkStatus(rawValue: values["status" + suffix] ?? "")
        if status == nil { errors.append(FieldError("status" + suffix, "link.statusMissing")) }
        let note = Input.text(values["notitie" + suffix], field: "notitie" + suffix, max: 1000, required: false).collect(into: &errors) ?? ""
        guard errors.isEmpty, let status else {
            return try await req.view.render("Cycle/opportunities", try await opportunitiesPage(req, c, values: values, errors: errors)).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let existing = decisions["\(first)|\(second)"]
        try await req.db.writeTransaction { db in
            let row = existing ?? LinkDecision()
            row.$municipality.id = c.s.id
            row.firstID = first
            row.secondID = second
            row.status = status
            row.note = note
            row.decidedAt = req.application.clock()
            row.decidedBy = req.authUser?.id
            try await row.save(on: db)
            try await req.audit(.linkDecide, .init(id: row.id?.uuidString, summary: "\(first) – \(second)", municipalityID: c.s.id),
                                before: ["status": existing?.status.rawValue ?? "open"], after: ["status": status.rawValue, "note": note], on: db)
        }
        req.flash(req.t("link.saved"))
        return req.redirect(to: Site.linkingOpportunities.link())
    }
}
