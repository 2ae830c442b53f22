import Vapor
import Fluent
import Domain

// The staff pages of signals: what each page shows, built from what the queries found.

struct InboxPage: Encodable {
    struct Row: Encodable {
        var code: String; var href: String; var category: String; var area: String; var department: String
        var state: String; var reported: String; var deadline: String; var overdue: Bool; var escalation: Int
        /// Where (the place as typed) and the first words of the description, to recognise a report in the list.
        var place: String; var summary: String
        /// Ticked again after a bulk action that was not (fully) done.
        var chosen = false
    }
    struct SavedFilter: Encodable { var name: String; var href: String; var delete: String; var current: Bool }
    struct BulkOption: Encodable { var value: String; var label: String; var selected = false }
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
    var exportHref: String
    var mapHref: String
    /// The query string of this view (for saving it and coming back to it after an action).
    var query: String
    var activeFilters: Int
    var savedFilters: [SavedFilter]
    /// Bulk actions, for those who handle signals: assign to a person, or move to a state.
    var bulkAssign: [BulkOption]
    var bulkStates: [BulkOption]
    var bulkText: String
    var csrf: String

    /// The inbox page for a query's result: rows, filters, the escalations addressed to the user, paging.
    static func make(_ req: Request, _ m: Municipality, actor: Actor, filter: InboxQuery.Filter, result: InboxQuery.Result,
                     categories: [SignalCategory]) async throws -> InboxPage {
        let mid = try m.requireID()
        let now = req.application.clock(), lang = req.language
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$name).all()
        let categoryName = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name(lang)) } })
        let areaName = Dictionary(uniqueKeysWithValues: snapshot.areas.map { ($0.id, $0.name) })
        let departmentName = Dictionary(uniqueKeysWithValues: departments.compactMap { d in d.id.map { ($0, d.name) } })
        let kept = SignalBulk.Kept.take(from: req)
        let ticked = Set(kept?.codes ?? [])
        let rows = result.signals.map { s in
            Row(code: s.trackingCode, href: Site.signal.link(s.trackingCode), category: categoryName[s.$category.id] ?? "",
                area: s.areaID.flatMap { areaName[$0] } ?? req.t("signal.staff.noArea"),
                department: s.departmentID.flatMap { departmentName[$0] } ?? "–", state: req.t("signal.state." + s.state.rawValue),
                reported: Format.day(s.reportedAt, lang), deadline: s.deadline.map { Format.day($0, lang) } ?? "–",
                overdue: EscalationLadder.isOverdue(deadline: s.deadline, state: s.state, now: now), escalation: s.escalationLevel,
                place: s.place ?? "", summary: Self.summary(s.text), chosen: ticked.contains(s.trackingCode))
        }
        // The escalations addressed to this user's role, in their scope, on signals still open.
        let mine = try await SignalEscalation.query(on: req.db).filter(\.$role == actor.role).join(Signal.self, on: \SignalEscalation.$signal.$id == \Signal.$id)
            .filter(Signal.self, \.$municipality.$id == mid).filter(Signal.self, \.$state ~~ SignalJobs.openStates)
            .sort(\.$at, .descending).limit(200).all()
        let escalations = try mine.compactMap { e -> Escalated? in
            let s = try e.joined(Signal.self)
            guard Permissions.allows(actor, .viewSignal(municipality: mid, area: s.areaID, department: s.departmentID)) else { return nil }
            return Escalated(code: s.trackingCode, href: Site.signal.link(s.trackingCode),
                             level: e.level.map { req.t("signal.escalation.level", String($0)) } ?? req.t("signal.escalation.manual"),
                             at: Format.dateTime(e.at, lang), reason: e.reason)
        }.prefix(50)
        let stateOptions = [(value: "", label: req.t("signal.filter.anyState"))] + SignalState.allCases.map { (value: $0.rawValue, label: req.t("signal.state." + $0.rawValue)) }
        var filters = [
            FieldView(req, name: "zoek", label: req.t("signal.filter.search"), type: "search", value: filter.search ?? "", optional: true),
            FieldView(req, name: "gebied", label: req.t("signal.filter.area"), type: "select", value: filter.area?.uuidString ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.filter.all"))] + snapshot.areas.map { (value: $0.id.uuidString, label: $0.name) }),
            FieldView(req, name: "categorie", label: req.t("signal.filter.category"), type: "select", value: filter.category?.uuidString ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.filter.all"))] + categories.filter { $0.parentID == nil }.map { (value: $0.id!.uuidString, label: $0.name(lang)) }),
            FieldView(req, name: "afdeling", label: req.t("signal.filter.department"), type: "select", value: filter.department?.uuidString ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.filter.all"))] + departments.map { (value: $0.id!.uuidString, label: $0.name) }),
            FieldView(req, name: "status", label: req.t("signal.filter.state"), type: "select", value: filter.state?.rawValue ?? "", optional: true, options: stateOptions),
            FieldView(req, name: "open", label: req.t("signal.filter.openOnly"), type: "checkbox", value: filter.openOnly ? "ja" : ""),
            FieldView(req, name: "te_laat", label: req.t("signal.filter.overdue"), type: "checkbox", value: filter.overdueOnly ? "ja" : ""),
            FieldView(req, name: "mij", label: req.t("signal.filter.mine"), type: "checkbox", value: filter.assignedTo != nil ? "ja" : ""),
            FieldView(req, name: "sorteer", label: req.t("signal.filter.sort"), type: "select", value: filter.sort.rawValue, optional: true,
                      options: InboxQuery.Sort.allCases.map { (value: $0.rawValue, label: req.t("signal.sort." + $0.labelKey)) }),
        ]
        if actor.municipalityID == nil { filters.append(FieldView(req, name: "gemeente", label: "", type: "hidden", value: m.slug)) }
        let pages = max(1, (result.total + InboxQuery.pageSize - 1) / InboxQuery.pageSize)
        let heading = req.t("signal.staff.inboxHeading")
        let query = SavedInboxFilter.normalised(req.url.query ?? "")
        let saved = try await SavedInboxFilter.query(on: req.db).filter(\.$user.$id == (actor.userID ?? UUID())).sort(\.$name).all()
        var assign: [BulkOption] = [], states: [BulkOption] = []
        if Permissions.mayEver(actor, .handleSignal) {
            assign = [BulkOption(value: "toewijzen:mij", label: req.t("signal.bulk.toMe"))]
                + (try await SignalAssignment.handlers(municipality: mid, on: req.db)).filter { $0.id != actor.userID }
                    .map { BulkOption(value: "toewijzen:\($0.id!)", label: req.t("signal.bulk.to", $0.name)) }
            states = SignalState.allCases.filter { $0 != .gemeld }.map { BulkOption(value: "status:\($0.rawValue)", label: req.t("signal.bulk.toState", req.t("signal.state." + $0.rawValue))) }
            if let action = kept?.action {
                for i in assign.indices where assign[i].value == action { assign[i].selected = true }
                for i in states.indices where states[i].value == action { states[i].selected = true }
            }
        }
        return InboxPage(
            page: req.page(heading, municipality: m.name, status: req.takeFlash()), heading: heading, municipality: m.name, rows: rows, total: result.total, overdueCount: result.overdue,
            filters: filters, escalations: Array(escalations), previous: filter.page > 1 ? req.pageLink(filter.page - 1) : nil,
            next: filter.page < pages ? req.pageLink(filter.page + 1) : nil, pageLabel: req.t("signal.staff.pageOf", String(filter.page), String(pages)),
            exportHref: Site.signalInbox("export.csv").link() + (req.url.query.map { "?" + $0 } ?? ""),
            mapHref: Site.signalInboxMap.link() + (query.isEmpty ? "" : "?" + query), query: query,
            activeFilters: query.split(separator: "&").filter { !$0.hasPrefix("sorteer=") && !$0.hasPrefix("open=") }.count,
            savedFilters: saved.map { f in SavedFilter(name: f.name, href: Site.signalInbox.link() + (f.query.isEmpty ? "" : "?" + f.query),
                                                       delete: Site.signalInbox("filters", f.id!.uuidString, "verwijderen").link(), current: f.query == query) },
            bulkAssign: assign, bulkStates: states, bulkText: kept?.text ?? "", csrf: req.csrfToken())
    }

    /// The first words of a description (about 80 characters, cut at a word), contact details masked.
    static func summary(_ text: String) -> String {
        let masked = PersonalData.masked(text).replacingOccurrences(of: "\n", with: " ")
        guard masked.count > 80 else { return masked }
        let cut = masked.prefix(80)
        return (cut.lastIndex(of: " ").map { String(cut[..<$0]) } ?? String(cut)) + "…"
    }
}

struct DashboardPage: Encodable {
    var page: PageMeta
    var heading: String
    var scope: String
    var filters: [FieldView]
    var total: SignalStatistics.Line
    var categories: [SignalStatistics.Line]
    var months: [SignalStatistics.Line]
    var monthChart: String
    var deadlineChart: String
}

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
    var assignee: String?
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
    /// How many residents follow this report ("this is my problem too"); never who.
    var followers: Int
    /// Standard answers that fit this signal, each a link that fills in the state form to edit and send.
    var standardAnswers: [StandardAnswerLink]
    struct StandardAnswerLink: Encodable { var title: String; var state: String; var href: String }
    var form: FormView?
    var extraForms: [FormView]
    var publicHref: String
    var demo: Bool

    static func make(_ req: Request, _ signal: Signal, actor: Actor, handles: Bool, values: [String: String], errors: [FieldError]) async throws -> SignalPage {
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
            let similar = try await SignalNearby.similar(municipality: m.requireID(), category: signal.$category.id, around: position, metres: SignalRules.nearbyMetres,
                                                         since: signal.reportedAt.addingTimeInterval(-SignalRules.nearbyWindow), openOnly: false,
                                                         excluding: signal.requireID(), limit: 20, on: req.db)
            nearby = similar.compactMap { other, distance in
                guard SignalRules.isNearbySimilar(position: position, category: signal.$category.id, at: signal.reportedAt,
                                                  other: (other.position!, other.$category.id, other.reportedAt)) else { return nil }
                return .init(code: other.trackingCode, href: Site.signal.link(other.trackingCode), state: req.t("signal.state." + other.state.rawValue),
                             reported: Format.day(other.reportedAt, lang), distance: "\(Int(distance.rounded())) m",
                             linked: signal.mainSignalID == other.id || other.mainSignalID == signal.id)
            }
        }
        let version = FieldView(req, name: "versie", label: "", type: "hidden", value: String(signal.version))
        var form: FormView? = nil, routeForm: FormView? = nil, linkForm: FormView? = nil, escalateForm: FormView? = nil, placeForm: FormView? = nil,
            categoryForm: FormView? = nil
        let base = Site.signal.link(signal.trackingCode)
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
            // The people who may handle signals in this municipality, to assign one (checked again on saving).
            let handlers = try await SignalAssignment.handlers(municipality: m.requireID(), on: req.db)
            routeForm = FormView(action: base + "/afdeling", submitLabel: req.t("signal.staff.reassign"), fields: [
                FieldView(req, name: "afdeling", label: req.t("signal.filter.department"), type: "select", value: values["afdeling"] ?? signal.departmentID?.uuidString ?? "",
                          options: departments.map { (value: $0.id!.uuidString, label: $0.name) }, errors: errors),
                FieldView(req, name: "behandelaar", label: req.t("signal.staff.assignee"), type: "select", value: values["behandelaar"] ?? signal.assigneeID?.uuidString ?? "",
                          description: req.t("signal.staff.assigneeHelp"), optional: true,
                          options: [(value: "", label: req.t("signal.staff.nobody"))] + handlers.map { (value: $0.id!.uuidString, label: $0.id == actor.userID ? req.t("signal.staff.me", $0.name) : $0.name) },
                          errors: errors),
                version,
            ], csrf: req.csrfToken(), showRequiredNote: false)
            placeForm = FormView(action: base + "/gebied", submitLabel: req.t("signal.staff.place"), fields: [
                FieldView(req, name: "gebied", label: req.t("signal.filter.area"), type: "select", value: values["gebied"] ?? signal.areaID?.uuidString ?? "",
                          description: req.t("signal.staff.placeHelp"), options: snapshot.areas.map { (value: $0.id.uuidString, label: $0.name) }, errors: errors),
                version,
            ], csrf: req.csrfToken(), showRequiredNote: false)
            let leaves = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == m.requireID()).filter(\.$active == true).sort(\.$position).all()
            let parents = Set(leaves.compactMap(\.parentID))
            categoryForm = FormView(action: base + "/onderwerp", submitLabel: req.t("signal.staff.changeCategory"), fields: [
                FieldView(req, name: "onderwerp", label: req.t("signal.field.category"), type: "select", value: values["onderwerp"] ?? category.code,
                          description: req.t("signal.staff.changeCategoryHelp"),
                          options: leaves.filter { !parents.contains($0.id!) }.map { (value: $0.code, label: $0.name(lang)) }, errors: errors),
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
            page: req.page(heading, municipality: m.name, crumbs: [(req.t("signal.staff.inboxHeading"), Site.signalInbox.link())], errors: errors, status: req.takeFlash()),
            heading: heading, code: signal.trackingCode, category: category.name(lang), state: req.t("signal.state." + signal.state.rawValue),
            area: signal.areaID.flatMap { id in snapshot.areas.first { $0.id == id }?.name } ?? req.t("signal.staff.noArea"),
            neighbourhood: signal.neighbourhoodID.flatMap { id in snapshot.neighbourhoods.first { $0.id == id }?.name },
            department: signal.departmentID.flatMap { id in departments.first { $0.id == id }?.name } ?? "–",
            assignee: try await signal.$assignee.get(on: req.db)?.name,
            description: signal.text, place: signal.place, coordinates: signal.position.map { String(format: "%.5f, %.5f", $0.lat, $0.lon) },
            answers: answers, reported: Format.dateTime(signal.reportedAt, lang), deadline: signal.deadline.map { Format.dateTime($0, lang) },
            overdue: EscalationLadder.isOverdue(deadline: signal.deadline, state: signal.state, now: now), source: req.t("signal.source." + signal.source),
            contact: handles ? [signal.reporterEmail, signal.reporterPhone].compactMap { $0 } : nil, contactRemoved: signal.contactRemovedAt != nil,
            photo: signal.hasPhoto ? base + "/foto" : nil, mainSignal: main?.trackingCode,
            feedback: signal.feedbackAt.map { _ in req.t(signal.feedbackSatisfied == true ? "signal.feedback.yes" : "signal.feedback.no") + (handles ? (signal.feedbackText.map { ": " + $0 } ?? "") : "") },
            history: history, nearby: nearby, followers: try await SignalFollowing.count(signal.requireID(), on: req.db),
            standardAnswers: handles ? try await SignalStandardAnswer.fitting(signal, category: category, on: req.db).map { a in
                StandardAnswerLink(title: a.title, state: req.t("signal.state." + a.state), href: base + "?antwoord=\(a.id!)#status-wijzigen")
            } : [],
            form: form, extraForms: [routeForm, categoryForm, placeForm, linkForm, escalateForm].compactMap { $0 },
            publicHref: Site.tracking.link(signal.trackingCode), demo: signal.demo)
    }
}
