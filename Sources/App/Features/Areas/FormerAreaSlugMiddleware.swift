import Vapor
import Fluent

/// A public page asked for by an area's former slug is moved permanently (301) to the same page under the current one.
struct FormerAreaSlugMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: any AsyncResponder) async throws -> Response {
        guard req.method == .GET || req.method == .HEAD, let route = req.route, route.path.contains(.parameter("area")),
              route.path.first == .constant("gemeenten"), let slug = req.parameters.get("area"), let key = req.parameters.get("municipality"),
              let m = try? await req.municipality(key) else { return try await next.respond(to: req) }
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        guard snapshot.area(slug: slug) == nil,
              let former = try await FormerAreaSlug.query(on: req.db).filter(\.$municipality.$id == m.requireID()).filter(\.$slug == slug).first(),
              let current = snapshot.areas.first(where: { $0.id == former.$area.id }) else { return try await next.respond(to: req) }
        var components = req.url.path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        if let i = components.firstIndex(of: "gebieden"), i + 1 < components.count, components[i + 1] == slug { components[i + 1] = current.slug }
        let target = components.joined(separator: "/") + (req.url.query.map { "?" + $0 } ?? "")
        return req.redirect(to: target, redirectType: .permanent)
    }
}
