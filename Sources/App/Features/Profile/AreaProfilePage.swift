import Vapor
import Fluent
import Domain

/// Builds the area profile page (wijkfoto) at a date: CBS indicators over the years against the municipality,
/// Wijkwerk's own figures (the twelve months before the date, and per calendar year), surveys, reach per channel
/// and by age, the signal monitor, similar areas here and elsewhere, the village's own view, and the notes.
enum AreaProfilePage {
    struct Figure: Encodable { var year: Int; var area: String; var municipality: String }
    struct IndicatorView: Encodable {
        var key: String; var anchor: String; var name: String; var definition: String; var unit: String; var source: String
        var latest: String; var latestYear: String; var municipality: String; var figures: [Figure]; var chart: String?
    }
    struct OwnView: Encodable { var name: String; var definition: String; var area: String; var municipality: String; var perYear: [String]; var chart: String? }
    struct MonitorLine: Encodable { var subject: String; var count: String; var perThousand: String; var inTime: String; var satisfaction: String }
    struct RecurringLine: Encodable { var subject: String; var buurt: String; var count: Int; var period: String }
    struct SimilarRow: Encodable { var indicator: String; var values: [String] }
    struct SimilarElsewhere: Encodable { var name: String; var municipality: String; var href: String }
    struct ReachView: Encodable { var channel: String; var count: String; var perThousand: String }
    struct AgeTable: Encodable {
        struct Row: Encodable { var group: String; var share: String; var population: String; var verdict: String }
        var id: String; var channel: String; var answers: Int; var rows: [Row]
    }
    struct SurveyView: Encodable { var name: String; var year: Int; var value: String; var respondents: Int; var source: String }
    struct NoteView: Encodable { var role: String; var date: String; var iso: String; var text: String; var isPublic: Bool }
    struct Page: Encodable {
        var page: PageMeta; var heading: String; var intro: String; var areaHref: String; var dateForm: [FieldView]; var dateAction: String; var atLabel: String?
        var indicators: [IndicatorView]; var own: [OwnView]; var ownYears: [Int]; var ownPeriod: String
        var monitor: [MonitorLine]; var recurring: [RecurringLine]
        var similarNames: [String]; var similarRows: [SimilarRow]; var elsewhere: [SimilarElsewhere]
        var reach: [ReachView]; var ageTables: [AgeTable]; var ageNote: String; var surveys: [SurveyView]
        var stories: [AreaStoriesController.StoryView]; var storyHref: String; var csrf: String; var recurringAction: String?
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

    /// The profile's date from `?datum=`: the end of that day; today when absent. A date in the future or one that
    /// does not exist is reported on the page (and today is shown).
    static func date(_ req: Request, errors: inout [FieldError]) -> (at: Date, chosen: Bool) {
        let now = req.application.clock()
        guard let day = Input.day(req.query[String.self, at: "datum"], field: "datum", errors: &errors) else { return (now, false) }
        let end = DutchTime.calendar.date(byAdding: .day, value: 1, to: day)!
        if day > now { errors.append(FieldError("datum", "profile.date.future")); return (now, false) }
        return (min(end, now), true)
    }

    private static func chart(_ req: Request, id: String, name: String, areaName: String, years: [Int], series: [LineChart.Series], unit: String) -> String? {
        let withFigures = years.filter { y in series.first?.values[y] != nil }
        guard withFigures.count >= 2 else { return nil }
        let lang = req.language
        return LineChart.svg(id: id, title: req.t("profile.trendTitle", name, areaName), description: req.t("profile.trendDescription"),
                             years: years.filter { $0 >= withFigures.first! && $0 <= withFigures.last! }, series: series, format: { format($0, unit: unit, lang) })
    }

