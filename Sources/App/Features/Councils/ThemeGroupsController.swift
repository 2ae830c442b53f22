import Vapor
import Fluent
import Domain

/// Theme groups: public list and page with a join form for any resident of the municipality; coordinators create
/// groups, mark members who leave and record the group's advice on a request, shown beside the council's advice.
struct ThemeGroupsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public), manage = routes.access(.action(.manageThemeGroup))
        open.get(Site.themeGroups.route, use: list)
        manage.post(Site.themeGroups.route, use: create)
        open.get(Site.themeGroup.route, use: show)
        open.post(Site.themeGroup("aanmelden").route, use: join)
        manage.post(Site.themeGroup("leden", ":member", "gestopt").route, use: leave)
        manage.post(Site.themeGroup("advies").route, use: advise)
    }

    private func municipality(_ req: Request) async throws -> Municipality { try await req.municipality(req.parameters.get("municipality") ?? "") }

    /// Staff who manage theme groups: admins, area managers, and coordinators of (one of) the group's areas.
    static func manages(_ req: Request, municipality: UUID, areas: [UUID]?) async throws -> Bool {
        guard req.authUser != nil else { return false }
        let actor = try await req.actor()
        return Permissions.allows(actor, .manageThemeGroup(municipality: municipality, areas: areas.map(Set.init) ?? actor.areaIDs))
    }

    struct ListPage: Encodable {
        struct Row: Encodable { var topic: String; var href: String; var areas: String; var period: String; var members: Int }
        var page: PageMeta
        var heading: String
        var rows: [Row]
        var form: FormView?
    }

    private func listPage(_ req: Request, _ m: Municipality, values: [String: String] = [:], errors: [FieldError] = []) async throws -> ListPage {
        let mid = try m.requireID(), lang = req.language
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let groups = try await ThemeGroup.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$startsOn, .descending).all()
        let members = groups.isEmpty ? [] : try await ThemeGroupMember.query(on: req.db).filter(\.$group.$id ~~ groups.compactMap(\.id)).filter(\.$leftOn == nil).all()
        var form: FormView? = nil
        if try await Self.manages(req, municipality: mid, areas: nil) {
            // Only the areas this user may start a group for (a coordinator: their own).
            let coordinator = try await req.optionalActor()
            let selected = Set((values["gebieden"] ?? "").split(separator: ",").map(String.init))
            form = FormView(action: Site.themeGroups.link(m.slug), submitLabel: req.t("themeGroup.create"), fields: [
                FieldView(req, name: "onderwerp", label: req.t("themeGroup.topic"), value: values["onderwerp"] ?? "", errors: errors),
                FieldView(req, name: "omschrijving", label: req.t("themeGroup.description"), type: "textarea", value: values["omschrijving"] ?? "", errors: errors),
                FieldView(req, name: "gebieden", label: req.t("themeGroup.areas"), type: "checkboxes",
                          options: s.areas.filter { a in coordinator.map { Permissions.allows($0, .coordinateArea(municipality: mid, area: a.id)) } ?? false }
                            .map { (value: $0.id.uuidString, label: $0.name) },
                          selected: selected, errors: errors),
                FieldView(req, name: "begin", label: req.t("themeGroup.start"), type: "date", value: values["begin"] ?? Format.isoDay(req.application.clock()), errors: errors),
                FieldView(req, name: "eind", label: req.t("themeGroup.end"), type: "date", value: values["eind"] ?? "", description: req.t("themeGroup.endHelp"), errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        let heading = req.t("themeGroup.title", m.name)
        return ListPage(page: req.page(heading, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug))], errors: errors, status: req.takeFlash()),
                        heading: heading, rows: groups.map { g in
                            .init(topic: g.topic, href: Site.themeGroup.link(m.slug, g.id!.uuidString),
                                  areas: g.areaIDs.compactMap { id in s.areas.first { $0.id == id }?.name }.joined(separator: ", "),
                                  period: Format.day(g.startsOn, lang) + " – " + Format.day(g.endsOn, lang), members: members.filter { $0.$group.id == g.id }.count)
                        }, form: form)
    }

    func list(req: Request) async throws -> View {
        try await req.view.render("Councils/theme-groups", try await listPage(req, try await municipality(req)))
    }

    func create(req: Request) async throws -> Response {
        let m = try await municipality(req)
        guard try await Self.manages(req, municipality: try m.requireID(), areas: nil) else { throw AppError.forbidden }
        let form = FormParts.read(req)
        let areaValues = form.all["gebieden[]"] ?? [] // checkboxes: every value of the name
        var values = form.values
        values["gebieden"] = areaValues.joined(separator: ",")
        do {
            var errors: [FieldError] = []
            let topic = Input.text(values["onderwerp"], field: "onderwerp", max: 200).collect(into: &errors)
            let text = Input.text(values["omschrijving"], field: "omschrijving", max: 4000).collect(into: &errors)
            let s = try await req.areas.snapshot(for: m, on: req.db)
            let areas = areaValues.compactMap(UUID.init(uuidString:)).filter { id in s.areas.contains { $0.id == id } }
            let actor = try await req.actor()
            if !areas.allSatisfy({ Permissions.allows(actor, .coordinateArea(municipality: s.id, area: $0)) }) { errors.append(FieldError("gebieden", "themeGroup.ownAreas")) }
            let start = Format.parseDay(values["begin"] ?? ""), end = Format.parseDay(values["eind"] ?? "")
            if start == nil { errors.append(FieldError("begin", "councilWork.dateInvalid")) }
            if end == nil { errors.append(FieldError("eind", "councilWork.dateInvalid")) }
            if let start, let end {
                for p in ThemeGroups.problems(start: start, end: end, areaCount: areas.count) {
                    errors.append(FieldError(p == .noAreas ? "gebieden" : "eind", "themeGroup.problem.\(p.rawValue)"))
                }
            } else if areas.isEmpty { errors.append(FieldError("gebieden", "themeGroup.problem.noAreas")) }
            guard errors.isEmpty, let topic, let text, let start, let end else { throw ValidationFailure(errors) }
            let group = ThemeGroup()
            group.$municipality.id = try m.requireID()
            group.topic = topic
            group.text = text
            group.startsOn = start
            group.endsOn = end
            group.areaIDsText = areas.map(\.uuidString).joined(separator: ",")
            try await req.db.writeTransaction { db in
                try await group.create(on: db)
                try await req.audit(.themeGroupCreate, .init(id: group.id?.uuidString, summary: topic, municipalityID: m.id),
                                    after: ["topic": topic, "areaIDs": areas.map(\.uuidString).joined(separator: ","), "startsOn": Format.isoDay(start), "endsOn": Format.isoDay(end)], on: db)
            }
            req.flash(req.t("themeGroup.created", topic))
            return req.redirect(to: Site.themeGroup.link(m.slug, group.id!.uuidString))
        } catch let failure as ValidationFailure {
            return try await req.render("Councils/theme-groups", try await listPage(req, m, values: values, errors: failure.errors), status: failure.status)
        }
    }

    struct GroupPage: Encodable {
        struct Member: Encodable { var name: String; var joined: String; var leave: String? }
        struct Advice: Encodable { var subject: String; var href: String; var text: String; var given: String }
        var page: PageMeta
        var heading: String
        var text: String
        var areas: String
        var period: String
        var memberCount: Int
        var members: [Member]?
        var advice: [Advice]
        var joinForm: [FormView]
        var adviceForm: [FormView]
        var csrf: String
        var today: String
    }

    private func load(_ req: Request) async throws -> (Municipality, ThemeGroup) {
        let m = try await municipality(req)
        guard let id = req.parameters.get("group", as: UUID.self), let g = try await ThemeGroup.find(id, on: req.db), g.$municipality.id == m.id else { throw AppError.notFound("themeGroup.notFound") }
        return (m, g)
    }

    private func groupPage(_ req: Request, _ m: Municipality, _ g: ThemeGroup, values: [String: String] = [:], errors: [FieldError] = []) async throws -> GroupPage {
        let lang = req.language, now = req.application.clock()
        let s = try await req.areas.snapshot(for: m, on: req.db)
        let gid = try g.requireID()
        let members = try await ThemeGroupMember.query(on: req.db).filter(\.$group.$id == gid).sort(\.$joinedOn).all()
        let manages = try await Self.manages(req, municipality: try m.requireID(), areas: g.areaIDs)
        let advice = try await ThemeGroupAdvice.query(on: req.db).filter(\.$group.$id == gid).with(\.$request).all()
        let base = Site.themeGroup.link(m.slug, gid.uuidString)
        let open = now >= g.startsOn && now < g.endsOn
        var joinForm: FormView? = nil
        if open {
            joinForm = FormView(action: base + "/aanmelden", submitLabel: req.t("themeGroup.join"), fields: [
                FieldView(req, name: "naam", label: req.t("membership.name"), value: values["naam"] ?? "", autocomplete: "name", errors: errors),
                FieldView(req, name: "email", label: req.t("signal.field.email"), type: "email", value: values["email"] ?? "", autocomplete: "email", errors: errors),
                FieldView(req, name: "buurt", label: req.t("membership.buurt"), type: "select", value: values["buurt"] ?? "", description: req.t("themeGroup.buurtHelp", m.name),
                          options: [(value: "", label: req.t("membership.chooseBuurt"))] + s.neighbourhoods.sorted { $0.name < $1.name }.map { (value: $0.id.uuidString, label: $0.name) }, errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        var adviceForm: [FormView] = []
        if manages {
            let councils = try await Council.query(on: req.db).filter(\.$area.$id ~~ g.areaIDs).all()
            let requests = councils.isEmpty ? [] : try await CouncilAdvice.query(on: req.db).filter(\.$council.$id ~~ councils.compactMap(\.id)).filter(\.$kind == .requested).sort(\.$subject).all()
            adviceForm = [FormView(action: base + "/advies", submitLabel: req.t("themeGroup.recordAdvice"), fields: [
                FieldView(req, name: "vraag", label: req.t("themeGroup.request"), type: "select", value: values["vraag"] ?? "",
                          options: [(value: "", label: req.t("themeGroup.chooseRequest"))] + requests.map { (value: $0.id!.uuidString, label: $0.subject) }, errors: errors),
                FieldView(req, name: "tekst", label: req.t("advice.advice"), type: "textarea", value: values["tekst"] ?? "", errors: errors),
                FieldView(req, name: "datum", label: req.t("councilWork.date"), type: "date", value: values["datum"] ?? Format.isoDay(now), errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: false)]
        }
        return GroupPage(
            page: req.page(g.topic, crumbs: [(req.t("municipality.heading", m.name), Paths.municipality(m.slug)), (req.t("themeGroup.title", m.name), Site.themeGroups.link(m.slug))],
                           errors: errors, status: req.takeFlash()),
            heading: g.topic, text: g.text, areas: g.areaIDs.compactMap { id in s.areas.first { $0.id == id }?.name }.joined(separator: ", "),
            period: Format.day(g.startsOn, lang) + " – " + Format.day(g.endsOn, lang), memberCount: members.filter { $0.leftOn == nil }.count,
            members: manages ? members.map { mem in
                .init(name: mem.name + (mem.leftOn.map { " (" + req.t("themeGroup.left", Format.day($0, lang)) + ")" } ?? ""), joined: Format.day(mem.joinedOn, lang),
                      leave: mem.leftOn == nil ? base + "/leden/\(mem.id!)/gestopt" : nil)
            } : nil,
            advice: advice.map { a in .init(subject: a.request.subject, href: Site.advice.link(m.slug, a.$request.id.uuidString), text: a.text, given: Format.day(a.givenOn, lang)) },
            joinForm: joinForm.map { [$0] } ?? [], adviceForm: adviceForm, csrf: req.csrfToken(), today: Format.isoDay(now))
    }

    func show(req: Request) async throws -> View {
        let (m, g) = try await load(req)
        return try await req.view.render("Councils/theme-group", try await groupPage(req, m, g))
    }

    private func act(_ req: Request, manage: Bool, _ body: (Municipality, ThemeGroup, [String: String]) async throws -> String) async throws -> Response {
        let (m, g) = try await load(req)
        if manage { guard try await Self.manages(req, municipality: try m.requireID(), areas: g.areaIDs) else { throw AppError.forbidden } }
        let values = FormParts.read(req).values
        do {
            req.flash(try await body(m, g, values))
            return req.redirect(to: Site.themeGroup.link(m.slug, g.id!.uuidString))
        } catch let failure as ValidationFailure {
            return try await req.render("Councils/theme-group", try await groupPage(req, m, g, values: values, errors: failure.errors), status: failure.status)
        }
    }

    func join(req: Request) async throws -> Response {
        try await act(req, manage: false) { m, g, values in
            let now = req.application.clock()
            guard now >= g.startsOn && now < g.endsOn else { throw ValidationFailure([FieldError("formulier", "themeGroup.closed")], status: .conflict) }
            var errors: [FieldError] = []
            let name = Input.text(values["naam"], field: "naam", max: 120).collect(into: &errors)
            let email = Credentials.normaliseEmail(values["email"] ?? "", field: "email").collect(into: &errors)
            let s = try await req.areas.snapshot(for: m, on: req.db)
            if values["buurt"].flatMap(UUID.init(uuidString:)).flatMap({ id in s.neighbourhoods.first { $0.id == id } }) == nil {
                errors.append(FieldError("buurt", "themeGroup.notResident", [m.name]))
            }
            guard errors.isEmpty, let name, let email else { throw ValidationFailure(errors) }
            // Someone who already takes part gets the same answer as a new member (nothing tells whether an
            // address is in the group), and is not added twice.
            if try await ThemeGroupMember.query(on: req.db).filter(\.$group.$id == g.requireID()).filter(\.$leftOn == nil).filter(\.$email == email).count() > 0 {
                return req.t("themeGroup.joined", g.topic)
            }
            let member = ThemeGroupMember()
            member.$group.id = try g.requireID()
            member.name = name
            member.email = email
            member.joinedOn = now
            try await member.create(on: req.db)
            return req.t("themeGroup.joined", g.topic)
        }
    }

    func leave(req: Request) async throws -> Response {
        try await act(req, manage: true) { m, g, values in
            guard let id = req.parameters.get("member", as: UUID.self), let member = try await ThemeGroupMember.find(id, on: req.db), member.$group.id == g.id else { throw AppError.notFound() }
            member.leftOn = Format.parseDay(values["datum"] ?? "") ?? req.application.clock()
            try await req.db.writeTransaction { db in
                try await member.update(on: db)
                try await req.audit(.themeGroupMemberLeave, .init(id: g.id?.uuidString, summary: g.topic, municipalityID: m.id),
                                    before: ["member": member.name, "leftOn": "–"], after: ["member": member.name, "leftOn": member.leftOn.map(Format.isoDay) ?? "–"], on: db)
            }
            return req.t("themeGroup.memberLeft", member.name)
        }
    }

    func advise(req: Request) async throws -> Response {
        try await act(req, manage: true) { m, g, values in
            var errors: [FieldError] = []
            let councils = try await Council.query(on: req.db).filter(\.$area.$id ~~ g.areaIDs).all().compactMap(\.id)
            var request: CouncilAdvice? = nil
            if let id = values["vraag"].flatMap(UUID.init(uuidString:)) { request = try await CouncilAdvice.find(id, on: req.db) }
            if request == nil || !councils.contains(request!.$council.id) || request?.kind != .requested { errors.append(FieldError("vraag", "themeGroup.requestMissing")) }
            let text = Input.text(values["tekst"], field: "tekst", max: 4000).collect(into: &errors)
            let date = Format.parseDay(values["datum"] ?? "")
            if date == nil || date! > req.application.clock() { errors.append(FieldError("datum", "themeGroup.dateInvalid")) }
            if let date, let asked = request?.askedOn, date < Day(asked).start { errors.append(FieldError("datum", "advice.problem.adviceBeforeQuestion")) }
            if let request, try await ThemeGroupAdvice.query(on: req.db).filter(\.$group.$id == g.requireID()).filter(\.$request.$id == request.requireID()).count() > 0 {
                errors.append(FieldError("vraag", "themeGroup.alreadyAdvised"))
            }
            guard errors.isEmpty, let request, let text, let date else { throw ValidationFailure(errors) }
            let advice = ThemeGroupAdvice()
            advice.$group.id = try g.requireID()
            advice.$request.id = try request.requireID()
            advice.text = text
            advice.givenOn = date
            try await req.db.writeTransaction { db in
                try await advice.create(on: db)
                try await req.audit(.themeGroupAdvice, .init(id: request.id?.uuidString, summary: "\(g.topic): \(request.subject)", municipalityID: m.id),
                                    after: ["group": g.topic, "advice": text, "givenOn": Format.isoDay(date)], on: db)
            }
            return req.t("themeGroup.adviceRecorded", request.subject)
        }
    }
}
