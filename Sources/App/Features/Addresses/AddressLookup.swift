import Vapor
import Fluent
import Domain

/// Finds the address a resident typed, in the municipality's own register when it has imported one, and
/// otherwise with the national Locatieserver (`WIJKWERK_GEOCODER_URL`). Every match is placed in its buurt and
/// area with Wijkwerk's own boundaries, so the answer never depends on how the outside service divides the town.
enum AddressLookup {
    struct Place: Sendable {
        var address: AddressMatch
        var neighbourhood: MunicipalitySnapshot.NeighbourhoodInfo?
        var area: MunicipalitySnapshot.AreaInfo?
    }

    enum Outcome: Sendable {
        /// Matches in this municipality (at most `limit`; `more` when there were more).
        case found([Place], more: Bool)
        /// The text is not something an address search can use.
        case unreadable
        /// Nothing in this municipality (`elsewhere` when the address exists in another one).
        case notFound(elsewhere: Bool)
        /// No source: no register and no geocoder, or the geocoder did not answer in time.
        case unavailable
    }

    static let limit = 6

    /// Whether address search can be offered at all.
    static func isAvailable(_ req: Request) async throws -> Bool {
        if req.application.config.geocoderURL != nil { return true }
        return !(try await AddressRegister.isEmpty(on: req.db))
    }

    static func find(_ text: String, in snapshot: MunicipalitySnapshot, req: Request) async throws -> Outcome {
        guard let query = AddressQuery.parse(text) else { return .unreadable }
        var candidates: [(AddressMatch, UUID?)] = []
        if !(try await AddressRegister.isEmpty(on: req.db)) {
            candidates = try await AddressRegister.search(query, municipalityID: snapshot.id, on: req.db, limit: limit).map { ($0.address, $0.neighbourhoodID) }
        } else if let url = req.application.config.geocoderURL {
            guard let matches = await geocode(text, municipalityCode: snapshot.code, url: url, req: req) else { return .unavailable }
            let locator = try await req.areas.locator(on: req.db)
            candidates = matches.map { ($0, locator.locator.locate($0.position)) }
        } else {
            return .unavailable
        }
        let buurten = Dictionary(uniqueKeysWithValues: snapshot.neighbourhoods.map { ($0.id, $0) })
        let inside = candidates.compactMap { (address, buurt) -> Place? in
            guard let b = buurt.flatMap({ buurten[$0] }) else { return nil }
            return Place(address: address, neighbourhood: b, area: b.areaID.flatMap { id in snapshot.areas.first { $0.id == id } })
        }
        if inside.isEmpty { return .notFound(elsewhere: !candidates.isEmpty) }
        return .found(Array(inside.prefix(limit)), more: inside.count > limit)
    }

    /// One request to the Locatieserver, at most 3 seconds; nil when it fails or answers something else.
    private static func geocode(_ text: String, municipalityCode: String, url: String, req: Request) async -> [AddressMatch]? {
        let components = URLComponents(string: url)
        var items = Locatieserver.query(text, rows: limit + 2).map { URLQueryItem(name: $0.0, value: $0.1) }
        let digits = municipalityCode.filter(\.isNumber)
        if digits.count == 4 { items.append(URLQueryItem(name: "fq", value: "gemeentecode:\(digits)")) }
        guard var components else { return nil }
        components.queryItems = (components.queryItems ?? []) + items
        guard let address = components.url?.absoluteString else { return nil }
        do {
            let response = try await req.client.get(URI(string: address)) { outgoing in
                outgoing.timeout = .seconds(3)
                outgoing.headers.replaceOrAdd(name: .accept, value: "application/json")
            }
            guard response.status == .ok, let body = response.body else {
                req.logger.warning("geocoder answered \(response.status.code)")
                return nil
            }
            return Locatieserver.matches(Data(buffer: body))
        } catch {
            req.logger.warning("geocoder failed: \(String(describing: type(of: error)))")
            return nil
        }
    }
}

/// `GET /api/v1/addresses?q=…&municipality=GM0828`: the address search of the report form for apps and scripts:
/// matching addresses in the municipality with their point, buurt and area (no personal data: addresses only).
struct AddressesAPIController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        routes.access(.public).get("api", "v1", "addresses", use: search)
    }

    struct Match: Content {
        struct Named: Content { var code: String?; var id: String?; var name: String; var slug: String? }
        var label: String
        var street: String
        var number: Int
        var addition: String
        var postcode: String
        var place: String
        var lat: Double
        var lon: Double
        var neighbourhood: Named?
        var area: Named?
    }
    struct Answer: Content { var matches: [Match]; var more: Bool }

    func search(req: Request) async throws -> Answer {
        guard let text = req.query[String.self, at: "q"], !text.isEmpty else { throw AppError.badRequest("api.addresses.query") }
        guard let code = req.query[String.self, at: "municipality"], !code.isEmpty else { throw AppError.badRequest("api.addresses.municipality") }
        let snapshot = try await req.snapshot(code)
        switch try await AddressLookup.find(text, in: snapshot, req: req) {
        case .unreadable: throw AppError.badRequest("api.addresses.query")
        case .unavailable: throw AppError(status: .serviceUnavailable, key: "signal.address.unavailable")
        case .notFound: return Answer(matches: [], more: false)
        case .found(let places, let more):
            return Answer(matches: places.map { p in
                Match(label: p.address.label, street: p.address.street, number: p.address.number, addition: p.address.addition, postcode: p.address.postcode,
                      place: p.address.place, lat: p.address.position.lat, lon: p.address.position.lon,
                      neighbourhood: p.neighbourhood.map { .init(code: $0.code, id: nil, name: $0.name, slug: nil) },
                      area: p.area.map { .init(code: nil, id: $0.id.uuidString, name: $0.name, slug: $0.slug) })
            }, more: more)
        }
    }
}
