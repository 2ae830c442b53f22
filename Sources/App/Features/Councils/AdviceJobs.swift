import Vapor
import Fluent
import Domain

/// Late answers to council advice escalate through the municipality's ladder (coordinator, area manager, alderman),
/// once per level, by mail; run by the scheduler with the other jobs.
enum AdviceJobs {
    static func escalate(app: Application, now: Date) async throws -> Int {
        let db = app.db
        var count = 0
        for m in try await Municipality.query(on: db).all() {
            let mid = try m.requireID()
            let settings = try await CouncilSettings.load(mid, on: db)
            let config = try await SignalConfiguration.load(mid, on: db)
            let ladder = config.ladder.filter { $0.role.scopeKind != .department }
            guard !ladder.isEmpty else { continue }
            let councils = try await Council.query(on: db).filter(\.$municipality.$id == mid).all()
            guard !councils.isEmpty else { continue }
            let waiting = try await CouncilAdvice.query(on: db).filter(\.$council.$id ~~ councils.compactMap(\.id)).filter(\.$givenOn != nil).filter(\.$answeredOn == nil)
                .filter(\.$givenOn < now.addingTimeInterval(-Double(settings.answerDays) * 86_400)).all()
            for advice in waiting {
                guard let given = advice.givenOn, let council = councils.first(where: { $0.id == advice.$council.id }) else { continue }
                let done = Set(try await AdviceEscalation.query(on: db).filter(\.$advice.$id == advice.requireID()).all().map(\.level))
                let due = CouncilRules.answerDue(givenOn: given, termDays: settings.answerDays)
                for step in EscalationLadder.dueSteps(ladder, deadline: due, state: .gemeld, now: now, alreadyEscalated: done, holidays: config.settings.holidays) {
                    do {
                        try await db.writeTransaction { db in
                            let e = AdviceEscalation()
                            e.$advice.id = try advice.requireID()
                            e.level = step.level
                            e.role = step.role
                            e.at = now
                            try await e.create(on: db)
                            let people = try await StaffDirectory.people(with: step.role, municipality: mid, area: council.$area.id, department: nil, on: db)
                            for user in people {
                                try await Outbox.enqueue(to: user.email, subject: app.localizer.text("advice.mail.escalated.subject", .nl, [council.name]),
                                                         body: app.localizer.text("advice.mail.escalated.body", .nl, [advice.subject, council.name, Format.day(due, .nl),
                                                                                  "\(app.config.publicURL)/gemeenten/\(m.slug)/adviezen/\(advice.id!)"]), at: now, on: db)
                            }
                        }
                        count += 1
                    } catch let error as any DatabaseError where error.isConstraintFailure {
                        continue
                    }
                }
            }
        }
        return count
    }
}
