import Vapor
import Fluent
import SQLKit
import Domain

/// Every change to an initiative and its money: one place with the rules, called by thin controllers. Each step is
/// one transaction with its audit entry; a step on an initiative that someone else changed meanwhile is refused.
enum InitiativeService {
    static func conflict() -> ValidationFailure { ValidationFailure([FieldError("formulier", "initiative.conflict")], status: .conflict) }

    // MARK: Proposing

    /// Stores a proposal as a draft (only the initiators see it, through their own link) or submits it at once.
    /// Returns the initiative and the key of the initiators' own link (kept only as a hash).
    static func propose(_ p: InitiativeProposal, municipalityID: UUID, areaID: UUID, submit: Bool, demo: Bool = false, from idea: Idea? = nil,
                        req: Request) async throws -> (Initiative, String) {
        let now = req.application.clock()
        let year = DutchTime.calendar.component(.year, from: now)
        let key = TrackingCode.secret()
        for attempt in 1...4 {
            let initiative = Initiative()
            initiative.$municipality.id = municipalityID
            initiative.$area.id = areaID
            initiative.year = year
            initiative.title = p.title
            initiative.summary = p.summary
            initiative.forWhom = p.forWhom
            initiative.place = p.place
            initiative.period = p.period
            initiative.theme = p.theme.rawValue
            initiative.askedCents = p.askedCents
            initiative.kind = p.kind
            initiative.task = p.task
            initiative.taskDepartmentID = p.taskDepartmentID
            initiative.supportPeople = p.supportPeople
            initiative.supportKnowledge = p.supportKnowledge
            initiative.supportNetwork = p.supportNetwork
            initiative.supportPlace = p.supportPlace
            initiative.ownContribution = p.ownContribution
            initiative.status = submit ? .submitted : .draft
            initiative.contactName = p.contactName
            initiative.contactEmail = p.contactEmail
            initiative.contactPhone = p.contactPhone
            initiative.keyHash = sha256Hex(key)
            initiative.goodExample = false
            initiative.demo = demo
            initiative.createdAt = now
            initiative.submittedAt = submit ? now : nil
            initiative.updatedAt = now
            initiative.version = 1
            do {
                try await req.db.writeTransaction { db in
                    let sequence = (try await Initiative.query(on: db).filter(\.$municipality.$id == municipalityID).filter(\.$year == year).max(\.$sequence) ?? 0) + 1
                    initiative.sequence = sequence
                    initiative.code = InitiativeCode.make(year: year, sequence: sequence)
                    try await initiative.create(on: db)
                    for (i, line) in p.lines.enumerated() {
                        let record = InitiativeBudgetLine()
                        record.$initiative.id = try initiative.requireID()
                        record.position = i + 1
                        record.text = line.description
                        record.cents = line.cents
                        try await record.create(on: db)
                    }
                    if submit { try await event(initiative, .submit, from: .draft, to: .submitted, text: nil, user: nil, at: now, on: db) }
                    try await req.audit(.initiativePropose, subject(initiative), after: publicState(initiative), on: db)
                    if let idea, idea.$area.id == areaID { try await IdeaService.link(idea, to: initiative, req: req, on: db) }
                    if !demo {
                        try await InitiativeMailer.ownLink(initiative, key: key, req: req, on: db)
                        if submit { try await InitiativeMailer.toCoordinators(initiative, req: req, on: db) }
                    }
                }
                return (initiative, key)
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                continue // another proposal took this number at the same moment
            }
        }
        throw AppError(status: .serviceUnavailable, key: "error.503")
    }

    // MARK: Steps

    /// A step without money: submitting a draft, review, a question and its answer, sending to decision, closing,
    /// withdrawing (a granted initiative that withdraws releases its commitment back to the budget).
    static func step(_ initiative: Initiative, _ step: InitiativeStep, text: String?, expectedVersion: Int, user: User?, req: Request) async throws {
        let from = initiative.status
        guard let to = InitiativeLifecycle.next(from, step) else { throw ValidationFailure([FieldError("stap", "initiative.stepNotPossible")], status: .conflict) }
        if [.ask, .answer].contains(step), (text ?? "").isEmpty { throw ValidationFailure([FieldError("tekst", "initiative.textMissing")]) }
        let now = req.application.clock()
        try await req.db.writeTransaction { db in
            try await claim(initiative, expectedVersion: expectedVersion, on: db)
            if step == .withdraw, from == .granted, let budgetID = initiative.budgetID, let granted = initiative.grantedCents, granted > 0 {
                try await BudgetLedger.record(.released, cents: granted, budget: budgetID, initiative: initiative.id, reference: "\(initiative.code): \(req.t("initiative.step.withdraw"))",
                                              by: user, at: now, on: db)
            }
            if step == .submit { initiative.submittedAt = now }
            try await move(initiative, step, to: to, text: text, user: user, at: now, on: db, req: req)
            if step == .submit { try await InitiativeMailer.toCoordinators(initiative, req: req, on: db) }
        }
    }

