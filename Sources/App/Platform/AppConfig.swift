import Vapor
import Domain

/// All configuration, read once from the environment. Fails fast with every problem listed at once.
public struct AppConfig: Sendable {
    public enum Database: Sendable, Equatable {
        case sqliteFile(String)
        case sqliteMemory
        case postgres(URL)
    }

    public var database: Database
    public var dataDirectory: String
    public var loadDemo: Bool
    public var secureCookies: Bool
    public var runScheduler: Bool
    public var mailDirectory: String
    /// The sendmail program to deliver mail with; without it, mail is written to `mailDirectory`.
    public var sendmail: String?
    /// The address residents and staff reach Wijkwerk on, for links in mail.
    public var publicURL: String = "http://localhost:8080"
    /// How many invented signals the demo gets (WIJKWERK_DEMO_SIGNALS, default 320).
    public var demoSignals: Int = 320
    /// The municipality's general phone number and e-mail address, shown on area pages and in the emergency
    /// note (WIJKWERK_CONTACT_PHONE, WIJKWERK_CONTACT_EMAIL); questions for an area without a coordinator go to the address.
    public var contactPhone: String? = nil
    public var contactEmail: String? = nil
    /// The national address service used when no address register is imported (WIJKWERK_GEOCODER_URL; PDOK's
    /// Locatieserver by default, empty to switch it off).
    public var geocoderURL: String? = nil
    public static let defaultGeocoderURL = "https://api.pdok.nl/bzk/locatieserver/search/v3_1/free"
    /// The background map's tiles for the map in the browser (WIJKWERK_TILE_URL, with {z}, {x} and {y}; PDOK's
    /// BRT-Achtergrondkaart by default, empty for no background map: the server-drawn map then stays).
    public var tileURL: String? = nil
    public static let defaultTileURL = "https://service.pdok.nl/brt/achtergrondkaart/wmts/v2_0/standaard/EPSG:3857/{z}/{x}/{y}.png"
    /// The origin of `tileURL` (scheme, host and port), which the content security policy allows images from.
    public var tileOrigin: String? {
        guard let tileURL, let url = URL(string: tileURL.replacingOccurrences(of: "{", with: "").replacingOccurrences(of: "}", with: "")),
              let scheme = url.scheme, let host = url.host else { return nil }
        return "\(scheme)://\(host)" + (url.port.map { ":\($0)" } ?? "")
    }
    /// The key that seals stored secrets (WIJKWERK_SECRET_KEY, 32 bytes in base64); without it `secret.key` in the data folder.
    public var secretKey: Data? = nil
    /// Staff log in through the municipality's own identity provider too (OpenID Connect), when configured.
    public var openID: OpenIDSettings? = nil
    /// Survey figures from fewer respondents than this are shown as "too few answers" (WIJKWERK_SURVEY_MINIMUM, default 30).
    public var surveyMinimumRespondents: Int = 30
    /// The bearer token `/metrics` asks for (WIJKWERK_METRICS_TOKEN); without it `/metrics` is off (404).
    public var metricsToken: String? = nil
    /// Proxies whose `X-Forwarded-Proto` and `X-Forwarded-For` are believed (WIJKWERK_TRUSTED_PROXIES,
    /// comma-separated addresses; default the loopback addresses).
    public var trustedProxies: Set<String> = ["127.0.0.1", "::1"]
    /// Whether the public address is https (then cookies are Secure and HSTS is sent on every answer).
    public var publicURLIsHTTPS: Bool { publicURL.lowercased().hasPrefix("https://") }

    public struct Invalid: Error, CustomStringConvertible {
        public var problems: [String]
        public var description: String {
            "Wijkwerk cannot start; fix these environment variables (see .env.example):\n" + problems.map { "  - \($0)" }.joined(separator: "\n")
        }
    }

