import Vapor
import Leaf
import LeafKit

/// The interface languages. Dutch is the default.
public enum Language: String, CaseIterable, Sendable, Codable {
    case nl, en

    /// From `?lang=`, then the `lang` cookie, then Accept-Language.
    static func of(_ req: Request) -> Language {
        if let q = req.query[String.self, at: "lang"], let l = Language(rawValue: q) { return l }
        if let c = req.cookies["lang"]?.string, let l = Language(rawValue: c) { return l }
        for entry in req.headers[.acceptLanguage].flatMap({ $0.split(separator: ",") }) {
            let tag = entry.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            if tag.hasPrefix("nl") { return .nl }
            if tag.hasPrefix("en") { return .en }
        }
        return .nl
    }
}

/// Interface texts from Resources/Localization/<lang>.json. Values may hold {0}, {1}… for arguments.
public struct Localizer: Sendable {
    private let tables: [Language: [String: String]]

    public init(directory: String) throws {
        var tables: [Language: [String: String]] = [:]
        for language in Language.allCases {
            let path = directory + language.rawValue + ".json"
            guard let data = FileManager.default.contents(atPath: path) else {
                throw Abort(.internalServerError, reason: "Missing localisation file \(path)")
            }
            tables[language] = try JSONDecoder().decode([String: String].self, from: data)
        }
        self.tables = tables
    }

    public func keys(_ language: Language) -> Set<String> { Set(tables[language]?.keys ?? [:].keys) }

    public func text(_ key: String, _ language: Language, _ args: [String] = []) -> String {
        var text = tables[language]?[key] ?? tables[.nl]?[key] ?? key
        for (i, arg) in args.enumerated() { text = text.replacingOccurrences(of: "{\(i)}", with: arg) }
        return text
    }
}

extension Application {
    private struct LocalizerKey: StorageKey { typealias Value = Localizer }
    public var localizer: Localizer {
        get { storage[LocalizerKey.self]! }
        set { storage[LocalizerKey.self] = newValue }
    }
    /// The texts when configuration got as far as loading them (for messages of commands that failed early).
    public var localizerIfLoaded: Localizer? { storage[LocalizerKey.self] }
}

extension Request {
    private struct LanguageKey: StorageKey { typealias Value = Language }
    public var language: Language {
        if let cached = storage[LanguageKey.self] { return cached }
        let language = Language.of(self)
        storage[LanguageKey.self] = language
        return language
    }

    /// An interface text in the request's language.
    public func t(_ key: String, _ args: String...) -> String {
        application.localizer.text(key, language, args)
    }

    public func t(_ error: FieldErrorText) -> String { t(error.key, error.values) }

    /// A text with a count: the key's ".one" form for 1, ".many" otherwise; the count is {0}.
    public func tCount(_ key: String, _ count: Int, _ args: String...) -> String {
        t(key + (count == 1 ? ".one" : ".many"), [String(count)] + args)
    }

    func t(_ key: String, _ args: [String]) -> String { application.localizer.text(key, language, args) }
}

public protocol FieldErrorText { var key: String { get }; var values: [String] { get } }

/// Remembers a language chosen with ?lang= in a cookie, so every later page keeps it.
struct LanguageMiddleware: AsyncMiddleware {
    func respond(to req: Request, chainingTo next: AsyncResponder) async throws -> Response {
        let response = try await next.respond(to: req)
        if let q = req.query[String.self, at: "lang"], let language = Language(rawValue: q), req.cookies["lang"]?.string != q {
            response.cookies["lang"] = HTTPCookies.Value(string: language.rawValue, maxAge: 365 * 24 * 3600, path: "/", isHTTPOnly: true, sameSite: .lax)
        }
        return response
    }
}

/// `#t("key")` or `#t("key", arg, …)` in templates: the text in the request's language.
struct TranslateTag: LeafTag {
    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else { throw LeafError(.unknownError("#t needs a text key")) }
        guard let req = ctx.request else { return .string(key) }
        let args = ctx.parameters.dropFirst().map { $0.string ?? $0.description }
        return .string(req.t(key, Array(args)))
    }
}
