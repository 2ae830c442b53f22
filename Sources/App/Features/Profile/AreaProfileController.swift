import Vapor
import Fluent
import Domain

/// The area profile (wijkfoto): CBS indicators over the years against the municipality, Wijkwerk's own figures,
/// professionals' notes (published ones for everyone, all for staff of the area), as CSV and JSON too.
struct AreaProfileController: RouteCollection {
    func boot(routes: any RoutesBuilder) throws {
        let open = routes.access(.public)
        open.get(Site.areaProfile.route, use: page)
        open.get(Site.areaProfileCSV.route, use: csv)
        open.get(Site.areaProfileJSON.route, use: json)
        routes.access(.action(.viewAreaWork)).post(Site.areaProfileNotes.route, use: addNote)
    }

    private func render(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, values: [String: String], errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let page = try await AreaProfilePage.build(req, s, area, values: values, errors: errors)
        // A date that could not be used is a bad request, but the page still shows (for today) with the message.
        let badDate = page.page.errors.contains { $0.field == "datum" }
        return try await req.render("Profile/profile", page, status: badDate && status == .ok ? .badRequest : status)
    }

    func page(req: Request) async throws -> Response {
        let (s, area) = try await req.areaFromPath()
        return try await render(req, s, area, values: [:], errors: [])
    }

    func addNote(req: Request) async throws -> Response {
        let (s, area) = try await req.areaFromPath()
        _ = try await req.authorize(.viewAreaWork(municipality: s.id, area: area.id))
        let values = FormParts.read(req).values
        var errors: [FieldError] = []
        let role = ProfessionalRole(rawValue: values["rol"] ?? "")
        if role == nil { errors.append(FieldError("rol", "profile.note.roleMissing")) }
        let text = Input.text(values["tekst"], field: "tekst", max: 4000).collect(into: &errors)
        guard errors.isEmpty, let role, let text else { return try await render(req, s, area, values: values, errors: errors, status: .unprocessableEntity) }
        let note = ProfileNote()
        note.$municipality.id = s.id
        note.$area.id = area.id
        note.authorID = req.authUser?.id
        note.authorRole = role
        note.text = text
        note.notedOn = req.application.clock()
        note.isPublic = values["openbaar"] == "ja"
        note.createdAt = req.application.clock()
        try await req.db.writeTransaction { db in
            try await note.create(on: db)
            try await req.audit(.profileNoteAdd, .init(id: note.id?.uuidString, summary: "\(area.name): \(PersonalData.masked(String(text.prefix(60))))", municipalityID: s.id),
                                after: ["role": role.rawValue, "public": note.isPublic ? "ja" : "nee"], on: db)
        }
        req.flash(req.t("profile.note.added"))
        return req.redirect(to: Site.areaProfile.link(s.slug, area.slug) + "#notities")
    }

    /// Every CBS figure of the area and the municipality, one line per indicator and year, with source and year.
    func csv(req: Request) async throws -> Response {
        let (s, area) = try await req.areaFromPath()
        let (series, _) = try await AreaProfileService.cbsSeries(s, on: req.db, cache: req.application.profileCache)
        let header = ["profile.csv.indicator", "profile.csv.key", "profile.csv.year", "profile.csv.area", "profile.csv.municipality", "profile.csv.unit", "profile.csv.source"].map { req.t($0) }
        var rows: [[String]] = []
        for one in series[area.id] ?? [] {
            for year in one.years where one.area[year] != nil || one.municipality[year] != nil {
                rows.append([req.t("indicator.\(one.indicator.key)"), one.indicator.key, String(year), one.area[year].map { String($0) } ?? "", one.municipality[year].map { String($0) } ?? "",
                             one.indicator.unit, "CBS Kerncijfers wijken en buurten \(year)"])
            }
        }
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "text", subType: "csv", parameters: ["charset": "utf-8"])
        headers.add(name: .contentDisposition, value: "attachment; filename=\"profiel-\(s.slug)-\(area.slug).csv\"")
        return Response(status: .ok, headers: headers, body: .init(string: CSVWriter.document(header: header, rows: rows)))
    }

    struct ProfileDTO: Content {
        struct FigureDTO: Content { var indicator: String; var year: Int; var area: Double?; var municipality: Double?; var unit: String; var source: String }
        var area: UUID; var name: String; var municipality: String; var figures: [FigureDTO]; var own: [String: Double]; var ownPeriod: String
    }

    static func profileDTO(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo) async throws -> ProfileDTO {
        let (series, _) = try await AreaProfileService.cbsSeries(s, on: req.db, cache: req.application.profileCache)
        let own = try await AreaProfileService.ownFigures(s, at: req.application.clock(), on: req.db)
        var figures: [ProfileDTO.FigureDTO] = []
        for one in series[area.id] ?? [] {
            for year in one.years where one.area[year] != nil || one.municipality[year] != nil {
                figures.append(.init(indicator: one.indicator.key, year: year, area: one.area[year], municipality: one.municipality[year], unit: one.indicator.unit,
                                     source: "CBS Kerncijfers wijken en buurten \(year)"))
            }
        }
        return ProfileDTO(area: area.id, name: area.name, municipality: s.code, figures: figures, own: own[area.id] ?? [:], ownPeriod: "last 12 months")
    }

    func json(req: Request) async throws -> ProfileDTO {
        let (s, area) = try await req.areaFromPath()
        return try await Self.profileDTO(req, s, area)
    }
}
