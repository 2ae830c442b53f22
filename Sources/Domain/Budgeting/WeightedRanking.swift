import Foundation
import BigInt

/// Venray's weighing (seed 001, domain §5.3): every area (village or neighbourhood) puts forward one main
/// priority; the projects that are ripe for execution are scored on criteria the municipality sets, each with
/// a weight, and one criterion rewards a larger own contribution (eigen inbreng). The ranking decides the order
/// in which the framework credit (raamkrediet) funds them: down the ranking, each project taken if it still fits
/// the money left, skipped otherwise. Seed 001 records the known flaw (villages, with more cohesion, bring more
/// of their own and win), so the outcome is also summed per area kind.
///
/// Everything is exact: a criterion's points are `weight × score / maximum score`, kept as fractions, so ties
/// are real ties and the same on every machine.
public enum WeightedRanking {
    /// A criterion of the weighing. Judged criteria get a score from 0 to `maxScore` from the municipality; the
    /// own-contribution criterion is computed: the full score when the own contribution is `fullAtPercent` of the
    /// project's cost or more, proportionally less below that.
    public struct Criterion: Hashable, Sendable {
        public var key: String
        public var weight: Int
        public var maxScore: Int
        public var fullAtPercent: Int?
        public init(key: String, weight: Int, maxScore: Int, fullAtPercent: Int? = nil) {
            self.key = key
            self.weight = weight
            self.maxScore = maxScore
            self.fullAtPercent = fullAtPercent
        }
        public var isOwnContribution: Bool { fullAtPercent != nil }
    }

    /// An area's main priority as the weighing sees it.
    public struct Entry: Sendable {
        public var number: Int
        public var areaKind: AreaKind
        public var costCents: Int
        public var ownContributionCents: Int
        public var feasible: Bool
        /// Scores of the judged criteria by criterion key.
        public var scores: [String: Int]
        public init(number: Int, areaKind: AreaKind, costCents: Int, ownContributionCents: Int, feasible: Bool, scores: [String: Int]) {
            self.number = number
            self.areaKind = areaKind
            self.costCents = costCents
            self.ownContributionCents = ownContributionCents
            self.feasible = feasible
            self.scores = scores
        }
    }

    /// Why a main priority is not (yet) ripe for execution, and so not ranked.
    public enum Unripe: String, CaseIterable, Sendable {
        case costMissing, feasibilityNotConfirmed, scoresMissing
    }

    public enum Outcome: Equatable, Sendable {
        /// Funded: it fitted the money left at its turn.
        case funded
        /// Ranked, but the money left at its turn was less than its cost.
        case doesNotFit
        /// Not ranked, with the conditions still missing.
        case notRipe([Unripe])
    }

    /// One criterion's part of an entry's total.
    public struct Part: Equatable, Sendable {
        public var key: String
        /// The score on the criterion's own scale (a fraction for the computed own-contribution score).
        public var score: Fraction
        /// `weight × score / maxScore`.
        public var points: Fraction
    }

    public struct Line: Sendable {
        public var number: Int
        public var areaKind: AreaKind
        /// 1 for the top of the ranking; nil when not ripe.
        public var rank: Int?
        public var parts: [Part]
        public var total: Fraction
        /// Own contribution as a share of the cost (0 when the cost is unknown).
        public var ownShare: Fraction
        public var outcome: Outcome
        /// The framework credit left when its turn came (ranked entries only).
        public var moneyLeftAtTurn: Int?
    }

    /// The outcome summed per area kind: seed 001's bias, made visible.
    public struct KindSummary: Equatable, Sendable {
        public var kind: AreaKind
        public var areas: Int
        public var entries: Int
        public var ripe: Int
        public var funded: Int
        public var fundedCents: Int
        /// Average points of the ranked entries of this kind (nil without any); for display only, so in floating
        /// point (an exact sum of totals whose denominators are the costs grows without bound).
        public var averageTotal: Double?
        /// The own contributions of the entries of this kind with a known cost, as a share of their costs together
        /// (nil without any).
        public var ownShare: Fraction?
    }

    public struct Result: Sendable {
        /// Ranked entries first (by rank), then those not ripe (by number).
        public var lines: [Line]
        public var byKind: [KindSummary]
        public var fundedCents: Int
        public var maximumTotal: Int
    }

    public enum Problem: String, Error, Sendable {
        case noCriteria, weightOutOfRange, maxScoreOutOfRange, fullAtOutOfRange, ownContributionMissing, moreThanOneOwnContribution, duplicateKey
    }

    /// The criteria a municipality may set: at least one judged criterion and exactly one own-contribution
    /// criterion (Venray's "larger own contribution weighs positively"), weights 1–100, scores up to 10 and a
    /// full own-contribution score somewhere between 1 and 100 percent.
    public static func problems(_ criteria: [Criterion]) -> [Problem] {
        var found: [Problem] = []
        if !criteria.contains(where: { !$0.isOwnContribution }) { found.append(.noCriteria) }
        if criteria.contains(where: { !(1...100).contains($0.weight) }) { found.append(.weightOutOfRange) }
        if criteria.contains(where: { !(1...10).contains($0.maxScore) }) { found.append(.maxScoreOutOfRange) }
        if criteria.contains(where: { ($0.fullAtPercent.map { !(1...100).contains($0) }) ?? false }) { found.append(.fullAtOutOfRange) }
        let own = criteria.filter(\.isOwnContribution).count
        if own == 0 { found.append(.ownContributionMissing) }
        if own > 1 { found.append(.moreThanOneOwnContribution) }
        if Set(criteria.map(\.key)).count != criteria.count { found.append(.duplicateKey) }
        return found
    }

