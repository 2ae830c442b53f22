import Foundation

/// A transparent priority ranking of areas for an integral approach (Enschede's SIA in seed 001): chosen
/// indicators with weights; each figure normalised to a 0–100 "need" (min–max over the areas: the area with the
/// most need on that indicator gets 100, the one with the least 0, in the indicator's direction); the score is the
/// weighted mean of the needs. Every contribution is returned, nothing is hidden.
public enum Ranking {
    public struct Term: Hashable, Sendable {
        public var key: String
        public var weight: Double
        /// Whether a higher figure means more need (for "low income" yes, for "labour participation" no).
        public var higherMeansMoreNeed: Bool
        public init(key: String, weight: Double, higherMeansMoreNeed: Bool) {
            self.key = key
            self.weight = weight
            self.higherMeansMoreNeed = higherMeansMoreNeed
        }
    }

    public struct Area: Sendable {
        public var id: UUID
        public var figures: [String: Double]
        public init(id: UUID, figures: [String: Double]) {
            self.id = id
            self.figures = figures
        }
    }

    public struct Row: Hashable, Sendable {
        public var areaID: UUID
        public var rank: Int
        /// 0–100; nil when the area lacks a figure for a term (it is listed last, with what is missing).
        public var score: Double?
        /// Per term: the normalised need (0–100) and its weighted contribution to the score.
        public var needs: [String: Double]
        public var contributions: [String: Double]
        public var missing: [String]
    }

    public enum Problem: Error, Hashable, Sendable { case noTerms, negativeWeight(String), noWeights }

    /// The direction of need for an indicator: more need where its figure is worse.
    public static func higherMeansMoreNeed(_ indicator: Indicator) -> Bool { indicator.direction != .higherIsBetter }

    public static func rank(_ areas: [Area], terms: [Term]) -> Result<[Row], Problem> {
        let used = terms.filter { $0.weight != 0 }
        guard !used.isEmpty else { return .failure(terms.isEmpty ? .noTerms : .noWeights) }
        if let negative = used.first(where: { $0.weight < 0 }) { return .failure(.negativeWeight(negative.key)) }
        let weightSum = used.reduce(0) { $0 + $1.weight }
        var rows: [Row] = areas.map { Row(areaID: $0.id, rank: 0, score: nil, needs: [:], contributions: [:], missing: []) }
        for term in used {
            let values = areas.compactMap { $0.figures[term.key] }
            let low = values.min() ?? 0, high = values.max() ?? 0
            for (i, area) in areas.enumerated() {
                guard let v = area.figures[term.key] else { rows[i].missing.append(term.key); continue }
                // All areas equal on this indicator: no area needs it more than another.
                var need = high > low ? (v - low) / (high - low) * 100 : 0
                if !term.higherMeansMoreNeed && high > low { need = 100 - need }
                rows[i].needs[term.key] = need
                rows[i].contributions[term.key] = need * term.weight / weightSum
            }
        }
        for i in rows.indices where rows[i].missing.isEmpty {
            rows[i].score = rows[i].contributions.values.reduce(0, +)
        }
        // Highest need first; areas without a full score last; ties in the areas' own order.
        let order = rows.indices.sorted { a, b in
            switch (rows[a].score, rows[b].score) {
            case let (x?, y?): return x != y ? x > y : a < b
            case (_?, nil): return true
            case (nil, _?): return false
            default: return a < b
            }
        }
        var ranked: [Row] = []
        for (position, i) in order.enumerated() {
            var row = rows[i]
            row.rank = position + 1
            ranked.append(row)
        }
        return .success(ranked)
    }
}

/// Classes for a choropleth map: equal intervals between the lowest and the highest figure (stated in the legend),
/// so a reader can check which class an area is in from the table.
public enum ChoroplethClasses {
    public struct Classes: Hashable, Sendable {
        /// count + 1 boundaries, from the lowest figure to the highest.
        public var bounds: [Double]
        /// Per value: its class 0..<count, nil for no figure.
        public var classOf: [Int?]
    }

    public static func classes(_ values: [Double?], count: Int = 5) -> Classes {
        let known = values.compactMap { $0 }
        guard let low = known.min(), let high = known.max(), count > 0 else { return Classes(bounds: [], classOf: values.map { _ in nil }) }
        let step = (high - low) / Double(count)
        let bounds = (0...count).map { low + Double($0) * step }
        return Classes(bounds: bounds, classOf: values.map { v in
            guard let v else { return nil }
            guard step > 0 else { return 0 }
            return min(count - 1, Int((v - low) / step))
        })
    }
}

/// Areas that resemble an area (for comparing like with like: a village with villages): the smallest distance over
/// the figures both have, each figure first made comparable (its distance from the mean in standard deviations
/// over all areas). Areas sharing fewer than two figures with the target are not compared.
public enum SimilarAreas {
    public static func nearest(to target: UUID, among areas: [(id: UUID, figures: [String: Double])], keys: [String], count: Int) -> [UUID] {
        var mean: [String: Double] = [:], spread: [String: Double] = [:]
        for key in keys {
            let values = areas.compactMap { $0.figures[key] }
            guard values.count >= 2 else { continue }
            let m = values.reduce(0, +) / Double(values.count)
            let sd = (values.map { ($0 - m) * ($0 - m) }.reduce(0, +) / Double(values.count)).squareRoot()
            if sd > 0 { mean[key] = m; spread[key] = sd }
        }
        guard let me = areas.first(where: { $0.id == target }) else { return [] }
        let scored: [(UUID, Double)] = areas.compactMap { other in
            guard other.id != target else { return nil }
            let shared = keys.filter { me.figures[$0] != nil && other.figures[$0] != nil && spread[$0] != nil }
            guard shared.count >= 2 else { return nil }
            let d = shared.map { key -> Double in
                let a = (me.figures[key]! - mean[key]!) / spread[key]!, b = (other.figures[key]! - mean[key]!) / spread[key]!
                return (a - b) * (a - b)
            }.reduce(0, +) / Double(shared.count)
            return (other.id, d)
        }
        return scored.sorted { $0.1 != $1.1 ? $0.1 < $1.1 : $0.0.uuidString < $1.0.uuidString }.prefix(count).map(\.0)
    }
}
