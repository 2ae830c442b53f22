import Vapor
import Fluent
import Domain

/// Open311 `POST requests`: a client app reports a signal (an API key per municipality, optional
/// `Idempotency-Key`), through the same intake as the report form.
extension Open311Controller {
    // MARK: POST requests

    func post(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        return try await respond(req, file: file) { format, p in
            let (name, _) = try Self.split(file)
            guard name == "requests" else { throw Open311Error(status: .notFound, description: "Unknown resource \(name)") }
            let (m, _) = try await jurisdiction(req, p)
            // The key never travels in the URL, where proxies and logs would keep it.
            if p.queryNames.contains("api_key") {
                throw Open311Error(status: .badRequest, description: "Send api_key in the request body or the X-Api-Key header, never in the URL")
            }
            let givenKey = p.queryNames.contains("api_key") ? nil : (req.headers.first(name: "X-Api-Key") ?? p["api_key"])
            guard let key = givenKey, let client = try await Open311Key.find(key, municipality: m.requireID(), on: req.db) else {
                throw Open311Error(status: .forbidden, description: "api_key is missing or not valid for this jurisdiction")
            }
            let idempotencyKey = try Open311Idempotency.key(from: req.headers)
            if let idempotencyKey, let earlier = try await Open311Idempotency.earlier(key: idempotencyKey, client: client.requireID(), on: req.db) {
                return try await Self.created(earlier, req: req).response(format, root: "service_requests")
            }
            guard let serviceCode = p["service_code"] else { throw Open311Error(status: .badRequest, description: "service_code is required") }
            for (name, range) in [("lat", -90.0...90.0), ("long", -180.0...180.0)] {
                if let raw = p[name], let value = Double(raw), !range.contains(value) {
                    throw Open311Error(status: .badRequest, description: "\(name): must be a number from \(Int(range.lowerBound)) to \(Int(range.upperBound)) (WGS84 degrees)")
                }
            }
            let hasPoint = p["lat"] != nil || p["long"] != nil
            guard hasPoint || p["address_string"] != nil || p["address_id"] != nil else {
                throw Open311Error(status: .badRequest, description: "Give a location: lat and long, address_string or address_id")
            }
            let snapshot = try await req.areas.snapshot(for: m, on: req.db)
            var neighbourhood: String? = nil
            if let addressID = p["address_id"] {
                guard let n = snapshot.neighbourhoods.first(where: { $0.code.caseInsensitiveCompare(addressID) == .orderedSame }) else {
                    throw Open311Error(status: .badRequest, description: "address_id \(addressID) is not a CBS buurt code of \(m.name) (e.g. BU08280000)")
                }
                neighbourhood = n.id.uuidString
            }
            var answers: [String: String] = [:]
            for (k, v) in p.values where k.hasPrefix("attribute[") && k.hasSuffix("]") { answers[String(k.dropFirst(10).dropLast())] = v }
            let categories = try await leafCategories(m, on: req.db).all
            guard categories.contains(where: { $0.code == serviceCode }) else { throw Open311Error(status: .notFound, description: "Unknown service_code \(serviceCode)") }
            let input = SignalInput(categoryCode: serviceCode, description: p["description"], place: p["address_string"], neighbourhoodID: neighbourhood,
                                    lat: p["lat"], lon: p["long"], answers: answers, email: p["email"], phone: p["phone"], consent: true,
                                    photo: p.media, keepPhotoLocation: false, requireConsent: false)
            let locator = try await req.areas.locator(on: req.db)
            switch input.validate(municipality: snapshot, pageAreaID: nil, categories: categories, source: "open311", language: req.language, locator: locator) {
            case .failure(let failure):
                let field = ["omschrijving": "description", "plaats": "address_string", "lat": "lat", "lon": "long", "email": "email", "telefoon": "phone", "foto": "media", "categorie": "service_code"]
                let text = failure.errors.map { e in "\(field[e.field] ?? e.field.replacingOccurrences(of: "vraag_", with: "attribute[") + (e.field.hasPrefix("vraag_") ? "]" : "")): \(req.t(e))" }
                throw Open311Error(status: .badRequest, description: text.joined(separator: " "))
            case .success(let intake):
                let signal: Signal
                if let idempotencyKey {
                    // The key and the signal are stored together; of two retries at the same moment one stores
                    // the signal and the other answers with it.
                    switch try await Open311Idempotency.report(intake, key: idempotencyKey, client: client.requireID(), app: req.application, on: req.db) {
                    case .created(let made): signal = made
                    case .earlier(let made): return try await Self.created(made, req: req).response(format, root: "service_requests")
                    }
                } else {
                    signal = try await SignalService.report(intake, at: req.application.clock(), on: req.db, mailer: SignalMailer(req.application))
                }
                return try await Self.created(signal, req: req).response(format, root: "service_requests")
            }
        }
    }

    /// The answer to a stored request (the same for a first POST and for its retry).
    static func created(_ signal: Signal, req: Request) async throws -> Open311Value {
        let notice = signal.deadline.map { req.t("open311.notice", Format.day($0, req.language)) }
        return Open311Value.array(element: "request", [.object([
            ("service_request_id", .text(signal.trackingCode)), ("service_notice", .text(notice)), ("account_id", .text(nil)),
        ])])
    }
}
