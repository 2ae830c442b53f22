import Vapor
import Fluent
import Domain

/// Residents: the report form (per municipality and per area), the confirmation with a tracking code, the
/// public tracking page with the public history, and the satisfaction question after closing.
struct PublicSignalsController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let routes = routes.access(.public)
        routes.get(Site.report.route, use: chooseCategory)
        routes.get(Site.areaReport.route, use: areaEntry)
        routes.get(Site.reportForm.route, use: form)
        routes.on(.POST, Site.reportForm.route, body: .collect(maxSize: "8mb"), use: submit).maxBody("8mb")
        routes.get(Site.reportMap.route, use: mapImage)
    }

    // MARK: Context

    struct Context {
        var municipality: Municipality
        var snapshot: MunicipalitySnapshot
        var area: MunicipalitySnapshot.AreaInfo?
        var categories: [SignalCategory]
    }

    static func context(_ req: Request, areaSlug: String? = nil) async throws -> Context {
        let m = try await req.municipality(req.parameters.get("municipality") ?? "")
        let snapshot = try await req.areas.snapshot(for: m, on: req.db)
        let slug = areaSlug ?? req.query[String.self, at: "gebied"]
        let area = slug.flatMap { s in s.isEmpty ? nil : snapshot.area(slug: s) }
        let categories = try await SignalCategory.query(on: req.db).filter(\.$municipality.$id == m.requireID()).filter(\.$active == true).sort(\.$position).all()
        return Context(municipality: m, snapshot: snapshot, area: area, categories: categories)
    }

    /// Sub categories as "Main: sub", in the municipality's order.
    static func categoryOptions(_ categories: [SignalCategory], _ language: Language) -> [(value: String, label: String)] {
        let byID = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c) } })
        let parents = Set(categories.compactMap(\.parentID))
        return categories.filter { !parents.contains($0.id!) }.map { c in
            (value: c.code, label: c.parentID.flatMap { byID[$0] }.map { "\($0.name(language)): \(c.name(language))" } ?? c.name(language))
        }
    }

    private func basePath(_ c: Context) -> String { Site.report.link(c.municipality.slug) }
    private func areaQuery(_ c: Context) -> String { c.area.map { "gebied=\($0.slug)" } ?? "" }

    private func crumbs(_ req: Request, _ c: Context) -> [(String, String)] {
        var list = [(req.t("municipality.heading", c.municipality.name), Paths.municipality(c.municipality.slug))]
        if let area = c.area { list.append((area.name, Paths.area(c.municipality.slug, area.slug))) }
        return list
    }

    // MARK: Step 1: what is it about

    struct ChoosePage: Encodable {
        var page: PageMeta
        var heading: String
        var action: String
        var field: FieldView
        var area: String?
        var areaSlug: String?
    }

    func chooseCategory(req: Request) async throws -> View {
        let c = try await Self.context(req)
        return try await chooseView(req, c, error: nil)
    }

    private func chooseView(_ req: Request, _ c: Context, error: FieldError?) async throws -> View {
        let heading = c.area.map { req.t("signal.report.headingArea", $0.name) } ?? req.t("signal.report.heading", c.municipality.name)
        let options = [(value: "", label: req.t("signal.category.choose"))] + Self.categoryOptions(c.categories, req.language)
        let field = FieldView(req, name: "categorie", label: req.t("signal.field.category"), type: "select", value: req.query[String.self, at: "categorie"] ?? "",
                              description: req.t("signal.field.categoryHelp"), options: options, errors: error.map { [$0] } ?? [])
        return try await req.view.render("Signals/choose", ChoosePage(
            page: req.page(heading, crumbs: crumbs(req, c), errors: error.map { [$0] } ?? []), heading: heading,
            action: basePath(c) + "/formulier", field: field, area: c.area?.name, areaSlug: c.area?.slug))
    }

    func areaEntry(req: Request) async throws -> Response {
        let c = try await Self.context(req, areaSlug: req.parameters.get("area"))
        guard let area = c.area else { throw AppError.notFound("area.notFound") }
        return req.redirect(to: basePath(c) + "?gebied=" + area.slug)
    }

    // MARK: Step 2: the report

    struct ReportPage: Encodable {
        struct Section: Encodable {
            var id: String
            var title: String
            var intro: String?
            var address: AddressSearch? = nil
            var fields: [FieldView]
            var map: MapPicker? = nil
            var photo: ReportPhotoHold.Notice? = nil
            var nearby: NearbyReports? = nil
        }
        /// The address search: a text field and its own button, and the addresses to choose from when more match.
        struct AddressSearch: Encodable {
            struct Choice: Encodable { var value: String; var label: String }
            var fields: [FieldView]
            var button: String
            var formAction: String
            var choicesLegend: String?
            var choices: [Choice]
        }
        /// The server-drawn map (clicked without JavaScript) and what the script needs for the background map.
        struct MapPicker: Encodable {
            var src: String; var width: Int; var height: Int; var alt: String; var help: String; var chosen: String?
            var formAction: String
            var tiles: String?
            var bounds: String
            var outline: String
            var regionName: String
            var texts: MapTexts
        }
        struct MapTexts: Encodable { var mapLabel, locate, locating, refused, unavailable, outside, picked: String }
        var page: PageMeta
        var heading: String
        var category: String
        var changeHref: String
        var action: String
        var csrf: String
        var categoryCode: String
        var areaSlug: String?
        var sections: [Section]
    }

    func form(req: Request) async throws -> Response {
        let c = try await Self.context(req)
        let code = req.query[String.self, at: "categorie"] ?? ""
        guard Self.categoryOptions(c.categories, req.language).contains(where: { $0.value == code }) else {
            let error = FieldError("categorie", code.isEmpty ? "signal.category.missing" : "signal.category.unknown")
            return try await chooseView(req, c, error: error).encodeResponse(status: .unprocessableEntity, for: req)
        }
        return try await req.render("Signals/report", reportPage(req, c, code: code, state: FormState(values: [:], searchAvailable: try await AddressLookup.isAvailable(req))))
    }

    private func bounds(_ c: Context) -> BoundingBox? {
        if let area = c.area { return area.outline.boundingBox }
        return c.snapshot.bounds
    }

    /// What a re-shown form carries besides the typed values.
    struct FormState {
        var values: [String: String]
        var errors: [FieldError] = []
        var status: String? = nil
        var held: ReportPhotoHold.Held? = nil
        var addressChoices: [AddressLookup.Place] = []
        var searchAvailable = true
        var nearby: NearbyReports? = nil
    }

    private func reportPage(_ req: Request, _ c: Context, code: String, state: FormState) -> ReportPage {
        let values = state.values, errors = state.errors
        let category = c.categories.first { $0.code == code }!
        let label = Self.categoryOptions(c.categories, req.language).first { $0.value == code }?.label ?? category.name(req.language)
        let heading = c.area.map { req.t("signal.report.headingArea", $0.name) } ?? req.t("signal.report.heading", c.municipality.name)
        var about = [FieldView(req, name: "omschrijving", label: req.t("signal.field.description"), type: "textarea", value: values["omschrijving"] ?? "",
                               description: req.t("signal.field.descriptionHelp", Format.number(SignalRules.descriptionLimit, req.language)), errors: errors)]
        for q in category.questions {
            let name = "vraag_" + q.key
            if let options = q.options {
                about.append(FieldView(req, name: name, label: q.label(req.language), type: "radios", value: values[name] ?? "",
                                       optional: !q.required, options: options.map { (value: $0, label: $0) }, errors: errors))
            } else {
                about.append(FieldView(req, name: name, label: q.label(req.language), value: values[name] ?? "", optional: !q.required, errors: errors))
            }
        }
        let buurten = (c.area.map { c.snapshot.neighbourhoods(of: $0.id) } ?? c.snapshot.neighbourhoods).sorted { $0.name < $1.name }
        let location = [
            FieldView(req, name: "plaats", label: req.t("signal.field.place"), value: values["plaats"] ?? "", description: req.t("signal.field.placeHelp"),
                      optional: true, autocomplete: "street-address", errors: errors),
            FieldView(req, name: "buurt", label: req.t("signal.field.buurt"), type: "select", value: values["buurt"] ?? "", optional: true,
                      options: [(value: "", label: req.t("signal.field.buurtNone"))] + buurten.map { (value: $0.id.uuidString, label: $0.name) }, errors: errors),
            FieldView(req, name: "lat", label: req.t("signal.field.lat"), value: values["lat"] ?? "", description: req.t("signal.field.coordinatesHelp"), optional: true, errors: errors),
            FieldView(req, name: "lon", label: req.t("signal.field.lon"), value: values["lon"] ?? "", optional: true, errors: errors),
        ]
        // Buttons that show the form again (address search, a click on the map) bring the reader back to "where".
        let backToWhere = basePath(c) + "/formulier" + (c.area.map { "?gebied=" + $0.slug } ?? "") + "#waar"
        var address: ReportPage.AddressSearch? = nil
        if state.searchAvailable {
            address = .init(fields: [FieldView(req, name: "adres", label: req.t("signal.field.address"), value: values["adres"] ?? "",
                                             description: req.t("signal.field.addressHelp"), optional: true, autocomplete: "off", errors: errors)],
                            button: req.t("signal.address.search"), formAction: backToWhere,
                            choicesLegend: state.addressChoices.isEmpty ? nil : req.t("signal.address.choose"),
                            choices: state.addressChoices.map { .init(value: $0.address.query, label: Self.placeLabel($0, req)) })
        }
        var picker: ReportPage.MapPicker? = nil
        if let box = bounds(c) {
            let projection = SignalMapImage.projection(box)
            var src = basePath(c) + "/kaart.svg?" + areaQuery(c)
            var chosen: String? = nil
            if let lat = SignalInput.decimal(values["lat"]), let lon = SignalInput.decimal(values["lon"]) {
                src += "&lat=\(lat)&lon=\(lon)"
                chosen = req.t("signal.map.chosen", String(format: "%.5f", lat), String(format: "%.5f", lon))
            }
            let region = c.area?.name ?? c.municipality.name
            let texts = ReportPage.MapTexts(mapLabel: req.t("signal.map.label", region), locate: req.t("signal.map.locate"), locating: req.t("signal.map.locating"),
                                            refused: req.t("signal.map.refused"), unavailable: req.t("signal.map.unavailable"),
                                            outside: req.t("signal.map.outside"), picked: req.t("signal.map.pickedAt"))
            picker = .init(src: src, width: Int(projection.width), height: Int(projection.height),
                           alt: req.t("signal.map.alt", region), help: req.t("signal.map.help"), chosen: chosen, formAction: backToWhere,
                           tiles: req.application.config.tileURL,
                           bounds: [box.minLat, box.minLon, box.maxLat, box.maxLon].map { String(format: "%.6f", $0) }.joined(separator: ","),
                           outline: c.area.map { "/api/v1/areas/\($0.id.uuidString)/geometry?outline=true" } ?? "/api/v1/municipalities/\(c.snapshot.code)/geometry",
                           regionName: region, texts: texts)
        }
        var photoField = FieldView(req, name: "foto", label: req.t(state.held == nil ? "signal.field.photo" : "signal.field.photoOther"), type: "file",
                                   description: req.t("signal.field.photoHelp", String(ImageUpload.maxBytes / 1024 / 1024)), optional: true, errors: errors)
        photoField.accept = "image/jpeg,image/png"
        let photo = [
            photoField,
            FieldView(req, name: "foto_locatie", label: req.t("signal.field.photoLocation"), type: "checkbox", value: values["foto_locatie"] ?? "", errors: errors),
        ]
        var contact = [
            FieldView(req, name: "email", label: req.t("signal.field.email"), type: "email", value: values["email"] ?? "", description: req.t("signal.field.emailHelp"),
                      optional: true, autocomplete: "email", errors: errors),
            FieldView(req, name: "telefoon", label: req.t("signal.field.phone"), type: "tel", value: values["telefoon"] ?? "", optional: true, autocomplete: "tel", errors: errors),
            FieldView(req, name: "toestemming", label: req.t("signal.field.consent"), type: "checkbox", value: values["toestemming"] ?? "",
                      description: req.t("signal.field.consentHelp", String(SignalRules.defaultRetentionDays)), errors: errors),
        ]
        if req.authUser == nil { contact.append(ReachCounter.field(req, value: values[ReachCounter.fieldName])) }
        var page = req.page(heading, crumbs: crumbs(req, c), errors: errors, status: state.status)
        page.interactiveMap = picker?.tiles != nil
        return ReportPage(
            page: page, heading: heading, category: label,
            changeHref: basePath(c) + "?" + [areaQuery(c), "categorie=" + code].filter { !$0.isEmpty }.joined(separator: "&"),
            action: basePath(c) + "/formulier" + (c.area.map { "?gebied=" + $0.slug } ?? ""), csrf: req.csrfToken(), categoryCode: code, areaSlug: c.area?.slug,
            sections: [.init(id: "over-melding", title: req.t("signal.section.about"), intro: nil, fields: about),
                       .init(id: "waar", title: req.t("signal.section.where"), intro: req.t("signal.section.whereIntro"), address: address, fields: location,
                             map: picker, nearby: state.nearby),
                       .init(id: "foto-deel", title: req.t("signal.section.photo"), intro: nil, fields: photo, photo: state.held.map { ReportPhotoHold.notice($0, req) }),
                       .init(id: "contact-deel", title: req.t("signal.section.contact"), intro: req.t("signal.section.contactIntro"), fields: contact)])
    }

    /// "Kerkstraat 12, 5341 AB Oss (buurt Centrum, gebied Oss-Centrum)".
    static func placeLabel(_ place: AddressLookup.Place, _ req: Request) -> String {
        switch (place.neighbourhood, place.area) {
        case let (b?, a?): return req.t("signal.address.inBuurtArea", place.address.label, b.name, a.name)
        case let (b?, nil): return req.t("signal.address.inBuurt", place.address.label, b.name)
        default: return place.address.label
        }
    }

    func submit(req: Request) async throws -> Response {
        let c = try await Self.context(req)
        let parts = FormParts.read(req)
        var values = parts.values
        values["foto"] = nil
        let code = values["categorie"] ?? ""
        guard Self.categoryOptions(c.categories, req.language).contains(where: { $0.value == code }) else {
            let error = FieldError("categorie", code.isEmpty ? "signal.category.missing" : "signal.category.unknown")
            return try await chooseView(req, c, error: error).encodeResponse(status: .unprocessableEntity, for: req)
        }
        let now = req.application.clock()
        // The photo: a new upload replaces the kept one; a kept one stays until reported, dropped or expired.
        var held = try await ReportPhotoHold.find(values[ReportPhotoHold.fieldName], at: now, on: req.db)
        let upload = parts.files["foto"]?.data ?? Data()
        if !upload.isEmpty, case .success = ImageUpload.accept(upload, keepMetadata: true) {
            try await ReportPhotoHold.discard(held?.token, on: req.db)
            held = try await ReportPhotoHold.keep(upload, at: now, on: req.db)
        } else if values[ReportPhotoHold.dropFieldName] == "ja", let h = held {
            try await ReportPhotoHold.discard(h.token, on: req.db)
            held = nil
        }
        var state = FormState(values: values, held: held, searchAvailable: try await AddressLookup.isAvailable(req))
        // A click on the map picks a point and shows the form again with it filled in.
        if let x = values["kaart.x"].flatMap(Double.init), let y = values["kaart.y"].flatMap(Double.init), let box = bounds(c) {
            let p = SignalMapImage.projection(box).position(x: x, y: y)
            state.values["lat"] = String(format: "%.6f", p.lat)
            state.values["lon"] = String(format: "%.6f", p.lon)
            state.status = req.t("signal.map.picked")
            state.nearby = try await NearbyReports.find(c, code: code, values: state.values, req: req)
            return try await req.render("Signals/report", reportPage(req, c, code: code, state: state))
        }
        // The address search (its own button, or one of the addresses offered when several matched).
        if values["zoek"] == "ja" || values["adres_keuze"] != nil {
            if let choice = values["adres_keuze"] { state.values["adres"] = choice }
            try await searchAddress(req, c, &state)
            if state.errors.isEmpty { state.nearby = try await NearbyReports.find(c, code: code, values: state.values, req: req) }
            return try await req.render("Signals/report", reportPage(req, c, code: code, state: state), status: state.errors.isEmpty ? .ok : .unprocessableEntity)
        }
        var answers: [String: String] = [:]
        for (key, value) in values where key.hasPrefix("vraag_") { answers[String(key.dropFirst(6))] = value }
        let input = SignalInput(categoryCode: code, description: values["omschrijving"], place: values["plaats"], neighbourhoodID: values["buurt"],
                                lat: values["lat"], lon: values["lon"], answers: answers, email: values["email"], phone: values["telefoon"],
                                consent: values["toestemming"] == "ja", photo: upload.isEmpty ? held?.data : upload, keepPhotoLocation: values["foto_locatie"] == "ja")
        let locator = try await req.areas.locator(on: req.db)
        // Staff entering a report for a resident (phone, counter, wijkschouw) use the same form; it is marked as theirs.
        let source = req.authUser == nil ? "web" : "staff"
        switch input.validate(municipality: c.snapshot, pageAreaID: c.area?.id, categories: c.categories, source: source, language: req.language, locator: locator) {
        case .failure(let failure):
            state.errors = failure.errors
            return try await req.render("Signals/report", reportPage(req, c, code: code, state: state), status: .unprocessableEntity)
        case .success(let intake):
            // Where the point came from the background map or "my location" (no reload), nearby open reports of the
            // same subject have not been seen yet: show them once before filing; sending again from the same point files it.
            if values["dichtbij_gezien"] != NearbyReports.point(values),
               let nearby = try await NearbyReports.find(c, code: code, values: values, req: req) {
                state.nearby = nearby
                state.status = req.t("signal.nearby.beforeSending")
                return try await req.render("Signals/report", reportPage(req, c, code: code, state: state))
            }
            let signal = try await SignalService.report(intake, at: now, on: req.db, mailer: SignalMailer(req.application))
            try await ReportPhotoHold.discard(held?.token, on: req.db)
            if source == "web" { await ReachCounter.count(values[ReachCounter.fieldName], area: signal.areaID, channel: "signalsWeb", at: signal.reportedAt, on: req.db) }
            req.flash(req.t("signal.report.thanks", signal.trackingCode))
            return req.redirect(to: TrackingController.ownLinkPath(signal))
        }
    }

    /// Looks up the typed address: one match fills in the place, the buurt and the point; several are offered to
    /// choose from; none, or a service that does not answer, is said at the field, with the map as the way on.
    private func searchAddress(_ req: Request, _ c: Context, _ state: inout FormState) async throws {
        let text = state.values["adres"] ?? ""
        switch try await AddressLookup.find(text, in: c.snapshot, req: req) {
        case .unreadable:
            state.errors = [FieldError("adres", text.trimmingCharacters(in: .whitespaces).isEmpty ? "signal.address.empty" : "signal.address.unreadable")]
        case .notFound(let elsewhere):
            state.errors = [FieldError("adres", elsewhere ? "signal.address.elsewhere" : "signal.address.notFound", [c.municipality.name])]
        case .unavailable:
            state.errors = [FieldError("adres", "signal.address.unavailable")]
        case .found(let places, _) where places.count > 1:
            state.addressChoices = places
            state.status = req.t("signal.address.several", String(places.count))
        case .found(let places, _):
            let place = places[0]
            state.values["adres"] = place.address.label
            state.values["plaats"] = place.address.label
            state.values["buurt"] = place.neighbourhood?.id.uuidString ?? ""
            state.values["lat"] = String(format: "%.6f", place.address.position.lat)
            state.values["lon"] = String(format: "%.6f", place.address.position.lon)
            if let area = c.area, let other = place.area, other.id != area.id {
                state.status = req.t("signal.address.otherArea", Self.placeLabel(place, req), area.name)
            } else {
                state.status = req.t("signal.address.found", Self.placeLabel(place, req))
            }
        }
    }

    func mapImage(req: Request) async throws -> Response {
        let c = try await Self.context(req)
        guard let box = bounds(c) else { throw AppError.notFound("area.notFound") }
        let shapes: [(geometry: MultiPolygon, label: String)] = c.area.map { area in c.snapshot.neighbourhoods(of: area.id).map { ($0.geometry, $0.name) } }
            ?? c.snapshot.areas.map { ($0.outline, $0.name) }
        var marker: Position? = nil
        if let lat = SignalInput.decimal(req.query[String.self, at: "lat"]), let lon = SignalInput.decimal(req.query[String.self, at: "lon"]) { marker = Position(lon: lon, lat: lat) }
        let key = "pick:\(c.snapshot.id):\(c.snapshot.version):\(c.area?.slug ?? "")"
        var svg = req.areas.map(key) { SignalMapImage.svg(shapes: shapes, bounds: box, marker: nil) }
        if let marker {
            svg = SignalMapImage.svg(shapes: shapes, bounds: box, marker: marker)
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "image", subType: "svg+xml", parameters: ["charset": "utf-8"])
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        return Response(status: .ok, headers: headers, body: .init(string: svg))
    }


}
