import Foundation
import Testing
@testable import Domain

@Suite("Weighted ranking (Venray): main priorities scored, ranked and funded")
struct WeightedRankingTests {
    typealias W = WeightedRanking
    static let criteria = [
        W.Criterion(key: "leefbaarheid", weight: 40, maxScore: 5),
        W.Criterion(key: "draagvlak", weight: 30, maxScore: 5),
        W.Criterion(key: "eigen", weight: 30, maxScore: 5, fullAtPercent: 50),
    ]

    static func entry(_ n: Int, _ kind: AreaKind, cost: Int, own: Int, feasible: Bool = true, _ scores: [String: Int]) -> W.Entry {
        W.Entry(number: n, areaKind: kind, costCents: cost, ownContributionCents: own, feasible: feasible, scores: scores)
    }

    @Test(arguments: [
        // own, cost, max, full at % → score
        (0, 1000, 5, 50, Fraction(0)),
        (250, 1000, 5, 50, Fraction(5, over: 2)),
        (500, 1000, 5, 50, Fraction(5)),
        (900, 1000, 5, 50, Fraction(5)),
        (1, 3, 10, 100, Fraction(10, over: 3)),
        (100, 0, 5, 50, Fraction(0)),
    ])
    func ownContributionScoresProportionallyUpToTheFullShare(own: Int, cost: Int, max: Int, fullAt: Int, expected: Fraction) {
        #expect(W.ownContributionScore(ownCents: own, costCents: cost, maxScore: max, fullAtPercent: fullAt) == expected)
    }

