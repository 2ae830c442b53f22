import Vapor
import Fluent
import SQLKit
import Domain

/// What a report holds after validation, from the web form, staff intake or Open311.
struct SignalIntake: Sendable {
    var municipalityID: UUID
    var category: SignalCategory
    var description: String
    var place: String?
    var position: Position?
    var neighbourhoodID: UUID?
    /// The area of the page the report came from, used when neither a point nor a buurt is given.
    var pageAreaID: UUID?
    var answers: [String: String]
    var email: String?
    var phone: String?
    var photo: (contentType: String, data: Data)?
    var source: String
    var language: Language = .nl
    var demo: Bool = false
}

/// The signal's municipal configuration, read once per operation.
struct SignalConfiguration: Sendable {
    var settings: SignalSettings
    var ladder: [EscalationStep]
    var rules: [RoutingRule]

    static func load(_ municipalityID: UUID, on db: any Database) async throws -> SignalConfiguration {
        let settings = try await SignalSettings.query(on: db).filter(\.$municipality.$id == municipalityID).first() ?? SignalSettings.defaults(municipalityID)
        let ladder = try await EscalationStepRecord.query(on: db).filter(\.$municipality.$id == municipalityID).sort(\.$level).all().map(\.step)
        let rules = try await RoutingRuleRecord.query(on: db).filter(\.$municipality.$id == municipalityID).all()
        return SignalConfiguration(settings: settings, ladder: ladder, rules: rules.map(\.rule))
    }
}

extension SignalSettings {
    static func defaults(_ municipalityID: UUID) -> SignalSettings {
        let s = SignalSettings()
        s.$municipality.id = municipalityID
        s.jurisdiction = ""
        s.goodFriday = false
        s.liberationDay = DutchHolidays.LiberationDay.everyFifthYear.rawValue
        s.retentionDays = SignalRules.defaultRetentionDays
        s.mailStates = SignalSettings.defaultMailStates.map(\.rawValue).joined(separator: ",")
        return s
    }
}

/// A change that lost a race with another one (the signal changed since the form was shown).
struct SignalConflict: Error {}

enum SignalService {
    /// How the reporter's answer to a question starts in the history (removed with the contact details).
    static let reporterAnswerPrefix = "Antwoord van de melder: "
    /// Stores a new signal: area from the point or buurt, department by the routing rules, deadline from the
    /// category, a unique tracking code, the history's first entries, and the confirmation mail.
    /// Stores a new signal with its history, photo and confirmation mail in one transaction. `alongside`
    /// runs in the same transaction (a client's idempotency record), so both are stored or neither.
    static func report(_ intake: SignalIntake, at now: Date, on db: any Database, mailer: SignalMailer,
                       alongside: (@Sendable (Signal, any Database) async throws -> Void)? = nil) async throws -> Signal {
        let config = try await SignalConfiguration.load(intake.municipalityID, on: db)
        let category = intake.category
        var areaID = intake.pageAreaID
        if let nid = intake.neighbourhoodID, let n = try await Neighbourhood.find(nid, on: db) { areaID = n.$area.id ?? areaID }
        let route = Routing.route(RoutingInput(categoryID: try category.requireID(), mainCategoryID: category.parentID, areaID: areaID, at: now),
                                  rules: config.rules)
        for attempt in 0..<5 {
            let signal = Signal()
            signal.$municipality.id = intake.municipalityID
            signal.trackingCode = TrackingCode.make()
            signal.$category.id = try category.requireID()
            signal.areaID = areaID
            signal.neighbourhoodID = intake.neighbourhoodID
            signal.text = intake.description
            signal.place = intake.place
            signal.lat = intake.position?.lat
            signal.lon = intake.position?.lon
            signal.answersJSON = AuditLog.json(intake.answers)
            signal.state = .gemeld
            signal.departmentID = route?.departmentID
            signal.assigneeID = route?.assigneeID
            signal.deadline = category.term.deadline(reportedAt: now, holidays: config.settings.holidays)
            signal.reportedAt = now
            signal.stateChangedAt = now
            signal.source = intake.source
            signal.reporterEmail = intake.email
            signal.reporterPhone = intake.phone
            signal.escalationLevel = 0
            signal.nextEscalationAt = signal.deadline
            signal.version = 1
            signal.demo = intake.demo
            signal.hasPhoto = intake.photo != nil
            signal.language = intake.language.rawValue
            signal.reporterKey = TrackingCode.secret()
            do {
                try await db.writeTransaction { db in
                    try await signal.create(on: db)
                    try await event(signal, kind: .created, user: nil, actor: intake.source, to: .gemeld, at: now, on: db)
                    if let route {
                        let name = try await Department.find(route.departmentID, on: db)?.name ?? ""
                        try await event(signal, kind: .routed, user: nil, actor: "systeem", note: name, at: now, on: db)
                    }
                    if let photo = intake.photo {
                        let record = SignalPhoto()
                        record.$signal.id = try signal.requireID()
                        record.contentType = photo.contentType
                        record.data = photo.data
                        try await record.create(on: db)
                    }
                    if let email = intake.email { try await mailer.confirmation(signal, category: category, to: email, at: now, on: db) }
                    try await alongside?(signal, db)
                }
                return signal
            } catch let error as any DatabaseError where error.isConstraintFailure && attempt < 4 {
                continue // a tracking code collision: draw a new one
            }
        }
        throw AppError(status: .serviceUnavailable, key: "error.503")
    }