    /// The own-contribution score: `maxScore × min(1, (own / cost) / (fullAt / 100))`.
    public static func ownContributionScore(ownCents: Int, costCents: Int, maxScore: Int, fullAtPercent: Int) -> Fraction {
        guard costCents > 0, ownCents > 0 else { return .zero }
        let (a, o1) = ownCents.multipliedReportingOverflow(by: 100 * maxScore)
        let (b, o2) = costCents.multipliedReportingOverflow(by: fullAtPercent)
        let raw = o1 || o2 ? Fraction(BigInt(ownCents) * BigInt(100) * BigInt(maxScore), BigInt(costCents) * BigInt(fullAtPercent)) : Fraction(a, over: b)
        let full = Fraction(maxScore)
        return raw < full ? raw : full
    }

    public static func unripe(_ entry: Entry, criteria: [Criterion]) -> [Unripe] {
        var missing: [Unripe] = []
        if entry.costCents <= 0 { missing.append(.costMissing) }
        if !entry.feasible { missing.append(.feasibilityNotConfirmed) }
        let judged = criteria.filter { !$0.isOwnContribution }
        if judged.contains(where: { c in entry.scores[c.key].map { !(0...c.maxScore).contains($0) } ?? true }) { missing.append(.scoresMissing) }
        return missing
    }

    /// Ranks the ripe entries by total (higher first); on equal totals the larger own-contribution share goes
    /// first, then the lower number (the order in which the priorities were put forward). The framework credit
    /// then goes down the ranking.
    public static func rank(criteria: [Criterion], entries: [Entry], budgetCents: Int, areasPerKind: [AreaKind: Int]) -> Result {
        func parts(_ e: Entry) -> [Part] {
            criteria.map { c in
                let score: Fraction
                if let fullAt = c.fullAtPercent {
                    score = ownContributionScore(ownCents: e.ownContributionCents, costCents: e.costCents, maxScore: c.maxScore, fullAtPercent: fullAt)
                } else {
                    score = Fraction(max(0, min(c.maxScore, e.scores[c.key] ?? 0)))
                }
                return Part(key: c.key, score: score, points: score * c.weight / c.maxScore)
            }
        }
        func share(_ e: Entry) -> Fraction { e.costCents > 0 ? Fraction(max(0, e.ownContributionCents), over: e.costCents) : .zero }
        var ranked: [Line] = []
        var notRipe: [Line] = []
        for e in entries {
            let p = parts(e)
            let total = p.reduce(Fraction.zero) { $0 + $1.points }
            let missing = unripe(e, criteria: criteria)
            let line = Line(number: e.number, areaKind: e.areaKind, rank: nil, parts: p, total: total, ownShare: share(e),
                            outcome: missing.isEmpty ? .doesNotFit : .notRipe(missing), moneyLeftAtTurn: nil)
            if missing.isEmpty { ranked.append(line) } else { notRipe.append(line) }
        }
        ranked.sort { a, b in
            if a.total != b.total { return a.total > b.total }
            if a.ownShare != b.ownShare { return a.ownShare > b.ownShare }
            return a.number < b.number
        }
        let costs = Dictionary(uniqueKeysWithValues: entries.map { ($0.number, $0.costCents) })
        let owns = Dictionary(uniqueKeysWithValues: entries.map { ($0.number, $0.ownContributionCents) })
        var left = max(0, budgetCents)
        for i in ranked.indices {
            ranked[i].rank = i + 1
            ranked[i].moneyLeftAtTurn = left
            let cost = costs[ranked[i].number] ?? 0
            if cost <= left {
                ranked[i].outcome = .funded
                left -= cost
            }
        }
        notRipe.sort { $0.number < $1.number }
        let lines = ranked + notRipe
        let kinds = AreaKind.allCases.filter { k in (areasPerKind[k] ?? 0) > 0 || lines.contains { $0.areaKind == k } }
        let byKind = kinds.map { k -> KindSummary in
            let mine = lines.filter { $0.areaKind == k }
            let rankedMine = mine.filter { $0.rank != nil }
            let funded = mine.filter { $0.outcome == .funded }
            let withCost = mine.filter { (costs[$0.number] ?? 0) > 0 }
            return KindSummary(kind: k, areas: areasPerKind[k] ?? 0, entries: mine.count, ripe: rankedMine.count, funded: funded.count,
                               fundedCents: funded.reduce(0) { $0 + (costs[$1.number] ?? 0) },
                               averageTotal: rankedMine.isEmpty ? nil : rankedMine.reduce(0.0) { $0 + $1.total.double } / Double(rankedMine.count),
                               ownShare: withCost.isEmpty ? nil : Fraction(withCost.reduce(0) { $0 + max(0, owns[$1.number] ?? 0) },
                                                                           over: withCost.reduce(0) { $0 + (costs[$1.number] ?? 0) }))
        }
        return Result(lines: lines, byKind: byKind, fundedCents: max(0, budgetCents) - left, maximumTotal: criteria.reduce(0) { $0 + $1.weight })
    }

    /// A fraction in tenths, rounded half up (for display: 7.25 points shows as 7.3).
    public static func tenths(_ value: Fraction) -> Int {
        let scaled = value * 10 + Fraction(1, over: 2)
        return Int(scaled.floor)
    }
}
