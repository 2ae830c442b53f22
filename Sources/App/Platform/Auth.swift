import Vapor
import Fluent
import Domain

extension Request {
    /// The signed-in staff member, if any.
    var authUser: User? { auth.get(User.self).flatMap { $0.active ? $0 : nil } }

    /// The signed-in staff member, or a redirect to the login page.
    /// An account that must log in in two steps and has not set it up yet reaches only the set-up page
    /// (`allowingSetup`); every other staff page sends it there.
    func requireUser(allowingSetup: Bool = false) throws -> User {
        guard let user = authUser, user.active else { throw LoginRequired(returnTo: url.path) }
        if !allowingSetup && hasSession && session.data[TwoFactor.setupRequiredKey] == "1" && !url.path.hasPrefix(Site.twoFactor.link()) {
            throw TwoFactorSetupRequired()
        }
        return user
    }

    /// The signed-in user as an `Actor` for the permission rules (with their area scope loaded).
    /// Loaded once per request (by `AccessMiddleware` on staff routes) and kept.
    func actor() async throws -> Actor {
        if let cached = storage[ActorKey.self] { return cached }
        let user = try requireUser()
        let areaIDs = try await UserArea.query(on: db).filter(\.$user.$id == user.requireID()).all().map(\.$area.id)
        let actor = Actor(userID: try user.requireID(), role: user.role, municipalityID: user.$municipality.id,
                          areaIDs: Set(areaIDs), departmentID: user.$department.id)
        storage[ActorKey.self] = actor
        return actor
    }

    /// The actor when someone is signed in, else nil (for public pages that show more to staff).
    func optionalActor() async throws -> Actor? { authUser == nil ? nil : try await actor() }

    /// Checks an action against the permission rules; a 403 page when not allowed.
    @discardableResult
    func authorize(_ action: Domain.Action) async throws -> Actor {
        let actor = try await actor()
        guard Permissions.allows(actor, action) else { throw AppError.forbidden }
        return actor
    }
}

private struct ActorKey: StorageKey { typealias Value = Actor }

/// Thrown when a page needs a signed-in user; answered with a redirect to the login page.
struct LoginRequired: Error { var returnTo: String }

struct LoginRedirectMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch is TwoFactorSetupRequired {
            return req.redirect(to: Site.twoFactor.link())
        } catch let error as LoginRequired {
            if req.url.path.hasPrefix("/api/") { throw AppError(status: .unauthorized, key: "error.401") }
            let target = ReturnPath.validated(error.returnTo) ?? "/"
            var allowed = CharacterSet.urlPathAllowed
            allowed.remove(charactersIn: "?&=+#")
            return req.redirect(to: Site.login.link() + "?terug=" + (target.addingPercentEncoding(withAllowedCharacters: allowed) ?? "/"))
        }
    }
}
