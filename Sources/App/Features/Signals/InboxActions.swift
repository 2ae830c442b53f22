import Vapor
import Fluent
import Domain

/// Who may be given a signal: an active person of the municipality who may handle it once it is with the
/// department (the same check for the signal page and for bulk assignment).
enum SignalAssignment {
    static func person(_ raw: String, for signal: Signal, department: Department, on db: any Database) async throws -> User {
        guard let uid = UUID(uuidString: raw), let person = try await User.find(uid, on: db), person.active,
              person.$municipality.id == signal.$municipality.id else { throw ValidationFailure([FieldError("behandelaar", "signal.assignee.unknown")]) }
        let areas = try await UserArea.query(on: db).filter(\.$user.$id == uid).all().map(\.$area.id)
        let theirs = Actor(userID: uid, role: person.role, municipalityID: person.$municipality.id, areaIDs: Set(areas), departmentID: person.$department.id)
        guard Permissions.allows(theirs, .handleSignal(municipality: signal.$municipality.id, area: signal.areaID, department: try department.requireID())) else {
            throw ValidationFailure([FieldError("behandelaar", "signal.assignee.cannotHandle", [person.name, department.name])])
        }
        return person
    }

    /// The people who may handle signals in a municipality (for the choice lists; checked again on saving).
    static func handlers(municipality: UUID, on db: any Database) async throws -> [User] {
        try await User.query(on: db).filter(\.$municipality.$id == municipality).filter(\.$active == true).sort(\.$name).all()
            .filter { $0.mayEver(.handleSignal) }
    }
}

/// The same action on several signals at once: give them to a person, or move them to a state with one public
/// text. Each signal is checked on its own (may this user handle it, is the step allowed from its state); what
/// could not be done is listed with the reason, the rest is done.
enum SignalBulk {
    /// The bulk form as it was sent, kept in the session for the next view of the list when something was not done
    /// (nothing chosen, no action, refusals): the ticks, the chosen action and the text come back.
    struct Kept: Codable {
        var codes: [String]
        var action: String
        var text: String
        static let key = "inbox.bulk"

        func keep(in req: Request) {
            guard let data = try? JSONEncoder().encode(Kept(codes: Array(codes.prefix(SignalBulk.maximum)), action: String(action.prefix(80)), text: String(text.prefix(4000)))) else { return }
            req.session.data[Self.key] = String(decoding: data, as: UTF8.self)
        }

        static func take(from req: Request) -> Kept? {
            guard req.hasSession, let raw = req.session.data[key] else { return nil }
            req.session.data[key] = nil
            return try? JSONDecoder().decode(Kept.self, from: Data(raw.utf8))
        }
    }

    enum Action: Equatable {
        case assign(String)
        case state(SignalState)

        /// "toewijzen:<person id>" or "status:<state>".
        init?(_ raw: String) {
            if raw.hasPrefix("toewijzen:") { self = .assign(String(raw.dropFirst(10))); return }
            if raw.hasPrefix("status:"), let s = SignalState(rawValue: String(raw.dropFirst(7))) { self = .state(s); return }
            return nil
        }
    }

    struct Outcome { var done: [String] = []; var refused: [(code: String, reason: String)] = [] }

    static let maximum = 200

