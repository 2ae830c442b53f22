import Vapor
import Fluent
import SQLKit
import Domain

/// Admin pages for signals: routing rules (ordered, first match wins), the escalation ladder, the
/// categories' deadlines, the settings (holidays, retention, mail moments) and Open311 API keys.
struct SignalsAdminController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let s = routes.access(.action(.administer))
        s.get(Site.adminSignals.route, use: overview)
        s.post(Site.adminSignals("regels").route, use: addRule)
        s.get(Site.adminSignals("regels", ":rule").route, use: editRule)
        s.post(Site.adminSignals("regels", ":rule").route, use: updateRule)
        s.get(Site.adminSignals("regels", ":rule", "verwijderen").route, use: confirmDelete)
        s.post(Site.adminSignals("regels", ":rule", "verwijderen").route, use: deleteRule)
        s.post(Site.adminSignals("regels", ":rule", "omhoog").route, use: moveUp)
        s.post(Site.adminSignals("regels", ":rule", "omlaag").route, use: moveDown)
        s.post(Site.adminSignals("escalatie").route, use: saveLadder)
        s.post(Site.adminSignals("instellingen").route, use: saveSettings)
    }

    static func path(_ m: Municipality) -> String { Site.adminSignals.link(m.slug) }

    struct Page: Encodable {
        struct Rule: Encodable { var position: Int; var category: String; var area: String; var when: String; var department: String; var edit: String; var delete: String; var up: String?; var down: String? }
        struct Category: Encodable { var name: String; var term: String; var isPublic: String; var edit: String }
        struct Key: Encodable { var name: String; var prefix: String; var created: String; var active: Bool; var revoke: String }
        var page: PageMeta
        var heading: String
        var rules: [Rule]
        var ruleForm: [FormView]
        var ladderForm: [FormView]
        var settingsForm: [FormView]
        var categories: [Category]
        var keys: [Key]
        var keyForm: [FormView]
        var newKey: String?
        var csrf: String
        var answersHref: String
    }

    struct RuleForm: Content { var csrf: String?; var position: String?; var category: String?; var area: String?; var weekdays: [String]?; var from: String?; var to: String?; var department: String? }
    struct LadderForm: Content { var csrf: String?; var days: [String]?; var role: [String]? }
    struct SettingsForm: Content { var csrf: String?; var jurisdiction: String?; var goodFriday: String?; var liberationDay: String?; var retentionDays: String?; var mailStates: [String]? }
    struct KeyForm: Content { var csrf: String?; var name: String? }

    static let weekdayKeys = [2, 3, 4, 5, 6, 7, 1]

    static func load(_ req: Request) async throws -> (Municipality, UUID) {
        let m = try await req.adminMunicipality()
        return (m, try m.requireID())
    }

    func page(_ req: Request, _ m: Municipality, rule: RuleForm = .init(), ladder: LadderForm? = nil, settings: SettingsForm? = nil, key: KeyForm = .init(),
                      errors: [FieldError] = [], newKey: String? = nil) async throws -> Page {
        let mid = try m.requireID(), lang = req.language
        let config = try await SignalConfiguration.load(mid, on: req.db)
        let stored = try await SignalSettings.query(on: req.db).filter(\.$municipality.$id == mid).first() ?? config.settings
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$position).all()
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$name).all()
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        let records = try await RoutingRuleRecord.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$position).all()
        let categoryName = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c.name(lang)) } })
        let departmentName = Dictionary(uniqueKeysWithValues: departments.compactMap { d in d.id.map { ($0, d.name) } })
        let dayName = { (d: Int) in req.t("weekday.\(d)") }
        let rules = records.map { r -> Page.Rule in
            let rr = r.rule
            var when = rr.weekdays.isEmpty ? req.t("admin.signals.everyDay") : Self.weekdayKeys.filter { rr.weekdays.contains($0) }.map(dayName).joined(separator: ", ")
            if let f = rr.fromMinute, let t = rr.toMinute { when += ", \(Input.clock(f))–\(Input.clock(t))" }
            return .init(position: r.position, category: r.categoryID.flatMap { categoryName[$0] } ?? req.t("admin.signals.any"),
                         area: r.areaID.flatMap { id in snapshot.areas.first { $0.id == id }?.name } ?? req.t("admin.signals.any"),
                         when: when, department: departmentName[r.$department.id] ?? "", edit: Self.path(m) + "/regels/\(r.id!)", delete: Self.path(m) + "/regels/\(r.id!)/verwijderen",
                         up: r.id == records.first?.id ? nil : Self.path(m) + "/regels/\(r.id!)/omhoog",
                         down: r.id == records.last?.id ? nil : Self.path(m) + "/regels/\(r.id!)/omlaag")
        }
        let any = (value: "", label: req.t("admin.signals.any"))
        let ruleFields = [
            FieldView(req, name: "position", label: req.t("admin.signals.position"), type: "number", value: rule.position ?? String((records.map(\.position).max() ?? 0) + 10),
                      description: req.t("admin.signals.positionHelp"), errors: errors),
            FieldView(req, name: "category", label: req.t("signal.filter.category"), type: "select", value: rule.category ?? "", optional: true,
                      options: [any] + categories.map { c in (value: c.id!.uuidString, label: (c.parentID == nil ? "" : "– ") + c.name(lang)) }, errors: errors),
            FieldView(req, name: "area", label: req.t("signal.filter.area"), type: "select", value: rule.area ?? "", optional: true,
                      options: [any] + snapshot.areas.map { (value: $0.id.uuidString, label: $0.name) }, errors: errors),
            FieldView(req, name: "weekdays", label: req.t("admin.signals.weekdays"), type: "checkboxes", description: req.t("admin.signals.weekdaysHelp"), optional: true,
                      options: Self.weekdayKeys.map { (value: String($0), label: dayName($0)) }, selected: Set(rule.weekdays ?? []), errors: errors),
            FieldView(req, name: "from", label: req.t("admin.signals.from"), type: "time", value: rule.from ?? "", description: req.t("admin.signals.timeHelp"), optional: true, errors: errors),
            FieldView(req, name: "to", label: req.t("admin.signals.to"), type: "time", value: rule.to ?? "", optional: true, errors: errors),
            FieldView(req, name: "department", label: req.t("signal.filter.department"), type: "select", value: rule.department ?? "",
                      options: [(value: "", label: req.t("admin.department.chooseDepartment"))] + departments.map { (value: $0.id!.uuidString, label: $0.name) }, errors: errors),
        ]
        let roles = EscalationLadder.roles.map { (value: $0.rawValue, label: req.t("role." + $0.rawValue)) }
        var ladderFields: [FieldView] = []
        for i in 0..<6 {
            let step = i < config.ladder.count ? config.ladder[i] : nil
            ladderFields.append(FieldView(req, name: "days\(i)", label: req.t("admin.signals.ladderDays", String(i + 1)), type: "number",
                                          value: ladder?.days?[safe: i] ?? step.map { String($0.workingDaysAfterDeadline) } ?? "", optional: true, errors: errors))
            ladderFields.append(FieldView(req, name: "role\(i)", label: req.t("admin.signals.ladderRole", String(i + 1)), type: "select",
                                          value: ladder?.role?[safe: i] ?? step?.role.rawValue ?? "", optional: true,
                                          options: [(value: "", label: req.t("admin.signals.noStep"))] + roles, errors: errors))
        }
        let settingsFields = [
            FieldView(req, name: "jurisdiction", label: req.t("admin.signals.jurisdiction"), value: settings?.jurisdiction ?? stored.jurisdiction,
                      description: req.t("admin.signals.jurisdictionHelp"), errors: errors),
            FieldView(req, name: "goodFriday", label: req.t("admin.signals.goodFriday"), type: "checkbox", value: settings.map { $0.goodFriday ?? "" } ?? (stored.goodFriday ? "ja" : "")),
            FieldView(req, name: "liberationDay", label: req.t("admin.signals.liberationDay"), type: "radios", value: settings?.liberationDay ?? stored.liberationDay,
                      options: DutchHolidays.LiberationDay.allCases.map { (value: $0.rawValue, label: req.t("admin.signals.liberation.\($0.rawValue)")) }, errors: errors),
            FieldView(req, name: "retentionDays", label: req.t("admin.signals.retention"), type: "number", value: settings?.retentionDays ?? String(stored.retentionDays),
                      description: req.t("admin.signals.retentionHelp"), errors: errors),
            FieldView(req, name: "mailStates", label: req.t("admin.signals.mailStates"), type: "checkboxes", optional: true,
                      options: SignalState.allCases.map { (value: $0.rawValue, label: req.t("signal.state." + $0.rawValue)) },
                      selected: Set(settings?.mailStates ?? stored.mailedStates.map(\.rawValue)), errors: errors),
        ]
        let keys = try await Open311Key.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$createdAt).all().map { k in
            Page.Key(name: k.name, prefix: k.prefix, created: Format.day(k.createdAt, lang), active: k.revokedAt == nil, revoke: Self.path(m) + "/open311/\(k.id!)/intrekken")
        }
        let parents = Set(categories.compactMap(\.parentID))
        let csrf = req.csrfToken()
        let heading = req.t("admin.signals.title", m.name)
        return Page(
            page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link())], errors: errors, status: req.takeFlash()), heading: heading, rules: rules,
            ruleForm: [FormView(action: Self.path(m) + "/regels", submitLabel: req.t("admin.signals.addRule"), fields: ruleFields, csrf: csrf, showRequiredNote: false)],
            ladderForm: [FormView(action: Self.path(m) + "/escalatie", submitLabel: req.t("admin.signals.saveLadder"), fields: ladderFields, csrf: csrf, showRequiredNote: false)],
            settingsForm: [FormView(action: Self.path(m) + "/instellingen", submitLabel: req.t("admin.signals.saveSettings"), fields: settingsFields, csrf: csrf, showRequiredNote: false)],
            categories: categories.filter { !parents.contains($0.id!) }.map { c in
                .init(name: c.name(lang), term: req.t("open311.term.\(c.termUnit)", String(c.termDays)), isPublic: req.t(c.isPublic ? "admin.signals.yes" : "admin.signals.no"),
                      edit: Self.path(m) + "/onderwerpen/\(c.id!)")
            },
            keys: keys,
            keyForm: [FormView(action: Self.path(m) + "/open311", submitLabel: req.t("admin.signals.createKey"), fields: [
                FieldView(req, name: "name", label: req.t("admin.signals.keyName"), value: key.name ?? "", description: req.t("admin.signals.keyNameHelp"), errors: errors),
            ], csrf: csrf, showRequiredNote: false)],
            newKey: newKey, csrf: csrf, answersHref: Site.adminStandardAnswers.link(m.slug))
    }

    func overview(req: Request) async throws -> View {
        let (m, _) = try await Self.load(req)
        return try await req.view.render("Admin/signals", try await page(req, m))
    }

    func redisplay(_ req: Request, _ m: Municipality, _ failure: ValidationFailure, rule: RuleForm = .init(), ladder: LadderForm? = nil,
                           settings: SettingsForm? = nil, key: KeyForm = .init()) async throws -> Response {
        try await req.render("Admin/signals", try await page(req, m, rule: rule, ladder: ladder, settings: settings, key: key, errors: failure.errors), status: failure.status)
    }

    /// A rule as posted, checked; the record's fields are set only when everything is right.
    private func validRule(_ req: Request, _ m: Municipality, _ form: RuleForm, into record: RoutingRuleRecord) async throws {
        let mid = try m.requireID()
        var errors: [FieldError] = []
        let position = Int(form.position ?? "")
        if position == nil { errors.append(FieldError("position", "admin.signals.positionInvalid")) }
        let category = (form.category ?? "").isEmpty ? nil : UUID(uuidString: form.category!)
        if let c = category, try await SignalCategory.query(on: req.db).filter(\.$id == c).filter(\.$municipality.$id == mid).count() == 0 { errors.append(FieldError("category", "signal.category.unknown")) }
        if !(form.category ?? "").isEmpty && category == nil { errors.append(FieldError("category", "signal.category.unknown")) }
        let area = (form.area ?? "").isEmpty ? nil : UUID(uuidString: form.area!)
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        if !(form.area ?? "").isEmpty && !(area.map { id in snapshot.areas.contains { $0.id == id } } ?? false) { errors.append(FieldError("area", "admin.signals.areaUnknown")) }
        let department = UUID(uuidString: form.department ?? "")
        var departmentKnown = false
        if let department { departmentKnown = try await Department.query(on: req.db).filter(\.$id == department).filter(\.$municipality.$id == mid).count() == 1 }
        if !departmentKnown { errors.append(FieldError("department", "signal.department.unknown")) }
        let from = Input.minutes(form.from), to = Input.minutes(form.to)
        if from == nil { errors.append(FieldError("from", "admin.signals.timeInvalid")) }
        if to == nil { errors.append(FieldError("to", "admin.signals.timeInvalid")) }
        let weekdays = Set((form.weekdays ?? []).compactMap(Int.init))
        if let from, let to {
            let rule = RoutingRule(position: position ?? 0, categoryID: category, areaID: area, weekdays: weekdays, fromMinute: from, toMinute: to, departmentID: department ?? UUID())
            for problem in rule.problems() { errors.append(FieldError(problem == .weekdayOutOfRange ? "weekdays" : "from", "admin.signals.rule.\(problem.rawValue)")) }
        }
        guard errors.isEmpty, let position, let department else { throw ValidationFailure(errors) }
        record.$municipality.id = mid
        record.position = position
        record.categoryID = category
        record.areaID = area
        record.weekdays = weekdays.sorted().map(String.init).joined(separator: ",")
        record.fromMinute = from ?? nil
        record.toMinute = to ?? nil
        record.$department.id = department
    }

    private func summary(_ r: RoutingRuleRecord) -> [String: String] {
        ["position": String(r.position), "category": r.categoryID?.uuidString ?? "", "area": r.areaID?.uuidString ?? "", "weekdays": r.weekdays,
         "from": r.fromMinute.map(Input.clock) ?? "", "to": r.toMinute.map(Input.clock) ?? "", "department": r.$department.id.uuidString]
    }

    func addRule(req: Request) async throws -> Response {
        let (m, mid) = try await Self.load(req)
        let form = req.form(RuleForm())
        do {
            let record = RoutingRuleRecord()
            try await validRule(req, m, form, into: record)
            try await req.db.writeTransaction { db in
                try await record.create(on: db)
                try await req.audit(.signalsRuleCreate, .init(id: record.id?.uuidString, summary: "#\(record.position)", municipalityID: mid), after: summary(record), on: db)
            }
            req.flash(req.t("admin.signals.ruleAdded"))
            return req.redirect(to: Self.path(m))
        } catch let failure as ValidationFailure {
            return try await redisplay(req, m, failure, rule: form)
        }
    }

    // MARK: Changing a rule where it is

    private func rule(_ req: Request, _ mid: UUID) async throws -> RoutingRuleRecord {
        guard let id = req.parameters.get("rule", as: UUID.self), let rule = try await RoutingRuleRecord.find(id, on: req.db), rule.$municipality.id == mid else { throw AppError.notFound() }
        return rule
    }

    struct RulePage: Encodable { var page: PageMeta; var heading: String; var form: FormView; var back: String }

    private func rulePage(_ req: Request, _ m: Municipality, _ r: RoutingRuleRecord, form: RuleForm, errors: [FieldError]) async throws -> RulePage {
        let full = try await page(req, m, rule: form, errors: errors)
        let heading = req.t("admin.signals.editRuleTitle", String(r.position))
        var fields = full.ruleForm.first?.fields ?? []
        fields = fields.filter { $0.type != "hidden" }
        return RulePage(page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.signals.title", m.name), Self.path(m))], errors: errors),
                        heading: heading, form: FormView(action: Self.path(m) + "/regels/\(r.id!)", submitLabel: req.t("admin.signals.saveRule"), fields: fields,
                                                         csrf: req.csrfToken(), showRequiredNote: true), back: Self.path(m) + "#routering")
    }

    func editRule(req: Request) async throws -> View {
        let (m, mid) = try await Self.load(req)
        let r = try await rule(req, mid)
        let form = RuleForm(csrf: nil, position: String(r.position), category: r.categoryID?.uuidString ?? "", area: r.areaID?.uuidString ?? "",
                            weekdays: r.weekdays.split(separator: ",").map(String.init), from: r.fromMinute.map(Input.clock) ?? "", to: r.toMinute.map(Input.clock) ?? "",
                            department: r.$department.id.uuidString)
        return try await req.view.render("Admin/form-page", rulePage(req, m, r, form: form, errors: []))
    }

    func updateRule(req: Request) async throws -> Response {
        let (m, mid) = try await Self.load(req)
        let r = try await rule(req, mid)
        let form = req.form(RuleForm())
        let before = summary(r)
        do {
            try await validRule(req, m, form, into: r)
            try await req.db.writeTransaction { db in
                try await r.update(on: db)
                try await req.audit(.signalsRuleUpdate, .init(id: r.id?.uuidString, summary: "#\(r.position)", municipalityID: mid), before: before, after: summary(r), on: db)
            }
            req.flash(req.t("admin.signals.ruleSaved", String(r.position)))
            return req.redirect(to: Self.path(m) + "#routering")
        } catch let failure as ValidationFailure {
            return try await req.render("Admin/form-page", rulePage(req, m, r, form: form, errors: failure.errors), status: failure.status)
        }
    }

    struct ConfirmPage: Encodable { var page: PageMeta; var heading: String; var text: String; var action: String; var csrf: String; var submit: String; var cancel: String }

    /// Deleting a rule asks first (a page, so it works without script); the rule's position and department are named.
    func confirmDelete(req: Request) async throws -> View {
        let (m, mid) = try await Self.load(req)
        guard let id = req.parameters.get("rule", as: UUID.self), let rule = try await RoutingRuleRecord.find(id, on: req.db), rule.$municipality.id == mid else { throw AppError.notFound() }
        let department = try await rule.$department.get(on: req.db)
        let heading = req.t("admin.signals.deleteConfirmTitle", String(rule.position))
        return try await req.view.render("Admin/confirm", ConfirmPage(
            page: req.page(heading, crumbs: [(req.t("admin.title"), Site.admin.link()), (req.t("admin.signals.title", m.name), Self.path(m))]),
            heading: heading, text: req.t("admin.signals.deleteConfirmText", String(rule.position), department.name),
            action: Self.path(m) + "/regels/\(id)/verwijderen", csrf: req.csrfToken(), submit: req.t("admin.signals.deleteConfirm"), cancel: Self.path(m) + "#routering"))
    }

    func moveUp(req: Request) async throws -> Response { try await move(req, by: -1) }
    func moveDown(req: Request) async throws -> Response { try await move(req, by: 1) }

    /// Swaps a rule's position with its neighbour's (the order decides which rule matches first).
    private func move(_ req: Request, by step: Int) async throws -> Response {
        let (m, mid) = try await Self.load(req)
        let rules = try await RoutingRuleRecord.query(on: req.db).filter(\.$municipality.$id == mid).sort(\.$position).all()
        guard let id = req.parameters.get("rule", as: UUID.self), let index = rules.firstIndex(where: { $0.id == id }) else { throw AppError.notFound() }
        let other = index + step
        if rules.indices.contains(other) {
            let a = rules[index], b = rules[other]
            let (pa, pb) = (a.position, b.position == a.position ? a.position + step : b.position)
            try await req.db.writeTransaction { db in
                a.position = pb
                b.position = pa
                try await a.update(on: db)
                try await b.update(on: db)
                try await req.audit(.signalsRuleMove, .init(id: id.uuidString, summary: "#\(pa) → #\(pb)", municipalityID: mid),
                                    before: ["position": String(pa)], after: ["position": String(pb)], on: db)
            }
            req.flash(req.t("admin.signals.ruleMoved", String(pb)))
        }
        return req.redirect(to: Self.path(m) + "#routering")
    }

    func deleteRule(req: Request) async throws -> Response {
        let (m, mid) = try await Self.load(req)
        guard let id = req.parameters.get("rule", as: UUID.self), let rule = try await RoutingRuleRecord.find(id, on: req.db), rule.$municipality.id == mid else { throw AppError.notFound() }
        try await req.db.writeTransaction { db in
            try await rule.delete(on: db)
            try await req.audit(.signalsRuleDelete, .init(id: id.uuidString, summary: "#\(rule.position)", municipalityID: mid),
                                before: ["position": String(rule.position), "department": rule.$department.id.uuidString], on: db)
        }
        req.flash(req.t("admin.signals.ruleDeleted"))
        return req.redirect(to: Self.path(m))
    }

    func saveLadder(req: Request) async throws -> Response {
        let (m, mid) = try await Self.load(req)
        let values = FormParts.read(req).values
        let form = LadderForm(csrf: values["csrf"], days: (0..<6).map { values["days\($0)"] ?? "" }, role: (0..<6).map { values["role\($0)"] ?? "" })
        do {
            var errors: [FieldError] = []
            var steps: [EscalationStep] = []
            for i in 0..<6 {
                let days = (form.days?[i] ?? "").trimmingCharacters(in: .whitespaces), role = form.role?[i] ?? ""
                if days.isEmpty && role.isEmpty { continue }
                guard let d = Int(days), d >= 0 else { errors.append(FieldError("days\(i)", "admin.signals.daysInvalid")); continue }
                guard let r = Role(rawValue: role) else { errors.append(FieldError("role\(i)", "admin.signals.roleMissing")); continue }
                steps.append(EscalationStep(level: steps.count + 1, workingDaysAfterDeadline: d, role: r))
            }
            if errors.isEmpty { for problem in EscalationLadder.validate(steps) { errors.append(FieldError("days0", "admin.signals.ladder.\(problem.rawValue)")) } }
            guard errors.isEmpty else { throw ValidationFailure(errors) }
            let ladder = steps
            let before = Self.ladderSnapshot(try await EscalationStepRecord.query(on: req.db).filter(\.$municipality.$id == mid).all()
                .map { EscalationStep(level: $0.level, workingDaysAfterDeadline: $0.workingDays, role: $0.role) })
            try await req.db.writeTransaction { db in
                try await req.audit(.signalsLadderUpdate, .init(id: nil, summary: m.name, municipalityID: mid),
                                    before: before, after: Self.ladderSnapshot(ladder), on: db)
                try await EscalationStepRecord.query(on: db).filter(\.$municipality.$id == mid).delete()
                for step in ladder {
                    let r = EscalationStepRecord()
                    r.$municipality.id = mid
                    r.level = step.level
                    r.workingDays = step.workingDaysAfterDeadline
                    r.role = step.role
                    try await r.create(on: db)
                }
                // Open signals are looked at again by the next job run against the new ladder.
                try await (db as! any SQLDatabase).raw("UPDATE signals SET next_escalation_at = deadline WHERE municipality_id = \(bind: mid) AND state IN (\(binds: SignalJobs.openStates.map(\.rawValue)))").run()
            }
            req.flash(req.t("admin.signals.ladderSaved"))
            return req.redirect(to: Self.path(m))
        } catch let failure as ValidationFailure {
            return try await redisplay(req, m, failure, ladder: form)
        }
    }

    func saveSettings(req: Request) async throws -> Response {
        let (m, mid) = try await Self.load(req)
        let form = req.form(SettingsForm())
        do {
            var errors: [FieldError] = []
            let jurisdiction = (form.jurisdiction ?? "").trimmingCharacters(in: .whitespaces).lowercased()
            if jurisdiction.isEmpty || jurisdiction.count > 100 || !jurisdiction.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "-" }) {
                errors.append(FieldError("jurisdiction", "admin.signals.jurisdictionInvalid"))
            } else if try await SignalSettings.query(on: req.db).filter(\.$jurisdiction == jurisdiction).filter(\.$municipality.$id != mid).count() > 0 {
                errors.append(FieldError("jurisdiction", "admin.signals.jurisdictionTaken"))
            }
            let liberation = DutchHolidays.LiberationDay(rawValue: form.liberationDay ?? "")
            if liberation == nil { errors.append(FieldError("liberationDay", "admin.signals.liberationMissing")) }
            let retention = Int(form.retentionDays ?? "")
            if retention == nil || !(30...3650).contains(retention!) { errors.append(FieldError("retentionDays", "admin.signals.retentionInvalid")) }
            let states = (form.mailStates ?? []).compactMap(SignalState.init(rawValue:))
            guard errors.isEmpty, let liberation, let retention else { throw ValidationFailure(errors) }
            let settings = try await SignalSettings.query(on: req.db).filter(\.$municipality.$id == mid).first() ?? SignalSettings.defaults(mid)
            let before = settings.snapshot
            settings.jurisdiction = jurisdiction
            settings.goodFriday = form.goodFriday == "ja"
            settings.liberationDay = liberation.rawValue
            settings.retentionDays = retention
            settings.mailStates = states.map(\.rawValue).joined(separator: ",")
            try await req.db.writeTransaction { db in
                try await settings.save(on: db)
                try await req.audit(.signalsSettingsUpdate, .init(id: settings.id?.uuidString, summary: m.name, municipalityID: mid), before: before,
                                    after: settings.snapshot, on: db)
            }
            req.flash(req.t("admin.signals.settingsSaved"))
            return req.redirect(to: Self.path(m))
        } catch let failure as ValidationFailure {
            return try await redisplay(req, m, failure, settings: form)
        }
    }

    /// The ladder as the audit log keeps it: per level the working days after the deadline and the role.
    static func ladderSnapshot(_ steps: [EscalationStep]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: steps.flatMap { [("level\($0.level).days", String($0.workingDaysAfterDeadline)), ("level\($0.level).role", $0.role.rawValue)] })
    }
}

extension Array {
    subscript(safe index: Int) -> Element? { indices.contains(index) ? self[index] : nil }

}