    public static func load(from env: [String: String]) throws -> AppConfig {
        var problems: [String] = []
        let dataDirectory = env["WIJKWERK_DATA_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? "./data"

        func flag(_ name: String, default value: Bool) -> Bool {
            guard let raw = env[name], !raw.isEmpty else { return value }
            switch raw.lowercased() {
            case "1", "true", "yes", "on": return true
            case "0", "false", "no", "off": return false
            default:
                problems.append("\(name)=\(raw) is not a yes/no value (use true or false)")
                return value
            }
        }

        var database = Database.sqliteFile(dataDirectory + "/wijkwerk.sqlite")
        if let raw = env["DATABASE_URL"], !raw.isEmpty {
            if raw == "sqlite::memory:" {
                database = .sqliteMemory
            } else if let url = URL(string: raw), let scheme = url.scheme, ["postgres", "postgresql"].contains(scheme), url.host != nil {
                database = .postgres(url)
            } else if raw.hasPrefix("sqlite://") {
                database = .sqliteFile(String(raw.dropFirst("sqlite://".count)))
            } else {
                problems.append("DATABASE_URL must look like postgres://user:password@host:5432/name or sqlite:///path/file.sqlite")
            }
        }
        let config = AppConfig(
            database: database,
            dataDirectory: dataDirectory,
            loadDemo: flag("WIJKWERK_DEMO", default: true),
            secureCookies: flag("WIJKWERK_SECURE_COOKIES", default: false),
            runScheduler: flag("WIJKWERK_SCHEDULER", default: true),
            mailDirectory: env["WIJKWERK_MAIL_DIR"].flatMap { $0.isEmpty ? nil : $0 } ?? dataDirectory + "/mail",
            sendmail: env["WIJKWERK_SENDMAIL"].flatMap { $0.isEmpty ? nil : $0 }
        )
        var result = config
        if let raw = env["WIJKWERK_PUBLIC_URL"], !raw.isEmpty {
            if let url = URL(string: raw), ["http", "https"].contains(url.scheme ?? ""), url.host != nil {
                result.publicURL = raw.hasSuffix("/") ? String(raw.dropLast()) : raw
            } else {
                problems.append("WIJKWERK_PUBLIC_URL=\(raw) must be an http(s) address such as https://wijkwerk.oss.nl")
            }
        }
        if let raw = env["WIJKWERK_METRICS_TOKEN"], !raw.isEmpty {
            if raw.count >= 16, raw.allSatisfy({ $0.isASCII && !$0.isWhitespace && !$0.isNewline }) { result.metricsToken = raw }
            else { problems.append("WIJKWERK_METRICS_TOKEN must be at least 16 visible ASCII characters (for example: openssl rand -hex 24)") }
        }
        if let raw = env["WIJKWERK_CONTACT_PHONE"], !raw.isEmpty {
            if raw.count <= 30, raw.allSatisfy({ $0.isNumber || " +-()".contains($0) }) { result.contactPhone = raw }
            else { problems.append("WIJKWERK_CONTACT_PHONE must be a phone number such as 14 0412 or +31 412 629 911") }
        }
        if let raw = env["WIJKWERK_CONTACT_EMAIL"], !raw.isEmpty {
            switch Credentials.normaliseEmail(raw) {
            case .success(let email): result.contactEmail = email
            case .failure: problems.append("WIJKWERK_CONTACT_EMAIL must be an e-mail address such as info@gemeente.nl")
            }
        }
        result.geocoderURL = defaultGeocoderURL
        result.tileURL = defaultTileURL
        if let raw = env["WIJKWERK_GEOCODER_URL"] {
            if raw.isEmpty { result.geocoderURL = nil }
            else if let url = URL(string: raw), ["http", "https"].contains(url.scheme ?? ""), url.host != nil { result.geocoderURL = raw }
            else { problems.append("WIJKWERK_GEOCODER_URL=\(raw) must be an http(s) address such as https://api.pdok.nl/bzk/locatieserver/search/v3_1/free (or empty for none)") }
        }
        if let raw = env["WIJKWERK_TILE_URL"] {
            if raw.isEmpty { result.tileURL = nil }
            else if ["{z}", "{x}", "{y}"].allSatisfy(raw.contains), raw.hasPrefix("http://") || raw.hasPrefix("https://"),
                    !raw.contains(where: { $0 == "'" || $0 == ";" || $0 == " " || $0 == "\"" }) { result.tileURL = raw }
            else { problems.append("WIJKWERK_TILE_URL=\(raw) must be an http(s) address with {z}, {x} and {y} (or empty for none)") }
        }
        if let raw = env["WIJKWERK_SECRET_KEY"], !raw.isEmpty {
            if let key = Data(base64Encoded: raw), key.count == 32 { result.secretKey = key }
            else { problems.append("WIJKWERK_SECRET_KEY must be 32 bytes in base64 (for example: openssl rand -base64 32)") }
        }
        let oidc = ["WIJKWERK_OIDC_ISSUER", "WIJKWERK_OIDC_CLIENT_ID", "WIJKWERK_OIDC_CLIENT_SECRET"].map { env[$0].flatMap { $0.isEmpty ? nil : $0 } }
        if oidc.contains(where: { $0 != nil }) {
            if let issuer = oidc[0], let id = oidc[1], let secret = oidc[2], OpenIDProvider.isWebAddress(issuer), !issuer.contains("?"), !issuer.contains("#") {
                let label = env["WIJKWERK_OIDC_LABEL"].flatMap { $0.isEmpty ? nil : String($0.prefix(60)) }
                result.openID = OpenIDSettings(issuer: issuer, clientID: id, clientSecret: secret, label: label)
            } else {
                problems.append("WIJKWERK_OIDC_ISSUER (an http(s) address such as https://login.microsoftonline.com/TENANT/v2.0), WIJKWERK_OIDC_CLIENT_ID and WIJKWERK_OIDC_CLIENT_SECRET go together: set all three, or none")
            }
        }
        if let raw = env["WIJKWERK_TRUSTED_PROXIES"], !raw.isEmpty {
            result.trustedProxies = Set(raw.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty })
        }
        // Behind https the session cookie is Secure unless explicitly switched off.
        if env["WIJKWERK_SECURE_COOKIES"].map({ $0.isEmpty }) ?? true, result.publicURLIsHTTPS { result.secureCookies = true }
        if let raw = env["WIJKWERK_DEMO_SIGNALS"], !raw.isEmpty {
            if let n = Int(raw), (0...100_000).contains(n) { result.demoSignals = n } else { problems.append("WIJKWERK_DEMO_SIGNALS=\(raw) must be a number from 0 to 100000") }
        }
        if let raw = env["WIJKWERK_SURVEY_MINIMUM"], !raw.isEmpty {
            if let n = Int(raw), (1...10_000).contains(n) { result.surveyMinimumRespondents = n } else { problems.append("WIJKWERK_SURVEY_MINIMUM=\(raw) must be a number from 1 to 10000") }
        }
        if !problems.isEmpty { throw Invalid(problems: problems) }
        return result
    }
}

extension Application {
    private struct ConfigKey: StorageKey { typealias Value = AppConfig }
    public var config: AppConfig {
        get {
            guard let config = storage[ConfigKey.self] else { fatalError("AppConfig not set; call configure(_:) first") }
            return config
        }
        set { storage[ConfigKey.self] = newValue }
    }
}
