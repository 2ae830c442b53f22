import Vapor
import Fluent
import Domain

/// "Mijn werk": the start page after login. What needs action now for this user's role and scope, each item
/// a count with a link: signals to triage and overdue ones, escalations addressed to the role, advice waiting
/// for the college's answer (late ones first), and meetings to prepare. Uses the signals and councils
/// features (never the other way round).
struct WorkController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.signedIn).get(Site.work.route, use: start)
    }

    struct Page: Encodable {
        struct Item: Encodable { var label: String; var count: Int; var href: String; var urgent: Bool }
        struct Meeting: Encodable { var council: String; var when: String; var iso: String; var href: String; var agendaItems: Int }
        var page: PageMeta
        var heading: String
        var municipality: String?
        var items: [Item]
        var meetings: [Meeting]
        var adminHref: String?
        var nothing: Bool
    }

    func start(req: Request) async throws -> View {
        let actor = try await req.actor()
        let m = try await req.workMunicipality()
        let mid = try m.requireID()
        let now = req.application.clock()
        var items: [Page.Item] = []

        if Permissions.mayEver(actor, .viewSignal) {
            let scoped = { InboxQuery.scoped(actor, municipality: mid, on: req.db) }
            let triage = try await scoped().filter(\.$state == .gemeld).count()
            let overdue = try await scoped().filter(\.$state ~~ SignalJobs.openStates).filter(\.$deadline < now).count()
            let escalated = try await SignalEscalation.query(on: req.db).filter(\.$role == actor.role)
                .join(Signal.self, on: \SignalEscalation.$signal.$id == \Signal.$id)
                .filter(Signal.self, \.$municipality.$id == mid).filter(Signal.self, \.$state ~~ SignalJobs.openStates).all()
                .filter { e in (try? e.joined(Signal.self)).map { Permissions.allows(actor, .viewSignal(municipality: mid, area: $0.areaID, department: $0.departmentID)) } ?? false }
                .count
            let inbox = Site.signalInbox.link()
            items.append(.init(label: req.t("work.triage"), count: triage, href: inbox + "?status=gemeld", urgent: false))
            items.append(.init(label: req.t("work.overdue"), count: overdue, href: inbox + "?te_laat=ja", urgent: overdue > 0))
            items.append(.init(label: req.t("work.escalations"), count: escalated, href: inbox + "#escalaties", urgent: escalated > 0))
        }

        // Advice: waiting for the college's answer where this user answers; late answers where this user follows councils.
        let councils = try await Council.query(on: req.db).filter(\.$municipality.$id == mid).all()
        let answerable = councils.filter { Permissions.allows(actor, .answerAdvice(municipality: mid, area: $0.$area.id)) }
        let followed = councils.filter { Permissions.allows(actor, .followCouncilWork(municipality: mid, area: $0.$area.id)) }
        let settings = try await CouncilSettings.load(mid, on: req.db)
        let ids = Set((answerable + followed).compactMap(\.id))
        let waiting = ids.isEmpty ? [] : try await CouncilAdvice.query(on: req.db).filter(\.$council.$id ~~ Array(ids))
            .filter(\.$givenOn != nil).filter(\.$answeredOn == nil).all()
        let late = waiting.filter { CouncilRules.status(of: $0.rule, now: now, termDays: settings.answerDays) == .answerOverdue }
        let register = Site.adviceRegister.link(m.slug)
        if !answerable.isEmpty {
            let mine = Set(answerable.compactMap(\.id))
            items.append(.init(label: req.t("work.adviceToAnswer"), count: waiting.filter { mine.contains($0.$council.id) }.count, href: register, urgent: false))
        }
        if !followed.isEmpty || !answerable.isEmpty {
            items.append(.init(label: req.t("work.lateAnswers"), count: late.count, href: register, urgent: !late.isEmpty))
        }

        // Initiatives and ideas: what waits for this user's review, decision or answer.
        if Permissions.mayEver(actor, .followInitiatives) {
            let visible = { try await InitiativeWorkController.visible(actor, municipality: mid, on: req.db) }
            let base = Site.initiativeWork.link()
            if Permissions.mayEver(actor, .coordinateArea) {
                let toReview = try await visible().filter(\.$status ~~ [InitiativeStatus.submitted, .inReview]).count()
                items.append(.init(label: req.t("work.initiativesToReview"), count: toReview, href: base, urgent: false))
                let areas = try await Area.query(on: req.db).filter(\.$municipality.$id == mid).all().compactMap(\.id)
                    .filter { Permissions.allows(actor, .coordinateArea(municipality: mid, area: $0)) }
                let unanswered = try await Idea.query(on: req.db).filter(\.$area.$id ~~ areas).filter(\.$status == .open).filter(\.$answer == nil).count()
                items.append(.init(label: req.t("work.ideasToAnswer"), count: unanswered, href: Site.ideaWork.link(), urgent: false))
            }
            if Permissions.mayEver(actor, .coordinateArea) || Permissions.mayEver(actor, .handleDepartmentWork) {
                let toDecide = try await visible().filter(\.$status == .toDecision).count()
                items.append(.init(label: req.t("work.initiativesToDecide"), count: toDecide, href: base + "?status=toDecision", urgent: false))
            }
        }

        // The area cycle: outdated products, unanswered responses, linking opportunities, products to adopt.
        items += try await CycleWorkItems.items(req, actor: actor, municipality: m)
        items += try await BudgetRoundWorkItems.items(req, actor: actor, municipality: m)
        items += try await PriorityRankingWorkItems.items(req, actor: actor, municipality: m)

        // Meetings in the next two weeks of councils this user coordinates, to prepare (agenda, documents).
        let coordinated = councils.filter { Permissions.allows(actor, .coordinateArea(municipality: mid, area: $0.$area.id)) }
        var meetings: [Page.Meeting] = []
        if !coordinated.isEmpty {
            let upcoming = try await CouncilMeeting.query(on: req.db).filter(\.$council.$id ~~ coordinated.compactMap(\.id)).filter(\.$status == .planned)
                .filter(\.$startsAt >= now).filter(\.$startsAt < now.addingTimeInterval(14 * 86_400)).sort(\.$startsAt).all()
            for meeting in upcoming {
                guard let council = coordinated.first(where: { $0.id == meeting.$council.id }) else { continue }
                let agenda = try await CouncilAgendaItem.query(on: req.db).filter(\.$meeting.$id == meeting.requireID()).count()
                meetings.append(.init(council: council.name, when: Format.dateTime(meeting.startsAt, req.language), iso: Format.isoDate(meeting.startsAt),
                                      href: Site.councilMeeting.link(council.id!.uuidString, meeting.id!.uuidString), agendaItems: agenda))
            }
        }
        let heading = req.t("work.title")
        return try await req.view.render("Work/start", Page(
            page: req.page(heading, municipality: m.name, status: req.takeFlash()), heading: heading, municipality: m.name,
            items: items, meetings: meetings, adminHref: Permissions.mayEver(actor, .administer) ? Site.admin.link() : nil,
            nothing: items.allSatisfy { $0.count == 0 } && meetings.isEmpty))
    }
}
