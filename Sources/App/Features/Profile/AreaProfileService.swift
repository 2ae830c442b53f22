import Vapor
import Fluent
import SQLKit
import NIOConcurrencyHelpers
import Domain

/// The figures of an area's profile: CBS indicators per year for the area (added up from its wijken by each
/// indicator's rule) and for the municipality, and Wijkwerk's own figures of the last twelve months.
enum AreaProfileService {
    /// One indicator over the years. A year without a figure is missing, never invented.
    struct Series: Sendable {
        var indicator: Indicator
        var area: [Int: Double]
        var municipality: [Int: Double]
        var years: [Int]
        var latestYear: Int? { years.last { area[$0] != nil } }
    }

    /// Small numbers are suppressed (no resident can be recognised from a figure of a few cases).
    static let minimumCases = 10

    static func cbsSeries(_ s: MunicipalitySnapshot, on db: any Database, cache: ProfileCache) async throws -> (perArea: [UUID: [Series]], years: [Int]) {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        // Only the municipality's own row and its wijken: an area is made of wijken (buurten have no figures in most
        // years, and there are five times as many). The result is kept until an import changes the figures.
        let codes = [s.code] + s.districts.map(\.code)
        let stamp = try await sql.raw("SELECT COUNT(*) AS n, MAX(year) AS y FROM cbs_figures WHERE municipality_code = \(bind: s.code)").first()
        let token = "\(s.version)|\((try? stamp?.decode(column: "n", as: Int.self)) ?? 0)|\((try? stamp?.decode(column: "y", as: Int?.self)) ?? 0)"
        if let cached = cache.series.withLockedValue({ $0[s.code] }), cached.token == token { return (cached.perArea, cached.years) }
        struct Figure { var year: Int; var code: String; var indicator: String; var value: Double? }
        var figures: [Figure] = []
        for chunk in stride(from: 0, to: codes.count, by: 500).map({ Array(codes[$0..<min($0 + 500, codes.count)]) }) {
            // By municipality first: the index on (municipality_code, indicator, year) narrows a national table of
            // millions of figures to this municipality's (the unique key starts with the year).
            let rows = try await sql.select().columns("year", "code", "indicator", "value").from(CBSFigure.schema)
                .where("municipality_code", .equal, SQLBind(s.code)).where("code", .in, chunk).all()
            for r in rows {
                figures.append(Figure(year: try r.decode(column: "year", as: Int.self), code: try r.decode(column: "code", as: String.self),
                                      indicator: try r.decode(column: "indicator", as: String.self), value: try r.decode(column: "value", as: Double?.self)))
            }
        }
        // code → year → indicator → value (nil values are "no figure": left out).
        var byCode: [String: [Int: [String: Double]]] = [:]
        var rowsPresent: [String: Set<Int>] = [:]
        for f in figures {
            rowsPresent[f.code, default: []].insert(f.year)
            if let v = f.value { byCode[f.code, default: [:]][f.year, default: [:]][f.indicator] = v }
        }
        let years = Set(figures.map(\.year)).sorted()
        var out: [UUID: [Series]] = [:]
        for area in s.areas {
            let districts = area.figures.splitDistricts.isEmpty ? area.figures.wholeDistricts : []
            var series: [Series] = []
            for indicator in IndicatorCatalogue.cbs {
                var areaValues: [Int: Double] = [:], municipalityValues: [Int: Double] = [:]
                for year in years {
                    if let v = byCode[s.code]?[year]?[indicator.key] { municipalityValues[year] = v }
                    guard !districts.isEmpty, districts.allSatisfy({ rowsPresent[$0]?.contains(year) ?? false }) else { continue }
                    let parts = districts.map { byCode[$0]?[year] ?? [:] }
                    let value: Double?
                    if indicator.key == "density" {
                        let inhabitants = IndicatorAggregation.aggregate(IndicatorCatalogue.indicator("inhabitants")!, parts: parts)
                        let land = IndicatorAggregation.aggregate(IndicatorCatalogue.indicator("landHa")!, parts: parts)
                        value = IndicatorAggregation.density(inhabitants: inhabitants, landHa: land) ?? (districts.count == 1 ? parts[0]["density"] : nil)
                    } else {
                        value = IndicatorAggregation.aggregate(indicator, parts: parts)
                    }
                    if let value { areaValues[year] = value }
                }
                if !areaValues.isEmpty || !municipalityValues.isEmpty {
                    series.append(Series(indicator: indicator, area: areaValues, municipality: municipalityValues, years: years))
                }
            }
            out[area.id] = series
        }
        cache.series.withLockedValue { $0[s.code] = CachedSeries(token: token, perArea: out, years: years) }
        return (out, years)
    }

