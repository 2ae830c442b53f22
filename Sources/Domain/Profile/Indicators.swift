import Foundation

/// An indicator of the area profile (domain.md §8): what it measures, where it comes from, at which levels it
/// exists, whether higher is better, and how figures of smaller regions add up to an area's figure.
public struct Indicator: Hashable, Sendable {
    public enum Source: String, Sendable { case cbs, survey, wijkwerk }
    public enum Direction: String, Sendable { case higherIsBetter, lowerIsBetter, neutral }
    /// How an area's figure follows from its wijken's: a sum (counts), a mean weighted by another indicator
    /// (shares and averages: the share of people 65+ weighted by inhabitants), or not at all (computed afresh).
    public enum Aggregation: Hashable, Sendable { case sum, weightedMean(by: String), none }

    public var key: String
    public var unit: String
    public var source: Source
    public var direction: Direction
    public var aggregation: Aggregation
    /// Column names in CBS files: the StatLine key (without its table number) and the short code of the
    /// kwb-YYYY open-data file, lower-cased.
    public var cbsColumns: [String]

    public init(key: String, unit: String, source: Source, direction: Direction, aggregation: Aggregation, cbsColumns: [String] = []) {
        self.key = key
        self.unit = unit
        self.source = source
        self.direction = direction
        self.aggregation = aggregation
        self.cbsColumns = cbsColumns
    }
}

public enum IndicatorCatalogue {
    /// The CBS indicators Wijkwerk reads from Kerncijfers wijken en buurten (any year that has them).
    public static let cbs: [Indicator] = [
        .init(key: "inhabitants", unit: "count", source: .cbs, direction: .neutral, aggregation: .sum, cbsColumns: ["aantalinwoners", "a_inw", "aant_inw", "aantal_inwoners_2024"]),
        .init(key: "men", unit: "count", source: .cbs, direction: .neutral, aggregation: .sum, cbsColumns: ["mannen", "a_man", "aant_man", "mannen_2024"]),
        .init(key: "women", unit: "count", source: .cbs, direction: .neutral, aggregation: .sum, cbsColumns: ["vrouwen", "a_vrouw", "aant_vrouw", "vrouwen_2024"]),
        .init(key: "age0to14Count", unit: "count", source: .cbs, direction: .neutral, aggregation: .sum, cbsColumns: ["k_0tot15jaar", "a_00_14"]),
        .init(key: "age65Count", unit: "count", source: .cbs, direction: .neutral, aggregation: .sum, cbsColumns: ["k_65jaarofouder", "a_65_oo"]),
        .init(key: "age0to14", unit: "percent", source: .cbs, direction: .neutral, aggregation: .weightedMean(by: "inhabitants"), cbsColumns: ["p_00_14_jr", "p_00_14"]),
        .init(key: "age15to24", unit: "percent", source: .cbs, direction: .neutral, aggregation: .weightedMean(by: "inhabitants"), cbsColumns: ["p_15_24_jr", "p_15_24"]),
        .init(key: "age25to44", unit: "percent", source: .cbs, direction: .neutral, aggregation: .weightedMean(by: "inhabitants"), cbsColumns: ["p_25_44_jr", "p_25_44"]),
        .init(key: "age45to64", unit: "percent", source: .cbs, direction: .neutral, aggregation: .weightedMean(by: "inhabitants"), cbsColumns: ["p_45_64_jr", "p_45_64"]),
        .init(key: "age65plus", unit: "percent", source: .cbs, direction: .neutral, aggregation: .weightedMean(by: "inhabitants"), cbsColumns: ["p_65_eo_jr", "p_65_oo"]),
        .init(key: "households", unit: "count", source: .cbs, direction: .neutral, aggregation: .sum, cbsColumns: ["huishoudenstotaal", "a_hh", "aantal_hh"]),
        .init(key: "householdSize", unit: "persons", source: .cbs, direction: .neutral, aggregation: .weightedMean(by: "households"), cbsColumns: ["gemiddeldehuishoudensgrootte", "g_hhgro", "gem_hh_gr"]),
        .init(key: "singlePersonHouseholds", unit: "percent", source: .cbs, direction: .neutral, aggregation: .weightedMean(by: "households"), cbsColumns: ["p_eenp_hh", "p_1gezw"]),
        .init(key: "density", unit: "perKm2", source: .cbs, direction: .neutral, aggregation: .none, cbsColumns: ["bevolkingsdichtheid", "bev_dich", "bev_dichth", "bevolkingsdichtheid_inw_per_km2_2024"]),
        .init(key: "dwellings", unit: "count", source: .cbs, direction: .neutral, aggregation: .sum, cbsColumns: ["woningvoorraad", "a_woning", "woningvoorraad_2024"]),
        .init(key: "wozValue", unit: "thousandEuro", source: .cbs, direction: .neutral, aggregation: .weightedMean(by: "dwellings"), cbsColumns: ["gemiddeldewozwaardevanwoningen", "g_woz"]),
        .init(key: "ownerOccupied", unit: "percent", source: .cbs, direction: .neutral, aggregation: .weightedMean(by: "dwellings"), cbsColumns: ["koopwoningen", "p_koopw"]),
        .init(key: "labourParticipation", unit: "percent", source: .cbs, direction: .higherIsBetter, aggregation: .weightedMean(by: "inhabitants"), cbsColumns: ["nettoarbeidsparticipatie", "p_arb_pp"]),
        .init(key: "lowIncome", unit: "percent", source: .cbs, direction: .lowerIsBetter, aggregation: .weightedMean(by: "inhabitants"),
              cbsColumns: ["k_40personenmetlaagsteinkomen", "p_ink_li"]),
        .init(key: "landHa", unit: "hectare", source: .cbs, direction: .neutral, aggregation: .sum, cbsColumns: ["oppervlakteland", "a_lan_ha", "opp_land", "oppervlakte_land_ha_2024"]),
    ]

