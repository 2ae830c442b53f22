import Vapor
import Prometheus

/// Request metrics in Prometheus format at /metrics. One registry per application (not the global
/// MetricsSystem, so tests can run many applications in one process).
final class AppMetrics: Sendable {
    let registry = PrometheusCollectorRegistry()
    private static let buckets: [Duration] = [.milliseconds(1), .milliseconds(5), .milliseconds(10), .milliseconds(25), .milliseconds(50),
                                              .milliseconds(100), .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(5)]

    func observe(method: String, route: String, status: UInt, seconds: Double) {
        let labels = [("method", method), ("route", route), ("status", String(status))]
        registry.makeCounter(descriptor: .init(metricName: "wijkwerk_http_requests", unitName: "total", helpText: "HTTP requests answered"),
                             labels: labels).increment()
        registry.makeDurationHistogram(descriptor: .init(metricName: "wijkwerk_http_request_duration", unitName: "seconds", helpText: "Time to answer a request"),
                                       labels: [("route", route)], buckets: Self.buckets)
            .record(.nanoseconds(Int64(seconds * 1e9)))
    }
}

extension Application {
    private struct MetricsKey: StorageKey { typealias Value = AppMetrics }
    var metrics: AppMetrics {
        if let m = storage[MetricsKey.self] { return m }
        let m = AppMetrics()
        storage[MetricsKey.self] = m
        return m
    }
}

struct OperationsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get("health", use: health)
        open.get("metrics", use: metrics) // behind its own bearer token
    }

    struct Health: Content { var status: String; var database: String }

    func health(req: Request) async throws -> Response {
        var database = "ok"
        do { _ = try await Municipality.query(on: req.db).count() } catch { database = "unavailable" }
        let response = try await Health(status: database == "ok" ? "ok" : "degraded", database: database).encodeResponse(for: req)
        response.status = database == "ok" ? .ok : .serviceUnavailable
        return response
    }

    /// Only with the configured bearer token; without a token configured the endpoint does not exist.
    func metrics(req: Request) async throws -> Response {
        guard let token = req.application.config.metricsToken else { throw Abort(.notFound) }
        guard let given = req.headers.bearerAuthorization?.token, constantTimeEqual(given, token) else {
            return Response(status: .unauthorized, headers: ["WWW-Authenticate": "Bearer realm=\"metrics\""])
        }
        let body = req.application.metrics.registry.emitToString()
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "plain", parameters: ["version": "0.0.4", "charset": "utf-8"])
        return Response(status: .ok, headers: headers, body: .init(string: body))
    }
}