    static func build(_ req: Request, _ s: MunicipalitySnapshot, _ area: MunicipalitySnapshot.AreaInfo, values: [String: String], errors inputErrors: [FieldError]) async throws -> Page {
        let lang = req.language
        var errors = inputErrors
        let (at, chosen) = date(req, errors: &errors)
        let year = DutchTime.calendar.component(.year, from: at)
        let cache = req.application.profileCache
        let (allSeries, allYears) = try await AreaProfileService.cbsSeries(s, on: req.db, cache: cache)
        let years = allYears.filter { $0 <= year }
        let dash = "–"
        let indicators = (allSeries[area.id] ?? []).compactMap { one -> IndicatorView? in
            let unit = one.indicator.unit
            let shown = one.years.filter { $0 <= year }
            guard shown.contains(where: { one.area[$0] != nil || one.municipality[$0] != nil }) else { return nil }
            let figures = shown.map { y in Figure(year: y, area: one.area[y].map { format($0, unit: unit, lang) } ?? dash, municipality: one.municipality[y].map { format($0, unit: unit, lang) } ?? dash) }
            var lines = [LineChart.Series(name: area.name, cssClass: "ww-chart__series--area", values: one.area.filter { $0.key <= year })]
            if unit != "count" && unit != "hectare" { lines.append(.init(name: s.name, cssClass: "ww-chart__series--municipality", values: one.municipality.filter { $0.key <= year })) }
            let name = req.t("indicator.\(one.indicator.key)")
            let latestYear = shown.last { one.area[$0] != nil }
            return IndicatorView(key: one.indicator.key, anchor: "#" + one.indicator.key, name: name, definition: req.t("indicator.\(one.indicator.key).definition"),
                                 unit: req.t("unit.\(unit)"), source: req.t("profile.source.cbs"),
                                 latest: latestYear.flatMap { one.area[$0] }.map { format($0, unit: unit, lang) } ?? req.t("profile.noFigure"),
                                 latestYear: latestYear.map(String.init) ?? dash,
                                 municipality: latestYear.flatMap { one.municipality[$0] }.map { format($0, unit: unit, lang) } ?? dash,
                                 figures: figures, chart: chart(req, id: "trend-\(one.indicator.key)", name: name, areaName: area.name, years: shown, series: lines, unit: unit))
        }
        // Own figures: the twelve months before the date, and per complete calendar year before it.
        let own = try await AreaProfileService.ownFigures(s, at: at, on: req.db)
        let trend = try await AreaProfileService.ownTrend(s, at: at, on: req.db, cache: cache)
        let municipalityOwn = municipalityAverage(own)
        let ownViews = IndicatorCatalogue.own.map { indicator -> OwnView in
            let unit = indicator.unit
            let perYear = trend.perArea[area.id] ?? [:]
            let values = perYear.compactMapValues { $0[indicator.key] }
            let name = req.t("indicator.\(indicator.key)")
            return OwnView(name: name, definition: req.t("indicator.\(indicator.key).definition"),
                           area: own[area.id]?[indicator.key].map { format($0, unit: unit, lang) } ?? req.t("profile.tooFew"),
                           municipality: municipalityOwn[indicator.key].map { format($0, unit: unit, lang) } ?? dash,
                           perYear: trend.years.map { y in values[y].map { format($0, unit: unit, lang) } ?? dash },
                           chart: chart(req, id: "eigen-\(indicator.key)", name: name, areaName: area.name, years: trend.years,
                                        series: [.init(name: area.name, cssClass: "ww-chart__series--area", values: values)], unit: unit))
        }
        // Notes: the published ones for everyone; all of them for staff who work in the area.
        var staff = false, coordinator = false
        if req.authUser != nil, let actor = try? await req.actor() {
            staff = Permissions.allows(actor, .viewAreaWork(municipality: s.id, area: area.id))
            coordinator = Permissions.allows(actor, .coordinateArea(municipality: s.id, area: area.id))
        }
        var noteQuery = ProfileNote.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$notedOn <= at)
        if !staff { noteQuery = noteQuery.filter(\.$isPublic == true) }
        let notes = try await noteQuery.sort(\.$notedOn, .descending).limit(50).all()
        var form: FormView? = nil
        if staff && !chosen {
            form = FormView(action: Site.areaProfileNotes.link(s.slug, area.slug), submitLabel: req.t("profile.note.submit"), fields: [
                FieldView(req, name: "rol", label: req.t("profile.note.role"), type: "select", value: values["rol"] ?? "",
                          options: [("", req.t("profile.note.roleChoose"))] + ProfessionalRole.allCases.map { ($0.rawValue, req.t("profile.role." + $0.rawValue)) }, errors: errors),
                FieldView(req, name: "tekst", label: req.t("profile.note.text"), type: "textarea", value: values["tekst"] ?? "", description: req.t("profile.note.textHelp"), errors: errors),
                FieldView(req, name: "openbaar", label: req.t("profile.note.public"), type: "checkbox", value: values["openbaar"] ?? "", description: req.t("profile.note.publicHelp"), errors: errors),
            ], csrf: req.csrfToken(), showRequiredNote: true)
        }
        let monitor = try await AreaProfileService.signalMonitor(s, area: area, now: at, language: lang, on: req.db)
        let tooFew = req.t("profile.tooFewSignals")
        let pct = { (v: Double?) in v.map { Format.decimal(($0).rounded(), lang) + " %" } ?? tooFew }
        let reach = try await AreaProfileService.reach(s, area: area, now: at, on: req.db)
        // Like with like: the three areas of the municipality that resemble this one most on size, density and make-up,
        // and the three most alike in other municipalities (on CBS figures only: own figures depend on local policy).
        let latest = try await AreaProfileService.latest(s, now: at, on: req.db, cache: cache)
        let compareKeys = ["inhabitants", "density", "age0to14", "age65plus", "householdSize", "ownerOccupied", "wozValue", "lowIncome"]
        let similar = SimilarAreas.nearest(to: area.id, among: s.areas.map { ($0.id, latest[$0.id] ?? [:]) }, keys: compareKeys, count: 3)
        let similarAreas = [area.id] + similar
        let similarRows = similar.isEmpty ? [] : compareKeys.compactMap { key -> SimilarRow? in
            guard let unit = IndicatorCatalogue.indicator(key)?.unit, similarAreas.contains(where: { latest[$0]?[key] != nil }) else { return nil }
            return SimilarRow(indicator: req.t("indicator.\(key)"), values: similarAreas.map { id in latest[id]?[key].map { format($0, unit: unit, lang) } ?? dash })
        }
        let elsewhere = try await AreaProfileService.similarElsewhere(req, s, area: area, figures: latest[area.id] ?? [:], keys: compareKeys, year: year)
        // Reach by age: the answers to the voluntary question per channel against the area's make-up (CBS shares).
        let minimumAnswers = AreaProfileService.minimumCases
        let counts = try await ReachCounter.counts(area: area.id, years: [year - 1, year], on: req.db)
        let population = latest[area.id] ?? [:]
        let ageTables = ["signalsWeb", "ideas", "initiatives", "stories"].compactMap { channel -> AgeTable? in
            let mine = counts[channel] ?? [:]
            let answers = mine.values.reduce(0, +)
            guard answers >= minimumAnswers else { return nil }
            return AgeTable(id: "leeftijd-" + channel, channel: req.t("profile.reach." + channel), answers: answers,
                            rows: ReachByAge.compare(counts: mine, population: population, minimum: minimumAnswers).map { line in
                                .init(group: req.t("reach.age.group." + line.group), share: line.share.map { format($0, unit: "percent", lang) } ?? dash,
                                      population: line.population.map { format($0, unit: "percent", lang) } ?? dash,
                                      verdict: line.ratio.map { req.t($0 < 0.67 ? "reach.age.under" : ($0 > 1.5 ? "reach.age.over" : "reach.age.inLine")) } ?? dash)
                            })
        }
        let minimum = req.application.config.surveyMinimumRespondents
        let surveys = try await SurveyFigure.query(on: req.db).filter(\.$area.$id == area.id).filter(\.$year <= year).sort(\.$indicator).sort(\.$year).all()
        let stories = try await AreaStoriesController.stories(req, s, area, at: at, coordinator: coordinator && !chosen)
        let atLabel = chosen ? Format.day(at.addingTimeInterval(-1), lang) : nil
        let heading = atLabel.map { req.t("profile.titleAt", area.name, $0) } ?? req.t("profile.title", area.name)
        return Page(
            page: req.page(heading, municipality: s.name, crumbs: [(s.name, Paths.municipality(s.slug)), (area.name, Site.area.link(s.slug, area.slug))], errors: errors, status: req.takeFlash()),
            heading: heading, intro: req.t("profile.intro"), areaHref: Site.area.link(s.slug, area.slug),
            dateForm: [FieldView(req, name: "datum", label: req.t("profile.date.label"), type: "date", value: req.query[String.self, at: "datum"] ?? "",
                                 description: req.t("profile.date.help"), optional: true, errors: errors)],
            dateAction: Site.areaProfile.link(s.slug, area.slug), atLabel: atLabel,
            indicators: indicators, own: ownViews, ownYears: trend.years, ownPeriod: req.t("profile.ownPeriod", Format.day(at.addingTimeInterval(-365 * 86_400), lang), Format.day(at.addingTimeInterval(-1), lang)),
            monitor: monitor.lines.map { l in .init(subject: l.subject, count: l.count.map { String($0) } ?? tooFew,
                                                    perThousand: l.perThousand.map { Format.decimal(($0 * 10).rounded() / 10, lang) } ?? tooFew,
                                                    inTime: pct(l.inTimeShare), satisfaction: pct(l.satisfaction)) },
            recurring: monitor.recurring.prefix(20).map { r in .init(subject: r.subject, buurt: r.neighbourhood, count: r.count,
                                                                     period: Format.day(r.first, lang) + " – " + Format.day(r.last, lang)) },
            similarNames: similarAreas.map { id in s.areas.first { $0.id == id }?.name ?? "" }, similarRows: similarRows, elsewhere: elsewhere,
            reach: reach.map { .init(channel: req.t("profile.reach." + $0.channel), count: $0.count.map(String.init) ?? req.t("profile.reach.fewer", String(AreaProfileService.minimumCases)), perThousand: $0.perThousand.map { Format.decimal(($0 * 10).rounded() / 10, lang) } ?? "–") },
            ageTables: ageTables, ageNote: req.t("reach.age.note", String(minimumAnswers)),
            surveys: surveys.map { f in .init(name: req.t("indicator.\(f.indicator)"), year: f.year,
                                              value: Suppression.shown(f.value, cases: f.respondents, minimum: minimum).map { format($0, unit: IndicatorCatalogue.indicator(f.indicator)?.unit ?? "", lang) }
                                                ?? req.t("profile.tooFewAnswers", String(minimum)),
                                              respondents: f.respondents, source: f.source) },
            stories: stories, storyHref: Site.areaStoryNew.link(s.slug, area.slug), csrf: req.csrfToken(),
            recurringAction: coordinator && !chosen ? Site.areaRecurringToAgenda.link(s.slug, area.slug) : nil,
            notes: notes.map { .init(role: req.t("profile.role." + $0.authorRole.rawValue), date: Format.day($0.notedOn, lang), iso: Format.isoDate($0.notedOn),
                                     text: $0.isPublic ? PersonalData.masked($0.text) : $0.text, isPublic: $0.isPublic) },
            noteForm: form, csvHref: Site.areaProfileCSV.link(s.slug, area.slug), jsonHref: Site.areaProfileJSON.link(s.slug, area.slug),
            rankingHref: Site.ranking.link(s.slug), mapHref: Site.indicatorMap.link(s.slug),
            missingYears: years.isEmpty ? nil : req.t("profile.years", years.map(String.init).joined(separator: ", ")))
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
}
