import Vapor
import Domain

/// An error with a status and a text key, shown to the user in their language.
struct AppError: AbortError {
    var status: HTTPResponseStatus
    var key: String
    var values: [String] = []
    var reason: String { key }

    static func notFound(_ key: String = "error.notFound", _ values: [String] = []) -> AppError { AppError(status: .notFound, key: key, values: values) }
    static func badRequest(_ key: String, _ values: [String] = []) -> AppError { AppError(status: .badRequest, key: key, values: values) }
    static let forbidden = AppError(status: .forbidden, key: "error.forbidden")
}

/// Answers every error as a page in the user's language, or as JSON under /api; never leaks internals.
struct WijkwerkErrorMiddleware: AsyncMiddleware {
    struct ErrorPage: Encodable {
        var page: PageMeta
        var heading: String
        var message: String
        var status: Int
    }

    struct JSONError: Content {
        struct Body: Content { var status: Int; var message: String; var field: String? }
        var error: Body
    }

    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        do {
            return try await next.respond(to: req)
        } catch {
            let (status, message, field) = describe(error, req)
            if status.code >= 500 {
                req.logger.error("unhandled error", metadata: ["error": .string(String(reflecting: error))])
            }
            if req.url.path.hasPrefix("/open311/") {
                // Open311 clients get an Open311 error document in the format they asked for (also for a body that is too large).
                let format: Open311Value.Format = req.url.path.lowercased().hasSuffix(".xml") ? .xml : .json
                let text = status == .payloadTooLarge ? "The request body is larger than \(Open311Controller.maxBody.value / 1_048_576) MB" : message
                return Open311Error(status: status, description: text).response(format)
            }
            if req.url.path.hasPrefix("/api/") {
                let response = Response(status: status)
                try response.content.encode(JSONError(error: .init(status: Int(status.code), message: message, field: field)))
                return response
            }
            let headingKey = "error.heading.\(status.code)"
            let heading = req.t(headingKey) == headingKey ? req.t("error.heading.other") : req.t(headingKey)
            let context = ErrorPage(page: req.page(heading), heading: heading, message: message, status: Int(status.code))
            do {
                let response = try await req.view.render("Shared/error", context).encodeResponse(for: req)
                response.status = status
                return response
            } catch {
                let response = Response(status: status, body: .init(string: message))
                response.headers.contentType = .plainText
                return response
            }
        }
    }

    private func describe(_ error: Error, _ req: Request) -> (HTTPResponseStatus, String, String?) {
        switch error {
        case let e as AppError:
            return (e.status, req.t(e.key, e.values), nil)
        case let e as FieldError:
            return (.unprocessableEntity, req.t(e), e.field)
        case let e as ValidationFailure:
            return (e.status, e.errors.first.map { req.t($0) } ?? req.t("error.\(e.status.code)"), nil)
        case let e as AbortError:
            let key = "error.\(e.status.code)"
            let text = req.t(key)
            return (e.status, text == key ? req.t("error.generic") : text, nil)
        case is DecodingError:
            return (.badRequest, req.t("error.400"), nil)
        default:
            return (.internalServerError, req.t("error.500"), nil)
        }
    }
}
