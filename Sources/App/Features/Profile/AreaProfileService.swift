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
            let rows = try await sql.select().columns("year", "code", "indicator", "value").from(CBSFigure.schema).where("code", .in, chunk).all()
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

    /// Wijkwerk's own figures over the last twelve months (this calendar year for money and meetings).
    static func ownFigures(_ s: MunicipalitySnapshot, now: Date, on db: any Database) async throws -> [UUID: [String: Double]] {
        let yearAgo = now.addingTimeInterval(-365 * 86_400)
        let year = DutchTime.calendar.component(.year, from: now)
        let signals = try await Signal.query(on: db).filter(\.$municipality.$id == s.id).filter(\.$reportedAt >= yearAgo).all()
        let initiatives = try await Initiative.query(on: db).filter(\.$municipality.$id == s.id).filter(\.$year == year).filter(\.$status != .draft).all()
        let ideas = try await Idea.query(on: db).filter(\.$municipality.$id == s.id).filter(\.$createdAt >= yearAgo).all()
        let councils = try await Council.query(on: db).filter(\.$municipality.$id == s.id).all()
        let meetings = councils.isEmpty ? [] : try await CouncilMeeting.query(on: db).filter(\.$council.$id ~~ councils.compactMap(\.id))
            .filter(\.$status == .held).filter(\.$isPublic == true).filter(\.$startsAt >= yearAgo).all()
        var out: [UUID: [String: Double]] = [:]
        for area in s.areas {
            var f: [String: Double] = [:]
            let inhabitants = Double(area.figures.figures.inhabitants ?? 0)
            let mine = signals.filter { $0.areaID == area.id }
            if inhabitants > 0, mine.count >= minimumCases { f["signalsPer1000"] = Double(mine.count) / inhabitants * 1000 }
            let closed = mine.filter { $0.state == .afgehandeld }
            if closed.count >= minimumCases {
                let inTime = closed.filter { s in s.deadline.map { (s.closedAt ?? s.stateChangedAt) <= $0 } ?? true }.count
                f["signalsInTime"] = Double(inTime) / Double(closed.count) * 100
                let days = closed.map { ((($0.closedAt ?? $0.stateChangedAt).timeIntervalSince($0.reportedAt)) / 86_400) }.sorted()
                f["signalMedianDays"] = days.count % 2 == 1 ? days[days.count / 2] : (days[days.count / 2 - 1] + days[days.count / 2]) / 2
            }
            let areaInitiatives = initiatives.filter { $0.$area.id == area.id }
            if inhabitants > 0 {
                f["initiativesPer1000"] = Double(areaInitiatives.count) / inhabitants * 1000
                f["grantedPerInhabitant"] = Double(areaInitiatives.reduce(0) { $0 + ($1.grantedCents ?? 0) }) / 100 / inhabitants
                f["ideaSupportsPer1000"] = Double(ideas.filter { $0.$area.id == area.id }.reduce(0) { $0 + $1.supportCount }) / inhabitants * 1000
            }
            if let council = councils.first(where: { $0.$area.id == area.id }) {
                f["councilMeetings"] = Double(meetings.filter { $0.$council.id == council.id }.count)
            }
            out[area.id] = f
        }
        return out
    }

    /// The latest figure of every indicator per area: what a ranking (and a choropleth) works with.
    static func latest(_ s: MunicipalitySnapshot, now: Date, on db: any Database, cache: ProfileCache) async throws -> [UUID: [String: Double]] {
        let (series, _) = try await cbsSeries(s, on: db, cache: cache)
        var out = try await ownFigures(s, now: now, on: db)
        for (id, list) in series {
            for one in list { if let y = one.latestYear, let v = one.area[y] { out[id, default: [:]][one.indicator.key] = v } }
        }
        return out
    }

    /// Signals of the area in the last twelve months as a monitor: per main subject, and recurring problems
    /// (the same sub subject in the same buurt three times or more).
    static func signalMonitor(_ s: MunicipalitySnapshot, area: MunicipalitySnapshot.AreaInfo, now: Date, language: Language,
                              on db: any Database) async throws -> (lines: [SignalMonitor.Line], recurring: [SignalMonitor.Recurring]) {
        let yearAgo = now.addingTimeInterval(-365 * 86_400)
        let signals = try await Signal.query(on: db).filter(\.$area.$id == area.id).filter(\.$reportedAt >= yearAgo).all()
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
    struct ReachLine: Sendable { var channel: String; var count: Int; var perThousand: Double? }

    static func reach(_ s: MunicipalitySnapshot, area: MunicipalitySnapshot.AreaInfo, now: Date, on db: any Database) async throws -> [ReachLine] {
        let yearAgo = now.addingTimeInterval(-365 * 86_400)
        let signals = try await Signal.query(on: db).filter(\.$area.$id == area.id).filter(\.$reportedAt >= yearAgo).all(\.$source)
        let ideas = try await Idea.query(on: db).filter(\.$area.$id == area.id).all()
        let supports = ideas.isEmpty ? 0 : try await IdeaSupport.query(on: db).filter(\.$idea.$id ~~ ideas.compactMap(\.id)).filter(\.$confirmedAt >= yearAgo).count()
        let initiatives = try await Initiative.query(on: db).filter(\.$area.$id == area.id).filter(\.$submittedAt >= yearAgo).count()
        var candidates = 0
        if let council = try await Council.query(on: db).filter(\.$area.$id == area.id).first() {
            candidates = try await CouncilCandidate.query(on: db).filter(\.$council.$id == council.requireID()).filter(\.$appliedAt >= yearAgo).count()
        }
        let groups = try await ThemeGroup.query(on: db).filter(\.$municipality.$id == s.id).all().filter { $0.areaIDs.contains(area.id) }
        let members = groups.isEmpty ? 0 : try await ThemeGroupMember.query(on: db).filter(\.$group.$id ~~ groups.compactMap(\.id)).filter(\.$joinedOn >= yearAgo).count()
        let inhabitants = Double(area.figures.figures.inhabitants ?? 0)
        let lines: [(String, Int)] = [
            ("signalsWeb", signals.filter { $0 == "web" }.count), ("signalsApp", signals.filter { $0 == "open311" }.count),
            ("signalsStaff", signals.filter { $0 == "staff" }.count), ("ideas", ideas.filter { $0.createdAt >= yearAgo }.count),
            ("ideaSupports", supports), ("initiatives", initiatives), ("candidates", candidates), ("themeGroups", members),
        ]
        return lines.map { ReachLine(channel: $0.0, count: $0.1, perThousand: inhabitants > 0 && $0.1 >= minimumCases ? Double($0.1) / inhabitants * 1000 : nil) }
    }
}


/// Computed CBS series per municipality, kept by the application until the figures or the division change.
final class ProfileCache: Sendable {
    let series = NIOLockedValueBox<[String: AreaProfileService.CachedSeries]>([:])
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