    static func apply(codes: [String], action: Action, publicText: String?, user: User, actor: Actor, req: Request) async throws -> Outcome {
        var outcome = Outcome()
        let now = req.application.clock()
        for raw in codes.prefix(maximum) {
            guard let code = TrackingCode.normalise(raw), let signal = try await Signal.query(on: req.db).filter(\.$trackingCode == code).first() else {
                outcome.refused.append((raw, req.t("signal.track.unknown"))); continue
            }
            guard Permissions.allows(actor, .handleSignal(municipality: signal.$municipality.id, area: signal.areaID, department: signal.departmentID)) else {
                outcome.refused.append((code, req.t("signal.bulk.notYours"))); continue
            }
            do {
                switch action {
                case .assign(let person):
                    guard let departmentID = signal.departmentID, let department = try await Department.find(departmentID, on: req.db) else {
                        outcome.refused.append((code, req.t("signal.bulk.noDepartment"))); continue
                    }
                    let assignee = try await SignalAssignment.person(person, for: signal, department: department, on: req.db)
                    try await SignalService.reassign(signal, expectedVersion: signal.version, department: department, assignee: assignee, user: user, at: now, on: req.db)
                case .state(let target):
                    if let problem = SignalTransition(from: signal.state, to: target, publicText: publicText).problems().first {
                        outcome.refused.append((code, req.t("signal.transition.\(problem.rawValue)", req.t("signal.state." + signal.state.rawValue), req.t("signal.state." + target.rawValue))))
                        continue
                    }
                    try await SignalService.change(signal, expectedVersion: signal.version, to: target, publicText: publicText, note: nil, user: user,
                                                   initiator: .staff, at: now, on: req.db, mailer: SignalMailer(req.application))
                }
                outcome.done.append(code)
            } catch let failure as ValidationFailure {
                outcome.refused.append((code, failure.errors.first.map { req.t($0.key, $0.values) } ?? req.t("error.400")))
            } catch is SignalConflict {
                outcome.refused.append((code, req.t("signal.conflict")))
            }
        }
        return outcome
    }
}

/// A user's own inbox filters, by name: the query string of the inbox (only its known keys).
final class SavedInboxFilter: Model, @unchecked Sendable {
    static let schema = "saved_inbox_filters"
    @ID(key: .id) var id: UUID?
    @Parent(key: "user_id") var user: User
    @Field(key: "name") var name: String
    @Field(key: "query") var query: String
    @Field(key: "created_at") var createdAt: Date
    init() {}

    static let keys = ["zoek", "gebied", "categorie", "afdeling", "status", "open", "te_laat", "mij", "sorteer"]
    static let maximumPerUser = 30

    /// The inbox's query reduced to the filter keys, in a fixed order (so the same filter is the same text).
    static func normalised(_ query: String) -> String {
        let items = URLComponents(string: "?" + query)?.queryItems ?? []
        var kept: [URLQueryItem] = []
        for key in keys { if let v = items.first(where: { $0.name == key })?.value, !v.isEmpty { kept.append(URLQueryItem(name: key, value: String(v.prefix(100)))) } }
        var c = URLComponents()
        c.queryItems = kept
        return c.percentEncodedQuery ?? ""
    }
}

struct CreateInboxTools: AsyncMigration {
    var name: String { "2026-12-01-13-create-inbox-tools" }
    func prepare(on db: any Database) async throws {
        try await db.schema(SavedInboxFilter.schema)
            .id()
            .field("user_id", .uuid, .required, .references(User.schema, "id", onDelete: .cascade))
            .field("name", .string, .required).field("query", .string, .required).field("created_at", .datetime, .required)
            .unique(on: "user_id", "name")
            .create()
        try await db.schema(SignalStandardAnswer.schema)
            .id()
            .field("municipality_id", .uuid, .required, .references(Municipality.schema, "id", onDelete: .cascade))
            .field("category_id", .uuid, .references(SignalCategory.schema, "id", onDelete: .cascade))
            .field("state", .string, .required).field("language", .string, .required)
            .field("title", .string, .required).field("text", .string, .required)
            .field("created_at", .datetime, .required)
            .create()
    }
    func revert(on db: any Database) async throws {
        try await db.schema(SignalStandardAnswer.schema).delete()
        try await db.schema(SavedInboxFilter.schema).delete()
    }
}

