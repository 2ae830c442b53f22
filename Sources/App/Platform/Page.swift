import Vapor
import Domain

extension FieldError: FieldErrorText {}

/// What every page shows around its own content: title, language, user, breadcrumbs, errors.
struct PageMeta: Encodable {
    struct Crumb: Encodable { var title: String; var href: String; var current: Bool }
    struct NavItem: Encodable { var title: String; var href: String; var current: Bool }
    /// A line of the error summary: "Label: message", the label taken from the page's field when the page is
    /// rendered (fields are built after the page frame), so the summary names the question it is about.
    struct ErrorLink: Encodable {
        var href: String
        var message: String
        var field: String
        let labels: FieldLabels?
        enum CodingKeys: String, CodingKey { case href, message }
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: CodingKeys.self)
            try c.encode(href, forKey: .href)
            let label = labels?.label(for: field)
            try c.encode(label.map { "\($0): " + message } ?? message, forKey: .message)
        }
    }
    struct UserBadge: Encodable { var name: String; var role: String }

    var title: String
    var lang: String
    var otherLanguageHref: String
    var otherLanguageLabel: String
    var otherLanguageCode: String
    var csrf: String
    var user: UserBadge?
    var isAdmin: Bool
    var breadcrumbs: [Crumb]
    var nav: [NavItem]
    var errors: [ErrorLink]
    var status: String?
    var demo: Bool
    var alternateCalendar: String?
    /// The municipality's general phone number, for the emergency note.
    var contactPhone: String? = nil
    /// The page has a map the browser may turn into a background map (loads Leaflet and the map script).
    var interactiveMap = false
}

extension Request {
    /// The page frame. `heading` is the page's subject; the municipality (if any) follows it in the title.
    func page(_ heading: String, municipality: String? = nil, crumbs: [(String, String)] = [], errors: [FieldError] = [], status: String? = nil) -> PageMeta {
        var title = heading
        if let municipality { title += " – " + t("municipality.titleSuffix", municipality) } else if !heading.contains("Wijkwerk") { title += " – Wijkwerk" }
        let fieldErrors = errors.filter { $0.field != "formulier" }
        if !fieldErrors.isEmpty {
            title = tCount("form.errorTitle", fieldErrors.count) + " – " + title
        } else if !errors.isEmpty {
            title = t("form.errorPrefix") + " " + title
        }
        let other: Language = language == .nl ? .en : .nl
        var components = URLComponents(string: url.string) ?? URLComponents()
        var items = (components.queryItems ?? []).filter { $0.name != "lang" }
        items.append(URLQueryItem(name: "lang", value: other.rawValue))
        components.queryItems = items
        let user = authUser
        var crumbItems = [PageMeta.Crumb(title: t("nav.home"), href: "/", current: false)]
        crumbItems += crumbs.map { PageMeta.Crumb(title: $0.0, href: $0.1, current: false) }
        crumbItems.append(.init(title: heading, href: url.path, current: true))
        var nav = [PageMeta.NavItem(title: t("nav.home"), href: "/", current: url.path == "/")]
        if let user {
            // Exactly what the role may open: the same rule the routes check (`AccessMiddleware`).
            for item in StaffNavigation.items where item.access == .signedIn || item.access.kinds.contains(where: { user.mayEver($0) }) {
                let current = url.path == item.path || (item.access != .signedIn && url.path.hasPrefix(item.path + "/"))
                nav.append(.init(title: t(item.titleKey), href: item.path, current: current))
            }
        } else {
            nav.append(.init(title: t("nav.login"), href: Site.login.link(), current: url.path == Site.login.link()))
        }
        return PageMeta(
            title: title,
            lang: language.rawValue,
            otherLanguageHref: components.url?.relativeString ?? "?lang=\(other.rawValue)",
            otherLanguageLabel: other == .en ? "English" : "Nederlands",
            otherLanguageCode: other.rawValue,
            csrf: user == nil ? "" : csrfToken(),
            user: user.map { PageMeta.UserBadge(name: $0.name, role: t("role." + $0.role.rawValue)) },
            isAdmin: user?.mayEver(.administer) ?? false,
            breadcrumbs: url.path == "/" ? [] : crumbItems,
            nav: nav,
            errors: errors.map { .init(href: "#" + $0.field, message: t($0), field: $0.field, labels: fieldLabels) },
            status: status,
            demo: application.config.loadDemo,
            alternateCalendar: nil,
            contactPhone: application.config.contactPhone
        )
    }
}

/// One form field as a page shows it: label, description, error and control (interface-guide §2).
struct FieldView: Encodable {
    struct Option: Encodable { var value: String; var label: String; var selected: Bool; var id: String }
    var name: String
    var id: String
    var label: String
    var type: String
    var value: String
    var description: String?
    var error: String?
    var optional: Bool
    var autocomplete: String?
    var options: [Option]
    var describedBy: String?
    /// For file inputs: the accepted types (e.g. "application/pdf").
    var accept: String? = nil