    static func event(_ signal: Signal, kind: SignalEvent.Kind, user: User?, actor: String? = nil, from: SignalState? = nil, to: SignalState? = nil,
                      publicText: String? = nil, note: String? = nil, escalation: EscalationStep? = nil, at now: Date, on db: any Database) async throws {
        let e = SignalEvent()
        e.$signal.id = try signal.requireID()
        e.at = now
        e.kind = kind
        e.userID = user?.id
        e.actor = user?.name ?? actor ?? "systeem"
        e.fromState = from?.rawValue
        e.toState = to?.rawValue
        e.publicText = publicText
        e.internalNote = note
        e.escalationLevel = escalation?.level
        e.escalationRole = escalation?.role
        try await e.create(on: db)
    }

    /// Claims the signal at the version the user saw; fails with a conflict when someone else changed it first.
    /// Works the same on SQLite and PostgreSQL (the conditional UPDATE takes the row lock).
    static func claim(_ signal: Signal, expectedVersion: Int, on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        let rows = try await sql.raw("UPDATE signals SET version = version + 1 WHERE id = \(bind: try signal.requireID()) AND version = \(bind: expectedVersion) RETURNING version").all()
        guard rows.count == 1 else { throw SignalConflict() }
        signal.version = expectedVersion + 1
    }

    /// A state change by staff or by the system, checked against the state machine. Closing a main signal
    /// cancels its open duplicates with a text that points to the main one.
    static func change(_ signal: Signal, expectedVersion: Int, to target: SignalState, publicText: String?, note: String?,
                       user: User?, initiator: SignalState.Initiator, at now: Date, on db: any Database, mailer: SignalMailer) async throws {
        let from = signal.state
        let problems = SignalTransition(from: from, to: target, publicText: publicText, initiator: initiator).problems()
        if let problem = problems.first { throw problem }
        try await db.writeTransaction { db in
            try await claim(signal, expectedVersion: expectedVersion, on: db)
            try await apply(signal, to: target, publicText: publicText, note: note, user: user, at: now, on: db, mailer: mailer)
            if target == .afgehandeld {
                let duplicates = try await Signal.query(on: db).filter(\.$mainSignal.$id == signal.requireID()).all()
                for duplicate in duplicates where !duplicate.state.isClosed && duplicate.state.canMove(to: .geannuleerd, by: .system) {
                    try await claim(duplicate, expectedVersion: duplicate.version, on: db)
                    // In the duplicate's reporter's language.
                    let text = mailer.localizer.text("signal.duplicateClosed", Language(rawValue: duplicate.language) ?? .nl, [signal.trackingCode, publicText ?? ""])
                    try await apply(duplicate, to: .geannuleerd, publicText: text, note: nil, user: nil, at: now, on: db, mailer: mailer)
                }
            }
        }
    }

    private static func apply(_ signal: Signal, to target: SignalState, publicText: String?, note: String?, user: User?,
                              at now: Date, on db: any Database, mailer: SignalMailer) async throws {
        let from = signal.state
        signal.state = target
        signal.stateChangedAt = now
        let reopened = !target.isClosed && target != .verzoekTotHeropenen && (from.isClosed || from == .verzoekTotHeropenen)
        if target.isClosed { signal.closedAt = now } else if reopened { signal.closedAt = nil }
        if reopened {
            signal.feedbackSatisfied = nil
            signal.feedbackText = nil
            signal.feedbackAt = nil
        }
        try await signal.update(on: db)
        let text = publicText?.trimmingCharacters(in: .whitespacesAndNewlines)
        try await event(signal, kind: .state, user: user, from: from, to: target, publicText: text?.isEmpty == true ? nil : text,
                        note: note?.isEmpty == true ? nil : note, at: now, on: db)
        try await mailer.stateChanged(signal, to: target, publicText: text, at: now, on: db)
    }

