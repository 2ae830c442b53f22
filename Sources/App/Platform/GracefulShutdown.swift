import Vapor
import NIOConcurrencyHelpers

/// Counts the requests being handled, so that a shutdown can wait for them before the databases close.
final class InFlightRequests: Sendable {
    private let state = NIOLockedValueBox<(count: Int, draining: Bool)>((0, false))

    /// Starts a request; false once the server is draining (the request is then refused with 503).
    func enter() -> Bool {
        state.withLockedValue { s in
            if s.draining { return false }
            s.count += 1
            return true
        }
    }
    func leave() { state.withLockedValue { $0.count -= 1 } }
    var count: Int { state.withLockedValue { $0.count } }
    func startDraining() { state.withLockedValue { $0.draining = true } }

    /// Waits until no request is running, at most `timeout`; returns how many were still running.
    func waitUntilIdle(timeout: Duration) async -> Int {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while count > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        return count
    }
}

extension Application {
    private struct InFlightKey: StorageKey { typealias Value = InFlightRequests }
    var inFlight: InFlightRequests {
        if let existing = storage[InFlightKey.self] { return existing }
        let made = InFlightRequests()
        storage[InFlightKey.self] = made
        return made
    }
}

/// The outermost middleware: counts every request while it runs (also after its client went away,
/// because the handler keeps running), and refuses new ones with 503 while the server drains.
struct InFlightMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        let tracker = req.application.inFlight
        guard tracker.enter() else {
            return Response(status: .serviceUnavailable, headers: ["Connection": "close", "Retry-After": "5"])
        }
        defer { tracker.leave() }
        return try await next.respond(to: req)
    }
}

/// The order of a clean stop on SIGTERM or SIGINT: stop accepting connections and let the open ones
/// finish (Vapor's quiescing, at most 10 s), wait for handlers still running (at most 10 s), and only
/// then let the scheduler and the databases stop. Registered last, so it runs first.
struct GracefulShutdown: LifecycleHandler {
    static let drainTimeout: Duration = .seconds(10)

    func shutdownAsync(_ app: Application) async {
        app.inFlight.startDraining()
        await app.server.shutdown()
        let left = await app.inFlight.waitUntilIdle(timeout: Self.drainTimeout)
        if left > 0 {
            app.logger.warning("shutdown: requests still running after the drain time", metadata: ["requests": "\(left)"])
        } else {
            app.logger.info("shutdown: every request finished")
        }
    }
}
