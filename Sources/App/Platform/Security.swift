import Vapor

/// Security headers on every response: no inline script, no framing, no sniffing, a strict referrer policy.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    static let contentSecurityPolicy = [
        "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:",
        "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
        "form-action 'self'", "frame-ancestors 'none'",
    ].joined(separator: "; ")

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let h = response.headers
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: Self.contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Permissions-Policy", value: "geolocation=(), camera=(), microphone=()")
        response.headers.replaceOrAdd(name: "Cross-Origin-Opener-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "X-Request-ID", value: req.id)
        if h[.cacheControl].isEmpty && !req.url.path.hasPrefix("/css/") {
            response.headers.replaceOrAdd(name: .cacheControl, value: "no-store")
        }
        return response
    }
}

/// One structured log line per request: method, path (never the query, which may hold personal data), status, duration.
struct AccessLogMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let start = ContinuousClock.now
        let response = try await next.respond(to: req)
        let ms = (ContinuousClock.now - start).milliseconds
        if !req.url.path.hasPrefix("/css/") {
            req.logger.info("request", metadata: [
                "method": .string(req.method.rawValue), "path": .string(req.url.path),
                "status": .stringConvertible(response.status.code), "duration_ms": .stringConvertible(ms),
            ])
        }
        req.application.metrics.observe(method: req.method.rawValue, route: req.route?.description ?? "unmatched", status: response.status.code, seconds: ms / 1000)
        return response
    }
}

extension Duration {
    var milliseconds: Double {
        let (s, a) = components
        return Double(s) * 1000 + Double(a) / 1e15
    }
}

extension Request {
    /// The token that every form posts back; kept in the session.
    func csrfToken() -> String {
        if let token = session.data["csrf"] { return token }
        var bytes = [UInt8](repeating: 0, count: 32)
        for i in bytes.indices { bytes[i] = UInt8.random(in: 0...255) }
        let token = Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
        session.data["csrf"] = token
        return token
    }

    /// Whether the posted token matches the session's (compared in constant time).
    func csrfValid(_ submitted: String?) -> Bool {
        guard hasSession, let expected = session.data["csrf"], let submitted, !submitted.isEmpty else { return false }
        let a = Array(expected.utf8), b = Array(submitted.utf8)
        guard a.count == b.count else { return false }
        var diff: UInt8 = 0
        for i in a.indices { diff |= a[i] ^ b[i] }
        return diff == 0
    }
}
