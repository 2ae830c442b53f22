import Vapor
import Domain

/// Cross-site request forgery protection for every state-changing browser route, in one place: the route's
/// body is read (within its size limit), the posted `csrf` token is compared with the session's, and a
/// form without a valid token never reaches its handler. Instead the visitor gets the same form back to
/// send again, with everything typed kept (except passwords and files) and a fresh token, so nothing is lost.
/// JSON and Open311 APIs are excluded (they do not use cookies for authority).
enum CSRFGuard {
    static let userInfoMaxBody: AnySendableHashable = "wijkwerk.maxBody"

    static func applies(to req: Request) -> Bool {
        applies(method: req.method, path: req.url.path)
    }

    static func applies(method: HTTPMethod, path: String) -> Bool {
        guard ![.GET, .HEAD, .OPTIONS].contains(method) else { return false }
        // One-click unsubscribe (RFC 8058) comes from a mail program without cookies; the token in the path is the authority.
        if path.hasPrefix("/volgen/") && path.hasSuffix("/stoppen") { return false }
        return !path.hasPrefix("/api/") && !path.hasPrefix("/open311/")
    }

    /// Reads the body within the route's limit and checks the token; nil when the request may go on.
    static func check(_ req: Request) async throws -> Response? {
        let max = (req.route?.userInfo[userInfoMaxBody] as? Int) ?? req.application.routes.defaultMaxBodySize.value
        if req.body.data == nil { _ = try await req.body.collect(max: max).get() }
        let form = FormParts.read(req)
        if req.csrfValid(form["csrf"]) { return nil }
        return try await expiredPage(req, form: form)
    }

    struct ExpiredPage: Encodable {
        struct Field: Encodable { var name: String; var value: String }
        var page: PageMeta
        var heading: String
        var message: String
        var action: String
        var csrf: String
        var fields: [Field]
        var hadFiles: Bool
    }

    private static func expiredPage(_ req: Request, form: FormParts) async throws -> Response {
        let kept = form.all.flatMap { name, values in values.map { ExpiredPage.Field(name: name, value: $0) } }
            .filter { $0.name != "csrf" && !$0.name.lowercased().contains("password") && !$0.name.lowercased().contains("wachtwoord") }
            .sorted { $0.name < $1.name }
        let heading = req.t("form.expiredTitle")
        let context = ExpiredPage(page: req.page(heading, errors: [FieldError("formulier", "form.csrf")]), heading: heading, message: req.t("form.csrf"),
                                  action: req.url.string, csrf: req.csrfToken(), fields: kept, hadFiles: !form.files.isEmpty)
        return try await req.render("Shared/form-expired", context, status: .forbidden)
    }
}

extension Route {
    /// A larger body than the default for this form route (uploads), also while the token is checked.
    @discardableResult
    func maxBody(_ size: ByteCount) -> Route {
        userInfo[CSRFGuard.userInfoMaxBody] = size.value
        return self
    }
}
