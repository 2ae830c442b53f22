import Vapor
import Fluent
import Domain

/// One version of one product: its content (the analysis's figures at its date and residents' input, the agenda's
/// spearheads, the plan's items with owner, period, money and spearheads, the monitor's progress per spearhead),
/// what changed since the previous version, the history, the consultation, and the forms the reader may use.
enum CycleProductPage {
    struct SpearheadView: Encodable {
        var code: String; var title: String; var why: String; var success: String; var involved: String
        var tracked: String?; var items: [String]; var trackedTrend: String?; var brought: [InputLine]; var broughtSummary: String?
    }
    struct ItemView: Encodable {
        var title: String; var owner: String; var period: String; var money: String; var budget: String; var spearheads: String; var progress: String
        var progressAction: String?; var progressFields: [FieldView]
    }
    struct VersionView: Encodable { var label: String; var status: String; var href: String; var current: Bool }
    struct ResponseView: Encodable { var id: String; var who: String; var date: String; var text: String; var answer: String?; var answerFields: [FieldView]; var answerAction: String? }
    struct FigureView: Encodable { var name: String; var value: String; var before: String? }
    struct InputLine: Encodable { var text: String; var href: String? }
    struct StepForm: Encodable { var step: String; var label: String; var fields: [FieldView]; var primary: Bool }
    struct AdviceView: Encodable { var subject: String; var status: String; var href: String }

    struct Page: Encodable {
        var page: PageMeta; var heading: String; var kind: String; var kindName: String; var versionLabel: String; var status: String; var statusClass: String
        var statusLine: String; var freshness: CyclePages.Freshness?; var summary: String; var decision: String?; var sentBack: String?
        var spearheads: [SpearheadView]; var items: [ItemView]; var progressHeading: Bool; var itemsTotal: String?
        var figures: [FigureView]; var figuresDate: String?; var figuresBeforeDate: String?; var profileHref: String?; var recurring: [InputLine]; var input: [InputLine]; var notes: [InputLine]
        var added: [String]; var removed: [String]; var previousLabel: String?
        var versions: [VersionView]; var responses: [ResponseView]; var respondForm: FormView?; var consultationOpen: Bool
        var editForm: FormView?; var spearheadForm: FormView?; var itemForm: FormView?; var linkForm: FormView?; var steps: [StepForm]; var stepAction: String; var csrf: String
        var advice: [AdviceView]; var adviceHref: String?; var overviewHref: String; var returnedText: String?
    }

    static let keyFigures = ["inhabitants", "age0to14", "age65plus", "lowIncome", "labourParticipation", "signalsPer1000", "signalsInTime", "signalMedianDays",
                             "initiativesPer1000", "grantedPerInhabitant", "councilMeetings"]

    static func build(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, _ p: CycleProduct,
                      viewer: Bool, coordinator: Bool, college: Bool, values: [String: String], errors: [FieldError]) async throws -> Page {
        let lang = req.language, dutch = lang == .nl
        let now = req.application.clock()
        let policy = try await CycleSettings.policy(s.id, on: req.db)
        let pid = try p.requireID()
        let all = try await CycleProduct.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$kind == p.kind).sort(\.$version, .descending).all()
        let link = { (x: CycleProduct) in Site.cycleProduct.link(s.slug, area.slug, CycleService.slug(x.kind), String(x.version)) }
        let kindName = req.t("cycle.kind." + p.kind.rawValue)
        let title = p.title.isEmpty ? kindName : p.title
        let heading = title.contains(area.name) ? title : title + " – " + area.name