    init(_ req: Request, name: String, label: String, type: String = "text", value: String = "", description: String? = nil,
         optional: Bool = false, autocomplete: String? = nil, options: [(value: String, label: String)] = [],
         selected: Set<String> = [], errors: [FieldError] = []) {
        self.name = name
        id = name
        self.label = label
        self.type = type
        self.value = value
        self.description = description
        self.optional = optional
        self.autocomplete = autocomplete
        let chosen = selected.isEmpty ? [value] : selected
        self.options = options.enumerated().map { i, o in
            Option(value: o.value, label: o.label, selected: chosen.contains(o.value), id: i == 0 ? name : "\(name)-\(i)")
        }
        error = errors.first(where: { $0.field == name }).map { req.t($0) }
        if !label.isEmpty { req.fieldLabels.register(name, label) }
        let ids = [description == nil ? nil : "\(name)-uitleg", error == nil ? nil : "\(name)-fout"].compactMap { $0 }
        describedBy = ids.isEmpty ? nil : ids.joined(separator: " ")
    }
}

struct FormView: Encodable {
    var action: String
    var submitLabel: String
    var fields: [FieldView]
    var csrf: String
    var showRequiredNote: Bool
}

/// Escapes text for HTML element content and attribute values.
enum HTML {
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}

/// Dutch and English number formatting: 13.595 / 13,595.
enum Format {
    static func number(_ n: Int?, _ language: Language) -> String {
        guard let n else { return "–" }
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(language == .nl ? "." : ",") }
            out.append(ch)
        }
        return (n < 0 ? "-" : "") + out
    }

    /// A number with at most two decimals: 1,5 in Dutch, 1.5 in English.
    static func decimal(_ value: Double, _ language: Language) -> String {
        let rounded = (value * 100).rounded() / 100
        var text = rounded == rounded.rounded() ? String(Int(rounded)) : String(rounded)
        if language == .nl { text = text.replacingOccurrences(of: ".", with: ",") }
        return text
    }

    private static func locale(_ language: Language) -> String { language == .nl ? "nl_NL" : "en_GB" }

    /// "23 november 2026, 19.30 uur" / "23 November 2026, 19:30".
    static func dateTime(_ date: Date, _ language: Language) -> String {
        DutchTime.string(from: date, pattern: language == .nl ? "d MMMM yyyy, HH.mm 'uur'" : "d MMMM yyyy, HH:mm", locale: locale(language))
    }

    /// "23 november 2026".
    static func day(_ date: Date, _ language: Language) -> String {
        DutchTime.string(from: date, pattern: "d MMMM yyyy", locale: locale(language))
    }

    /// The day in the Netherlands as yyyy-MM-dd.
    static func isoDay(_ date: Date) -> String {
        DutchTime.string(from: date, pattern: "yyyy-MM-dd")
    }

    /// A yyyy-MM-dd text as the start of that day in the Netherlands (nil for a date that does not exist).
    /// A day typed as yyyy-mm-dd, in a sane window (1900–2199): "22026-05-01" is a typing error, not a date.
    static func parseDay(_ text: String) -> Date? {
        let t = text.trimmingCharacters(in: .whitespaces)
        guard t.wholeMatch(of: /(19|20|21)[0-9]{2}-[01][0-9]-[0-3][0-9]/) != nil else { return nil }
        return DutchTime.date(from: t, pattern: "yyyy-MM-dd")
    }

    static func isoDate(_ date: Date) -> String {
        DutchTime.string(from: date, pattern: "yyyy-MM-dd'T'HH:mm:ssxxx")
    }
}

/// The labels of the fields on the page being built, for the error summary.
final class FieldLabels: @unchecked Sendable {
    private let lock = NSLock()
    private var labels: [String: String] = [:]
    func register(_ name: String, _ label: String) { lock.lock(); labels[name] = label; lock.unlock() }
    func label(for name: String) -> String? { lock.lock(); defer { lock.unlock() }; return labels[name] }
}

extension Request {
    private struct FieldLabelsKey: StorageKey { typealias Value = FieldLabels }
    var fieldLabels: FieldLabels {
        if let existing = storage[FieldLabelsKey.self] { return existing }
        let made = FieldLabels()
        storage[FieldLabelsKey.self] = made
        return made
    }
}

extension Request {
    /// This page's own address with `pagina=n`, keeping every other filter in the query.
    func pageLink(_ n: Int) -> String {
        var components = URLComponents(string: url.string) ?? URLComponents()
        components.queryItems = (components.queryItems ?? []).filter { $0.name != "pagina" } + [URLQueryItem(name: "pagina", value: String(n))]
        return components.url?.relativeString ?? "?pagina=\(n)"
    }
}