/// The inbox's working-day tools: bulk actions, saved filters and the map of the filtered list.
struct InboxActionsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let view = routes.access(.action(.viewSignal)), handle = routes.access(.action(.handleSignal))
        handle.post(Site.signalInbox("bulk").route, use: bulk)
        view.post(Site.signalInbox("filters").route, use: saveFilter)
        view.post(Site.signalInbox("filters", ":filter", "verwijderen").route, use: deleteFilter)
        view.get(Site.signalInboxMap.route, use: map)
        view.get(Site.signalInbox("kaart.geojson").route, use: mapPoints)
    }

    private func back(_ req: Request, _ query: String?) -> Response {
        let q = SavedInboxFilter.normalised(query ?? "")
        return req.redirect(to: Site.signalInbox.link() + (q.isEmpty ? "" : "?" + q))
    }

    func bulk(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let actor = try await req.actor()
        let values = FormParts.read(req)
        let codes = values.all["melding"] ?? []
        var problems: [String] = []
        if codes.isEmpty { problems.append(req.t("signal.bulk.noneChosen")) }
        let action = values["actie"].flatMap(SignalBulk.Action.init)
        if action == nil { problems.append(req.t("signal.bulk.noAction")) }
        var errors: [FieldError] = []
        let text = Input.text(values["bulk_tekst"], field: "bulk_tekst", max: 4000, required: false).collect(into: &errors)
        problems += errors.map { req.t($0.key, $0.values) }
        if codes.count > SignalBulk.maximum { problems.append(req.t("signal.bulk.tooMany", String(SignalBulk.maximum))) }
        guard problems.isEmpty, let action else {
            req.flash(problems.joined(separator: " "))
            SignalBulk.Kept(codes: codes, action: values["actie"] ?? "", text: values["bulk_tekst"] ?? "").keep(in: req)
            return back(req, values["terug"])
        }
        var resolved = action
        if case .assign("mij") = action { resolved = .assign(user.id?.uuidString ?? "") }
        let outcome = try await SignalBulk.apply(codes: codes, action: resolved, publicText: (text ?? "").isEmpty ? nil : text, user: user, actor: actor, req: req)
        var message = req.tCount("signal.bulk.done", outcome.done.count)
        if !outcome.refused.isEmpty {
            message += " " + req.t("signal.bulk.refused", outcome.refused.map { "\($0.code) (\($0.reason))" }.joined(separator: "; "))
        }
        req.flash(message)
        // What was refused stays ticked with the text kept, to try again with another action.
        if !outcome.refused.isEmpty {
            SignalBulk.Kept(codes: outcome.refused.map(\.code), action: values["actie"] ?? "", text: values["bulk_tekst"] ?? "").keep(in: req)
        }
        return back(req, values["terug"])
    }

    func saveFilter(req: Request) async throws -> Response {
        let user = try req.requireUser()
        let values = FormParts.read(req)
        var errors: [FieldError] = []
        let name = Input.text(values["naam"], field: "naam", max: 60).collect(into: &errors)
        let query = SavedInboxFilter.normalised(values["terug"] ?? "")
        let count = try await SavedInboxFilter.query(on: req.db).filter(\.$user.$id == user.requireID()).count()
        guard errors.isEmpty, let name else { req.flash(req.t("signal.savedFilter.nameMissing")); return back(req, query) }
        guard count < SavedInboxFilter.maximumPerUser else { req.flash(req.t("signal.savedFilter.tooMany", String(SavedInboxFilter.maximumPerUser))); return back(req, query) }
        // Saving under a name that exists replaces that filter.
        if let existing = try await SavedInboxFilter.query(on: req.db).filter(\.$user.$id == user.requireID()).filter(\.$name == name).first() {
            existing.query = query
            try await existing.update(on: req.db)
        } else {
            let f = SavedInboxFilter()
            f.$user.id = try user.requireID()
            f.name = name
            f.query = query
            f.createdAt = req.application.clock()
            do { try await f.create(on: req.db) } catch let e as any DatabaseError where e.isConstraintFailure {}
        }
        req.flash(req.t("signal.savedFilter.saved", name))
        return back(req, query)
    }

    func deleteFilter(req: Request) async throws -> Response {
        let user = try req.requireUser()
        guard let id = req.parameters.get("filter", as: UUID.self),
              let f = try await SavedInboxFilter.query(on: req.db).filter(\.$id == id).filter(\.$user.$id == user.requireID()).first() else {
            throw AppError.notFound()
        }
        try await f.delete(on: req.db)
        req.flash(req.t("signal.savedFilter.deleted", f.name))
        return back(req, FormParts.read(req)["terug"])
    }

    // MARK: The map of the filtered list

    static let mapLimit = 2_000

    private func mapped(_ req: Request) async throws -> (Municipality, MunicipalitySnapshot, [Signal], [UUID: String], Int) {
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        var filter = StaffSignalsController.filter(req, actor)
        filter.page = 1
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == m.requireID()).sort(\.$position).all()
        let result = try await InboxQuery.run(filter, actor: actor, municipality: m.requireID(), categories: categories, now: req.application.clock(),
                                              pageSize: Self.mapLimit, on: req.db)
        let names = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name(req.language)) } })
        return (m, try await req.areas.snapshot(for: m, on: req.db), result.signals.filter { $0.position != nil }, names, result.total)
    }

    struct MapPage: Encodable {
        var page: PageMeta
        var heading: String
        var intro: String
        var svg: String?
        var listHref: String
        var geojson: String
        var tiles: String?
        var bounds: String
        var mapLabel: String
    }

    func map(req: Request) async throws -> View {
        let (m, snapshot, signals, names, total) = try await mapped(req)
        let query = req.url.query.map { "?" + $0 } ?? ""
        let heading = req.t("signal.inboxMap.heading")
        let bounds = snapshot.bounds ?? BoundingBox(minLon: 3.3, minLat: 50.7, maxLon: 7.2, maxLat: 53.6)
        let dots = signals.map { s in AreaMap.LinkedDot(position: s.position!, href: Site.signal.link(s.trackingCode),
                                                       label: req.t("map.area.signalDot", names[s.$category.id] ?? "", s.trackingCode)) }
        var page = req.page(heading, municipality: m.name, crumbs: [(req.t("signal.staff.inboxHeading"), Site.signalInbox.link() + query)])
        page.interactiveMap = req.application.config.tileURL != nil
        return try await req.view.render("Signals/inbox-map", MapPage(
            page: page, heading: heading,
            intro: req.t("signal.inboxMap.intro", String(signals.count), String(total), String(Self.mapLimit)),
            svg: dots.isEmpty ? nil : AreaMap.svg(id: "meldingenkaart", title: heading, description: req.t("signal.inboxMap.description"),
                                                  shapes: snapshot.areas.map { AreaMap.Shape(href: nil, label: $0.name, accessibleName: $0.name, geometry: $0.outline, colour: $0.colour) },
                                                  bounds: bounds).replacingOccurrences(of: "</svg>", with: AreaMap.linkedDots(dots, bounds: bounds) + "</svg>"),
            listHref: Site.signalInbox.link() + query, geojson: Site.signalInbox("kaart.geojson").link() + query,
            tiles: req.application.config.tileURL,
            bounds: [bounds.minLat, bounds.minLon, bounds.maxLat, bounds.maxLon].map { String(format: "%.6f", $0) }.joined(separator: ","),
            mapLabel: req.t("signal.inboxMap.label")))
    }

    /// The same signals as GeoJSON points for the background map (staff only: subject, code and state).
    func mapPoints(req: Request) async throws -> Response {
        let (_, _, signals, names, _) = try await mapped(req)
        let features: [[String: Any]] = signals.map { s in
            ["type": "Feature", "geometry": ["type": "Point", "coordinates": [s.lon!, s.lat!]],
             "properties": ["title": "\(s.trackingCode) – \(names[s.$category.id] ?? "") – \(req.t("signal.state." + s.state.rawValue))",
                            "href": Site.signal.link(s.trackingCode), "status": s.state.isClosed ? "closed" : "open"]]
        }
        let data = try JSONSerialization.data(withJSONObject: ["type": "FeatureCollection", "features": features], options: [.sortedKeys])
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "geo+json")
        headers.replaceOrAdd(name: .cacheControl, value: "private, no-store")
        return Response(status: .ok, headers: headers, body: .init(data: data))
    }
}
