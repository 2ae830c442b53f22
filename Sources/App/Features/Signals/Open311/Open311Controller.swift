import Vapor
import Fluent
import Domain

/// Open311 GeoReport v2 (http://wiki.open311.org/GeoReport_v2) at /open311/v2, per municipality by
/// `jurisdiction_id` (e.g. `oss.nl`), in JSON and XML. Categories are services; a signal's tracking code is
/// its `service_request_id`. `address_id` is a CBS buurt code (BU08280000). No personal data in answers.
struct Open311Controller: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let v2 = routes.access(.public).grouped("open311", "v2") // POST needs an API key, checked in the handler
        v2.get(":file", use: top)
        v2.on(.POST, ":file", body: .collect(maxSize: Self.maxBody), use: post)
        v2.get("services", ":file", use: service)
        v2.get("requests", ":file", use: request)
        v2.get("tokens", ":file", use: token)
        // Every other method is answered 405 with the methods that are allowed (not 404).
        for method in [HTTPMethod.PUT, .PATCH, .DELETE] { v2.on(method, ":file", body: .stream, use: notAllowed(["GET", "POST"])) }
        for resource in ["services", "requests", "tokens"] {
            for method in [HTTPMethod.POST, .PUT, .PATCH, .DELETE] { v2.on(method, PathComponent(stringLiteral: resource), ":file", body: .stream, use: notAllowed(["GET"])) }
        }
    }

    static let maxBody: ByteCount = "8mb"

    private func notAllowed(_ allowed: [String]) -> @Sendable (Request) async throws -> Response {
        { req in
            let (_, format) = (try? Self.split(req.parameters.get("file") ?? "")) ?? ("", .json)
            let response = Open311Error(status: .methodNotAllowed, description: "\(req.method.rawValue) is not allowed here; use \(allowed.joined(separator: " or "))").response(format)
            response.headers.replaceOrAdd(name: .allow, value: allowed.joined(separator: ", "))
            return response
        }
    }

    /// "services.xml" → ("services", .xml); without an extension, JSON.
    static func split(_ file: String) throws -> (String, Open311Value.Format) {
        guard let dot = file.lastIndex(of: ".") else { return (file, .json) }
        let name = String(file[..<dot]), ext = String(file[file.index(after: dot)...]).lowercased()
        guard let format = Open311Value.Format(rawValue: ext) else { throw Open311Error(status: .badRequest, description: "Unknown format .\(ext): use .json or .xml") }
        return (name, format)
    }

    /// Parameters from the query string and (for POST) the body, the body winning.
    struct Parameters {
        var values: [String: String]
        var media: Data?
        subscript(_ key: String) -> String? { values[key].flatMap { $0.trimmingCharacters(in: .whitespaces).isEmpty ? nil : $0.trimmingCharacters(in: .whitespaces) } }

        /// The query's names (to refuse a secret sent where it ends up in logs).
        var queryNames: Set<String> = []

        static func read(_ req: Request, body: Bool) throws -> Parameters {
            var values: [String: String] = [:]
            var names: Set<String> = []
            for item in URLComponents(string: req.url.string)?.queryItems ?? [] {
                values[item.name] = item.value ?? ""
                names.insert(item.name)
            }
            if let raw = req.url.query, raw.contains("%"), raw.removingPercentEncoding == nil {
                throw Open311Error(status: .badRequest, description: "The query string is not valid UTF-8 after percent-decoding")
            }
            var media: Data? = nil
            if body {
                if let type = req.headers.contentType, type.type == "application", type.subType == "json" {
                    throw Open311Error(status: .unsupportedMediaType, description: "Send the request as application/x-www-form-urlencoded or multipart/form-data (GeoReport v2); JSON bodies are not accepted")
                }
                if let bytes = req.body.data, bytes.readableBytes > 0 {
                    if req.headers.contentType == .urlEncodedForm, String(validating: bytes.readableBytesView, as: UTF8.self) == nil {
                        throw Open311Error(status: .badRequest, description: "The request body is not valid UTF-8")
                    }
                    if req.headers.contentType == .urlEncodedForm, let text = req.body.string, FormParts.hasInvalidEncoding(text) {
                        throw Open311Error(status: .badRequest, description: "A form value is not valid UTF-8 after percent-decoding")
                    }
                }
                let parts = FormParts.read(req)
                values.merge(parts.values) { $1 }
                media = parts.files["media"]?.data
            }
            return Parameters(values: values, media: media, queryNames: names)
        }
    }

    func respond(_ req: Request, file: String?, _ body: (Open311Value.Format, Parameters) async throws -> Response) async throws -> Response {
        var format = Open311Value.Format.json
        do {
            let (_, f) = try Self.split(file ?? "")
            format = f
            return try await body(format, try Parameters.read(req, body: req.method == .POST))
        } catch let error as Open311Error {
            return error.response(format)
        } catch let error as AppError where error.status == .notFound {
            return Open311Error(status: .notFound, description: req.t(error.key)).response(format)
        }
    }

    func jurisdiction(_ req: Request, _ p: Parameters) async throws -> (Municipality, SignalSettings) {
        if let id = p["jurisdiction_id"] {
            guard let settings = try await SignalSettings.query(on: req.db).filter(\.$jurisdiction == id.lowercased()).first(),
                  let m = try await Municipality.find(settings.$municipality.id, on: req.db) else {
                throw Open311Error(status: .notFound, description: "Unknown jurisdiction_id \(id)")
            }
            return (m, settings)
        }
        let all = try await SignalSettings.query(on: req.db).limit(2).all()
        guard all.count == 1, let m = try await Municipality.find(all[0].$municipality.id, on: req.db) else {
            throw Open311Error(status: .badRequest, description: "jurisdiction_id is required (for example oss.nl)")
        }
        return (m, all[0])
    }

    func leafCategories(_ m: Municipality, on db: any Database) async throws -> (leaves: [SignalCategory], all: [SignalCategory]) {
        let all = try await SignalCategory.query(on: db).filter(\.$municipality.$id == m.requireID()).filter(\.$active == true).sort(\.$position).all()
        let parents = Set(all.compactMap(\.parentID))
        return (all.filter { !parents.contains($0.id!) }, all)
    }

    // MARK: discovery, services, requests (GET)

    func top(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        return try await respond(req, file: file) { format, p in
            let (name, _) = try Self.split(file)
            switch name {
            case "discovery": return discovery(req).response(format, root: "discovery")
            case "services": return try await services(req, p).response(format, root: "services")
            case "requests": return try await requests(req, p).response(format, root: "service_requests")
            default: throw Open311Error(status: .notFound, description: "Unknown resource \(name)")
            }
        }
    }

    private func discovery(_ req: Request) -> Open311Value {
        let url = req.application.config.publicURL + "/open311/v2"
        return .object([
            ("changeset", .text("2026-11-23T00:00:00+01:00")),
            ("contact", .text("Neem contact op met de gemeente. / Contact the municipality.")),
            ("key_service", .text("API keys are issued by the municipality's administrator in Wijkwerk (Beheer → Open311).")),
            ("endpoints", .array(element: "endpoint", [.object([
                ("specification", .text("http://wiki.open311.org/GeoReport_v2")), ("url", .text(url)),
                ("changeset", .text("2026-11-23T00:00:00+01:00")), ("type", .text("production")),
                ("formats", .array(element: "format", [.text("application/json"), .text("text/xml")])),
            ])])),
        ])
    }

    private func services(_ req: Request, _ p: Parameters) async throws -> Open311Value {
        let (m, settings) = try await jurisdiction(req, p)
        let (leaves, all) = try await leafCategories(m, on: req.db)
        let byID = Dictionary(uniqueKeysWithValues: all.compactMap { c in c.id.map { ($0, c) } })
        let lang = req.language
        return .array(element: "service", leaves.map { c in
            .object([
                ("jurisdiction_id", .text(settings.jurisdiction)),
                ("service_code", .text(c.code)), ("service_name", .text(c.name(lang))),
                ("description", .text(req.t("open311.term.\(c.termUnit)", String(c.termDays)))),
                ("metadata", .bool(!c.questions.isEmpty)), ("type", .text("realtime")), ("keywords", .text("")),
                ("group", .text(c.parentID.flatMap { byID[$0]?.name(lang) } ?? c.name(lang))),
            ])
        })
    }

    func service(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        return try await respond(req, file: file) { format, p in
            let (code, _) = try Self.split(file)
            let (m, _) = try await jurisdiction(req, p)
            guard let c = try await leafCategories(m, on: req.db).leaves.first(where: { $0.code == code }) else {
                throw Open311Error(status: .notFound, description: "Unknown service_code \(code)")
            }
            let lang = req.language
            let attributes: [Open311Value] = c.questions.enumerated().map { i, q in
                .object([
                    ("variable", .bool(true)), ("code", .text(q.key)), ("datatype", .text(q.options == nil ? "string" : "singlevaluelist")),
                    ("required", .bool(q.required)), ("datatype_description", .text("")), ("order", .integer(i + 1)), ("description", .text(q.label(lang))),
                    ("values", .array(element: "value", (q.options ?? []).map { .object([("key", .text($0)), ("name", .text($0))]) })),
                ])
            }
            return Open311Value.object([("service_code", .text(c.code)), ("attributes", .array(element: "attribute", attributes))])
                .response(format, root: "service_definition")
        }
    }

    static func parseDate(_ text: String) -> Date? {
        let f = ISO8601DateFormatter()
        if let d = f.date(from: text) { return d }
        f.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        if let d = f.date(from: text) { return d }
        return Format.parseDay(text)
    }

    private func requests(_ req: Request, _ p: Parameters) async throws -> Open311Value {
        let (m, _) = try await jurisdiction(req, p)
        let (_, all) = try await leafCategories(m, on: req.db)
        let q = Signal.query(on: req.db).filter(\.$municipality.$id == (try m.requireID()))
        if let ids = p["service_request_id"] {
            q.filter(\.$trackingCode ~~ ids.split(separator: ",").compactMap { TrackingCode.normalise(String($0)) })
        } else {
            if let codes = p["service_code"] {
                let wanted = Set(codes.split(separator: ",").map { String($0).trimmingCharacters(in: .whitespaces) })
                q.filter(\.$category.$id ~~ all.filter { wanted.contains($0.code) }.compactMap(\.id))
            }
            let now = req.application.clock()
            var start = now.addingTimeInterval(-90 * 86_400), end = now
            if let s = p["start_date"] {
                guard let d = Self.parseDate(s) else { throw Open311Error(status: .badRequest, description: "start_date must be ISO 8601, e.g. 2026-11-01T00:00:00+01:00") }
                start = d
                if p["end_date"] == nil { end = d.addingTimeInterval(90 * 86_400) }
            }
            if let e = p["end_date"] {
                guard let d = Self.parseDate(e) else { throw Open311Error(status: .badRequest, description: "end_date must be ISO 8601, e.g. 2026-11-30T23:59:59+01:00") }
                end = d
                if p["start_date"] == nil { start = d.addingTimeInterval(-90 * 86_400) }
            }
            guard start <= end else { throw Open311Error(status: .badRequest, description: "start_date is after end_date") }
            q.filter(\.$reportedAt >= start).filter(\.$reportedAt <= end)
            if let status = p["status"] {
                let wanted = Set(status.lowercased().split(separator: ",").map(String.init))
                guard wanted.isSubset(of: ["open", "closed"]) else { throw Open311Error(status: .badRequest, description: "status must be open, closed or open,closed") }
                q.filter(\.$state ~~ SignalState.allCases.filter { wanted.contains($0.open311Status) })
            }
        }
        var size = 1000
        if let raw = p["page_size"] {
            guard let n = Int(raw), (1...1000).contains(n) else { throw Open311Error(status: .badRequest, description: "page_size must be a number from 1 to 1000") }
            size = n
        }
        var page = 1
        if let raw = p["page"] {
            guard let n = Int(raw), (1...100_000).contains(n) else { throw Open311Error(status: .badRequest, description: "page must be a number from 1 to 100000") }
            page = n
        }
        let signals = try await q.sort(\.$reportedAt, .descending).range(((page - 1) * size)..<(page * size)).all()
        return .array(element: "request", try await represent(signals, categories: all, municipality: m, req: req))
    }

    /// Signals as Open311 requests. Signals in categories that are not public show only their status.
    private func represent(_ signals: [Signal], categories: [SignalCategory], municipality m: Municipality, req: Request) async throws -> [Open311Value] {
        guard !signals.isEmpty else { return [] }
        let byID = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c) } })
        let departments = Dictionary(uniqueKeysWithValues: try await Department.query(on: req.db).filter(\.$municipality.$id == m.requireID()).all().compactMap { d in d.id.map { ($0, d.name) } })
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        let buurtCode = Dictionary(uniqueKeysWithValues: snapshot.neighbourhoods.map { ($0.id, $0.code) })
        let ids = try signals.map { try $0.requireID() }
        let events = try await SignalEvent.query(on: req.db).filter(\.$signal.$id ~~ ids).filter(\.$kind == .state).filter(\.$publicText != nil).sort(\.$at).all()
        let lastText = Dictionary(events.map { ($0.$signal.id, $0.publicText ?? "") }) { _, b in b }
        let lang = req.language
        return signals.map { s in
            let c = byID[s.$category.id]
            let open = c?.isPublic ?? false
            return .object([
                ("service_request_id", .text(s.trackingCode)), ("status", .text(s.state.open311Status)),
                ("status_notes", .text(open ? (lastText[s.id!] ?? req.t("signal.state." + s.state.rawValue)) : req.t("signal.state." + s.state.rawValue))),
                ("service_name", .text(c?.name(lang))), ("service_code", .text(c?.code)),
                // Phone numbers and e-mail addresses a reporter typed are never published (`PersonalData`).
                ("description", .text(open ? PersonalData.masked(s.text) : nil)),
                ("agency_responsible", .text(s.departmentID.flatMap { departments[$0] }.map { "Gemeente \(m.name), \($0)" } ?? "Gemeente \(m.name)")),
                ("service_notice", .text(s.deadline.map { req.t("open311.notice", Format.day($0, lang)) })),
                ("requested_datetime", .text(Format.isoDate(s.reportedAt))), ("updated_datetime", .text(Format.isoDate(s.stateChangedAt))),
                ("expected_datetime", .text(s.deadline.map(Format.isoDate))),
                ("address", .text(open ? s.place.map { PersonalData.masked($0) } : nil)), ("address_id", .text(s.neighbourhoodID.flatMap { buurtCode[$0] })), ("zipcode", .text(nil)),
                ("lat", open ? s.lat.map { .number($0) } ?? .text(nil) : .text(nil)), ("long", open ? s.lon.map { .number($0) } ?? .text(nil) : .text(nil)),
                ("media_url", .text(nil)),
            ])
        }
    }

    func request(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        return try await respond(req, file: file) { format, p in
            let (id, _) = try Self.split(file)
            let (m, _) = try await jurisdiction(req, p)
            guard let code = TrackingCode.normalise(id),
                  let s = try await Signal.query(on: req.db).filter(\.$trackingCode == code).filter(\.$municipality.$id == m.requireID()).first() else {
                throw Open311Error(status: .notFound, description: "Unknown service_request_id \(id)")
            }
            let all = try await leafCategories(m, on: req.db).all
            return Open311Value.array(element: "request", try await represent([s], categories: all, municipality: m, req: req)).response(format, root: "service_requests")
        }
    }

    func token(req: Request) async throws -> Response {
        let file = req.parameters.get("file") ?? ""
        return try await respond(req, file: file) { format, p in
            let (token, _) = try Self.split(file)
            let (m, _) = try await jurisdiction(req, p)
            guard let code = TrackingCode.normalise(token),
                  try await Signal.query(on: req.db).filter(\.$trackingCode == code).filter(\.$municipality.$id == m.requireID()).count() == 1 else {
                throw Open311Error(status: .notFound, description: "Unknown token \(token)")
            }
            return Open311Value.array(element: "request", [.object([("service_request_id", .text(code)), ("token", .text(code))])]).response(format, root: "service_requests")
        }
    }
}