        // Spearheads: this agenda's, or (for plan and monitor) those of the agenda in force.
        var agendaSpearheads: [Spearhead] = []
        if p.kind == .agenda {
            agendaSpearheads = try await Spearhead.query(on: req.db).filter(\.$product.$id == pid).sort(\.$position).all()
        } else if let agenda = try await CycleProduct.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$kind == .agenda)
            .filter(\.$status ~~ [.adopted, .evaluated]).sort(\.$version, .descending).first() {
            agendaSpearheads = try await Spearhead.query(on: req.db).filter(\.$product.$id == agenda.requireID()).sort(\.$position).all()
        }
        // Plan items: this plan's, or (for the agenda and the monitor) those of the plan in force.
        var planItems: [PlanItem] = []
        if p.kind == .plan {
            planItems = try await PlanItem.query(on: req.db).filter(\.$product.$id == pid).sort(\.$position).all()
        } else if let plan = try await CycleProduct.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$kind == .plan)
            .filter(\.$status ~~ [.adopted, .evaluated]).sort(\.$version, .descending).first() {
            planItems = try await PlanItem.query(on: req.db).filter(\.$product.$id == plan.requireID()).sort(\.$position).all()
        }
        let budgets = try await AreaBudget.query(on: req.db).filter(\.$area.$id == area.id).sort(\.$year, .descending).all()
        let budgetName = Dictionary(budgets.compactMap { b in b.id.map { ($0, "\(b.name) \(b.year)") } }, uniquingKeysWith: { a, _ in a })
        let period = { (a: Date, b: Date) in Format.day(a, lang) + " – " + Format.day(b, lang) }
        let mayUpdate = coordinator && p.kind == .plan && (p.status == .draft || p.status.isAdopted)
        let items = planItems.map { i in
            let id = i.id!.uuidString
            return ItemView(title: i.title, owner: i.owner, period: period(i.startsOn, i.endsOn), money: Money.format(i.budgetCents, dutch: dutch),
                            budget: i.budgetID.flatMap { budgetName[$0] } ?? "–", spearheads: i.spearheadCodes.joined(separator: ", "), progress: i.progress,
                            progressAction: mayUpdate ? Site.cyclePlanItemProgress.link(s.slug, area.slug, CycleService.slug(p.kind), String(p.version), id) : nil,
                            progressFields: mayUpdate ? [FieldView(req, name: "voortgang-\(id)", label: req.t("cycle.progress.label", i.title), value: values["voortgang-\(id)"] ?? i.progress,
                                                                   optional: true, errors: errors)] : [])
        }
        // Tracked recurring problems: signals of that subject in that buurt per month before and since it was taken up.
        let links = try await SpearheadLink.query(on: req.db).filter(\.$area.$id == area.id).sort(\.$createdAt).all()
        var spearheads: [SpearheadView] = []
        for sp in agendaSpearheads {
            let mine = links.filter { $0.code == sp.code }
            let brought: [InputLine] = mine.filter { $0.kind != .signal }.compactMap { l in
                switch l.kind {
                case .initiative: return InputLine(text: req.t("cycle.link.kind.initiative") + ": " + l.label, href: Site.initiative.link(s.slug, String(l.label.split(separator: " ").first ?? "")))
                case .idea: return InputLine(text: req.t("cycle.link.kind.idea") + ": " + l.label, href: Site.idea.link(s.slug, String(l.label.split(separator: " ").first ?? "")))
                case .advice: return InputLine(text: req.t("cycle.link.kind.advice") + ": " + l.label, href: Site.advice.link(s.slug, l.targetID.uuidString))
                case .signal: return nil
                }
            }
            let signalCount = mine.filter { $0.kind == .signal }.count
            var trend: String? = nil
            if let subject = sp.trackedSubject, let buurt = sp.trackedBuurt, let since = sp.trackedSince {
                let (before, after, months) = try await trackedCounts(req, s, area, subject: subject, buurt: buurt, since: since, now: now)
                trend = req.t("cycle.tracked.trend", String(before), String(after), String(months))
            }
            spearheads.append(SpearheadView(code: sp.code, title: sp.title, why: sp.why, success: sp.success, involved: sp.involved,
                                            tracked: sp.trackedSubject.map { req.t("cycle.tracked.what", $0, sp.trackedBuurt ?? "") },
                                            items: planItems.filter { $0.spearheadCodes.contains(sp.code) }.map { $0.title + ($0.progress.isEmpty ? "" : " — " + $0.progress) },
                                            trackedTrend: trend, brought: brought,
                                            broughtSummary: mine.isEmpty ? nil : req.t("cycle.link.summary", String(signalCount), String(mine.count - signalCount))))
        }

        // Analysis and monitor: the profile's figures at the product's date (and, for a monitor, at the previous monitor's).
        var figures: [FigureView] = [], recurring: [InputLine] = [], input: [InputLine] = [], notes: [InputLine] = []
        var figuresDate: String? = nil, figuresBeforeDate: String? = nil, profileHref: String? = nil
        if p.kind == .analysis || p.kind == .monitor {
            let at = p.profileDate ?? now
            let latest = try await AreaProfileService.latest(s, now: at, on: req.db, cache: req.application.profileCache)[area.id] ?? [:]
            var before: [String: Double]? = nil
            if p.kind == .monitor, let previous = all.first(where: { $0.version < p.version && $0.status.isPublic }), let date = previous.profileDate {
                before = try await AreaProfileService.latest(s, now: date, on: req.db, cache: req.application.profileCache)[area.id] ?? [:]
                figuresBeforeDate = Format.day(date, lang)
            }
            figures = keyFigures.compactMap { key in
                guard let indicator = IndicatorCatalogue.indicator(key), latest[key] != nil || before?[key] != nil else { return nil }
                return FigureView(name: req.t("indicator." + key), value: latest[key].map { AreaProfilePage.format($0, unit: indicator.unit, lang) } ?? "–",
                                  before: before.map { b in b[key].map { AreaProfilePage.format($0, unit: indicator.unit, lang) } ?? "–" })
            }
            figuresDate = Format.day(at, lang)
            profileHref = Site.areaProfile.link(s.slug, area.slug) + "?datum=" + Format.isoDay(at)
            let monitor = try await AreaProfileService.signalMonitor(s, area: area, now: at, language: lang, on: req.db)
            recurring = monitor.recurring.prefix(10).map { InputLine(text: req.t("cycle.recurringLine", $0.subject, $0.neighbourhood, String($0.count)), href: nil) }
            input = try await residentsInput(req, s, area, at: at)
            // Professionals' impressions of the year before (the notes they published with the area profile).
            notes = try await ProfileNote.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$isPublic == true)
                .filter(\.$notedOn <= at).filter(\.$notedOn >= at.addingTimeInterval(-365 * 86_400)).sort(\.$notedOn, .descending).limit(10).all()
                .map { InputLine(text: req.t("profile.role." + $0.authorRole.rawValue) + ", " + Format.day($0.notedOn, lang) + ": " + PersonalData.masked($0.text), href: nil) }
        }

        // What changed since the previous version (agenda: spearheads; plan: items).
        var added: [String] = [], removed: [String] = [], previousLabel: String? = nil
        if let previous = all.first(where: { $0.version < p.version }), p.kind == .agenda || p.kind == .plan {
            let prevID = try previous.requireID()
            let old = p.kind == .agenda ? try await Spearhead.query(on: req.db).filter(\.$product.$id == prevID).all().map(\.title)
                                        : try await PlanItem.query(on: req.db).filter(\.$product.$id == prevID).all().map(\.title)
            let new = p.kind == .agenda ? agendaSpearheads.map(\.title) : planItems.map(\.title)
            (added, removed) = CycleDiff.changes(old: old, new: new)
            previousLabel = req.t("cycle.versionN", String(previous.version))
        }

        let versions = all.filter { $0.status.isPublic || viewer }.map {
            VersionView(label: req.t("cycle.versionN", String($0.version)), status: CyclePages.statusLine(req, $0), href: link($0), current: $0.id == p.id)
        }
        let responses = try await CycleResponse.query(on: req.db).filter(\.$product.$id == pid).sort(\.$createdAt).all()
        let consultationOpen = CycleFlow.acceptsResponses(status: p.status, consultationEnds: p.consultationEnds, now: now)
        var respondForm: FormView? = nil
        if consultationOpen {
            respondForm = FormView(action: Site.cycleResponses.link(s.slug, area.slug, CycleService.slug(p.kind), String(p.version)), submitLabel: req.t("cycle.respond.submit"), fields: [
                FieldView(req, name: "rol", label: req.t("cycle.respond.role"), type: "select", value: values["rol"] ?? "",
                          options: [("", req.t("cycle.respond.roleChoose"))] + ResponseRole.allCases.map { ($0.rawValue, req.t("cycle.role." + $0.rawValue)) }, errors: errors),
                FieldView(req, name: "reactie", label: req.t("cycle.respond.text"), type: "textarea", value: values["reactie"] ?? "", errors: errors),
                FieldView(req, name: "naam", label: req.t("cycle.respond.name"), value: values["naam"] ?? "", description: req.t("cycle.respond.nameHelp"), optional: true, errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        let base = [s.slug, area.slug, CycleService.slug(p.kind), String(p.version)]
        let responseViews = responses.map { r -> ResponseView in
            let id = r.id!.uuidString
            let fields = coordinator ? [FieldView(req, name: "antwoord-\(id)", label: req.t("cycle.answer.label"), type: "textarea", value: values["antwoord-\(id)"] ?? r.answer ?? "", errors: errors)] : []
            return ResponseView(id: id, who: (r.signedAs.isEmpty ? req.t("cycle.role." + r.role.rawValue) : r.signedAs + " (" + req.t("cycle.role." + r.role.rawValue) + ")"),
                                date: Format.day(r.createdAt, lang), text: PersonalData.masked(r.text), answer: r.answer, answerFields: fields,
                                answerAction: coordinator ? Site.cycleResponseAnswer.link(base[0], base[1], base[2], base[3], id) : nil)
        }

        // Forms for the coordinator (draft: text, spearheads, items; the flow) and the college (adopt, send back).
        var editForm: FormView? = nil, spearheadForm: FormView? = nil, itemForm: FormView? = nil, linkForm: FormView? = nil
        if coordinator && !agendaSpearheads.isEmpty && (p.kind == .agenda || p.kind == .monitor) {
            linkForm = FormView(action: Site.cycleLinks.link(s.slug, area.slug, CycleService.slug(p.kind), String(p.version)), submitLabel: req.t("cycle.link.submit"), fields: [
                FieldView(req, name: "speerpunt", label: req.t("cycle.link.spearhead"), type: "select", value: values["speerpunt"] ?? "",
                          options: [("", req.t("link.choose"))] + agendaSpearheads.map { ($0.code, "\($0.code). \($0.title)") }, errors: errors),
                FieldView(req, name: "verwijzing", label: req.t("cycle.link.reference"), value: values["verwijzing"] ?? "", description: req.t("cycle.link.referenceHelp"), errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        var steps: [StepForm] = []
        if coordinator && p.status == .draft {
            var fields = [
                FieldView(req, name: "titel", label: req.t("cycle.field.title"), value: values["titel"] ?? p.title, errors: errors),
                FieldView(req, name: "tekst", label: req.t("cycle.field.summary.\(p.kind.rawValue)"), type: "textarea", value: values["tekst"] ?? p.summary, optional: true, errors: errors),
            ]
            if p.kind == .analysis || p.kind == .monitor {
                fields.append(FieldView(req, name: "profieldatum", label: req.t("cycle.field.profileDate"), type: "date", value: values["profieldatum"] ?? p.profileDate.map(Format.isoDay) ?? "",
                                        description: req.t("cycle.field.profileDateHelp"), optional: true, errors: errors))
            }
            editForm = FormView(action: Site.cycleProductText.link(base[0], base[1], base[2], base[3]), submitLabel: req.t("cycle.save"), fields: fields, csrf: req.csrfToken(), showRequiredNote: false)
            if p.kind == .agenda {
                spearheadForm = FormView(action: Site.cycleSpearheads.link(base[0], base[1], base[2], base[3]), submitLabel: req.t("cycle.spearhead.add"), fields: [
                    FieldView(req, name: "sp_titel", label: req.t("cycle.spearhead.title"), value: values["sp_titel"] ?? "", errors: errors),
                    FieldView(req, name: "sp_waarom", label: req.t("cycle.spearhead.why"), type: "textarea", value: values["sp_waarom"] ?? "", description: req.t("cycle.spearhead.whyHelp"), errors: errors),
                    FieldView(req, name: "sp_succes", label: req.t("cycle.spearhead.success"), type: "textarea", value: values["sp_succes"] ?? "", errors: errors),
                    FieldView(req, name: "sp_wie", label: req.t("cycle.spearhead.involved"), value: values["sp_wie"] ?? "", description: req.t("cycle.spearhead.involvedHelp"), errors: errors),
                ], csrf: req.csrfToken(), showRequiredNote: true)
            }
            if p.kind == .plan {
                let projects = try await AreaProject.query(on: req.db).filter(\.$municipality.$id == s.id).filter(\.$endsOn >= now).sort(\.$startsOn).all().filter { $0.areas.contains(area.id) }
                itemForm = FormView(action: Site.cyclePlanItems.link(base[0], base[1], base[2], base[3]), submitLabel: req.t("cycle.item.add"), fields: [
                    FieldView(req, name: "ac_titel", label: req.t("cycle.item.title"), value: values["ac_titel"] ?? "", errors: errors),
                    FieldView(req, name: "ac_eigenaar", label: req.t("cycle.item.owner"), value: values["ac_eigenaar"] ?? "", description: req.t("cycle.item.ownerHelp"), errors: errors),
                    FieldView(req, name: "ac_van", label: req.t("cycle.item.from"), type: "date", value: values["ac_van"] ?? "", errors: errors),
                    FieldView(req, name: "ac_tot", label: req.t("cycle.item.to"), type: "date", value: values["ac_tot"] ?? "", errors: errors),
                    FieldView(req, name: "ac_bedrag", label: req.t("cycle.item.amount"), value: values["ac_bedrag"] ?? "", description: req.t("cycle.item.amountHelp"), optional: true, errors: errors),
                    FieldView(req, name: "ac_budget", label: req.t("cycle.item.budget"), type: "select", value: values["ac_budget"] ?? "", optional: true,
                              options: [("", req.t("cycle.item.noBudget"))] + budgets.map { ($0.id!.uuidString, "\($0.name) \($0.year) (" + Money.format($0.availableCents, dutch: dutch) + ")") }, errors: errors),
                    FieldView(req, name: "ac_project", label: req.t("cycle.item.project"), type: "select", value: values["ac_project"] ?? "", optional: true,
                              options: [("", req.t("cycle.item.noProject"))] + projects.map { ($0.id!.uuidString, $0.title) }, errors: errors),
                    FieldView(req, name: "ac_speerpunten", label: req.t("cycle.item.spearheads"), value: values["ac_speerpunten"] ?? "",
                              description: req.t("cycle.item.spearheadsHelp", agendaSpearheads.map { "\($0.code) \($0.title)" }.joined(separator: "; ")), optional: true, errors: errors),
                ], csrf: req.csrfToken(), showRequiredNote: true)
            }
        }
        if coordinator {
            if p.status == .draft {
                steps.append(StepForm(step: "openConsultation", label: req.t("cycle.step.openConsultation"), fields: [
                    FieldView(req, name: "einde", label: req.t("cycle.step.consultationEnds"), type: "date", value: values["einde"] ?? "", description: req.t("cycle.step.consultationEndsHelp"), errors: errors),
                ], primary: policy.consults(p.kind)))
                if !policy.consults(p.kind) { steps.append(StepForm(step: "submit", label: req.t("cycle.step.submit"), fields: [], primary: true)) }
            }
            if p.status == .consultation && !consultationOpen { steps.append(StepForm(step: "submit", label: req.t("cycle.step.submit"), fields: [], primary: true)) }
            if p.status == .adopted { steps.append(StepForm(step: "evaluate", label: req.t("cycle.step.evaluate"), fields: [], primary: false)) }
        }
        if college && p.status == .submitted {
            steps.append(StepForm(step: "adopt", label: req.t("cycle.step.adopt"), fields: [
                FieldView(req, name: "datum", label: req.t("cycle.step.adoptedOn"), type: "date", value: values["datum"] ?? Format.isoDay(now), errors: errors),
                FieldView(req, name: "besluit", label: req.t("cycle.step.decision"), type: "textarea", value: values["besluit"] ?? "", description: req.t("cycle.step.decisionHelp"), errors: errors),
            ], primary: true))
            steps.append(StepForm(step: "sendBack", label: req.t("cycle.step.sendBack"), fields: [
                FieldView(req, name: "reden", label: req.t("cycle.step.sendBackReason"), type: "textarea", value: values["reden"] ?? "", errors: errors),
            ], primary: false))
        }

        // Council advice on this version, asked and answered through the advice register.
        let advice = try await CouncilAdvice.query(on: req.db).filter(\.$cycleProductID == pid).all()
        var adviceHref: String? = nil
        if req.authUser != nil, let actor = try? await req.actor(), p.status.isPublic,
           Permissions.allows(actor, .requestAdvice(municipality: s.id)) || Permissions.allows(actor, .giveAdvice(municipality: s.id, area: area.id)) {
            adviceHref = Site.adviceNew.link(s.slug) + "?product=" + pid.uuidString
        }
        let adopted = all.first { $0.status.isAdopted }
        let notYet = try await CycleNotYet.query(on: req.db).filter(\.$area.$id == area.id).first()?.reason
        return Page(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (area.name, Site.area.link(s.slug, area.slug)),
                                                                (req.t("cycle.short"), Site.areaCycle.link(s.slug, area.slug))], errors: errors, status: req.takeFlash()),
            heading: heading, kind: p.kind.rawValue, kindName: kindName, versionLabel: req.t("cycle.versionN", String(p.version)), status: req.t("cycle.status." + p.status.rawValue),
            statusClass: p.status.isAdopted ? "success" : (p.status == .superseded ? "neutral" : "warning"), statusLine: CyclePages.statusLine(req, p),
            freshness: p.status.isAdopted && adopted?.id == p.id ? CyclePages.freshness(req, kind: p.kind, adopted: p, notYet: notYet, now: now, policy: policy) : nil,
            summary: p.summary, decision: p.decision, sentBack: p.status == .draft ? p.sentBackReason : nil,
            spearheads: spearheads, items: items, progressHeading: mayUpdate && !items.isEmpty,
            itemsTotal: planItems.isEmpty ? nil : Money.format(planItems.reduce(0) { $0 + $1.budgetCents }, dutch: dutch),
            figures: figures, figuresDate: figuresDate, figuresBeforeDate: figuresBeforeDate, profileHref: profileHref, recurring: recurring, input: input, notes: notes,
            added: added, removed: removed, previousLabel: previousLabel,
            versions: versions, responses: responseViews, respondForm: respondForm, consultationOpen: consultationOpen,
            editForm: editForm, spearheadForm: spearheadForm, itemForm: itemForm, linkForm: linkForm, steps: steps, stepAction: Site.cycleStep.link(base[0], base[1], base[2], base[3]), csrf: req.csrfToken(),
            advice: advice.map { AdviceView(subject: $0.subject, status: req.t($0.answer != nil ? "cycle.advice.answered" : ($0.advice != nil ? "cycle.advice.given" : "cycle.advice.asked")),
                                            href: Site.advice.link(s.slug, $0.id!.uuidString)) },
            adviceHref: adviceHref, overviewHref: Site.areaCycle.link(s.slug, area.slug),
            // A response refused because the consultation closed: shown back, so nothing typed is lost.
            returnedText: !consultationOpen ? values["reactie"].flatMap { $0.isEmpty ? nil : $0 } : nil)
    }

    /// Residents' input of the twelve months before the date: signals per subject, initiatives, ideas and council advice, with links.
    static func residentsInput(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, at: Date) async throws -> [InputLine] {
        let from = at.addingTimeInterval(-365 * 86_400)
        var out: [InputLine] = []
        let monitor = try await AreaProfileService.signalMonitor(s, area: area, now: at, language: req.language, on: req.db)
        for line in monitor.lines.prefix(5) {
            out.append(InputLine(text: req.t("cycle.input.signals", line.subject, line.count.map(String.init) ?? req.t("profile.tooFewSignals")), href: nil))
        }
        for i in try await Initiative.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$submittedAt >= from).filter(\.$submittedAt < at).sort(\.$submittedAt, .descending).limit(10).all() {
            out.append(InputLine(text: req.t("cycle.input.initiative", i.title), href: Site.initiative.link(s.slug, i.code)))
        }
        for i in try await Idea.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$createdAt >= from).filter(\.$createdAt < at).sort(\.$supportCount, .descending).limit(5).all() {
            out.append(InputLine(text: req.t("cycle.input.idea", i.title, String(i.supportCount)), href: Site.idea.link(s.slug, i.code)))
        }
        if let council = try await Council.query(on: req.db).filter(\.$area.$id == area.id).first() {
            for a in try await CouncilAdvice.query(on: req.db).filter(\.$council.$id == council.requireID()).filter(\.$givenOn >= from).filter(\.$givenOn < at).limit(10).all() {
                out.append(InputLine(text: req.t("cycle.input.advice", a.subject), href: Site.advice.link(s.slug, a.id!.uuidString)))
            }
        }
        return out
    }

    /// Signals of a subject in a buurt in the months before a spearhead took it up and the same number of months since.
    static func trackedCounts(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, subject: String, buurt: String, since: Date, now: Date) async throws -> (Int, Int, Int) {
        let months = max(1, min(12, Int(now.timeIntervalSince(since) / (30.44 * 86_400))))
        let window = Double(months) * 30.44 * 86_400
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == s.id).all().filter { $0.name(.nl) == subject || $0.name(.en) == subject }
        guard let neighbourhood = s.neighbourhoods(of: area.id).first(where: { $0.name == buurt }), !categories.isEmpty else { return (0, 0, months) }
        let signals = try await Signal.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$neighbourhood.$id == neighbourhood.id)
            .filter(\.$category.$id ~~ categories.compactMap(\.id)).filter(\.$reportedAt >= since.addingTimeInterval(-window)).all(\.$reportedAt)
        return (signals.filter { $0 < since }.count, signals.filter { $0 >= since && $0 < since.addingTimeInterval(window) }.count, months)
    }
}