    struct CachedSeries: Sendable { var token: String; var perArea: [UUID: [Series]]; var years: [Int] }

    /// The twelve months before a moment: the period of the profile's own figures, monitor and reach.
    static func year(before at: Date) -> DateInterval { DateInterval(start: at.addingTimeInterval(-365 * 86_400), end: at) }

    /// What Wijkwerk's own figures are computed from, for everything between two moments, read as plain rows
    /// (at a million signals, building full models would dominate).
    static func ownInputs(_ s: MunicipalitySnapshot, from: Date, to: Date, on db: any Database) async throws -> OwnFigures.Inputs {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        struct Raw: Decodable { var area_id: UUID; var reported_at: Date; var closed_at: Date?; var state_changed_at: Date; var state: String; var deadline: Date? }
        let signals = try await sql.select().columns("area_id", "reported_at", "closed_at", "state_changed_at", "state", "deadline").from(Signal.schema)
            .where("municipality_id", .equal, SQLBind(s.id)).where("area_id", .isNot, SQLLiteral.null)
            .where("reported_at", .greaterThanOrEqual, SQLBind(from)).where("reported_at", .lessThan, SQLBind(to))
            .all(decoding: Raw.self)
        var inputs = OwnFigures.Inputs()
        inputs.signals = signals.map { r in
            .init(area: r.area_id, reportedAt: r.reported_at, handledAt: r.state == SignalState.afgehandeld.rawValue ? (r.closed_at ?? r.state_changed_at) : nil, deadline: r.deadline)
        }
        inputs.initiatives = try await Initiative.query(on: db).filter(\.$municipality.$id == s.id).filter(\.$status != .draft)
            .filter(\.$submittedAt >= from).filter(\.$submittedAt < to).all()
            .compactMap { i in i.submittedAt.map { .init(area: i.$area.id, at: $0, amount: i.grantedCents ?? 0) } }
        inputs.ideaSupports = try await IdeaSupport.query(on: db).join(Idea.self, on: \IdeaSupport.$idea.$id == \Idea.$id)
            .filter(Idea.self, \.$municipality.$id == s.id).filter(\.$confirmedAt >= from).filter(\.$confirmedAt < to).all()
            .compactMap { support in
                guard let at = support.confirmedAt, let idea = try? support.joined(Idea.self) else { return nil }
                return .init(area: idea.$area.id, at: at)
            }
        let councils = try await Council.query(on: db).filter(\.$municipality.$id == s.id).all()
        let areaOfCouncil = Dictionary(councils.compactMap { c in c.id.map { ($0, c.$area.id) } }, uniquingKeysWith: { a, _ in a })
        inputs.areasWithCouncil = Set(areaOfCouncil.values)
        if !councils.isEmpty {
            inputs.meetings = try await CouncilMeeting.query(on: db).filter(\.$council.$id ~~ Array(areaOfCouncil.keys))
                .filter(\.$status == .held).filter(\.$isPublic == true).filter(\.$startsAt >= from).filter(\.$startsAt < to).all()
                .compactMap { m in areaOfCouncil[m.$council.id].map { .init(area: $0, at: m.startsAt) } }
        }
        return inputs
    }

    static func inhabitants(_ s: MunicipalitySnapshot) -> [UUID: Int] {
        Dictionary(uniqueKeysWithValues: s.areas.map { ($0.id, $0.figures.figures.inhabitants ?? 0) })
    }

    /// Wijkwerk's own figures over the twelve months before `at`.
    static func ownFigures(_ s: MunicipalitySnapshot, at: Date, on db: any Database) async throws -> [UUID: [String: Double]] {
        let period = year(before: at)
        let inputs = try await ownInputs(s, from: period.start, to: period.end, on: db)
        return OwnFigures.compute(inputs, period: period, inhabitants: inhabitants(s), minimum: minimumCases)
    }

