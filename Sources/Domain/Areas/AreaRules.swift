import Foundation

/// The kind of an area: a city neighbourhood area (wijk) or a village (dorp/kern).
public enum AreaKind: String, CaseIterable, Codable, Sendable {
    case neighbourhood
    case village
}

/// A problem with input, named by the field it concerns and a message key with its values.
public struct FieldError: Error, Hashable, Sendable {
    public var field: String
    public var key: String
    public var values: [String]
    public init(_ field: String, _ key: String, _ values: [String] = []) {
        self.field = field
        self.key = key
        self.values = values
    }
}

public enum AreaRules {
    public static let maxNameLength = 80

    /// The cleaned name, or the reason it cannot be used. `existing` are the other areas' names in the municipality.
    public static func validateName(_ raw: String, existing: [String]) -> Result<String, FieldError> {
        let name = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if name.isEmpty { return .failure(FieldError("name", "area.name.empty")) }
        if name.count > maxNameLength { return .failure(FieldError("name", "area.name.tooLong", [String(maxNameLength)])) }
        if name.unicodeScalars.contains(where: { $0.properties.generalCategory == .control }) {
            return .failure(FieldError("name", "area.name.invalidCharacters"))
        }
        let folded = name.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
        if existing.contains(where: { $0.folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil) == folded }) {
            return .failure(FieldError("name", "area.name.taken", [name]))
        }
        return .success(name)
    }

    /// A URL part made from a name: lower case letters, digits and hyphens.
    public static func slug(_ name: String) -> String {
        let folded = name.folding(options: [.diacriticInsensitive, .caseInsensitive], locale: Locale(identifier: "nl"))
        var out = ""
        var lastHyphen = true
        for ch in folded.unicodeScalars {
            if CharacterSet.alphanumerics.contains(ch) && ch.isASCII {
                out.unicodeScalars.append(ch)
                lastHyphen = false
            } else if !lastHyphen {
                out += "-"
                lastHyphen = true
            }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "gebied" : out
    }

    /// Checks a complete buurt → area assignment: every buurt must be in exactly one of the given areas.
    /// Returns the buurt codes left without a (known) area, sorted.
    public static func unassigned<AreaID: Hashable>(neighbourhoods: [String], assignment: [String: AreaID], areas: Set<AreaID>) -> [String] {
        neighbourhoods.filter { code in
            guard let area = assignment[code] else { return true }
            return !areas.contains(area)
        }.sorted()
    }

    /// Which areas would be left without any buurt after the assignment.
    public static func emptyAreas<AreaID: Hashable>(assignment: [String: AreaID], areas: [AreaID]) -> [AreaID] {
        let used = Set(assignment.values)
        return areas.filter { !used.contains($0) }
    }
}

/// Key figures of a CBS wijk (KWB), summed into an area.
public struct KeyFigures: Hashable, Sendable, Codable {
    public var inhabitants: Int?
    public var men: Int?
    public var women: Int?
    public var dwellings: Int?
    public var areaTotalHa: Int?
    public var areaLandHa: Int?
    public var areaWaterHa: Int?

    public init(inhabitants: Int? = nil, men: Int? = nil, women: Int? = nil, dwellings: Int? = nil,
                areaTotalHa: Int? = nil, areaLandHa: Int? = nil, areaWaterHa: Int? = nil) {
        self.inhabitants = inhabitants
        self.men = men
        self.women = women
        self.dwellings = dwellings
        self.areaTotalHa = areaTotalHa
        self.areaLandHa = areaLandHa
        self.areaWaterHa = areaWaterHa
    }

    /// Inhabitants per km² of land, as CBS computes it.
    public var density: Int? {
        guard let inhabitants, let land = areaLandHa, land > 0 else { return nil }
        return Int((Double(inhabitants) / (Double(land) / 100)).rounded())
    }

    static func add(_ a: Int?, _ b: Int?) -> Int? {
        switch (a, b) {
        case let (x?, y?): return x + y
        default: return nil
        }
    }

    public static func + (l: KeyFigures, r: KeyFigures) -> KeyFigures {
        KeyFigures(inhabitants: add(l.inhabitants, r.inhabitants), men: add(l.men, r.men), women: add(l.women, r.women),
                   dwellings: add(l.dwellings, r.dwellings), areaTotalHa: add(l.areaTotalHa, r.areaTotalHa),
                   areaLandHa: add(l.areaLandHa, r.areaLandHa), areaWaterHa: add(l.areaWaterHa, r.areaWaterHa))
    }

    public static let zero = KeyFigures(inhabitants: 0, men: 0, women: 0, dwellings: 0, areaTotalHa: 0, areaLandHa: 0, areaWaterHa: 0)
}

/// Area figures from CBS wijk figures. CBS publishes figures per wijk, so an area only gets a wijk's figures
/// when all of that wijk's buurten belong to it; wijken split over several areas are reported, not guessed.
public struct AreaFigures: Hashable, Sendable {
    public var figures: KeyFigures
    public var wholeDistricts: [String]
    public var splitDistricts: [String]

    public static func compute(areaNeighbourhoods: Set<String>, districts: [(code: String, neighbourhoods: [String], figures: KeyFigures)]) -> AreaFigures {
        var total = KeyFigures.zero
        var whole: [String] = []
        var split: [String] = []
        for district in districts {
            let inside = district.neighbourhoods.filter(areaNeighbourhoods.contains).count
            if inside == 0 { continue }
            if inside == district.neighbourhoods.count {
                total = total + district.figures
                whole.append(district.code)
            } else {
                split.append(district.code)
            }
        }
        return AreaFigures(figures: whole.isEmpty ? KeyFigures() : total, wholeDistricts: whole, splitDistricts: split)
    }
}

/// Which groups of an alternative classification (e.g. "IBOR-districten") overlap an area, with the number of shared buurten.
public enum ClassificationOverlap {
    public static func overlaps<Group: Hashable & Comparable>(areaNeighbourhoods: Set<String>, groupOf: [String: Group]) -> [(group: Group, shared: Int)] {
        var counts: [Group: Int] = [:]
        for code in areaNeighbourhoods {
            if let group = groupOf[code] { counts[group, default: 0] += 1 }
        }
        return counts.map { (group: $0.key, shared: $0.value) }.sorted { $0.shared != $1.shared ? $0.shared > $1.shared : $0.group < $1.group }
    }
}

/// CBS region codes: GM + 4 digits, WK + 6, BU + 8.
public enum CBSCode {
    public enum Level: String, Sendable { case municipality = "GM", district = "WK", neighbourhood = "BU" }

    public static func level(of code: String) -> Level? {
        let upper = code.uppercased()
        let digits = upper.dropFirst(2)
        guard digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber) else { return nil }
        switch (upper.prefix(2), digits.count) {
        case ("GM", 4): return .municipality
        case ("WK", 6): return .district
        case ("BU", 8): return .neighbourhood
        default: return nil
        }
    }
}
