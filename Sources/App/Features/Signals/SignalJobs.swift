import Vapor
import Fluent
import SQLKit
import Domain

/// The signals' background work: the escalation ladder, the system's time-outs and the removal of reporters'
/// contact details after the retention period. Each is idempotent and safe to run from several instances.
enum SignalJobs {
    struct Report: Sendable, Equatable {
        var escalations = 0
        var timeouts = 0
        var contactsRemoved = 0
        var photosRemoved = 0
        var followersRemoved = 0
    }

    static func run(app: Application, now: Date) async throws -> Report {
        var report = Report()
        let mailer = SignalMailer(app)
        for m in try await Municipality.query(on: app.db).all() {
            if Task.isCancelled { break }
            let config = try await SignalConfiguration.load(try m.requireID(), on: app.db)
            report.escalations += try await escalate(municipality: try m.requireID(), config: config, now: now, on: app.db, mailer: mailer)
            report.timeouts += try await timeouts(municipality: try m.requireID(), now: now, on: app.db, mailer: mailer)
            report.contactsRemoved += try await removeContacts(municipality: try m.requireID(), retentionDays: config.settings.retentionDays, now: now, on: app.db)
            report.followersRemoved += try await SignalFollowing.purge(municipality: try m.requireID(), retentionDays: config.settings.retentionDays, now: now, on: app.db)
        }
        report.photosRemoved = try await ReportPhotoHold.purge(now: now, on: app.db)
        return report
    }

    static let openStates = SignalState.allCases.filter { !$0.isClosed }

    /// Records each due ladder step once (the unique (signal, level) index makes a second instance's insert
    /// fail). Only signals whose `next_escalation_at` has passed are read, so the job stays cheap at a million signals.
    static func escalate(municipality: UUID, config: SignalConfiguration, now: Date, on db: any Database, mailer: SignalMailer) async throws -> Int {
        let candidates = try await Signal.query(on: db).filter(\.$municipality.$id == municipality)
            .filter(\.$nextEscalationAt < now).filter(\.$state ~~ openStates).all()
        guard !candidates.isEmpty else { return 0 }
        let ids = try candidates.map { try $0.requireID() }
        var done: [UUID: Set<Int>] = [:]
        for chunk in stride(from: 0, to: ids.count, by: 500).map({ Array(ids[$0..<min($0 + 500, ids.count)]) }) {
            for e in try await SignalEscalation.query(on: db).filter(\.$signal.$id ~~ chunk).filter(\.$level != nil).all() {
                done[e.$signal.id, default: []].insert(e.level!)
            }
        }
        var count = 0
        var people: [String: [User]] = [:]
        // A few hundred signals per transaction; an escalation another instance recorded first is skipped by
        // ON CONFLICT DO NOTHING (the unique (signal, level) index), so a batch never fails on it.
        for batch in stride(from: 0, to: candidates.count, by: 200).map({ Array(candidates[$0..<min($0 + 200, candidates.count)]) }) {
            // On shutdown the batch under way finishes; the rest waits for the next run (nothing is lost: each step is recorded once).
            if Task.isCancelled { break }
            var plans: [(Signal, [EscalationStep], Set<Int>)] = []
            for signal in batch {
                let recorded = done[try signal.requireID()] ?? []
                let due = EscalationLadder.dueSteps(config.ladder, deadline: signal.deadline, state: signal.state, now: now,
                                                    alreadyEscalated: recorded, holidays: config.settings.holidays)
                for step in due {
                    let key = SignalScope.key(step.role, for: signal)
                    if people[key] == nil { people[key] = try await SignalScope.people(with: step.role, for: signal, on: db) }
                }
                plans.append((signal, due, recorded))
            }
            let cache = people, work = plans
            count += try await db.writeTransaction { db in
                guard let sql = db as? any SQLDatabase else { return 0 }
                var inserted = 0
                for (signal, due, before) in work {
                    let id = try signal.requireID()
                    var recorded = before
                    for step in due {
                        let rows = try await sql.raw("""
                            INSERT INTO signal_escalations (id, signal_id, level, role, at) VALUES (\(bind: UUID()), \(bind: id), \(bind: step.level), \(bind: step.role.rawValue), \(bind: now))
                            ON CONFLICT (signal_id, level) DO NOTHING RETURNING id
                            """).all()
                        recorded.insert(step.level)
                        guard rows.count == 1 else { continue }
                        inserted += 1
                        try await SignalService.event(signal, kind: .escalated, user: nil, escalation: step, at: now, on: db)
                        try await mailer.escalated(signal, role: step.role, reason: nil, at: now, on: db, people: cache[SignalScope.key(step.role, for: signal)] ?? [])
                    }
                    let next = config.ladder.filter { !recorded.contains($0.level) }
                        .map { EscalationLadder.moment(of: $0, deadline: signal.deadline ?? now, holidays: config.settings.holidays) }.min()
                    try await Signal.query(on: db).filter(\.$id == id)
                        .set(\.$escalationLevel, to: recorded.max() ?? 0).set(\.$nextEscalationAt, to: next).update()
                }
                return inserted
            }
        }
        return count
    }

    /// No answer from the reporter within 5 days, or from the external party within 14: the system moves on.
    static func timeouts(municipality: UUID, now: Date, on db: any Database, mailer: SignalMailer) async throws -> Int {
        var count = 0
        for state in SignalState.allCases {
            guard let timeout = state.timeout else { continue }
            let limit = now.addingTimeInterval(-Double(timeout.days) * 86_400)
            let waiting = try await Signal.query(on: db).filter(\.$municipality.$id == municipality)
                .filter(\.$state == state).filter(\.$stateChangedAt < limit).all()
            for signal in waiting {
                do {
                    try await SignalService.change(signal, expectedVersion: signal.version, to: timeout.to, publicText: nil,
                                                   note: "automatisch na \(timeout.days) dagen", user: nil, initiator: .system,
                                                   at: now, on: db, mailer: mailer)
                    count += 1
                } catch is SignalConflict {
                    continue
                }
            }
        }
        return count
    }

    /// Removes the reporter's e-mail and phone a retention period after closing; the signal and its history stay.
    static func removeContacts(municipality: UUID, retentionDays: Int, now: Date, on db: any Database) async throws -> Int {
        let limit = SignalRules.contactRetentionCutoff(now: now, retentionDays: retentionDays)
        let expired = try await Signal.query(on: db).filter(\.$municipality.$id == municipality)
            .filter(\.$state ~~ [SignalState.afgehandeld, .geannuleerd])
            .filter(\.$closedAt < limit).filter(\.$contactRemovedAt == nil).all()
        var count = 0
        for signal in expired where signal.hasContact || signal.feedbackText != nil {
            try await Signal.query(on: db).filter(\.$id == signal.requireID())
                .set(\.$reporterEmail, to: nil).set(\.$reporterPhone, to: nil).set(\.$feedbackText, to: nil)
                .set(\.$contactRemovedAt, to: now).update()
            // The reporter's own words in the history (feedback, answers to questions) go too.
            try await SignalEvent.query(on: db).filter(\.$signal.$id == signal.requireID()).filter(\.$kind == .feedback).set(\.$internalNote, to: nil).update()
            try await SignalEvent.query(on: db).filter(\.$signal.$id == signal.requireID()).filter(\.$internalNote =~ SignalService.reporterAnswerPrefix)
                .set(\.$internalNote, to: nil).update()
            count += 1
        }
        return count
    }
}
