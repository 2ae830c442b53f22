import Vapor
import Fluent
import Domain

/// Staff: the inbox scoped by role, a signal with its full history, and the actions on it (state, routing,
/// duplicates, escalation by hand). Contact details only for those handling the signal.
struct StaffSignalsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.access(.action(.viewSignal)), handle = routes.access(.action(.handleSignal))
        view.get(Site.signalInbox.route, use: inbox)
        view.get(Site.signalInbox("export.csv").route, use: export)
        view.get(Site.signalDashboard.route, use: dashboard)
        view.get(Site.signal.route, use: show)
        view.get(Site.signal("foto").route, use: photo)
        handle.post(Site.signal("status").route, use: changeState)
        handle.post(Site.signal("afdeling").route, use: reassign)
        handle.post(Site.signal("koppelen").route, use: link)
        routes.access(.action(.escalateSignal)).post(Site.signal("escaleren").route, use: escalate)
        handle.post(Site.signal("gebied").route, use: place)
        handle.post(Site.signal("onderwerp").route, use: changeCategory)
    }

    // MARK: Inbox

    func inbox(req: Request) async throws -> View {
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        let filter = Self.filter(req, actor)
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == m.requireID()).sort(\.$position).all()
        let result = try await InboxQuery.run(filter, actor: actor, municipality: m.requireID(), categories: categories, now: req.application.clock(), on: req.db)
        return try await req.view.render("Signals/inbox", try await InboxPage.make(req, m, actor: actor, filter: filter, result: result, categories: categories))
    }

    static func filter(_ req: Request, _ actor: Actor) -> InboxQuery.Filter {
        var filter = InboxQuery.Filter(query: req.query)
        if req.query[String.self, at: "mij"] == "ja" { filter.assignedTo = actor.userID }
        return filter
    }

    /// The filtered list as CSV (UTF-8, a header, safe in spreadsheets): never contact details, and phone
    /// numbers and e-mail addresses in the texts masked, whoever exports.
    func export(req: Request) async throws -> Response {
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        var filter = Self.filter(req, actor)
        filter.page = 1
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == m.requireID()).sort(\.$position).all()
        let now = req.application.clock()
        let result = try await InboxQuery.run(filter, actor: actor, municipality: m.requireID(), categories: categories, now: now, pageSize: Self.exportLimit, on: req.db)
        let csv = try await InboxExport.csv(req, m, signals: result.signals, categories: categories, now: now)
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .contentDisposition, value: "attachment; filename=\"meldingen-\(m.slug)-\(Format.isoDay(now)).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: csv))
    }

    static let exportLimit = 10_000

    // MARK: Dashboard

    /// Per area and per department (by filter, inside the user's scope): open, overdue, escalated, median and p90.
    func dashboard(req: Request) async throws -> View {
        let user = try req.requireUser()
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        let mid = try m.requireID()
        let now = req.application.clock(), lang = req.language
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$name).all()
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$position).all()
        let areaFilter = req.query[String.self, at: "gebied"].flatMap(UUID.init(uuidString:))
        let departmentFilter = req.query[String.self, at: "afdeling"].flatMap(UUID.init(uuidString:))
        var filter = SignalFilter.scope(of: actor, municipality: mid)
        filter.area = areaFilter
        filter.department = departmentFilter
        let rows = try await SignalStatistics.cachedRows(filter, now: now, app: req.application)
        var filters = [
            FieldView(req, name: "gebied", label: req.t("signal.filter.area"), type: "select", value: areaFilter?.uuidString ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.filter.all"))] + snapshot.areas.map { (value: $0.id.uuidString, label: $0.name) }),
            FieldView(req, name: "afdeling", label: req.t("signal.filter.department"), type: "select", value: departmentFilter?.uuidString ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.filter.all"))] + departments.map { (value: $0.id!.uuidString, label: $0.name) }),
        ]
        if user.$municipality.id == nil { filters.append(FieldView(req, name: "gemeente", label: "", type: "hidden", value: m.slug)) }
        let scope = [areaFilter.flatMap { id in snapshot.areas.first { $0.id == id }?.name }, departmentFilter.flatMap { id in departments.first { $0.id == id }?.name }]
            .compactMap { $0 }.joined(separator: ", ")
        let heading = req.t("signal.dashboard.heading")
        let months = SignalStatistics.perMonth(rows, now: now, language: lang)
        let perCategory = SignalStatistics.perCategory(rows, categories: categories, now: now, language: lang)
        return try await req.view.render("Signals/dashboard", DashboardPage(
            page: req.page(heading, municipality: m.name, crumbs: [(req.t("signal.staff.inboxHeading"), Site.signalInbox.link())]), heading: heading,
            scope: scope.isEmpty ? m.name : scope, filters: filters,
            total: SignalStatistics.line(req.t("signal.dashboard.total"), rows, now: now, language: lang),
            categories: perCategory,
            months: months,
            monthChart: BarChart.svg(id: "grafiek-maanden", title: req.t("signal.dashboard.chartTitle"), description: req.t("signal.dashboard.chartDescription"),
                                     labels: months.map(\.label), series: [
                                        .init(name: req.t("signal.dashboard.reported"), cssClass: "ww-chart__bar--a", values: months.map(\.reported)),
                                        .init(name: req.t("signal.dashboard.closed"), cssClass: "ww-chart__bar--b", values: months.map(\.closed)),
                                     ]),
            deadlineChart: BarChart.svg(id: "grafiek-termijn", title: req.t("signal.dashboard.deadlineChartTitle"), description: req.t("signal.dashboard.deadlineChartDescription"),
                                        labels: perCategory.map(\.label), series: [
                                            .init(name: req.t("signal.dashboard.onTime"), cssClass: "ww-chart__bar--b", values: perCategory.map(\.onTime)),
                                            .init(name: req.t("signal.dashboard.late"), cssClass: "ww-chart__bar--a", values: perCategory.map(\.late)),
                                        ])))
    }

    // MARK: One signal

    private func load(_ req: Request) async throws -> (Signal, Actor, Bool) {
        let actor = try await req.actor()
        guard let code = TrackingCode.normalise(req.parameters.get("code") ?? ""),
              let signal = try await Signal.query(on: req.db).filter(\.$trackingCode == code).first() else { throw AppError.notFound("signal.track.unknown") }
        let mid = signal.$municipality.id
        guard Permissions.allows(actor, .viewSignal(municipality: mid, area: signal.areaID, department: signal.departmentID)) else { throw AppError.forbidden }
        return (signal, actor, Permissions.allows(actor, .handleSignal(municipality: mid, area: signal.areaID, department: signal.departmentID)))
    }

    func show(req: Request) async throws -> View {
        let (signal, actor, handles) = try await load(req)
        // A chosen standard answer fills in the state form; the handler edits it before sending.
        var values: [String: String] = [:]
        if handles, let id = req.query[String.self, at: "antwoord"].flatMap(UUID.init(uuidString:)),
           let answer = try await SignalStandardAnswer.fitting(signal, category: try await signal.$category.get(on: req.db), on: req.db).first(where: { $0.id == id }) {
            values = ["status": answer.state, "publieke_tekst": answer.text]
        }
        return try await req.view.render("Signals/signal", SignalPage.make(req, signal, actor: actor, handles: handles, values: values, errors: []))
    }

    func photo(req: Request) async throws -> Response {
        let (signal, _, _) = try await load(req)
        guard let photo = try await SignalPhoto.query(on: req.db).filter(\.$signal.$id == signal.requireID()).first() else { throw AppError.notFound("signal.photo.none") }
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: photo.contentType)
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: photo.data))
    }

    /// Runs an action on a signal the user handles; validation problems and conflicts come back on the page with the form kept.
    private func act(_ req: Request, permission: (Signal, Actor) -> Bool = { _, _ in true }, requireHandling: Bool = true,
                     _ body: (Signal, User, [String: String]) async throws -> String) async throws -> Response {
        let user = try req.requireUser()
        let (signal, actor, handles) = try await load(req)
        if requireHandling && !handles { throw AppError.forbidden }
        guard permission(signal, actor) else { throw AppError.forbidden }
        let values = FormParts.read(req).values
        do {
            let message = try await body(signal, user, values)
            req.flash(message)
            return req.redirect(to: Site.signal.link(signal.trackingCode))
        } catch let failure as ValidationFailure {
            return try await redisplay(failure)
        } catch is SignalConflict {
            // Someone else changed the signal first: show it as it is now, with what was typed, and say so.
            return try await redisplay(ValidationFailure([FieldError("formulier", "signal.conflict")], status: .conflict))
        }
        func redisplay(_ failure: ValidationFailure) async throws -> Response {
            let fresh = try await Signal.find(signal.requireID(), on: req.db) ?? signal
            return try await req.render("Signals/signal", SignalPage.make(req, fresh, actor: actor, handles: handles, values: values, errors: failure.errors), status: failure.status)
        }
    }

    private func expectedVersion(_ values: [String: String]) throws -> Int {
        guard let v = values["versie"].flatMap(Int.init) else { throw ValidationFailure([FieldError("formulier", "signal.conflict")], status: .conflict) }
        return v
    }

    func changeState(req: Request) async throws -> Response {
        try await act(req) { signal, user, values in
            var errors: [FieldError] = []
            let target = values["status"].flatMap(SignalState.init(rawValue:))
            if target == nil { errors.append(FieldError("status", (values["status"] ?? "").isEmpty ? "signal.state.missing" : "signal.state.unknown")) }
            let text = Input.text(values["publieke_tekst"], field: "publieke_tekst", max: 4000, required: false).collect(into: &errors)
            let note = Input.text(values["notitie"], field: "notitie", max: 4000, required: false).collect(into: &errors)
            if let target {
                for problem in SignalTransition(from: signal.state, to: target, publicText: text).problems() {
                    errors.append(FieldError(problem == .publicTextMissing ? "publieke_tekst" : "status", "signal.transition.\(problem.rawValue)",
                                             [req.t("signal.state." + signal.state.rawValue), req.t("signal.state." + target.rawValue)]))
                }
            }
            guard errors.isEmpty, let target else { throw ValidationFailure(errors) }
            let version = try expectedVersion(values)
            try await SignalService.change(signal, expectedVersion: version, to: target, publicText: text, note: note, user: user,
                                           initiator: .staff, at: req.application.clock(), on: req.db, mailer: SignalMailer(req.application))
            return req.t("signal.staff.stateChanged", req.t("signal.state." + target.rawValue))
        }
    }

    func reassign(req: Request) async throws -> Response {
        try await act(req) { signal, user, values in
            guard let id = values["afdeling"].flatMap(UUID.init(uuidString:)), let department = try await Department.find(id, on: req.db),
                  department.$municipality.id == signal.$municipality.id else {
                throw ValidationFailure([FieldError("afdeling", "signal.department.unknown")])
            }
            // A person to handle it: someone who may handle the signal once it is with this department.
            var assignee: User? = nil
            if let raw = values["behandelaar"], !raw.isEmpty { assignee = try await SignalAssignment.person(raw, for: signal, department: department, on: req.db) }
            try await SignalService.reassign(signal, expectedVersion: try expectedVersion(values), department: department, assignee: assignee, user: user,
                                             at: req.application.clock(), on: req.db)
            return assignee.map { req.t("signal.staff.assigned", department.name, $0.name) } ?? req.t("signal.staff.reassigned", department.name)
        }
    }

    func link(req: Request) async throws -> Response {
        try await act(req) { signal, user, values in
            guard let code = TrackingCode.normalise(values["hoofdmelding"] ?? ""),
                  let main = try await Signal.query(on: req.db).filter(\.$trackingCode == code).first(),
                  main.$municipality.id == signal.$municipality.id else {
                throw ValidationFailure([FieldError("hoofdmelding", "signal.link.unknown")])
            }
            if main.id == signal.id { throw ValidationFailure([FieldError("hoofdmelding", "signal.link.self")]) }
            let hasDuplicates = try await Signal.query(on: req.db).filter(\.$mainSignal.$id == signal.requireID()).count() > 0
            if main.mainSignalID != nil || hasDuplicates {
                throw ValidationFailure([FieldError("hoofdmelding", "signal.link.chain")])
            }
            let actor = try await req.actor()
            guard Permissions.allows(actor, .viewSignal(municipality: main.$municipality.id, area: main.areaID, department: main.departmentID)) else {
                throw ValidationFailure([FieldError("hoofdmelding", "signal.link.unknown")])
            }
            try await SignalService.link(signal, expectedVersion: try expectedVersion(values), to: main, user: user, at: req.application.clock(), on: req.db)
            return req.t("signal.staff.linked", main.trackingCode)
        }
    }

    /// Triage: staff set or correct the area (for a signal reported with only a description of the place).
    func place(req: Request) async throws -> Response {
        try await act(req) { signal, user, values in
            let m = try await signal.$municipality.get(on: req.db)
            let snapshot = try await req.areas.snapshot(for: m, on: req.db)
            guard let id = values["gebied"].flatMap(UUID.init(uuidString:)), let area = snapshot.areas.first(where: { $0.id == id }) else {
                throw ValidationFailure([FieldError("gebied", "admin.signals.areaUnknown")])
            }
            try await req.db.writeTransaction { db in
                try await SignalService.claim(signal, expectedVersion: try expectedVersion(values), on: db)
                signal.areaID = area.id
                try await signal.update(on: db)
                try await SignalService.event(signal, kind: .placed, user: user, note: area.name, at: req.application.clock(), on: db)
            }
            return req.t("signal.staff.placed", area.name)
        }
    }

    func changeCategory(req: Request) async throws -> Response {
        try await act(req) { signal, user, values in
            let old = try await signal.$category.get(on: req.db)
            guard let code = values["onderwerp"], let category = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == signal.$municipality.id)
                    .filter(\.$code == code).filter(\.$active == true).first(),
                  try await SignalCategory.query(on: req.db).filter(\.$parentID == category.requireID()).count() == 0 else {
                throw ValidationFailure([FieldError("onderwerp", "signal.category.unknown")])
            }
            guard category.id != old.id else { throw ValidationFailure([FieldError("onderwerp", "signal.category.same")]) }
            let lang = req.language
            try await SignalService.changeCategory(signal, expectedVersion: try expectedVersion(values), to: category, user: user,
                                                   note: old.name(lang) + " → " + category.name(lang), at: req.application.clock(), on: req.db)
            return req.t("signal.staff.categoryChanged", category.name(lang), signal.deadline.map { Format.day($0, lang) } ?? "–")
        }
    }

    func escalate(req: Request) async throws -> Response {
        try await act(req, permission: { signal, actor in
            Permissions.allows(actor, .escalateSignal(municipality: signal.$municipality.id, area: signal.areaID)) && !signal.state.isClosed
        }, requireHandling: false) { signal, user, values in
            var errors: [FieldError] = []
            let reason = Input.text(values["reden"], field: "reden", max: 2000).collect(into: &errors)
            guard errors.isEmpty, let reason else { throw ValidationFailure(errors) }
            try await SignalService.escalateByHand(signal, reason: reason, user: user, at: req.application.clock(), on: req.db, mailer: SignalMailer(req.application))
            return req.t("signal.staff.escalated")
        }
    }
}
