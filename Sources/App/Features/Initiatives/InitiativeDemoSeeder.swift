import Vapor
import Fluent
import Domain

/// The demo's budgets and initiatives in Oss (invented, marked as demo data), made through the same service as
/// real ones, so the ledger, the council's numbered decisions and the audit log are what a running system holds.
enum InitiativeDemoSeeder {
    struct Example {
        var area: Int; var title: String; var summary: String; var forWhom: String; var place: String; var theme: InitiativeTheme
        var lines: [(String, Int)]; var people: String = ""; var target: InitiativeStatus; var grant: Int? = nil; var byCouncil: Bool = true
    }

    static let examples: [Example] = [
        Example(area: 0, title: "Plantenbakken in de Kruisstraat", summary: "Wij willen de straat groener maken met zes grote plantenbakken die de buren samen onderhouden.",
                forWhom: "Alle bewoners van de straat", place: "Kruisstraat", theme: .green, lines: [("Plantenbakken", 90_000), ("Aarde en planten", 30_000)],
                people: "Hulp van de gemeente bij het plaatsen", target: .closed, grant: 120_000),
        Example(area: 0, title: "Buurtbarbecue voor nieuwe bewoners", summary: "Een barbecue om nieuwe bewoners te verwelkomen en elkaar te leren kennen.",
                forWhom: "Nieuwe en oude bewoners", place: "Speelveld achter de school", theme: .meeting, lines: [("Vlees, brood en drinken", 35_000), ("Huur barbecue", 5_000)],
                target: .inExecution, grant: 40_000, byCouncil: false),
        Example(area: 1, title: "Jeu-de-boulesbaan bij het wijkcentrum", summary: "Een baan om samen te spelen, voor jong en oud.",
                forWhom: "Ouderen en gezinnen", place: "Naast het wijkcentrum", theme: .sport, lines: [("Aanleg van de baan", 250_000), ("Ballen en bank", 50_000)],
                target: .granted, grant: 250_000),
        Example(area: 1, title: "Zomerschool voor kinderen", summary: "Twee weken in de zomer spelen en leren voor kinderen uit de buurt.",
                forWhom: "Kinderen van 6 tot 12 jaar", place: "Basisschool", theme: .play, lines: [("Materialen", 60_000), ("Uitjes", 40_000)],
                target: .toDecision),
        Example(area: 2, title: "Boekenkastje op het plein", summary: "Een kastje waar iedereen een boek kan brengen en halen.",
                forWhom: "Iedereen", place: "Het plein", theme: .culture, lines: [("Kastje", 30_000)], target: .inReview),
        Example(area: 2, title: "Extra verlichting in het park", summary: "Meer lampen langs het pad, omdat het 's avonds donker en onveilig voelt.",
                forWhom: "Wandelaars en fietsers", place: "Het park", theme: .safety, lines: [("Lampen", 800_000)], target: .declined),
        Example(area: 3, title: "Repaircafé één keer per maand", summary: "Vrijwilligers repareren spullen, zodat ze niet worden weggegooid.",
                forWhom: "Alle bewoners", place: "Buurthuis", theme: .sustainability, lines: [("Gereedschap", 45_000)], target: .submitted),
    ]