    /// Links a signal to a main signal as a duplicate (same municipality, not itself, no chains).
    static func link(_ signal: Signal, expectedVersion: Int, to main: Signal, user: User, at now: Date, on db: any Database) async throws {
        try await db.writeTransaction { db in
            try await claim(signal, expectedVersion: expectedVersion, on: db)
            signal.mainSignalID = try main.requireID()
            try await signal.update(on: db)
            try await event(signal, kind: .linked, user: user, note: main.trackingCode, at: now, on: db)
        }
    }

    /// Moves a signal to another department (and person), recorded in its history.
    static func reassign(_ signal: Signal, expectedVersion: Int, department: Department, assignee: User?, user: User, at now: Date, on db: any Database) async throws {
        try await db.writeTransaction { db in
            try await claim(signal, expectedVersion: expectedVersion, on: db)
            signal.departmentID = try department.requireID()
            signal.assigneeID = assignee?.id
            try await signal.update(on: db)
            try await event(signal, kind: .routed, user: user, note: department.name + (assignee.map { " – " + $0.name } ?? ""), at: now, on: db)
        }
    }

    /// Staff correct the subject during handling: the deadline is computed again from the new subject (from the
    /// moment of reporting), the escalation job looks at it again, and the history says what changed.
    static func changeCategory(_ signal: Signal, expectedVersion: Int, to category: SignalCategory, user: User, note: String,
                               at now: Date, on db: any Database) async throws {
        let config = try await SignalConfiguration.load(signal.$municipality.id, on: db)
        try await db.writeTransaction { db in
            try await claim(signal, expectedVersion: expectedVersion, on: db)
            signal.$category.id = try category.requireID()
            signal.deadline = category.term.deadline(reportedAt: signal.reportedAt, holidays: config.settings.holidays)
            signal.nextEscalationAt = signal.deadline
            try await signal.update(on: db)
            try await event(signal, kind: .category, user: user, note: note, at: now, on: db)
        }
    }

    /// A council member (or other staff) escalates by hand, with a reason; goes to the area's alderman.
    static func escalateByHand(_ signal: Signal, reason: String, user: User, at now: Date, on db: any Database, mailer: SignalMailer) async throws {
        try await db.writeTransaction { db in
            let e = SignalEscalation()
            e.$signal.id = try signal.requireID()
            e.level = nil
            e.role = .areaAlderman
            e.at = now
            e.reason = reason
            e.byUserID = user.id
            try await e.create(on: db)
            try await event(signal, kind: .escalated, user: user, note: reason, at: now, on: db)
            try await mailer.escalated(signal, role: .areaAlderman, reason: reason, at: now, on: db)
        }
    }

    /// The reporter's answer to the satisfaction question; a negative one within 14 days asks to reopen.
    static func feedback(_ signal: Signal, satisfied: Bool, text: String?, at now: Date, on db: any Database, mailer: SignalMailer) async throws -> Bool {
        guard signal.state == .afgehandeld, let closedAt = signal.closedAt else { throw AppError(status: .conflict, key: "signal.feedback.notClosed") }
        guard signal.feedbackAt == nil else { throw AppError(status: .conflict, key: "signal.feedback.alreadyGiven") }
        let reopens = SignalRules.feedbackRequestsReopen(satisfied: satisfied, closedAt: closedAt, answeredAt: now)
        try await db.writeTransaction { db in
            try await claim(signal, expectedVersion: signal.version, on: db)
            signal.feedbackSatisfied = satisfied
            signal.feedbackText = text
            signal.feedbackAt = now
            try await signal.update(on: db)
            try await event(signal, kind: .feedback, user: nil, actor: "melder", note: (satisfied ? "tevreden" : "niet tevreden") + (text.map { ": " + $0 } ?? ""), at: now, on: db)
            if reopens {
                try await apply(signal, to: .verzoekTotHeropenen, publicText: nil, note: nil, user: nil, at: now, on: db, mailer: mailer)
            }
        }
        return reopens
    }
}
