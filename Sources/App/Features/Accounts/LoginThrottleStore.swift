import Vapor
import Fluent
import SQLKit
import Domain

/// Counts login attempts per e-mail address exactly, also when many arrive at the same moment.
///
/// An attempt is counted *before* the password is checked (`LoginThrottle.reservingAttempt`), with a
/// compare-and-set on the row's version: `UPDATE … WHERE email = ? AND version = ? RETURNING id`. Of
/// two attempts that read the same state only one writes; the other reads again and counts on top
/// of it. So 50 parallel wrong passwords lead to exactly five checked passwords and a lock, on
/// SQLite and PostgreSQL alike. A successful login removes the row.
enum LoginThrottleStore {
    enum Outcome {
        /// The attempt may check the password; `after` is the state if the password turns out wrong.
        case proceed(after: LoginThrottle)
        /// Locked: the password is not checked.
        case locked(LoginThrottle)
    }

    static func reserve(email: String, now: Date, on db: any Database) async throws -> Outcome {
        for _ in 0..<200 {
            if let row = try await LoginThrottleRecord.query(on: db).filter(\.$email == email).first() {
                guard let next = row.state.reservingAttempt(at: now) else { return .locked(row.state) }
                let sql = db as! any SQLDatabase
                var update = sql.update(LoginThrottleRecord.schema)
                    .set("failures", to: next.failures)
                    .set("version", to: row.version + 1)
                    .where("email", .equal, email)
                    .where("version", .equal, row.version)
                update = next.windowStart.map { update.set("window_start", to: $0) } ?? update.set("window_start", to: SQLLiteral.null)
                update = next.lockedUntil.map { update.set("locked_until", to: $0) } ?? update.set("locked_until", to: SQLLiteral.null)
                let written = try await update.returning("id").all()
                if !written.isEmpty { return .proceed(after: next) }
            } else {
                guard let next = LoginThrottle().reservingAttempt(at: now) else { continue }
                let row = LoginThrottleRecord()
                row.email = email
                row.failures = next.failures
                row.windowStart = next.windowStart
                row.lockedUntil = next.lockedUntil
                row.version = 0
                do {
                    try await row.create(on: db)
                    return .proceed(after: next)
                } catch let error as any DatabaseError where error.isConstraintFailure {
                    continue // another attempt created it first: count on top of that one
                }
            }
        }
        // Contention beyond any real login form: refuse rather than check unthrottled.
        return .locked(LoginThrottle(lockedUntil: now.addingTimeInterval(60)))
    }

    static func clear(email: String, on db: any Database) async throws {
        try await LoginThrottleRecord.query(on: db).filter(\.$email == email).delete()
    }
}
