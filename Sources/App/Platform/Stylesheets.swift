import Vapor

/// Serves the files in Public/ (stylesheets) and nothing else: other paths, and absurdly long ones, never
/// reach the file system.
struct StylesheetMiddleware: AsyncMiddleware {
    let files: FileMiddleware
    init(_ files: FileMiddleware) { self.files = files }

    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.url.path.hasPrefix("/css/"), req.url.path.utf8.count < 256 else { return try await next.respond(to: req) }
        return try await files.respond(to: req, chainingTo: next)
    }
}
