import Vapor
import Fluent
import Domain

/// What an initiative's pages show: the same details on the public page and in the staff view (which adds the
/// initiators' contact details and the forms of the steps staff may take).
struct InitiativeDetails: Encodable {
    struct Line: Encodable { var text: String; var amount: String; var actual: String? }
    struct Support: Encodable { var label: String; var text: String }
    struct Entry: Encodable { var when: String; var iso: String; var status: String; var step: String; var text: String? }
    struct Decision: Encodable { var granted: String?; var motivation: String; var when: String; var number: String?; var meetingHref: String? }
    var code: String
    var title: String
    var area: String
    var areaHref: String
    var theme: String
    var status: String
    var statusClass: String
    var summary: String
    var forWhom: String
    var place: String
    var period: String
    var asked: String
    var lines: [Line]
    var linesTotal: String?
    var support: [Support]
    var own: String
    var history: [Entry]
    var decision: Decision?
    var result: String?
    var goodExample: Bool
    var question: String?
    /// For a right to challenge: the task taken over and the department that owns it.
    var challenge: Challenge?
    struct Challenge: Encodable { var task: String; var department: String }
    /// Support other than money that was given, and by whom.
    var given: [Given]
    struct Given: Encodable { var kind: String; var by: String; var text: String }
    var photos: [String]
}

enum InitiativePageBuilder {
    /// The details; on public pages free texts are masked (a phone number or address typed into a description
    /// is never published).
    static func details(_ req: Request, _ i: Initiative, snapshot s: MunicipalitySnapshot, forStaff: Bool) async throws -> InitiativeDetails {
        let dutch = req.language == .nl
        let lang = req.language
        let show = { (text: String) in forStaff ? text : PersonalData.masked(text) }
        let lines = try await InitiativeBudgetLine.query(on: req.db).filter(\.$initiative.$id == i.requireID()).sort(\.$position).all()
        let events = try await InitiativeEvent.query(on: req.db).filter(\.$initiative.$id == i.requireID()).sort(\.$at).all()
        var decision: InitiativeDetails.Decision? = nil
        if let decidedAt = i.decidedAt {
            var number: String? = nil, meetingHref: String? = nil
            if let id = i.councilDecisionID, let d = try await CouncilDecision.find(id, on: req.db) {
                number = d.number
                meetingHref = Site.meeting.link(s.slug, d.$meeting.id.uuidString)
            }
            decision = .init(granted: i.grantedCents.map { Money.format($0, dutch: dutch) }, motivation: show(i.decisionText ?? ""), when: Format.day(decidedAt, lang),
                             number: number, meetingHref: meetingHref)
        }
        let supports: [(String, String)] = [("people", i.supportPeople), ("knowledge", i.supportKnowledge), ("network", i.supportNetwork), ("place", i.supportPlace)]
        let area = s.areas.first { $0.id == i.$area.id }
        let departments = try await Department.query(on: req.db).filter(\.$municipality.$id == s.id).all()
        let departmentName = { (id: UUID?) in departments.first { $0.id == id }?.name }
        let given = try await InitiativeSupportGiven.query(on: req.db).filter(\.$initiative.$id == i.requireID()).sort(\.$recordedAt).all()
        let photos = try await InitiativePhoto.query(on: req.db).filter(\.$initiative.$id == i.requireID()).sort(\.$position).all(\.$position)
        return InitiativeDetails(
            code: i.code, title: i.title, area: area?.name ?? "", areaHref: area.map { Site.area.link(s.slug, $0.slug) } ?? Paths.municipality(s.slug),
            theme: req.t("initiative.theme." + i.theme), status: req.t("initiative.status." + i.status.rawValue),
            statusClass: PublicInitiativesController.statusClass(i.status), summary: show(i.summary), forWhom: show(i.forWhom), place: show(i.place),
            period: show(i.period), asked: Money.format(i.askedCents, dutch: dutch),
            lines: lines.map { .init(text: show($0.text), amount: Money.format($0.cents, dutch: dutch), actual: $0.actualCents.map { Money.format($0, dutch: dutch) }) },
            linesTotal: lines.isEmpty ? nil : Money.format(lines.reduce(0) { $0 + $1.cents }, dutch: dutch),
            support: supports.filter { !$0.1.isEmpty }.map { .init(label: req.t("initiative.support." + $0.0), text: show($0.1)) },
            own: show(i.ownContribution),
            history: events.map { e in .init(when: Format.dateTime(e.at, lang), iso: Format.isoDate(e.at), status: req.t("initiative.status." + e.toStatus.rawValue),
                                             step: req.t("initiative.step." + e.step.rawValue), text: e.text.map(show)) },
            decision: decision, result: i.resultText.map(show), goodExample: i.goodExample,
            question: i.status == .waitingForInitiators ? events.last { $0.step == .ask }?.text.map(show) : nil,
            challenge: i.kind == .rightToChallenge ? .init(task: show(i.task), department: departmentName(i.taskDepartmentID) ?? "–") : nil,
            given: given.map { g in .init(kind: req.t("initiative.support." + g.kind.rawValue), by: departmentName(g.departmentID) ?? g.partner, text: show(g.text)) },
            photos: photos.map { Site.initiativePhoto.link(s.slug, i.code, String($0)) })
    }

    struct StepForm: Encodable { var step: String; var label: String; var withText: Bool; var textLabel: String?; var textHelp: String?; var warning: Bool; var value: String; var error: String? }

    struct PublicPage: Encodable {
        var page: PageMeta
        var details: InitiativeDetails
        var initiators: Bool
        var forms: [StepForm]
        var stepAction: String
        var accountingHref: String?
        var csrf: String
        var version: Int
        var overviewHref: String
        var privacy: String
    }

    static func publicPage(_ req: Request, _ i: Initiative, snapshot s: MunicipalitySnapshot, initiators: Bool, values: [String: String], errors: [FieldError]) async throws -> PublicPage {
        let details = try await details(req, i, snapshot: s, forStaff: false)
        var forms: [StepForm] = []
        if initiators {
            for step in InitiativeLifecycle.steps(from: i.status) where step.byInitiators && step != .account {
                forms.append(stepForm(req, step, values: values, errors: errors))
            }
        }
        return PublicPage(
            page: req.page(i.title, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (req.t("initiative.overview.short"), Site.initiatives.link(s.slug))],
                           errors: errors, status: req.takeFlash()),
            details: details, initiators: initiators, forms: forms, stepAction: Site.initiativeStep.link(s.slug, i.code),
            accountingHref: initiators && i.status == .inExecution ? Site.initiativeAccounting.link(s.slug, i.code) : nil,
            csrf: initiators ? req.csrfToken() : "", version: i.version, overviewHref: Site.initiatives.link(s.slug), privacy: req.t("initiative.page.privacy"))
    }

    static func stepForm(_ req: Request, _ step: InitiativeStep, values: [String: String], errors: [FieldError]) -> StepForm {
        let withText = [.answer, .ask, .withdraw, .review, .sendToDecision, .close].contains(step)
        let submitted = values["stap"] == step.rawValue
        return StepForm(step: step.rawValue, label: req.t("initiative.action." + step.rawValue), withText: withText,
                        textLabel: withText ? req.t("initiative.actionText." + step.rawValue) : nil,
                        textHelp: step == .ask || step == .answer ? req.t("initiative.actionTextHelp") : nil,
                        warning: step == .withdraw, value: submitted ? values["tekst"] ?? "" : "",
                        error: submitted ? errors.first { $0.field == "tekst" }.map { req.t($0) } : nil)
    }
}