    /// Wijkwerk's own indicators, computed from its data.
    public static let own: [Indicator] = [
        .init(key: "signalsPer1000", unit: "per1000", source: .wijkwerk, direction: .neutral, aggregation: .none),
        .init(key: "signalsInTime", unit: "percent", source: .wijkwerk, direction: .higherIsBetter, aggregation: .none),
        .init(key: "signalMedianDays", unit: "days", source: .wijkwerk, direction: .lowerIsBetter, aggregation: .none),
        .init(key: "initiativesPer1000", unit: "per1000", source: .wijkwerk, direction: .higherIsBetter, aggregation: .none),
        .init(key: "grantedPerInhabitant", unit: "euro", source: .wijkwerk, direction: .neutral, aggregation: .none),
        .init(key: "councilMeetings", unit: "count", source: .wijkwerk, direction: .higherIsBetter, aggregation: .none),
        .init(key: "ideaSupportsPer1000", unit: "per1000", source: .wijkwerk, direction: .higherIsBetter, aggregation: .none),
    ]

    /// Subjective indicators (beleving) from the municipality's surveys, imported per area and year with their sample size.
    public static let survey: [Indicator] = [
        .init(key: "feelsSafe", unit: "percent", source: .survey, direction: .higherIsBetter, aggregation: .none),
        .init(key: "socialCohesion", unit: "grade", source: .survey, direction: .higherIsBetter, aggregation: .none),
        .init(key: "neighbourhoodSatisfaction", unit: "grade", source: .survey, direction: .higherIsBetter, aggregation: .none),
        .init(key: "loneliness", unit: "percent", source: .survey, direction: .lowerIsBetter, aggregation: .none),
    ]

    public static let all = cbs + own + survey

    public static func indicator(_ key: String) -> Indicator? { all.first { $0.key == key } }

    /// The indicator a CBS column holds (case-insensitive; a StatLine key's table number `_5` is ignored).
    public static func cbsIndicator(column raw: String) -> Indicator? {
        var name = raw.trimmingCharacters(in: .whitespaces).lowercased()
        if let range = name.range(of: #"_[0-9]+$"#, options: .regularExpression), !cbs.contains(where: { $0.cbsColumns.contains(name) }) {
            name.removeSubrange(range)
        }
        return cbs.first { $0.cbsColumns.contains(name) }
    }
}

/// Reading CBS figures: the markers CBS uses for secret or missing values are "no figure", never 0.
public enum CBSValue {
    public static func parse(_ raw: String) -> Double?? {
        let text = raw.trimmingCharacters(in: .whitespaces)
        if text.isEmpty || [".", "x", "?", "-", "NA", "-99999999", "-99997", "-99995"].contains(text) { return .some(nil) }
        // CBS writes Dutch decimals in some files ("2,2") and points in others.
        let normalised = text.replacingOccurrences(of: ",", with: ".")
        guard normalised.wholeMatch(of: /-?[0-9]+(\.[0-9]+)?/) != nil, let value = Double(normalised) else { return nil }
        return .some(value)
    }
}