    static func seed(app: Application) async throws {
        guard try await Initiative.query(on: app.db).filter(\.$demo == true).count() == 0,
              let oss = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first() else { return }
        let req = Request(application: app, on: app.eventLoopGroup.any())
        let mid = try oss.requireID()
        let areas = try await Area.query(on: app.db).filter(\.$municipality.$id == mid).sort(\.$position).limit(4).all()
        guard areas.count == 4 else { return }
        let year = DutchTime.calendar.component(.year, from: app.clock())
        var councilBudgets: [UUID: AreaBudget] = [:], mandateBudgets: [UUID: AreaBudget] = [:]
        for area in areas {
            let aid = try area.requireID()
            councilBudgets[aid] = try await BudgetService.create(
                BudgetSetup(areaID: aid, year: year, kind: .initiatives, name: "Wijkbudget \(area.name)", decider: .council, mandateLimitCents: nil, departmentID: nil, initialCents: 1_500_000),
                municipality: mid, reference: "Begroting \(year) (demo)", demo: true, user: nil, req: req)
            mandateBudgets[aid] = try await BudgetService.create(
                BudgetSetup(areaID: aid, year: year, kind: .discretionary, name: "Handgeld \(area.name)", decider: .coordinator, mandateLimitCents: 50_000, departmentID: nil, initialCents: 250_000),
                municipality: mid, reference: "Begroting \(year) (demo)", demo: true, user: nil, req: req)
        }
        try await seedIdeas(app: app, municipality: mid, areas: areas, req: req)
        for example in examples {
            let area = areas[example.area]
            let aid = try area.requireID()
            let proposal = InitiativeProposal(
                areaSlug: area.slug, title: example.title, summary: example.summary + " (Verzonnen voorbeeld van de demo.)", forWhom: example.forWhom, place: example.place,
                period: "\(year)", theme: example.theme, askedCents: example.lines.reduce(0) { $0 + $1.1 },
                lines: example.lines.map { BudgetLine(description: $0.0, cents: $0.1) }, supportPeople: example.people, supportKnowledge: "", supportNetwork: "",
                supportPlace: "", ownContribution: "Wij organiseren het zelf met een groep buren.", contactName: "Demo-bewoner", contactEmail: "demo-initiatief@example.org", contactPhone: nil)
            let (initiative, _) = try await InitiativeService.propose(proposal, municipalityID: mid, areaID: aid, submit: true, demo: true, req: req)
            let order: [InitiativeStatus] = [.submitted, .inReview, .toDecision, .granted, .inExecution, .accounted, .closed]
            func reached(_ s: InitiativeStatus) -> Bool {
                if example.target == .declined { return [.submitted, .inReview, .toDecision].contains(s) }
                return (order.firstIndex(of: s) ?? 99) <= (order.firstIndex(of: example.target) ?? -1)
            }
            if reached(.inReview) { try await InitiativeService.step(initiative, .review, text: nil, expectedVersion: initiative.version, user: nil, req: req) }
            if reached(.toDecision) { try await InitiativeService.step(initiative, .sendToDecision, text: nil, expectedVersion: initiative.version, user: nil, req: req) }
            if example.target == .declined {
                try await decide(initiative, grant: nil, budget: councilBudgets[aid]!, area: area, req: req,
                                 motivation: "De raad vindt verlichting een taak van de gemeente zelf en heeft dit doorgegeven aan de afdeling Openbare Ruimte.")
                continue
            }
            guard reached(.granted), let grant = example.grant else { continue }
            let budget = example.byCouncil ? councilBudgets[aid]! : mandateBudgets[aid]!
            try await decide(initiative, grant: example.byCouncil ? grant : min(grant, 50_000), budget: budget, area: area, req: req,
                             motivation: "Het initiatief past bij de agenda van de wijk en de bewoners doen zelf veel.")
            if !example.people.isEmpty, let department = try await Department.query(on: app.db).filter(\.$municipality.$id == mid).filter(\.$name == "Openbare ruimte").first() {
                try await InitiativeService.recordSupport(initiative, kind: .people, department: department.id, partner: "", text: "Twee medewerkers helpen bij het plaatsen.", user: nil, req: req)
            }
            if reached(.inExecution) { try await InitiativeService.startExecution(initiative, expectedVersion: initiative.version, user: nil, req: req) }
            if reached(.accounted) {
                let lines = try await InitiativeBudgetLine.query(on: app.db).filter(\.$initiative.$id == initiative.requireID()).all()
                var actual: [UUID: Int] = [:]
                for line in lines { actual[line.id!] = line.cents * 9 / 10 }
                try await InitiativeService.account(initiative, actual: actual, extraCosts: 0,
                                                    result: "Zes bakken staan in de straat en twaalf buren geven om de beurt water. (Verzonnen voorbeeld.)",
                                                    expectedVersion: initiative.version, req: req)
            }
            if reached(.closed) {
                try await InitiativeService.step(initiative, .close, text: nil, expectedVersion: initiative.version, user: nil, req: req)
                try await InitiativeService.setGoodExample(initiative, true, expectedVersion: initiative.version, req: req)
            }
        }
    }

    /// Ideas with confirmed supports (each support a row with its own key, as real ones are), one answered.
    static func seedIdeas(app: Application, municipality mid: UUID, areas: [Area], req: Request) async throws {
        let ideas: [(Int, String, String, InitiativeTheme, Int, String?)] = [
            (1, "Een pannakooi op het grasveld", "Kinderen willen voetballen zonder dat de bal de straat op rolt.", .play, 23, nil),
            (2, "Bankjes langs de wandelroute", "Oudere bewoners willen onderweg kunnen uitrusten.", .care, 41,
             "Goed idee. De gemeente kijkt samen met de wijkraad waar de bankjes kunnen staan en neemt het mee in het plan voor volgend jaar."),
            (2, "Geveltuintjes in de hele straat", "Meer groen voor de deur, de buren helpen elkaar.", .green, 12, nil),
        ]
        var random = SeededRandom(seed: 2026)
        for (index, title, text, theme, supports, answer) in ideas {
            let posting = IdeaService.Posting(areaID: try areas[index].requireID(), title: title, text: text + " (Verzonnen voorbeeld van de demo.)", theme: theme,
                                              name: "Demo-bewoner", email: "demo-idee@example.org")
            let idea = try await IdeaService.post(posting, municipalityID: mid, demo: true, req: req)
            for _ in 0..<supports {
                let support = IdeaSupport()
                support.$idea.id = try idea.requireID()
                support.supporterHash = sha256Hex("demo|\(random.next())")
                support.tokenHash = sha256Hex("demo|\(random.next())")
                support.createdAt = app.clock()
                support.confirmedAt = app.clock()
                try await support.create(on: app.db)
            }
            idea.supportCount = supports
            try await idea.update(on: app.db)
            if let answer { try await IdeaService.answer(idea, text: answer, close: false, req: req) }
        }
    }

    /// A council's decision is taken in its last held public meeting.
    private static func decide(_ initiative: Initiative, grant: Int?, budget: AreaBudget, area: Area, req: Request, motivation: String) async throws {
        var meeting: CouncilMeeting? = nil
        if budget.decider == .council, let council = try await Council.query(on: req.db).filter(\.$area.$id == area.requireID()).first() {
            meeting = try await CouncilMeeting.query(on: req.db).filter(\.$council.$id == council.requireID()).filter(\.$isPublic == true)
                .filter(\.$startsAt <= req.application.clock()).sort(\.$startsAt, .descending).first()
        }
        if budget.decider == .council && meeting == nil { return } // early in the year: no meeting held yet
        try await InitiativeService.decide(initiative, grantCents: grant, budget: budget, meeting: meeting, motivation: motivation,
                                           expectedVersion: initiative.version, user: nil, req: req)
    }
}
