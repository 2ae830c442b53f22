import Vapor
import Fluent
import SQLKit
import Domain

/// Ideas for an area and their supports: posting, supporting with a confirmed address (one support per person,
/// the address never stored with it), the coordinator's public answer, and the step to an initiative.
enum IdeaService {
    struct Posting: Sendable { var areaID: UUID; var title: String; var text: String; var theme: InitiativeTheme; var name: String; var email: String }

    static func read(_ values: [String: String], snapshot s: MunicipalitySnapshot) -> Result<Posting, ValidationFailure> {
        var errors: [FieldError] = []
        let area = s.area(slug: values["gebied"] ?? "")
        if area == nil { errors.append(FieldError("gebied", "initiative.areaMissing")) }
        let title = Input.text(values["titel"], field: "titel", max: 120).collect(into: &errors)
        let text = Input.text(values["tekst"], field: "tekst", max: 4000).collect(into: &errors)
        let theme = InitiativeTheme(rawValue: values["thema"] ?? "")
        if theme == nil { errors.append(FieldError("thema", "initiative.themeMissing")) }
        let name = Input.text(values["naam"], field: "naam", max: 120).collect(into: &errors)
        let email = Credentials.normaliseEmail(values["email"] ?? "", field: "email").collect(into: &errors)
        guard errors.isEmpty, let area, let title, let text, let theme, let name, let email else { return .failure(ValidationFailure(errors)) }
        return .success(Posting(areaID: area.id, title: title, text: text, theme: theme, name: name, email: email))
    }

    /// Posts an idea; `also` runs in the same transaction (a budget round adds the idea as one of its projects).
    static func post(_ p: Posting, municipalityID: UUID, demo: Bool = false, also: (@Sendable (Idea, any Database) async throws -> Void)? = nil,
                     req: Request) async throws -> Idea {
        let now = req.application.clock()
        let year = DutchTime.calendar.component(.year, from: now)
        for attempt in 1...4 {
            let idea = Idea()
            idea.$municipality.id = municipalityID
            idea.$area.id = p.areaID
            idea.year = year
            idea.title = p.title
            idea.text = p.text
            idea.theme = p.theme.rawValue
            idea.status = .open
            idea.posterName = p.name
            idea.posterEmail = p.email
            idea.supportCount = 0
            idea.salt = randomToken(bytes: 16)
            idea.demo = demo
            idea.createdAt = now
            idea.updatedAt = now
            do {
                try await req.db.writeTransaction { db in
                    idea.sequence = (try await Idea.query(on: db).filter(\.$municipality.$id == municipalityID).filter(\.$year == year).max(\.$sequence) ?? 0) + 1
                    idea.code = IdeaRules.code(year: year, sequence: idea.sequence)
                    try await idea.create(on: db)
                    try await req.audit(.ideaPost, subject(idea), after: publicState(idea), on: db)
                    try await also?(idea, db)
                    guard !demo else { return }
                    let m = try await Municipality.find(municipalityID, on: db)
                    let link = req.application.config.publicURL + Site.idea.link(m?.slug ?? "", idea.code)
                    try await Outbox.enqueue(to: p.email, subject: req.t("idea.mail.postedSubject", idea.code), body: req.t("idea.mail.postedBody", p.name, p.title, link), at: now, on: db)
                    for person in try await StaffDirectory.people(with: .areaCoordinator, municipality: municipalityID, area: p.areaID, department: nil, on: db) {
                        try await Outbox.enqueue(to: person.email, subject: req.application.localizer.text("idea.mail.newSubject", .nl, [idea.code]),
                                                 body: req.application.localizer.text("idea.mail.newBody", .nl, [p.title, req.application.config.publicURL + Site.ideaWorkItem.link(idea.id!.uuidString)]),
                                                 at: now, on: db)
                    }
                }
                return idea
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                continue
            }
        }
        throw AppError(status: .serviceUnavailable, key: "error.503")
    }

    // MARK: Supports