    /// The decision: a grant (in whole or in part) commits money in the budget, or a refusal with its motivation.
    /// A council's budget needs one of the area council's meetings that has started; the decision is then one of
    /// that meeting's numbered decisions (published with the meeting) and the grant links to it.
    static func decide(_ initiative: Initiative, grantCents: Int?, budget: AreaBudget, meeting: CouncilMeeting?, motivation: String,
                       expectedVersion: Int, user: User?, req: Request) async throws {
        let now = req.application.clock()
        let council: Council? = meeting == nil ? nil : try await Council.find(meeting!.$council.id, on: req.db)
        let meetingView = meeting.map { GrantRules.Meeting(councilOfTheArea: council?.$area.id == initiative.$area.id, started: $0.startsAt <= now, isPublic: $0.isPublic) }
        let problems = grantCents.map { GrantRules.problems(grant: $0, requested: initiative.askedCents, decider: budget.decider, mandateLimit: budget.mandateLimitCents,
                                                            meeting: meetingView, motivation: motivation) }
            ?? GrantRules.declineProblems(decider: budget.decider, meeting: meetingView, motivation: motivation)
        if !problems.isEmpty {
            throw ValidationFailure(problems.map { p in
                FieldError(p == .motivationMissing ? "motivering" : ([.meetingRequired, .meetingNotHeld, .meetingOfOtherCouncil, .meetingNotPublic].contains(p) ? "vergadering" : "bedrag"),
                           "initiative.grant.\(p.rawValue)", [budget.mandateLimitCents.map { Money.format($0) } ?? ""])
            })
        }
        guard budget.$area.id == initiative.$area.id else { throw ValidationFailure([FieldError("budget", "initiative.budgetOtherArea")]) }
        guard initiative.kind.fits(budgetDecider: budget.decider, budgetDepartment: budget.departmentID, taskDepartment: initiative.taskDepartmentID) else {
            throw ValidationFailure([FieldError("budget", "initiative.challenge.wrongBudget")])
        }
        let step: InitiativeStep = grantCents == nil ? .decline : .grant
        guard let to = InitiativeLifecycle.next(initiative.status, step) else { throw ValidationFailure([FieldError("stap", "initiative.stepNotPossible")], status: .conflict) }
        for attempt in 1...3 {
            do {
                try await req.db.writeTransaction { db in
                    try await claim(initiative, expectedVersion: expectedVersion, on: db)
                    var decisionNumber: String? = nil
                    if budget.decider == .council, let meeting, let council {
                        let text = req.application.localizer.text(grantCents == nil ? "initiative.decisionText.decline" : "initiative.decisionText.grant", .nl,
                                                                  [initiative.code, initiative.title, Money.format(grantCents ?? 0), motivation])
                        let decision = try await CouncilDecision.record(council: council, meeting: meeting, kind: .subsidy, text: text, on: db)
                        initiative.councilDecisionID = decision.id
                        decisionNumber = decision.number
                        try await req.audit(.councilDecision, .init(id: decision.id?.uuidString, summary: "\(decision.number): \(initiative.code)", municipalityID: council.$municipality.id),
                                            after: ["number": decision.number, "kind": decision.kind.rawValue, "text": text], on: db)
                    }
                    let reference = decisionNumber.map { req.application.localizer.text("budget.reference.council", .nl, [$0]) }
                        ?? req.application.localizer.text("budget.reference.\(budget.decider.rawValue)", .nl, [user?.name ?? ""])
                    if let cents = grantCents {
                        try await BudgetLedger.record(.committed, cents: cents, budget: budget.requireID(), initiative: initiative.id, councilDecision: initiative.councilDecisionID,
                                                      reference: "\(initiative.code) – \(reference)", by: user, at: now, on: db)
                    }
                    initiative.budgetID = try budget.requireID()
                    initiative.grantedCents = grantCents
                    initiative.decisionText = motivation
                    initiative.decidedAt = now
                    try await move(initiative, step, to: to, text: motivation, user: user, at: now, on: db, req: req)
                }
                return
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 3 {
                initiative.version = expectedVersion
                initiative.status = .toDecision
                initiative.councilDecisionID = nil
                continue // a decision of this council was numbered at the same moment
            }
        }
    }

    /// The money goes out: what was granted is paid and the initiative is carried out.
    static func startExecution(_ initiative: Initiative, expectedVersion: Int, user: User?, req: Request) async throws {
        guard let to = InitiativeLifecycle.next(initiative.status, .startExecution) else { throw ValidationFailure([FieldError("stap", "initiative.stepNotPossible")], status: .conflict) }
        let now = req.application.clock()
        try await req.db.writeTransaction { db in
            try await claim(initiative, expectedVersion: expectedVersion, on: db)
            if let budgetID = initiative.budgetID, let granted = initiative.grantedCents, granted > 0 {
                try await BudgetLedger.record(.paid, cents: granted, budget: budgetID, initiative: initiative.id, reference: "\(initiative.code): \(req.t("budget.reference.payment"))",
                                              by: user, at: now, on: db)
            }
            try await move(initiative, .startExecution, to: to, text: nil, user: user, at: now, on: db, req: req)
        }
    }

    /// The initiators' accounting: actual costs per budget line and what came of it. What was not spent goes back
    /// to the budget as a `returned` entry.
    static func account(_ initiative: Initiative, actual: [UUID: Int], extraCosts: Int, result: String, photos: [(contentType: String, data: Data)] = [],
                        expectedVersion: Int, req: Request) async throws {
        guard let to = InitiativeLifecycle.next(initiative.status, .account) else { throw ValidationFailure([FieldError("stap", "initiative.accountNotPossible")], status: .conflict) }
        let now = req.application.clock()
        let lines = try await InitiativeBudgetLine.query(on: req.db).filter(\.$initiative.$id == initiative.requireID()).all()
        try await req.db.writeTransaction { db in
            try await claim(initiative, expectedVersion: expectedVersion, on: db)
            for line in lines {
                line.actualCents = actual[line.id!] ?? 0
                try await line.update(on: db)
            }
            let costs = lines.map { $0.actualCents ?? 0 } + [extraCosts]
            let unspent = GrantRules.unspent(paid: initiative.grantedCents ?? 0, actualCosts: costs)
            if unspent > 0, let budgetID = initiative.budgetID {
                try await BudgetLedger.record(.returned, cents: unspent, budget: budgetID, initiative: initiative.id, reference: "\(initiative.code): \(req.t("budget.reference.returned"))",
                                              by: nil, at: now, on: db)
            }
            for (i, photo) in photos.enumerated() {
                let record = InitiativePhoto()
                record.$initiative.id = try initiative.requireID()
                record.position = i + 1
                record.contentType = photo.contentType
                record.data = photo.data
                try await record.create(on: db)
            }
            initiative.resultText = result
            try await move(initiative, .account, to: to, text: result, user: nil, at: now, on: db, req: req)
        }
    }

    /// Records support other than money: who gives what (a department or a partner organisation).
    static func recordSupport(_ initiative: Initiative, kind: SupportKind, department: UUID?, partner: String, text: String, user: User?, req: Request) async throws {
        let record = InitiativeSupportGiven()
        record.$initiative.id = try initiative.requireID()
        record.kind = kind
        record.departmentID = department
        record.partner = partner
        record.text = text
        record.recordedAt = req.application.clock()
        record.recordedBy = user?.id
        try await req.db.writeTransaction { db in
            try await record.create(on: db)
            try await req.audit(.initiativeSupportGiven, subject(initiative),
                                after: ["kind": kind.rawValue, "by": department?.uuidString ?? partner, "what": PersonalData.masked(text)], on: db)
        }
    }

    /// Marks or unmarks an initiative as a good example ("mooi voorbeeld") for others.
    static func setGoodExample(_ initiative: Initiative, _ value: Bool, expectedVersion: Int, req: Request) async throws {
        let before = publicState(initiative)
        try await req.db.writeTransaction { db in
            try await claim(initiative, expectedVersion: expectedVersion, on: db)
            initiative.goodExample = value
            initiative.updatedAt = req.application.clock()
            try await initiative.update(on: db)
            try await req.audit(.initiativeGoodExample, subject(initiative), before: before, after: publicState(initiative), on: db)
        }
    }

    // MARK: Grants decided by a rule

    /// What an initiative that a rule funds is about, when it did not exist before (a budget round's winner, a
    /// main priority the weighted ranking funds).
    struct DecidedProject {
        var areaID: UUID
        var title: String
        var summary: String
        var place: String
        var period: String
        var theme: String
        var ownContribution: String = ""
        var contactName: String
        var contactEmail: String
    }

    /// A new initiative, granted `cents` from `budget` by a rule; the initiators get `key` as their own link.
    static func createGranted(_ project: DecidedProject, municipality: UUID, cents: Int, budget: UUID, decision: String, reference: String, key: String, demo: Bool,
                              user: User?, at now: Date, req: Request, on db: any Database) async throws -> Initiative {
        let year = DutchTime.calendar.component(.year, from: now)
        let initiative = Initiative()
        initiative.$municipality.id = municipality
        initiative.$area.id = project.areaID
        initiative.year = year
        initiative.sequence = (try await Initiative.query(on: db).filter(\.$municipality.$id == municipality).filter(\.$year == year).max(\.$sequence) ?? 0) + 1
        initiative.code = InitiativeCode.make(year: year, sequence: initiative.sequence)
        initiative.title = project.title
        initiative.summary = project.summary
        initiative.forWhom = project.place
        initiative.place = project.place
        initiative.period = project.period
        initiative.theme = project.theme
        initiative.askedCents = cents
        initiative.kind = .initiative
        initiative.task = ""
        initiative.supportPeople = ""
        initiative.supportKnowledge = ""
        initiative.supportNetwork = ""
        initiative.supportPlace = ""
        initiative.ownContribution = project.ownContribution
        initiative.status = .toDecision
        initiative.contactName = project.contactName
        initiative.contactEmail = project.contactEmail
        initiative.keyHash = sha256Hex(key)
        initiative.goodExample = false
        initiative.demo = demo
        initiative.createdAt = now
        initiative.submittedAt = now
        initiative.version = 0
        try await grantDecided(initiative, cents: cents, budget: budget, decision: decision, reference: reference, user: user, at: now, req: req, on: db)
        return initiative
    }

    /// Grants an initiative `cents` from `budget` because a rule decided so (the round's outcome, a cheque pool
    /// that reached its amount, the ranking): the money is committed in the budget's ledger (which refuses what the
    /// budget no longer has) and the step is in the initiative's history and the audit log, in the caller's transaction.
    static func grantDecided(_ initiative: Initiative, cents: Int, budget: UUID, decision: String, reference: String, user: User?, at now: Date,
                             req: Request, on db: any Database) async throws {
        let isNew = initiative.id == nil
        let from = initiative.status
        initiative.status = .granted
        initiative.budgetID = budget
        initiative.grantedCents = cents
        initiative.decisionText = decision
        initiative.decidedAt = now
        initiative.updatedAt = now
        initiative.version += 1
        if isNew { try await initiative.create(on: db) } else { try await initiative.update(on: db) }
        if cents > 0 {
            try await BudgetLedger.record(.committed, cents: cents, budget: budget, initiative: initiative.id, reference: "\(initiative.code) – \(reference)", by: user, at: now, on: db)
        }
        try await event(initiative, .grant, from: from, to: .granted, text: decision, user: user, at: now, on: db)
        try await req.audit(isNew ? .initiativePropose : .initiativeStep, subject(initiative), after: publicState(initiative), on: db)
    }

    // MARK: Parts

    /// Takes the initiative at the version the person saw (a conditional UPDATE: the same on SQLite and PostgreSQL).
    static func claim(_ initiative: Initiative, expectedVersion: Int, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.raw("UPDATE initiatives SET version = version + 1 WHERE id = \(bind: try initiative.requireID()) AND version = \(bind: expectedVersion) RETURNING version").all()
        guard rows.count == 1 else { throw conflict() }
        initiative.version = expectedVersion + 1
    }

    private static func move(_ initiative: Initiative, _ step: InitiativeStep, to: InitiativeStatus, text: String?, user: User?, at now: Date,
                             on db: any Database, req: Request) async throws {
        let before = publicState(initiative)
        let from = initiative.status
        initiative.status = to
        initiative.updatedAt = now
        try await initiative.update(on: db)
        try await event(initiative, step, from: from, to: to, text: text, user: user, at: now, on: db)
        try await req.audit(.initiativeStep, subject(initiative), before: before, after: publicState(initiative), on: db)
        if !initiative.demo && user != nil { try await InitiativeMailer.statusChanged(initiative, text: text, req: req, on: db) }
    }

    static func event(_ initiative: Initiative, _ step: InitiativeStep, from: InitiativeStatus, to: InitiativeStatus, text: String?, user: User?,
                      at now: Date, on db: any Database) async throws {
        let e = InitiativeEvent()
        e.$initiative.id = try initiative.requireID()
        e.at = now
        e.step = step
        e.fromStatus = from
        e.toStatus = to
        e.text = (text ?? "").isEmpty ? nil : text
        e.actorID = user?.id
        try await e.create(on: db)
    }

    /// The audit log names the initiative by code and title (titles are public; personal data is masked).
    static func subject(_ i: Initiative) -> AuditLog.Subject {
        .init(id: i.id?.uuidString, summary: "\(i.code): \(PersonalData.masked(i.title))", municipalityID: i.$municipality.id)
    }

    /// What the audit log compares: the public state, never the contact details.
    static func publicState(_ i: Initiative) -> [String: String] {
        ["status": i.status.rawValue, "asked": String(i.askedCents), "granted": i.grantedCents.map(String.init) ?? "–",
         "budget": i.budgetID?.uuidString ?? "–", "goodExample": i.goodExample ? "ja" : "nee", "decision": i.decisionText.map { PersonalData.masked($0) } ?? "–"]
    }
}