/// Adding up figures of wijken to an area (or of anything smaller to anything larger).
public enum IndicatorAggregation {
    /// The area's figure from its parts' figures (each part: this indicator's value and the figures it may be
    /// weighted by). Nil when a part lacks a figure the rule needs: an area figure is never made of half its parts.
    public static func aggregate(_ indicator: Indicator, parts: [[String: Double]]) -> Double? {
        guard !parts.isEmpty else { return nil }
        switch indicator.aggregation {
        case .none:
            return nil
        case .sum:
            var total = 0.0
            for p in parts { guard let v = p[indicator.key] else { return nil }; total += v }
            return total
        case .weightedMean(let by):
            var sum = 0.0, weights = 0.0
            for p in parts {
                guard let v = p[indicator.key], let w = p[by] else { return nil }
                sum += v * w
                weights += w
            }
            return weights > 0 ? sum / weights : nil
        }
    }

    /// Density of an aggregated area: inhabitants per km² of land.
    public static func density(inhabitants: Double?, landHa: Double?) -> Double? {
        guard let inhabitants, let landHa, landHa > 0 else { return nil }
        return (inhabitants / (landHa / 100)).rounded()
    }

    /// CBS rounds counts of wijken to multiples of 5; a sum of wijken may differ from the municipality's own
    /// figure by up to 2.5 per wijk. Whether two figures agree within that tolerance.
    public static func agreesWithRounding(sumOfParts: Double, whole: Double, parts: Int) -> Bool {
        abs(sumOfParts - whole) <= 2.5 * Double(parts)
    }
}

/// Reading a survey file: per line the area, the year, the indicator, the figure and the number of respondents
/// (required: a figure without its sample size cannot be judged). Problems are reported with their line.
public enum SurveyFile {
    public struct Row: Sendable { public var line: Int; public var area: String; public var year: Int; public var indicator: String; public var value: Double; public var respondents: Int; public var source: String }
    public struct Problem: Hashable, Sendable { public var line: Int; public var key: String; public var detail: String }

    public static func parse(_ text: String, knownAreas: Set<String>) -> (rows: [Row], problems: [Problem]) {
        let records = CSV.rows(text.hasPrefix("\u{FEFF}") ? String(text.dropFirst()) : text)
        guard let header = records.first?.map({ $0.trimmingCharacters(in: .whitespaces).lowercased() }) else { return ([], [Problem(line: 1, key: "survey.problem.empty", detail: "")]) }
        let needed = ["gebied", "jaar", "indicator", "waarde", "respondenten"]
        let missing = needed.filter { !header.contains($0) }
        if !missing.isEmpty { return ([], [Problem(line: 1, key: "survey.problem.columns", detail: missing.joined(separator: ", "))]) }
        let index = { (name: String) in header.firstIndex(of: name)! }
        let sourceIndex = header.firstIndex(of: "bron")
        var rows: [Row] = [], problems: [Problem] = []
        for (offset, cells) in records.dropFirst().enumerated() {
            let line = offset + 2
            if cells.count == 1 && cells[0].trimmingCharacters(in: .whitespaces).isEmpty { continue }
            guard cells.count == header.count else { problems.append(Problem(line: line, key: "cbs.problem.columns", detail: "\(cells.count)/\(header.count)")); continue }
            let cell = { (name: String) in cells[index(name)].trimmingCharacters(in: .whitespaces) }
            let area = cell("gebied").lowercased()
            guard knownAreas.contains(area) else { problems.append(Problem(line: line, key: "survey.problem.area", detail: cell("gebied"))); continue }
            guard let year = Int(cell("jaar")), (1990...2100).contains(year) else { problems.append(Problem(line: line, key: "cbs.problem.year", detail: cell("jaar"))); continue }
            guard IndicatorCatalogue.survey.contains(where: { $0.key == cell("indicator") }) else { problems.append(Problem(line: line, key: "survey.problem.indicator", detail: cell("indicator"))); continue }
            guard case .some(.some(let value)) = CBSValue.parse(cell("waarde")) else { problems.append(Problem(line: line, key: "cbs.problem.value", detail: cell("waarde"))); continue }
            guard let respondents = Int(cell("respondenten")), respondents >= 0 else { problems.append(Problem(line: line, key: "survey.problem.respondents", detail: cell("respondenten"))); continue }
            rows.append(Row(line: line, area: area, year: year, indicator: cell("indicator"), value: value, respondents: respondents,
                            source: sourceIndex.map { cells[$0].trimmingCharacters(in: .whitespaces) } ?? ""))
        }
        return (rows, problems)
    }
}

/// Small numbers are not shown: a figure from fewer cases or respondents than the minimum would let people be
/// recognised (and says little).
public enum Suppression {
    public static func shown(_ value: Double?, cases: Int, minimum: Int) -> Double? {
        cases >= minimum ? value : nil
    }
}

/// Who wrote a professional's note on an area.
public enum ProfessionalRole: String, CaseIterable, Codable, Sendable {
    case coordinator, communityPolice, welfare, housingCorporation, school, healthcare, other
}