    /// Own figures per calendar year (complete years before `at`, at most ten): the trend of what Wijkwerk
    /// itself measures. Per year the area's CBS inhabitants of that year where known. Kept ten minutes.
    static func ownTrend(_ s: MunicipalitySnapshot, at: Date, on db: any Database, cache: ProfileCache) async throws -> (years: [Int], perArea: [UUID: [Int: [String: Double]]]) {
        let calendar = DutchTime.calendar
        let key = "\(s.code)|\(s.version)|\(Format.isoDate(at))|\(Int(Date().timeIntervalSince1970 / 600))"
        if let hit = cache.ownTrend.withLockedValue({ $0[key] }) { return hit }
        let thisYear = calendar.component(.year, from: at)
        let from = calendar.date(from: DateComponents(year: thisYear - 10, month: 1, day: 1))!
        let to = calendar.date(from: DateComponents(year: thisYear, month: 1, day: 1))!
        let inputs = try await ownInputs(s, from: from, to: to, on: db)
        let years = OwnFigures.trendYears(inputs, before: at, calendar: calendar)
        let (series, _) = try await cbsSeries(s, on: db, cache: cache)
        var perArea: [UUID: [Int: [String: Double]]] = [:]
        for y in years {
            let period = DateInterval(start: calendar.date(from: DateComponents(year: y, month: 1, day: 1))!, end: calendar.date(from: DateComponents(year: y + 1, month: 1, day: 1))!)
            var people = inhabitants(s)
            for area in s.areas {
                if let cbs = series[area.id]?.first(where: { $0.indicator.key == "inhabitants" }), let known = cbs.area.filter({ $0.key <= y }).max(by: { $0.key < $1.key }) {
                    people[area.id] = Int(known.value)
                }
            }
            for (area, figures) in OwnFigures.compute(inputs, period: period, inhabitants: people, minimum: minimumCases) { perArea[area, default: [:]][y] = figures }
        }
        let result = (years, perArea)
        cache.ownTrend.withLockedValue { c in
            if c.count > 500 { c.removeAll() }
            c[key] = result
        }
        return result
    }

    /// The latest figure of every indicator per area: what a ranking (and a choropleth) works with.
    /// The latest CBS figure of that year or before, per area and indicator.
    static func latestCBS(_ series: [UUID: [Series]], upTo year: Int) -> [UUID: [String: Double]] {
        var out: [UUID: [String: Double]] = [:]
        for (id, list) in series {
            for one in list { if let y = one.area.keys.filter({ $0 <= year }).max(), let v = one.area[y] { out[id, default: [:]][one.indicator.key] = v } }
        }
        return out
    }

    /// An area anywhere, with its CBS figures per indicator and year, for "similar areas in other municipalities".
    struct NationalArea: Sendable { var id: UUID; var municipality: UUID; var name: String; var municipalityName: String; var href: String; var figures: [String: [Int: Double]] }

    /// Every municipality's areas with their CBS series, built at most every half hour, off the request path (a
    /// national import holds millions of figures): until it is built, the comparison is simply not shown.
    static func nationalAreas(_ app: Application, keys: [String]) async -> [NationalArea]? {
        let cache = app.profileCache
        let now = Date()
        let current = cache.national.withLockedValue { $0 }
        let stale = current.map { now.timeIntervalSince($0.built) > 1800 } ?? true
        if stale && cache.nationalBuilding.withLockedValue({ building in defer { building = true }; return !building }) {
            let build: @Sendable () async -> Void = {
                defer { cache.nationalBuilding.withLockedValue { $0 = false } }
                do {
                    var out: [NationalArea] = []
                    for m in try await Municipality.query(on: app.db).all() {
                        let s = try await app.areaDirectory.snapshot(for: m, on: app.db)
                        let series = try await cbsSeries(s, on: app.db, cache: cache).perArea
                        for a in s.areas {
                            var figures: [String: [Int: Double]] = [:]
                            for one in series[a.id] ?? [] where keys.contains(one.indicator.key) && !one.area.isEmpty { figures[one.indicator.key] = one.area }
                            if !figures.isEmpty {
                                out.append(NationalArea(id: a.id, municipality: s.id, name: a.name, municipalityName: s.name, href: Site.areaProfile.link(s.slug, a.slug), figures: figures))
                            }
                        }
                    }
                    cache.national.withLockedValue { $0 = (Date(), out) }
                } catch {
                    app.logger.warning("Similar areas elsewhere not built: \(String(describing: error))")
                }
            }
            // Tests read it at once; a running server builds it in the background.
            if app.environment == .testing { await build() } else { Task.detached { await build() } }
        }
        return cache.national.withLockedValue { $0?.areas }
    }

