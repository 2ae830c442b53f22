import Vapor
import Fluent
import NIOConcurrencyHelpers
import Domain

/// Background work as plain functions, run by the scheduler inside the server (every minute, when
/// WIJKWERK_SCHEDULER is on) and by `wijkwerk jobs run [--now DATE]` for operators and tests.
enum Jobs {
    struct Summary: Sendable, CustomStringConvertible {
        var signals = SignalJobs.Report()
        var mailSent = 0
        var adviceEscalations = 0
        var sessionsRemoved = 0
        var description: String {
            "escalations: \(signals.escalations), time-outs: \(signals.timeouts), contacts removed: \(signals.contactsRemoved), held photos removed: \(signals.photosRemoved), followers removed: \(signals.followersRemoved), advice escalations: \(adviceEscalations), mail sent: \(mailSent), expired sessions removed: \(sessionsRemoved)"
        }
    }

    static func runAll(app: Application, now: Date) async throws -> Summary {
        var summary = Summary()
        summary.signals = try await SignalJobs.run(app: app, now: now)
        summary.adviceEscalations = try await AdviceJobs.escalate(app: app, now: now)
        summary.mailSent = try await Outbox.deliver(app: app, now: now)
        try await Outbox.purge(now: now, on: app.db)
        summary.sessionsRemoved = try await SessionStore.purge(now: now, on: app.db)
        try await AccountTokens.purge(now: now, on: app.db)
        try await Open311Idempotency.purge(now: now, on: app.db)
        return summary
    }
}

/// Runs the jobs every minute while the server runs; one run at a time.
struct JobScheduler: LifecycleHandler {
    private let task = NIOLockedValueBox<Task<Void, Never>?>(nil)

    func didBootAsync(_ app: Application) async throws {
        let handle = Task {
            while !Task.isCancelled {
                do {
                    let summary = try await Jobs.runAll(app: app, now: app.clock())
                    app.logger.debug("jobs ran", metadata: ["summary": "\(summary)"])
                } catch {
                    app.logger.error("jobs failed", metadata: ["error": "\(String(reflecting: type(of: error)))"])
                }
                try? await Task.sleep(for: .seconds(60))
            }
        }
        task.withLockedValue { $0 = handle }
    }

    /// Stops after the batch under way (the jobs check for cancellation between batches) and waits for it,
    /// so no job touches the database after it was closed.
    func shutdownAsync(_ app: Application) async {
        guard let handle = task.withLockedValue({ $0 }) else { return }
        handle.cancel()
        await handle.value
    }
}

/// `wijkwerk jobs run [--now 2026-12-01T09:00:00+01:00]`.
struct JobsCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Argument(name: "action", help: "run") var action: String
        @Option(name: "now", help: "the moment to run as (ISO 8601, or a day yyyy-MM-dd); default: now") var now: String?
    }
    var help: String { "Run the background jobs once (escalations, time-outs, retention, mail)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        guard signature.action == "run" else { throw CommandError.invalidArgumentType("action", type: String.self) }
        var now = context.application.clock()
        if let raw = signature.now {
            guard let parsed = ISO8601DateFormatter().date(from: raw) ?? Format.parseDay(raw) else {
                context.console.error("--now must be an ISO 8601 moment (2026-12-01T09:00:00+01:00) or a day (2026-12-01)")
                throw CommandError.invalidArgumentType("now", type: Date.self)
            }
            now = parsed
        }
        let summary = try await Jobs.runAll(app: context.application, now: now)
        context.console.print(summary.description)
    }
}
