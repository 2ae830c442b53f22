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

    struct Figure: Encodable { var year: Int; var area: String; var municipality: String }
    struct IndicatorView: Encodable {
        var key: String; var anchor: String; var name: String; var definition: String; var unit: String; var source: String
        var latest: String; var latestYear: String; var municipality: String; var figures: [Figure]; var chart: String?
    }
    struct OwnView: Encodable { var name: String; var definition: String; var area: String; var municipality: String }
    struct MonitorLine: Encodable { var subject: String; var count: String; var perThousand: String; var inTime: String; var satisfaction: String }
    struct RecurringLine: Encodable { var subject: String; var buurt: String; var count: Int; var period: String }
    struct SimilarRow: Encodable { var indicator: String; var values: [String] }
    struct ReachView: Encodable { var channel: String; var count: Int; var perThousand: String }
    struct SurveyView: Encodable { var name: String; var year: Int; var value: String; var respondents: Int; var source: String }
    struct NoteView: Encodable { var role: String; var date: String; var iso: String; var text: String; var isPublic: Bool }
    struct Page: Encodable {
        var page: PageMeta; var heading: String; var intro: String; var areaHref: String; var indicators: [IndicatorView]; var own: [OwnView]
        var monitor: [MonitorLine]; var recurring: [RecurringLine]
        var similarNames: [String]; var similarRows: [SimilarRow]
        var reach: [ReachView]; var surveys: [SurveyView]
        var notes: [NoteView]; var noteForm: FormView?; var csvHref: String; var jsonHref: String; var rankingHref: String; var mapHref: String; var missingYears: String?
    }

    static func format(_ value: Double, unit: String, _ language: Language) -> String {
        switch unit {
        case "count", "perKm2", "hectare": return Format.number(Int(value.rounded()), language)
        case "percent": return Format.decimal((value * 10).rounded() / 10, language) + " %"
        case "euro": return "€ " + Format.decimal(value, language)
        case "thousandEuro": return "€ " + Format.number(Int((value * 1000).rounded()), language)
        default: return Format.decimal((value * 10).rounded() / 10, language)
        }
    }

    private func load(_ req: Request) async throws -> (MunicipalitySnapshot, MunicipalitySnapshot.AreaInfo) {
        let s = try await req.snapshot(req.parameters.get("municipality") ?? "")
        guard let area = s.area(slug: req.parameters.get("area") ?? "") else { throw AppError.notFound("error.areaNotFound") }
        return (s, area)
    }

    private func render(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, values: [String: String], errors: [FieldError], status: HTTPResponseStatus = .ok) async throws -> Response {
        let lang = req.language
        let (series, years) = try await AreaProfileService.cbsSeries(s, on: req.db, cache: req.application.profileCache)
        let own = try await AreaProfileService.ownFigures(s, now: req.application.clock(), on: req.db)
        let dash = "–"
        let indicators = (series[area.id] ?? []).map { one -> IndicatorView in
            let unit = one.indicator.unit
            let figures = one.years.map { y in Figure(year: y, area: one.area[y].map { Self.format($0, unit: unit, lang) } ?? dash, municipality: one.municipality[y].map { Self.format($0, unit: unit, lang) } ?? dash) }
            let withFigures = one.years.filter { one.area[$0] != nil }
            var chart: String? = nil
            if withFigures.count >= 2 {
                var lines = [LineChart.Series(name: area.name, cssClass: "ww-chart__series--area", values: one.area)]
                if unit != "count" && unit != "hectare" { lines.append(.init(name: s.name, cssClass: "ww-chart__series--municipality", values: one.municipality)) }
                chart = LineChart.svg(id: "trend-\(one.indicator.key)", title: req.t("profile.trendTitle", req.t("indicator.\(one.indicator.key)"), area.name),
                                      description: req.t("profile.trendDescription"), years: one.years.filter { $0 >= withFigures.first! && $0 <= withFigures.last! },
                                      series: lines, format: { Self.format($0, unit: unit, lang) })
            }
            let latestYear = one.latestYear
            return IndicatorView(key: one.indicator.key, anchor: "#" + one.indicator.key, name: req.t("indicator.\(one.indicator.key)"), definition: req.t("indicator.\(one.indicator.key).definition"),
                                 unit: req.t("unit.\(unit)"), source: req.t("profile.source.cbs"),
                                 latest: latestYear.flatMap { one.area[$0] }.map { Self.format($0, unit: unit, lang) } ?? req.t("profile.noFigure"),
                                 latestYear: latestYear.map(String.init) ?? dash,
                                 municipality: latestYear.flatMap { one.municipality[$0] }.map { Self.format($0, unit: unit, lang) } ?? dash,
                                 figures: figures, chart: chart)
        }
        let municipalityOwn = Self.municipalityAverage(own)
        let ownViews = IndicatorCatalogue.own.map { indicator in
            OwnView(name: req.t("indicator.\(indicator.key)"), definition: req.t("indicator.\(indicator.key).definition"),
                    area: own[area.id]?[indicator.key].map { Self.format($0, unit: indicator.unit, lang) } ?? req.t("profile.tooFew"),
                    municipality: municipalityOwn[indicator.key].map { Self.format($0, unit: indicator.unit, lang) } ?? dash)
        }
        // Notes: the published ones for everyone; all of them for staff who work in the area.
        var staff = false
        if req.authUser != nil, let actor = try? await req.actor(), Permissions.allows(actor, .viewAreaWork(municipality: s.id, area: area.id)) { staff = true }
        var noteQuery = ProfileNote.query(on: req.db).filter(\.$area.$id == area.id)
        if !staff { noteQuery = noteQuery.filter(\.$isPublic == true) }
        let notes = try await noteQuery.sort(\.$notedOn, .descending).limit(50).all()
        var form: FormView? = nil
        if staff {
            form = FormView(action: Site.areaProfileNotes.link(s.slug, area.slug), submitLabel: req.t("profile.note.submit"), fields: [
                FieldView(req, name: "rol", label: req.t("profile.note.role"), type: "select", value: values["rol"] ?? "",
                          options: [("", req.t("profile.note.roleChoose"))] + ProfessionalRole.allCases.map { ($0.rawValue, req.t("profile.role." + $0.rawValue)) }, errors: errors),
                FieldView(req, name: "tekst", label: req.t("profile.note.text"), type: "textarea", value: values["tekst"] ?? "", description: req.t("profile.note.textHelp"), errors: errors),
                FieldView(req, name: "openbaar", label: req.t("profile.note.public"), type: "checkbox", value: values["openbaar"] ?? "", description: req.t("profile.note.publicHelp"), errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        let monitor = try await AreaProfileService.signalMonitor(s, area: area, now: req.application.clock(), language: lang, on: req.db)
        let tooFew = req.t("profile.tooFewSignals")
        let pct = { (v: Double?) in v.map { Format.decimal(($0).rounded(), lang) + " %" } ?? tooFew }
        let reach = try await AreaProfileService.reach(s, area: area, now: req.application.clock(), on: req.db)
        // Like with like: the three areas of the municipality that resemble this one most on size, density and make-up.
        let latest = try await AreaProfileService.latest(s, now: req.application.clock(), on: req.db, cache: req.application.profileCache)
        let compareKeys = ["inhabitants", "density", "age0to14", "age65plus", "householdSize", "ownerOccupied", "wozValue", "lowIncome"]
        let similar = SimilarAreas.nearest(to: area.id, among: s.areas.map { ($0.id, latest[$0.id] ?? [:]) }, keys: compareKeys, count: 3)
        let similarAreas = [area.id] + similar
        let similarRows = similar.isEmpty ? [] : compareKeys.compactMap { key -> SimilarRow? in
            guard let unit = IndicatorCatalogue.indicator(key)?.unit, similarAreas.contains(where: { latest[$0]?[key] != nil }) else { return nil }
            return SimilarRow(indicator: req.t("indicator.\(key)"), values: similarAreas.map { id in latest[id]?[key].map { Self.format($0, unit: unit, lang) } ?? dash })
        }
        let minimum = req.application.config.surveyMinimumRespondents
        let surveys = try await SurveyFigure.query(on: req.db).filter(\.$area.$id == area.id).sort(\.$indicator).sort(\.$year).all()
        let heading = req.t("profile.title", area.name)
        let missing = years.isEmpty ? nil : req.t("profile.years", years.map(String.init).joined(separator: ", "))
        return try await req.render("Profile/profile", Page(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (area.name, Site.area.link(s.slug, area.slug))], errors: errors, status: req.takeFlash()),
            heading: heading, intro: req.t("profile.intro"), areaHref: Site.area.link(s.slug, area.slug), indicators: indicators, own: ownViews,
            monitor: monitor.lines.map { l in .init(subject: l.subject, count: l.count.map { String($0) } ?? tooFew,
                                                    perThousand: l.perThousand.map { Format.decimal(($0 * 10).rounded() / 10, lang) } ?? tooFew,
                                                    inTime: pct(l.inTimeShare), satisfaction: pct(l.satisfaction)) },
            recurring: monitor.recurring.prefix(20).map { r in .init(subject: r.subject, buurt: r.neighbourhood, count: r.count,
                                                                     period: Format.day(r.first, lang) + " – " + Format.day(r.last, lang)) },
            similarNames: similarAreas.map { id in s.areas.first { $0.id == id }?.name ?? "" }, similarRows: similarRows,
            reach: reach.map { .init(channel: req.t("profile.reach." + $0.channel), count: $0.count, perThousand: $0.perThousand.map { Format.decimal(($0 * 10).rounded() / 10, lang) } ?? "–") },
            surveys: surveys.map { f in .init(name: req.t("indicator.\(f.indicator)"), year: f.year,
                                              value: Suppression.shown(f.value, cases: f.respondents, minimum: minimum).map { Self.format($0, unit: IndicatorCatalogue.indicator(f.indicator)?.unit ?? "", lang) }
                                                ?? req.t("profile.tooFewAnswers", String(minimum)),
                                              respondents: f.respondents, source: f.source) },
            notes: notes.map { .init(role: req.t("profile.role." + $0.authorRole.rawValue), date: Format.day($0.notedOn, lang), iso: Format.isoDate($0.notedOn),
                                     text: $0.isPublic ? PersonalData.masked($0.text) : $0.text, isPublic: $0.isPublic) },
            noteForm: form, csvHref: Site.areaProfileCSV.link(s.slug, area.slug), jsonHref: Site.areaProfileJSON.link(s.slug, area.slug),
            rankingHref: Site.ranking.link(s.slug), mapHref: Site.indicatorMap.link(s.slug), missingYears: missing), status: status)
    }

    /// The municipality's figure for an own indicator: the mean over its areas that have one.
    static func municipalityAverage(_ own: [UUID: [String: Double]]) -> [String: Double] {
        var out: [String: Double] = [:]
        for indicator in IndicatorCatalogue.own {
            let values = own.values.compactMap { $0[indicator.key] }
            if !values.isEmpty { out[indicator.key] = values.reduce(0, +) / Double(values.count) }
        }
        return out
    }

    func page(req: Request) async throws -> Response {
        let (s, area) = try await load(req)
        return try await render(req, s, area, values: [:], errors: [])
    }

    func addNote(req: Request) async throws -> Response {
        let (s, area) = try await load(req)
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
        try await req.db.transaction { db in
            try await note.create(on: db)
            try await req.audit(.profileNoteAdd, .init(id: note.id?.uuidString, summary: "\(area.name): \(PersonalData.masked(String(text.prefix(60))))", municipalityID: s.id),
                                after: ["role": role.rawValue, "public": note.isPublic ? "ja" : "nee"], on: db)
        }
        req.flash(req.t("profile.note.added"))
        return req.redirect(to: Site.areaProfile.link(s.slug, area.slug) + "#notities")
    }

    /// Every CBS figure of the area and the municipality, one line per indicator and year, with source and year.
    func csv(req: Request) async throws -> Response {
        let (s, area) = try await load(req)
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
        let own = try await AreaProfileService.ownFigures(s, now: req.application.clock(), on: req.db)
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
        let (s, area) = try await load(req)
        return try await Self.profileDTO(req, s, area)
    }
}
