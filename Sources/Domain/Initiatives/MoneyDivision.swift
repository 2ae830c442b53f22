import Foundation

/// Dividing a municipality's pot over its areas (issue 12): equal shares, per inhabitant, or a formula with
/// stated weights on figures per area. Every step can be shown: each term's part of the pot, each area's
/// figure and what it contributes; the amounts are whole cents that add up to the pot exactly.
public enum MoneyDivision {
    /// One term of a formula: a figure per area (its key) and the weight of the term.
    public struct Term: Hashable, Sendable {
        public var key: String
        public var weight: Double
        public init(key: String, weight: Double) {
            self.key = key
            self.weight = weight
        }
    }

    /// The key of the term that gives every area the same amount.
    public static let equalKey = "equal"

    public enum Method: Hashable, Sendable {
        case equal
        case perInhabitant
        case formula([Term])

        /// The terms the method comes down to.
        public var terms: [Term] {
            switch self {
            case .equal: return [Term(key: MoneyDivision.equalKey, weight: 1)]
            case .perInhabitant: return [Term(key: "inhabitants", weight: 1)]
            case .formula(let terms): return terms
            }
        }
    }

    public struct Area: Sendable {
        public var id: UUID
        /// The figures a formula can use, by key (a missing figure counts as 0 and is reported).
        public var figures: [String: Double]
        public init(id: UUID, figures: [String: Double]) {
            self.id = id
            self.figures = figures
        }
    }

    public struct Share: Hashable, Sendable {
        public var areaID: UUID
        public var cents: Int
        /// Per term key: what that term gives this area, in cents (rounded; the share is the exact sum).
        public var contributions: [String: Int]
    }

    public enum Problem: Error, Hashable, Sendable {
        case noAreas, notPositive, noWeights, negativeWeight(String), figureMissingEverywhere(String)
    }

    public struct Result: Sendable {
        public var shares: [Share]
        /// Areas without a figure a term needs (counted as 0).
        public var missing: [String: [UUID]]
        /// Each term's part of the pot, in cents.
        public var parts: [String: Int]
    }

    public static func divide(totalCents: Int, areas: [Area], method: Method) -> Swift.Result<Result, Problem> {
        guard !areas.isEmpty else { return .failure(.noAreas) }
        guard totalCents > 0 else { return .failure(.notPositive) }
        let terms = method.terms.filter { $0.weight != 0 }
        if let negative = terms.first(where: { $0.weight < 0 }) { return .failure(.negativeWeight(negative.key)) }
        let weightSum = terms.reduce(0) { $0 + $1.weight }
        guard weightSum > 0 else { return .failure(.noWeights) }
        var exact = Array(repeating: 0.0, count: areas.count)
        var contributions = Array(repeating: [String: Int](), count: areas.count)
        var missing: [String: [UUID]] = [:]
        var parts: [String: Int] = [:]
        for term in terms {
            let part = Double(totalCents) * term.weight / weightSum
            parts[term.key] = Int(part.rounded())
            let values = areas.map { area -> Double in
                if term.key == equalKey { return 1 }
                guard let v = area.figures[term.key], v >= 0 else { missing[term.key, default: []].append(area.id); return 0 }
                return v
            }
            let sum = values.reduce(0, +)
            guard sum > 0 else { return .failure(.figureMissingEverywhere(term.key)) }
            for i in areas.indices {
                let amount = part * values[i] / sum
                exact[i] += amount
                contributions[i][term.key] = Int(amount.rounded())
            }
        }
        // Largest remainder: whole cents that add up to the pot.
        var cents = exact.map { Int($0.rounded(.down)) }
        let short = totalCents - cents.reduce(0, +)
        let order = areas.indices.sorted { (exact[$0] - Double(cents[$0]), areas[$1].id.uuidString) > (exact[$1] - Double(cents[$1]), areas[$0].id.uuidString) }
        for i in order.prefix(max(0, short)) { cents[i] += 1 }
        return .success(Result(shares: areas.indices.map { Share(areaID: areas[$0].id, cents: cents[$0], contributions: contributions[$0]) }, missing: missing, parts: parts))
    }
}