    /// The three areas in other municipalities most like this one on CBS figures (own figures depend on each
    /// municipality's way of working, so they are left out of this comparison).
    static func similarElsewhere(_ req: Request, _ s: MunicipalitySnapshot, area: MunicipalitySnapshot.AreaInfo, figures: [String: Double], keys: [String], year: Int)
        async throws -> [AreaProfilePage.SimilarElsewhere] {
        guard let national = await nationalAreas(req.application, keys: keys) else { return [] }
        let others = national.filter { $0.municipality != s.id }
        guard !others.isEmpty else { return [] }
        var candidates: [(id: UUID, figures: [String: Double])] = [(area.id, figures.filter { keys.contains($0.key) })]
        for a in others {
            let latest = a.figures.compactMapValues { byYear in byYear.keys.filter { $0 <= year }.max().flatMap { byYear[$0] } }
            if !latest.isEmpty { candidates.append((a.id, latest)) }
        }
        let byID = Dictionary(others.map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        return SimilarAreas.nearest(to: area.id, among: candidates, keys: keys, count: 3).compactMap { id in
            byID[id].map { .init(name: $0.name, municipality: $0.municipalityName, href: $0.href) }
        }
    }

    /// At a date: CBS figures of that year or before, own figures of the twelve months before it.
    static func latest(_ s: MunicipalitySnapshot, now: Date, on db: any Database, cache: ProfileCache) async throws -> [UUID: [String: Double]] {
        let (series, _) = try await cbsSeries(s, on: db, cache: cache)
        var out = try await ownFigures(s, at: now, on: db)
        for (id, figures) in latestCBS(series, upTo: DutchTime.calendar.component(.year, from: now)) { out[id, default: [:]].merge(figures) { _, cbs in cbs } }
        return out
    }

    /// Signals of the area in the last twelve months as a monitor: per main subject, and recurring problems
    /// (the same sub subject in the same buurt three times or more).
    static func signalMonitor(_ s: MunicipalitySnapshot, area: MunicipalitySnapshot.AreaInfo, now: Date, language: Language,
                              on db: any Database) async throws -> (lines: [SignalMonitor.Line], recurring: [SignalMonitor.Recurring]) {
        let yearAgo = now.addingTimeInterval(-365 * 86_400)
        let signals = try await Signal.query(on: db).filter(\.$area.$id == area.id).filter(\.$reportedAt >= yearAgo).filter(\.$reportedAt < now).all()
        let categories = try await SignalCategory.query(on: db).filter(\.$municipality.$id == s.id).all()
        let byID = Dictionary(uniqueKeysWithValues: categories.compactMap { c in c.id.map { ($0, c) } })
        let buurt = Dictionary(uniqueKeysWithValues: s.neighbourhoods.map { ($0.id, $0.name) })
        func main(_ id: UUID) -> String {
            guard let c = byID[id] else { return "" }
            return (c.parentID.flatMap { byID[$0] } ?? c).name(language)
        }
        let mainCases = signals.map { sig in
            SignalMonitor.Case(subject: main(sig.$category.id), neighbourhood: sig.neighbourhoodID.flatMap { buurt[$0] }, reportedAt: sig.reportedAt,
                               closedInTime: sig.state == .afgehandeld ? sig.deadline.map { (sig.closedAt ?? sig.stateChangedAt) <= $0 } ?? true : nil,
                               satisfied: sig.feedbackSatisfied)
        }
        let subCases = signals.map { sig in
            SignalMonitor.Case(subject: byID[sig.$category.id]?.name(language) ?? "", neighbourhood: sig.neighbourhoodID.flatMap { buurt[$0] }, reportedAt: sig.reportedAt,
                               closedInTime: nil, satisfied: nil)
        }
        let inhabitants = area.figures.figures.inhabitants
        return (SignalMonitor.perSubject(mainCases, inhabitants: inhabitants, minimum: minimumCases), SignalMonitor.recurring(subCases, threshold: 3))
    }

    /// Who takes part (seed 003: beyond the usual suspects), per channel in the last twelve months: counts and, from
    /// ten up, per 1,000 inhabitants. Only what each channel already holds is counted; nothing about a person is kept.
    /// Counts below the minimum are not shown (nil): a handful of people could be recognised.
    struct ReachLine: Sendable { var channel: String; var count: Int?; var perThousand: Double? }

    static func reach(_ s: MunicipalitySnapshot, area: MunicipalitySnapshot.AreaInfo, now: Date, on db: any Database) async throws -> [ReachLine] {
        let yearAgo = now.addingTimeInterval(-365 * 86_400)
        let signals = try await Signal.query(on: db).filter(\.$area.$id == area.id).filter(\.$reportedAt >= yearAgo).filter(\.$reportedAt < now).all(\.$source)
        let ideas = try await Idea.query(on: db).filter(\.$area.$id == area.id).filter(\.$createdAt < now).all()
        let supports = ideas.isEmpty ? 0 : try await IdeaSupport.query(on: db).filter(\.$idea.$id ~~ ideas.compactMap(\.id)).filter(\.$confirmedAt >= yearAgo).filter(\.$confirmedAt < now).count()
        let initiatives = try await Initiative.query(on: db).filter(\.$area.$id == area.id).filter(\.$submittedAt >= yearAgo).filter(\.$submittedAt < now).count()
        var candidates = 0
        if let council = try await Council.query(on: db).filter(\.$area.$id == area.id).first() {
            candidates = try await CouncilCandidate.query(on: db).filter(\.$council.$id == council.requireID()).filter(\.$appliedAt >= yearAgo).filter(\.$appliedAt < now).count()
        }
        let groups = try await ThemeGroup.query(on: db).filter(\.$municipality.$id == s.id).all().filter { $0.areaIDs.contains(area.id) }
        let members = groups.isEmpty ? 0 : try await ThemeGroupMember.query(on: db).filter(\.$group.$id ~~ groups.compactMap(\.id)).filter(\.$joinedOn >= yearAgo).filter(\.$joinedOn < now).count()
        let inhabitants = Double(area.figures.figures.inhabitants ?? 0)
        let lines: [(String, Int)] = [
            ("signalsWeb", signals.filter { $0 == "web" }.count), ("signalsApp", signals.filter { $0 == "open311" }.count),
            ("signalsStaff", signals.filter { $0 == "staff" }.count), ("ideas", ideas.filter { $0.createdAt >= yearAgo }.count),
            ("ideaSupports", supports), ("initiatives", initiatives), ("candidates", candidates), ("themeGroups", members),
        ]
        return lines.map { ReachLine(channel: $0.0, count: $0.1 >= minimumCases ? $0.1 : nil,
                                     perThousand: inhabitants > 0 && $0.1 >= minimumCases ? Double($0.1) / inhabitants * 1000 : nil) }
    }
}


/// Computed CBS series per municipality, kept by the application until the figures or the division change.
final class ProfileCache: Sendable {
    let series = NIOLockedValueBox<[String: AreaProfileService.CachedSeries]>([:])
    let ownTrend = NIOLockedValueBox<[String: (years: [Int], perArea: [UUID: [Int: [String: Double]]])]>([:])
    let national = NIOLockedValueBox<(built: Date, areas: [AreaProfileService.NationalArea])?>(nil)
    let nationalBuilding = NIOLockedValueBox<Bool>(false)
}

extension Application {
    private struct ProfileCacheKey: StorageKey { typealias Value = ProfileCache }
    var profileCache: ProfileCache {
        if let c = storage[ProfileCacheKey.self] { return c }
        let c = ProfileCache()
        storage[ProfileCacheKey.self] = c
        return c
    }
}
