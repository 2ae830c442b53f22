import Vapor

/// Serves the files in Public/ (stylesheets, the map script and the vendored Leaflet) and nothing else: other
/// paths, and absurdly long ones, never reach the file system.
struct StylesheetMiddleware: AsyncMiddleware {
    let files: FileMiddleware
    init(_ files: FileMiddleware) { self.files = files }
    /// The folders of Public/ that are served (and may be cached by browsers).
    static let prefixes = ["/css/", "/js/", "/vendor/"]
    static let files: Set<String> = ["/favicon.ico", "/favicon.svg"]
    static func serves(_ path: String) -> Bool { files.contains(path) || (prefixes.contains { path.hasPrefix($0) } && !path.contains("..")) }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard Self.serves(req.url.path), req.url.path.utf8.count < 256 else { return try await next.respond(to: req) }
        return try await files.respond(to: req, chainingTo: next)
    }
}
