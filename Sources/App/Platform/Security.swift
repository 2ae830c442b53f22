import Vapor
import Domain

/// Security headers on every response: no inline script, no framing, no sniffing, a strict referrer policy.
struct SecurityHeadersMiddleware: AsyncMiddleware {
    /// Images also from the background map's tile server, when one is configured.
    static func contentSecurityPolicy(tileOrigin: String?) -> String {
        [
            "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:" + (tileOrigin.map { " " + $0 } ?? ""),
            "font-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'self'",
            "form-action 'self'", "frame-ancestors 'none'",
        ].joined(separator: "; ")
    }
    let contentSecurityPolicy: String

    init(tileOrigin: String?) { contentSecurityPolicy = Self.contentSecurityPolicy(tileOrigin: tileOrigin) }

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        let h = response.headers
        response.headers.replaceOrAdd(name: "Content-Security-Policy", value: contentSecurityPolicy)
        response.headers.replaceOrAdd(name: "X-Frame-Options", value: "DENY")
        response.headers.replaceOrAdd(name: "X-Content-Type-Options", value: "nosniff")
        response.headers.replaceOrAdd(name: "Referrer-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "Permissions-Policy", value: "geolocation=(self), camera=(), microphone=()")
        response.headers.replaceOrAdd(name: "Cross-Origin-Opener-Policy", value: "same-origin")
        response.headers.replaceOrAdd(name: "X-Request-ID", value: req.id)
        // Behind TLS: tell browsers to stay on https, and never send a cookie over plain http.
        if req.cameOverTLS || req.application.config.publicURLIsHTTPS {
            response.headers.replaceOrAdd(name: "Strict-Transport-Security", value: "max-age=31536000; includeSubDomains")
        }
        if req.cameOverTLS, !response.headers[.setCookie].isEmpty {
            var cookies = response.cookies
            for (name, var value) in cookies.all { value.isSecure = true; cookies[name] = value }
            response.cookies = cookies
        }
        if h[.cacheControl].isEmpty && !StylesheetMiddleware.serves(req.url.path) {
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
        if !StylesheetMiddleware.serves(req.url.path) {
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
        let token = randomToken()
        session.data["csrf"] = token
        return token
    }

    /// Whether the posted token matches the session's (compared in constant time).
    func csrfValid(_ submitted: String?) -> Bool {
        guard hasSession, let expected = session.data["csrf"], let submitted, !submitted.isEmpty else { return false }
        return constantTimeEqual(expected, submitted)
    }

    /// Whether the request reached the proxy over TLS: `X-Forwarded-Proto: https` from a trusted proxy.
    var cameOverTLS: Bool {
        guard let peer = remoteAddress?.ipAddress, application.config.trustedProxies.contains(peer) else { return false }
        return headers.first(name: "X-Forwarded-Proto")?.lowercased() == "https"
    }
}

/// Compares two secrets in time that does not depend on where they differ.
func constantTimeEqual(_ a: String, _ b: String) -> Bool {
    let x = Array(a.utf8), y = Array(b.utf8)
    guard x.count == y.count else { return false }
    var diff: UInt8 = 0
    for i in x.indices { diff |= x[i] ^ y[i] }
    return diff == 0
}

/// Random bytes as URL-safe base64 without padding (session ids, tokens).
func randomToken(bytes count: Int = 32) -> String {
    var generator = SystemRandomNumberGenerator()
    let bytes = (0..<count).map { _ in UInt8.random(in: 0...255, using: &generator) }
    return Base64URL.encode(bytes)
}

/// SHA-256 of a secret as lower-case hex, for storing keys that are only ever compared (API keys, own links).
func sha256Hex(_ secret: String) -> String {
    SHA256.hash(data: Data(secret.utf8)).map { String(format: "%02x", $0) }.joined()
}
