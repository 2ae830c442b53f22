import Vapor
import Fluent
import Domain

/// Staff: the inbox scoped by role, a signal with its full history, and the actions on it (state, routing,
/// duplicates, escalation by hand). Contact details only for those handling the signal.
struct StaffSignalsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let work = routes.grouped("werk", "meldingen")
        let view = work.access(.action(.viewSignal)), handle = work.access(.action(.handleSignal))
        view.get(use: inbox)
        view.get("overzicht", use: dashboard)
        view.get(":code", use: show)
        view.get(":code", "foto", use: photo)
        handle.post(":code", "status", use: changeState)
        handle.post(":code", "afdeling", use: reassign)
        handle.post(":code", "koppelen", use: link)
        work.access(.action(.escalateSignal)).post(":code", "escaleren", use: escalate)
        handle.post(":code", "gebied", use: place)
    }

    // MARK: Inbox

    struct InboxPage: Encodable {
        struct Row: Encodable {
            var code: String; var href: String; var category: String; var area: String; var department: String
            var state: String; var reported: String; var deadline: String; var overdue: Bool; var escalation: Int
        }
        struct Escalated: Encodable { var code: String; var href: String; var level: String; var at: String; var reason: String? }
        var page: PageMeta
        var heading: String
        var municipality: String
        var rows: [Row]
        var total: Int
        var overdueCount: Int
        var filters: [FieldView]
        var escalations: [Escalated]
        var previous: String?
        var next: String?
        var pageLabel: String
    }

    static let pageSize = 50

    /// The signals this actor may see, as a query.
    static func scoped(_ actor: Actor, municipality: UUID, on db: any Database) -> QueryBuilder<Signal> {
        SignalFilter.scope(of: actor, municipality: municipality).apply(to: Signal.query(on: db))
    }

    func inbox(req: Request) async throws -> View {
        let user = try req.requireUser()
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        let mid = try m.requireID()
        let now = req.application.clock()
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$position).all()
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$name).all()
        let q = req.query
        let areaFilter = q[String.self, at: "gebied"].flatMap(UUID.init(uuidString:))
        let categoryFilter = q[String.self, at: "categorie"].flatMap(UUID.init(uuidString:))
        let departmentFilter = q[String.self, at: "afdeling"].flatMap(UUID.init(uuidString:))
        let stateFilter = q[String.self, at: "status"].flatMap(SignalState.init(rawValue:))
        let openOnly = (q[String.self, at: "open"] ?? "ja") == "ja"
        let overdueOnly = q[String.self, at: "te_laat"] == "ja"
        let sort = q[String.self, at: "sorteer"] ?? "termijn"
        let pageNumber = min(100_000, max(1, q[Int.self, at: "pagina"] ?? 1))

        // An alderman's list: only what was escalated to the alderman (the "laatste redmiddel").
        let onlyEscalations = Permissions.signalListShowsOnlyEscalations(actor.role)
        let aldermanSignals = onlyEscalations
            ? try await SignalEscalation.query(on: req.db).filter(\.$role == .areaAlderman).all(\.$signal.$id) : []
        func filtered() -> QueryBuilder<Signal> {
            let b = Self.scoped(actor, municipality: mid, on: req.db)
            if let areaFilter { b.filter(\.$areaID == areaFilter) }
            if let categoryFilter {
                let ids = [categoryFilter] + categories.filter { $0.parentID == categoryFilter }.compactMap(\.id)
                b.filter(\.$category.$id ~~ ids)
            }
            if let departmentFilter { b.filter(\.$departmentID == departmentFilter) }
            if let stateFilter { b.filter(\.$state == stateFilter) } else if openOnly || overdueOnly { b.filter(\.$state ~~ SignalJobs.openStates) }
            if overdueOnly { b.filter(\.$deadline < now) }
            if onlyEscalations { b.filter(\.$id ~~ aldermanSignals) }
            return b
        }
        let total = try await filtered().count()
        let overdueCount = try await Self.scoped(actor, municipality: mid, on: req.db).filter(\.$state ~~ SignalJobs.openStates).filter(\.$deadline < now).count()
        let listQuery = filtered()
        switch sort {
        case "nieuw": listQuery.sort(\.$reportedAt, .descending)
        case "oud": listQuery.sort(\.$reportedAt, .ascending)
        default: listQuery.sort(\.$deadline, .ascending)
        }
        let list = try await listQuery.range(((pageNumber - 1) * Self.pageSize)..<(pageNumber * Self.pageSize)).all()
        let lang = req.language
        let categoryName = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name(lang)) } })
        let areaName = Dictionary(uniqueKeysWithValues: snapshot.areas.map { ($0.id, $0.name) })
        let departmentName = Dictionary(uniqueKeysWithValues: departments.compactMap { d in d.id.map { ($0, d.name) } })
        let rows = list.map { s in
            InboxPage.Row(code: s.trackingCode, href: "/werk/meldingen/\(s.trackingCode)", category: categoryName[s.$category.id] ?? "",
                          area: s.areaID.flatMap { areaName[$0] } ?? req.t("signal.staff.noArea"),
                          department: s.departmentID.flatMap { departmentName[$0] } ?? "–", state: req.t("signal.state." + s.state.rawValue),
                          reported: Format.day(s.reportedAt, lang), deadline: s.deadline.map { Format.day($0, lang) } ?? "–",
                          overdue: EscalationLadder.isOverdue(deadline: s.deadline, state: s.state, now: now), escalation: s.escalationLevel)
        }
        // The escalations addressed to this user's role, in their scope, on signals still open.
        let mine = try await SignalEscalation.query(on: req.db).filter(\.$role == user.role).join(Signal.self, on: \SignalEscalation.$signal.$id == \Signal.$id)
            .filter(Signal.self, \.$municipality.$id == mid).filter(Signal.self, \.$state ~~ SignalJobs.openStates)
            .sort(\.$at, .descending).limit(200).all()
        let escalations = try mine.compactMap { e -> InboxPage.Escalated? in
            let s = try e.joined(Signal.self)
            guard Permissions.allows(actor, .viewSignal(municipality: mid, area: s.areaID, department: s.departmentID)) else { return nil }
            return InboxPage.Escalated(code: s.trackingCode, href: "/werk/meldingen/\(s.trackingCode)",
                                       level: e.level.map { req.t("signal.escalation.level", String($0)) } ?? req.t("signal.escalation.manual"),
                                       at: Format.dateTime(e.at, lang), reason: e.reason)
        }.prefix(50)
        let stateOptions = [(value: "", label: req.t("signal.filter.anyState"))] + SignalState.allCases.map { (value: $0.rawValue, label: req.t("signal.state." + $0.rawValue)) }
        var filters = [
            FieldView(req, name: "gebied", label: req.t("signal.filter.area"), type: "select", value: areaFilter?.uuidString ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.filter.all"))] + snapshot.areas.map { (value: $0.id.uuidString, label: $0.name) }),
            FieldView(req, name: "categorie", label: req.t("signal.filter.category"), type: "select", value: categoryFilter?.uuidString ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.filter.all"))] + categories.filter { $0.parentID == nil }.map { (value: $0.id!.uuidString, label: $0.name(lang)) }),
            FieldView(req, name: "afdeling", label: req.t("signal.filter.department"), type: "select", value: departmentFilter?.uuidString ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.filter.all"))] + departments.map { (value: $0.id!.uuidString, label: $0.name) }),
            FieldView(req, name: "status", label: req.t("signal.filter.state"), type: "select", value: stateFilter?.rawValue ?? "", optional: true, options: stateOptions),
            FieldView(req, name: "open", label: req.t("signal.filter.openOnly"), type: "checkbox", value: openOnly ? "ja" : ""),
            FieldView(req, name: "te_laat", label: req.t("signal.filter.overdue"), type: "checkbox", value: overdueOnly ? "ja" : ""),
            FieldView(req, name: "sorteer", label: req.t("signal.filter.sort"), type: "select", value: sort, optional: true,
                      options: [(value: "termijn", label: req.t("signal.sort.deadline")), (value: "nieuw", label: req.t("signal.sort.newest")), (value: "oud", label: req.t("signal.sort.oldest"))]),
        ]
        if user.$municipality.id == nil { filters.append(FieldView(req, name: "gemeente", label: "", type: "hidden", value: m.slug)) }
        func pageLink(_ n: Int) -> String {
            var components = URLComponents(string: req.url.string) ?? URLComponents()
            var items = (components.queryItems ?? []).filter { $0.name != "pagina" }
            items.append(URLQueryItem(name: "pagina", value: String(n)))
            components.queryItems = items
            return components.url?.relativeString ?? "?pagina=\(n)"
        }
        let pages = max(1, (total + Self.pageSize - 1) / Self.pageSize)
        let heading = req.t("signal.staff.inboxHeading")
        return try await req.view.render("Signals/inbox", InboxPage(
            page: req.page(heading, municipality: m.name), heading: heading, municipality: m.name, rows: rows, total: total, overdueCount: overdueCount,
            filters: filters, escalations: Array(escalations), previous: pageNumber > 1 ? pageLink(pageNumber - 1) : nil,
            next: pageNumber < pages ? pageLink(pageNumber + 1) : nil, pageLabel: req.t("signal.staff.pageOf", String(pageNumber), String(pages))))
    }

    // MARK: Dashboard

    struct DashboardPage: Encodable {
        var page: PageMeta
        var heading: String
        var scope: String
        var filters: [FieldView]
        var total: SignalStatistics.Line
        var categories: [SignalStatistics.Line]
        var months: [SignalStatistics.Line]
    }

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
        return try await req.view.render("Signals/dashboard", DashboardPage(
            page: req.page(heading, municipality: m.name, crumbs: [(req.t("signal.staff.inboxHeading"), "/werk/meldingen")]), heading: heading,
            scope: scope.isEmpty ? m.name : scope, filters: filters,
            total: SignalStatistics.line(req.t("signal.dashboard.total"), rows, now: now, language: lang),
            categories: SignalStatistics.perCategory(rows, categories: categories, now: now, language: lang),
            months: SignalStatistics.perMonth(rows, now: now, language: lang)))
    }

    // MARK: One signal

    struct SignalPage: Encodable {
        struct Entry: Encodable { var when: String; var iso: String; var actor: String; var what: String; var publicText: String?; var note: String? }
        struct Nearby: Encodable { var code: String; var href: String; var state: String; var reported: String; var distance: String; var linked: Bool }
        var page: PageMeta
        var heading: String
        var code: String
        var category: String
        var state: String
        var area: String
        var neighbourhood: String?
        var department: String
        var description: String
        var place: String?
        var coordinates: String?
        var answers: [String]
        var reported: String
        var deadline: String?
        var overdue: Bool
        var source: String
        var contact: [String]?
        var contactRemoved: Bool
        var photo: String?
        var mainSignal: String?
        var feedback: String?
        var history: [Entry]
        var nearby: [Nearby]
        var form: FormView?
        var extraForms: [FormView]
        var publicHref: String
        var demo: Bool
    }

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
        return try await req.view.render("Signals/signal", page(req, signal, actor: actor, handles: handles, values: [:], errors: []))
    }

    private func page(_ req: Request, _ signal: Signal, actor: Actor, handles: Bool, values: [String: String], errors: [FieldError]) async throws -> SignalPage {
        let lang = req.language, now = req.application.clock()
        let category = try await signal.$category.get(on: req.db)
        let m = try await signal.$municipality.get(on: req.db)
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == m.requireID()).sort(\.$name).all()
        let events = try await SignalEvent.query(on: req.db).filter(\.$signal.$id == signal.requireID()).sort(\.$at).all()
        let history = events.map { e -> SignalPage.Entry in
            var what = req.t("signal.event." + e.kind.rawValue)
            if let to = e.toState { what += ": " + (e.fromState.map { req.t("signal.state." + $0) + " → " } ?? "") + req.t("signal.state." + to) }
            var note = e.internalNote
            if let level = e.escalationLevel, let role = e.escalationRole {
                note = req.t("signal.escalation.level", String(level)) + ": " + req.t("role." + role.rawValue)
            }
            return .init(when: Format.dateTime(e.at, lang), iso: Format.isoDate(e.at), actor: e.actor, what: what, publicText: e.publicText,
                         note: handles || e.kind == .escalated ? note : nil)
        }
        // Nearby similar signals: same category within 50 m in the last 12 weeks.
        var nearby: [SignalPage.Nearby] = []
        if let position = signal.position {
            let box = SignalRules.box(around: position, metres: SignalRules.nearbyMetres)
            let candidates = try await Signal.query(on: req.db).filter(\.$municipality.$id == m.requireID()).filter(\.$category.$id == signal.$category.id)
                .filter(\.$id != signal.requireID()).filter(\.$lat >= box.minLat).filter(\.$lat <= box.maxLat).filter(\.$lon >= box.minLon).filter(\.$lon <= box.maxLon)
                .filter(\.$reportedAt >= signal.reportedAt.addingTimeInterval(-SignalRules.nearbyWindow)).limit(20).all()
            nearby = candidates.compactMap { other in
                guard let p = other.position, SignalRules.isNearbySimilar(position: position, category: signal.$category.id, at: signal.reportedAt,
                                                                          other: (p, other.$category.id, other.reportedAt)) else { return nil }
                return .init(code: other.trackingCode, href: "/werk/meldingen/\(other.trackingCode)", state: req.t("signal.state." + other.state.rawValue),
                             reported: Format.day(other.reportedAt, lang), distance: "\(Int(SignalRules.distance(position, p).rounded())) m",
                             linked: signal.mainSignalID == other.id || other.mainSignalID == signal.id)
            }
        }
        let version = FieldView(req, name: "versie", label: "", type: "hidden", value: String(signal.version))
        var form: FormView? = nil, routeForm: FormView? = nil, linkForm: FormView? = nil, escalateForm: FormView? = nil, placeForm: FormView? = nil
        let base = "/werk/meldingen/\(signal.trackingCode)"
        if handles {
            let targets = signal.state.staffTargets
            form = FormView(action: base + "/status", submitLabel: req.t("signal.staff.changeState"), fields: [
                FieldView(req, name: "status", label: req.t("signal.staff.newState"), type: "select", value: values["status"] ?? "",
                          options: [(value: "", label: req.t("signal.staff.chooseState"))] + targets.map { (value: $0.rawValue, label: req.t("signal.state." + $0.rawValue)) }, errors: errors),
                FieldView(req, name: "publieke_tekst", label: req.t("signal.staff.publicText"), type: "textarea", value: values["publieke_tekst"] ?? "",
                          description: req.t("signal.staff.publicTextHelp"), optional: true, errors: errors),
                FieldView(req, name: "notitie", label: req.t("signal.staff.note"), type: "textarea", value: values["notitie"] ?? "",
                          description: req.t("signal.staff.noteHelp"), optional: true, errors: errors),
                version,
            ], csrf: req.csrfToken(), showRequiredNote: false)
            routeForm = FormView(action: base + "/afdeling", submitLabel: req.t("signal.staff.reassign"), fields: [
                FieldView(req, name: "afdeling", label: req.t("signal.filter.department"), type: "select", value: values["afdeling"] ?? signal.departmentID?.uuidString ?? "",
                          options: departments.map { (value: $0.id!.uuidString, label: $0.name) }, errors: errors),
                version,
            ], csrf: req.csrfToken(), showRequiredNote: false)
            placeForm = FormView(action: base + "/gebied", submitLabel: req.t("signal.staff.place"), fields: [
                FieldView(req, name: "gebied", label: req.t("signal.filter.area"), type: "select", value: values["gebied"] ?? signal.areaID?.uuidString ?? "",
                          description: req.t("signal.staff.placeHelp"), options: snapshot.areas.map { (value: $0.id.uuidString, label: $0.name) }, errors: errors),
                version,
            ], csrf: req.csrfToken(), showRequiredNote: false)
            linkForm = FormView(action: base + "/koppelen", submitLabel: req.t("signal.staff.link"), fields: [
                FieldView(req, name: "hoofdmelding", label: req.t("signal.staff.mainCode"), value: values["hoofdmelding"] ?? "",
                          description: req.t("signal.staff.mainCodeHelp"), errors: errors),
                version,
            ], csrf: req.csrfToken(), showRequiredNote: false)
        }
        if Permissions.allows(actor, .escalateSignal(municipality: signal.$municipality.id, area: signal.areaID)) && !signal.state.isClosed {
            escalateForm = FormView(action: base + "/escaleren", submitLabel: req.t("signal.staff.escalate"), fields: [
                FieldView(req, name: "reden", label: req.t("signal.staff.escalateReason"), type: "textarea", value: values["reden"] ?? "",
                          description: req.t("signal.staff.escalateHelp"), errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: false)
        }
        let main = signal.mainSignalID == nil ? nil : try await Signal.find(signal.mainSignalID, on: req.db)
        let answers = category.questions.compactMap { q in signal.answers[q.key].map { "\(q.label(lang)) \($0)" } }
        let heading = req.t("signal.staff.heading", signal.trackingCode)
        return SignalPage(
            page: req.page(heading, municipality: m.name, crumbs: [(req.t("signal.staff.inboxHeading"), "/werk/meldingen")], errors: errors, status: req.takeFlash()),
            heading: heading, code: signal.trackingCode, category: category.name(lang), state: req.t("signal.state." + signal.state.rawValue),
            area: signal.areaID.flatMap { id in snapshot.areas.first { $0.id == id }?.name } ?? req.t("signal.staff.noArea"),
            neighbourhood: signal.neighbourhoodID.flatMap { id in snapshot.neighbourhoods.first { $0.id == id }?.name },
            department: signal.departmentID.flatMap { id in departments.first { $0.id == id }?.name } ?? "–",
            description: signal.text, place: signal.place, coordinates: signal.position.map { String(format: "%.5f, %.5f", $0.lat, $0.lon) },
            answers: answers, reported: Format.dateTime(signal.reportedAt, lang), deadline: signal.deadline.map { Format.dateTime($0, lang) },
            overdue: EscalationLadder.isOverdue(deadline: signal.deadline, state: signal.state, now: now), source: req.t("signal.source." + signal.source),
            contact: handles ? [signal.reporterEmail, signal.reporterPhone].compactMap { $0 } : nil, contactRemoved: signal.contactRemovedAt != nil,
            photo: signal.hasPhoto ? base + "/foto" : nil, mainSignal: main?.trackingCode,
            feedback: signal.feedbackAt.map { _ in req.t(signal.feedbackSatisfied == true ? "signal.feedback.yes" : "signal.feedback.no") + (handles ? (signal.feedbackText.map { ": " + $0 } ?? "") : "") },
            history: history, nearby: nearby, form: form, extraForms: [routeForm, placeForm, linkForm, escalateForm].compactMap { $0 },
            publicHref: "/melding/\(signal.trackingCode)", demo: signal.demo)
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
        let values = (try? req.content.decode([String: String].self)) ?? [:]
        do {
            try req.checkCSRF(values["csrf"])
            let message = try await body(signal, user, values)
            req.flash(message)
            return req.redirect(to: "/werk/meldingen/\(signal.trackingCode)")
        } catch let failure as ValidationFailure {
            let fresh = try await Signal.find(signal.requireID(), on: req.db) ?? signal
            return try await req.render("Signals/signal", page(req, fresh, actor: actor, handles: handles, values: values, errors: failure.errors), status: failure.status)
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
            do {
                try await SignalService.change(signal, expectedVersion: version, to: target, publicText: text, note: note, user: user,
                                               initiator: .staff, at: req.application.clock(), on: req.db, mailer: SignalMailer(req.application))
            } catch is SignalConflict {
                throw ValidationFailure([FieldError("formulier", "signal.conflict")], status: .conflict)
            }
            return req.t("signal.staff.stateChanged", req.t("signal.state." + target.rawValue))
        }
    }

    func reassign(req: Request) async throws -> Response {
        try await act(req) { signal, user, values in
            guard let id = values["afdeling"].flatMap(UUID.init(uuidString:)), let department = try await Department.find(id, on: req.db),
                  department.$municipality.id == signal.$municipality.id else {
                throw ValidationFailure([FieldError("afdeling", "signal.department.unknown")])
            }
            do {
                try await SignalService.reassign(signal, expectedVersion: try expectedVersion(values), department: department, assignee: nil, user: user,
                                                 at: req.application.clock(), on: req.db)
            } catch is SignalConflict {
                throw ValidationFailure([FieldError("formulier", "signal.conflict")], status: .conflict)
            }
            return req.t("signal.staff.reassigned", department.name)
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
            let hasDuplicates = try await Signal.query(on: req.db).filter(\.$mainSignalID == signal.requireID()).count() > 0
            if main.mainSignalID != nil || hasDuplicates {
                throw ValidationFailure([FieldError("hoofdmelding", "signal.link.chain")])
            }
            let actor = try await req.actor()
            guard Permissions.allows(actor, .viewSignal(municipality: main.$municipality.id, area: main.areaID, department: main.departmentID)) else {
                throw ValidationFailure([FieldError("hoofdmelding", "signal.link.unknown")])
            }
            do {
                try await SignalService.link(signal, expectedVersion: try expectedVersion(values), to: main, user: user, at: req.application.clock(), on: req.db)
            } catch is SignalConflict {
                throw ValidationFailure([FieldError("formulier", "signal.conflict")], status: .conflict)
            }
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
            do {
                try await req.db.transaction { db in
                    try await SignalService.claim(signal, expectedVersion: try expectedVersion(values), on: db)
                    signal.areaID = area.id
                    try await signal.update(on: db)
                    try await SignalService.event(signal, kind: .placed, user: user, note: area.name, at: req.application.clock(), on: db)
                }
            } catch is SignalConflict {
                throw ValidationFailure([FieldError("formulier", "signal.conflict")], status: .conflict)
            }
            return req.t("signal.staff.placed", area.name)
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