    /// Asks for a support: mails a confirmation link to the address. The answer is the same whether or not the
    /// address already supports the idea (nobody learns who supports what); a second request renews the link.
    static func requestSupport(_ idea: Idea, email: String, municipalitySlug: String, req: Request) async throws {
        guard idea.status.acceptsSupport else { throw ValidationFailure([FieldError("email", "idea.notOpen")], status: .conflict) }
        let now = req.application.clock()
        let supporter = sha256Hex(IdeaRules.supporterKey(idea: try idea.requireID(), normalisedEmail: email, pepper: idea.salt))
        let token = randomToken(bytes: 24)
        try await req.db.writeTransaction { db in
            if let existing = try await IdeaSupport.query(on: db).filter(\.$idea.$id == idea.requireID()).filter(\.$supporterHash == supporter).first() {
                guard existing.confirmedAt == nil else { return } // already counted: no new mail, the same answer
                existing.tokenHash = sha256Hex(token)
                existing.createdAt = now
                try await existing.update(on: db)
            } else {
                let support = IdeaSupport()
                support.$idea.id = try idea.requireID()
                support.supporterHash = supporter
                support.tokenHash = sha256Hex(token)
                support.createdAt = now
                do { try await support.create(on: db) } catch let error as any DatabaseError where error.isConstraintFailure { return } // the same address at the same moment
            }
            let link = req.application.config.publicURL + Site.ideaSupportConfirm.link(municipalitySlug, idea.code, token)
            try await Outbox.enqueue(to: email, subject: req.t("idea.mail.supportSubject", idea.title), body: req.t("idea.mail.supportBody", idea.title, link, String(IdeaRules.confirmationHours)),
                                     at: now, on: db)
        }
    }

    enum Confirmation { case counted, already, expired, unknown }

    /// Confirms a support through its link; counted once, also when the link is opened twice at the same moment.
    static func confirm(_ idea: Idea, token: String, req: Request) async throws -> Confirmation {
        let now = req.application.clock()
        guard let support = try await IdeaSupport.query(on: req.db).filter(\.$idea.$id == idea.requireID()).filter(\.$tokenHash == sha256Hex(token)).first() else { return .unknown }
        if support.confirmedAt != nil { return .already }
        if now.timeIntervalSince(support.createdAt) > Double(IdeaRules.confirmationHours) * 3600 { return .expired }
        guard idea.status.acceptsSupport else { return .unknown }
        return try await req.db.writeTransaction { db in
            guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
            let rows = try await sql.raw("UPDATE idea_supports SET confirmed_at = \(bind: now) WHERE id = \(bind: try support.requireID()) AND confirmed_at IS NULL RETURNING id").all()
            guard rows.count == 1 else { return .already }
            try await sql.raw("UPDATE ideas SET support_count = support_count + 1 WHERE id = \(bind: try idea.requireID())").run()
            return .counted
        }
    }

    // MARK: Coordinator

    static func answer(_ idea: Idea, text: String, close: Bool, outsidePlan: UUID? = nil, req: Request) async throws {
        let before = publicState(idea)
        let now = req.application.clock()
        idea.answer = text
        idea.answeredAt = now
        idea.outsidePlanID = outsidePlan
        if close { idea.status = .closed }
        idea.updatedAt = now
        try await req.db.writeTransaction { db in
            try await idea.update(on: db)
            try await req.audit(close ? .ideaClose : .ideaAnswer, subject(idea), before: before, after: publicState(idea), on: db)
            guard !idea.demo else { return }
            let m = try await Municipality.find(idea.$municipality.id, on: db)
            try await Outbox.enqueue(to: idea.posterEmail, subject: req.application.localizer.text("idea.mail.answerSubject", .nl, [idea.code]),
                                     body: req.application.localizer.text("idea.mail.answerBody", .nl, [idea.posterName, idea.title, text,
                                                                                                       req.application.config.publicURL + Site.idea.link(m?.slug ?? "", idea.code)]),
                                     at: now, on: db)
        }
    }

    /// The idea became an initiative: its page links there (called in the initiative's own transaction).
    static func link(_ idea: Idea, to initiative: Initiative, req: Request, on db: any Database) async throws {
        guard idea.status == .open else { return }
        let before = publicState(idea)
        idea.initiativeID = initiative.id
        idea.status = .becameInitiative
        idea.updatedAt = req.application.clock()
        try await idea.update(on: db)
        try await req.audit(.ideaAnswer, subject(idea), before: before, after: publicState(idea), on: db)
    }

    static func subject(_ idea: Idea) -> AuditLog.Subject {
        .init(id: idea.id?.uuidString, summary: "\(idea.code): \(PersonalData.masked(idea.title))", municipalityID: idea.$municipality.id)
    }

    static func publicState(_ idea: Idea) -> [String: String] {
        ["status": idea.status.rawValue, "answer": idea.answer.map { PersonalData.masked($0) } ?? "–", "initiative": idea.initiativeID?.uuidString ?? "–"]
    }
}