    @Test func criteriaNeedOneOwnContributionAndSaneWeights() {
        #expect(W.problems(Self.criteria).isEmpty)
        #expect(W.problems([W.Criterion(key: "a", weight: 10, maxScore: 5)]) == [.ownContributionMissing])
        #expect(W.problems([W.Criterion(key: "e", weight: 10, maxScore: 5, fullAtPercent: 20)]) == [.noCriteria])
        #expect(Set(W.problems([W.Criterion(key: "a", weight: 0, maxScore: 11), W.Criterion(key: "a", weight: 5, maxScore: 5, fullAtPercent: 0),
                                W.Criterion(key: "b", weight: 5, maxScore: 5, fullAtPercent: 30)]))
                == [.weightOutOfRange, .maxScoreOutOfRange, .fullAtOutOfRange, .moreThanOneOwnContribution, .duplicateKey])
    }

    @Test func rankingShowsEveryPartAndTheFundingGoesDownTheList() {
        let entries = [
            Self.entry(1, .neighbourhood, cost: 40_000, own: 0, ["leefbaarheid": 5, "draagvlak": 3]),    // 40 + 18 + 0 = 58
            Self.entry(2, .village, cost: 30_000, own: 15_000, ["leefbaarheid": 3, "draagvlak": 4]),      // 24 + 24 + 30 = 78
            Self.entry(3, .village, cost: 50_000, own: 5_000, ["leefbaarheid": 4, "draagvlak": 4]),       // 32 + 24 + 6 = 62
            Self.entry(4, .neighbourhood, cost: 10_000, own: 0, feasible: false, ["leefbaarheid": 5]),
        ]
        let r = W.rank(criteria: Self.criteria, entries: entries, budgetCents: 75_000, areasPerKind: [.village: 2, .neighbourhood: 3])
        #expect(r.lines.map(\.number) == [2, 3, 1, 4])
        #expect(r.lines.map(\.total) == [Fraction(78), Fraction(62), Fraction(58), Fraction(40)])
        #expect(r.lines[0].parts.map(\.points) == [Fraction(24), Fraction(24), Fraction(30)])
        #expect(r.lines.map(\.rank) == [1, 2, 3, nil])
        // 75,000: number 2 (30,000) fits, number 3 (50,000) no longer does with 45,000 left, number 1 (40,000) does.
        #expect(r.lines.map(\.outcome) == [.funded, .doesNotFit, .funded, .notRipe([.feasibilityNotConfirmed, .scoresMissing])])
        #expect(r.lines.map(\.moneyLeftAtTurn) == [75_000, 45_000, 45_000, nil])
        #expect(r.fundedCents == 70_000)
        #expect(r.maximumTotal == 100)
        let village = r.byKind.first { $0.kind == .village }!
        let neighbourhood = r.byKind.first { $0.kind == .neighbourhood }!
        // Villages: (78 + 62) / 2 points, and 20,000 of their 80,000 brought in themselves.
        #expect(village == W.KindSummary(kind: .village, areas: 2, entries: 2, ripe: 2, funded: 1, fundedCents: 30_000,
                                         averageTotal: 70, ownShare: Fraction(1, over: 4)))
        #expect(neighbourhood == W.KindSummary(kind: .neighbourhood, areas: 3, entries: 2, ripe: 1, funded: 1, fundedCents: 40_000,
                                               averageTotal: 58, ownShare: Fraction(0)))
    }

    @Test func equalTotalsGoToTheLargerOwnShareThenTheEarlierNumber() {
        let crit = [W.Criterion(key: "a", weight: 10, maxScore: 2), W.Criterion(key: "e", weight: 10, maxScore: 2, fullAtPercent: 100)]
        let entries = [
            Self.entry(7, .neighbourhood, cost: 100, own: 0, ["a": 1]),       // 5 + 0
            Self.entry(3, .neighbourhood, cost: 100, own: 50, ["a": 0]),      // 0 + 5, share 1/2
            Self.entry(5, .neighbourhood, cost: 100, own: 0, ["a": 1]),       // 5 + 0
        ]
        let r = W.rank(criteria: crit, entries: entries, budgetCents: 0, areasPerKind: [:])
        #expect(r.lines.map(\.number) == [3, 5, 7])
        #expect(r.lines.allSatisfy { $0.outcome == .doesNotFit })
    }

    @Test func thirdsStayExactAndShowInTenths() {
        let crit = [W.Criterion(key: "a", weight: 10, maxScore: 3), W.Criterion(key: "e", weight: 10, maxScore: 3, fullAtPercent: 100)]
        let r = W.rank(criteria: crit, entries: [Self.entry(1, .village, cost: 3, own: 1, ["a": 1])], budgetCents: 10, areasPerKind: [:])
        // 10 × 1/3 + 10 × (1/3 × 3)/3 = 20/3 exactly
        #expect(r.lines[0].total == Fraction(20, over: 3))
        #expect(W.tenths(r.lines[0].total) == 67)
        #expect(W.tenths(Fraction(29, over: 4)) == 73)
    }

    @Test func scoresOutsideTheScaleCountAsMissing() {
        #expect(W.unripe(Self.entry(1, .village, cost: 1, own: 0, ["leefbaarheid": 6, "draagvlak": 1]), criteria: Self.criteria) == [.scoresMissing])
        #expect(W.unripe(Self.entry(1, .village, cost: 0, own: 0, ["leefbaarheid": 5, "draagvlak": 0]), criteria: Self.criteria) == [.costMissing])
    }

    @Test func fundedNeverExceedsTheCreditOnGeneratedInstances() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            let entries = (1...Int.random(in: 1...12, using: &rng)).map { n in
                Self.entry(n, Bool.random(using: &rng) ? .village : .neighbourhood, cost: Int.random(in: 0...50_000, using: &rng),
                           own: Int.random(in: 0...30_000, using: &rng), feasible: Int.random(in: 0..<5, using: &rng) > 0,
                           ["leefbaarheid": Int.random(in: 0...5, using: &rng), "draagvlak": Int.random(in: 0...5, using: &rng)])
            }
            let budget = Int.random(in: 0...150_000, using: &rng)
            let r = W.rank(criteria: Self.criteria, entries: entries, budgetCents: budget, areasPerKind: [:])
            let cost = Dictionary(uniqueKeysWithValues: entries.map { ($0.number, $0.costCents) })
            let funded = r.lines.filter { $0.outcome == .funded }
            #expect(funded.reduce(0) { $0 + cost[$1.number]! } == r.fundedCents)
            #expect(r.fundedCents <= budget)
            let ranked = r.lines.filter { $0.rank != nil }
            #expect(zip(ranked, ranked.dropFirst()).allSatisfy { $0.total >= $1.total })
            // Every skipped entry did not fit the money left at its turn.
            for line in ranked where line.outcome == .doesNotFit { #expect(cost[line.number]! > line.moneyLeftAtTurn!) }
            #expect(r.byKind.reduce(0) { $0 + $1.fundedCents } == r.fundedCents)
        }
    }
}
