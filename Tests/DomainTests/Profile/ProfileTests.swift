import Foundation
import Testing
@testable import Domain

@Suite("Area profile: CBS files, aggregation, ranking")
struct ProfileTests {
    @Test func cbsMarkersAreNoFigureNeverZero() throws {
        for marker in [".", "", "x", "?", "-99999999", "-99997", "NA"] { #expect(CBSValue.parse(marker) == .some(nil)) }
        #expect(CBSValue.parse("2,2") == .some(2.2) && CBSValue.parse("94634") == .some(94_634) && CBSValue.parse("-3") == .some(-3))
        #expect(CBSValue.parse("veel") == nil && CBSValue.parse("1e5") == nil)
    }

    @Test func bothColumnDialectsAndSeparators() throws {
        let statline = "jaar,niveau,regiocode,gemeentecode,AantalInwoners,P_65_EO_JR,GemiddeldeWOZWaardeVanWoningen,Onbekend\n2022,wijk,WK082800,GM0828,6245,21,.,x\n"
        let a = CBSFile.parse(statline, year: nil)
        #expect(a.problems.isEmpty && a.rows.count == 1)
        #expect(a.rows[0].year == 2022 && a.rows[0].level == .district && a.rows[0].municipalityCode == "GM0828")
        #expect(a.rows[0].values["inhabitants"] == .some(6245) && a.rows[0].values["age65plus"] == .some(21) && a.rows[0].values["wozValue"] == .some(nil))
        #expect(a.ignoredColumns.contains("onbekend") && a.ignoredColumns.contains("niveau"))
        let kwb = "gwb_code_10;regio;a_inw;a_woning;p_koopw\nGM0828;Oss;94634;42122;61\nBU08280000;Centrum-West;.;.;.\n"
        let b = CBSFile.parse(kwb, year: 2024)
        #expect(b.problems.isEmpty && b.rows.count == 2 && b.rows[1].municipalityCode == "GM0828" && b.rows[1].values["dwellings"] == .some(nil))
        #expect(CBSFile.parse("AantalInwoners_5,x\n1,2\n", year: 2024).problems.first?.key == "cbs.problem.noCodeColumn")
        #expect(CBSFile.parse("regiocode,a_inw\nWK082800,1\n", year: nil).problems.first?.key == "cbs.problem.noYear")
    }

    @Test func badRowsAreReportedWithTheirLine() throws {
        let text = "regiocode,a_inw\nWK082800,10\nXX1,5\nWK082801,veel\nWK082802\n"
        let report = CBSFile.parse(text, year: 2024)
        #expect(report.problems.map(\.line) == [3, 4, 5])
        #expect(report.problems.map(\.key) == ["cbs.problem.code", "cbs.problem.value", "cbs.problem.columns"])
    }

    @Test func aggregationSumsCountsAndWeighsShares() throws {
        let inhabitants = IndicatorCatalogue.indicator("inhabitants")!, old = IndicatorCatalogue.indicator("age65plus")!
        let parts: [[String: Double]] = [["inhabitants": 1_000, "age65plus": 10], ["inhabitants": 3_000, "age65plus": 30]]
        #expect(IndicatorAggregation.aggregate(inhabitants, parts: parts) == 4_000)
        #expect(IndicatorAggregation.aggregate(old, parts: parts) == 25)
        #expect(IndicatorAggregation.aggregate(old, parts: parts + [["inhabitants": 10]]) == nil, "never an area figure of half its parts")
        #expect(IndicatorAggregation.aggregate(IndicatorCatalogue.indicator("density")!, parts: parts) == nil)
        #expect(IndicatorAggregation.density(inhabitants: 6_245, landHa: 104) == 6_005)
        // Oss 2024: the 23 wijken add up to 94,640 against the municipality's 94,634 (CBS rounds to fives).
        #expect(IndicatorAggregation.agreesWithRounding(sumOfParts: 94_640, whole: 94_634, parts: 23))
        #expect(!IndicatorAggregation.agreesWithRounding(sumOfParts: 95_640, whole: 94_634, parts: 23))
        #expect(Suppression.shown(12, cases: 4, minimum: 5) == nil && Suppression.shown(12, cases: 5, minimum: 5) == 12)
    }

    @Test func theRankingShowsEveryContribution() throws {
        let a = UUID(), b = UUID(), c = UUID()
        let areas = [Ranking.Area(id: a, figures: ["lowIncome": 40, "labourParticipation": 60]),
                     Ranking.Area(id: b, figures: ["lowIncome": 20, "labourParticipation": 70]),
                     Ranking.Area(id: c, figures: ["lowIncome": 30])]
        let terms = [Ranking.Term(key: "lowIncome", weight: 3, higherMeansMoreNeed: true), Ranking.Term(key: "labourParticipation", weight: 1, higherMeansMoreNeed: false)]
        let rows = try Ranking.rank(areas, terms: terms).get()
        #expect(rows.map(\.areaID) == [a, b, c])
        #expect(rows[0].score == 100 && rows[0].needs == ["lowIncome": 100, "labourParticipation": 100])
        #expect(rows[1].score == 0)
        #expect(rows[2].score == nil && rows[2].missing == ["labourParticipation"] && rows[2].needs["lowIncome"] == 50)
        // Other weights, another order: participation alone puts b (70 %) last.
        let other = try Ranking.rank(areas.prefix(2).map { $0 }, terms: [.init(key: "labourParticipation", weight: 1, higherMeansMoreNeed: false)]).get()
        #expect(other.map(\.areaID) == [a, b])
        #expect(throws: Ranking.Problem.noTerms) { try Ranking.rank(areas, terms: []).get() }
        #expect(throws: Ranking.Problem.negativeWeight("lowIncome")) { try Ranking.rank(areas, terms: [.init(key: "lowIncome", weight: -1, higherMeansMoreNeed: true)]).get() }
        let same = try Ranking.rank([.init(id: a, figures: ["x": 5]), .init(id: b, figures: ["x": 5])], terms: [.init(key: "x", weight: 1, higherMeansMoreNeed: true)]).get()
        #expect(same.allSatisfy { $0.score == 0 }, "no area needs an indicator more when all are equal")
    }
}

@Suite("Signals as a monitor")
struct SignalMonitorTests {
    let day: TimeInterval = 86_400
    func c(_ subject: String, _ buurt: String?, _ days: Double, inTime: Bool? = nil, satisfied: Bool? = nil) -> SignalMonitor.Case {
        .init(subject: subject, neighbourhood: buurt, reportedAt: Date(timeIntervalSince1970: days * day), closedInTime: inTime, satisfied: satisfied)
    }

    @Test func smallNumbersAreSuppressed() {
        var cases: [SignalMonitor.Case] = []
        for i in 0..<12 { cases.append(c("afval", "BU1", Double(i), inTime: i % 4 != 0, satisfied: i % 2 == 0)) }
        for i in 0..<3 { cases.append(c("bomen", "BU2", Double(i))) }
        let lines = SignalMonitor.perSubject(cases, inhabitants: 4_000, minimum: 10)
        let afval = lines.first { $0.subject == "afval" }!, bomen = lines.first { $0.subject == "bomen" }!
        #expect(afval.count == 12 && afval.perThousand == 3 && afval.inTimeShare == 75 && afval.satisfaction == 50)
        #expect(bomen.count == nil && bomen.perThousand == nil, "three signals: too few to show")
    }

    @Test func recurringProblemsAreTheSameSubjectInTheSameBuurt() {
        let cases = [c("afval", "BU1", 1), c("afval", "BU1", 20), c("afval", "BU1", 40), c("afval", "BU2", 5), c("afval", nil, 6), c("bomen", "BU1", 3), c("bomen", "BU1", 9)]
        let found = SignalMonitor.recurring(cases, threshold: 3)
        #expect(found.count == 1 && found[0].subject == "afval" && found[0].neighbourhood == "BU1" && found[0].count == 3)
        #expect(found[0].first == Date(timeIntervalSince1970: day) && found[0].last == Date(timeIntervalSince1970: 40 * day))
        #expect(SignalMonitor.recurring(cases, threshold: 2).count == 2)
    }
}

@Suite("Choropleth classes")
struct ChoroplethTests {
    @Test func equalIntervalsWithTheHighestInTheTopClass() {
        let c = ChoroplethClasses.classes([0, 10, 25, 50, nil, 49.9], count: 5)
        #expect(c.bounds == [0, 10, 20, 30, 40, 50])
        #expect(c.classOf == [0, 1, 2, 4, nil, 4])
        #expect(ChoroplethClasses.classes([7, 7]).classOf == [0, 0])
        #expect(ChoroplethClasses.classes([nil]).bounds.isEmpty)
    }
}

@Suite("Similar areas")
struct SimilarAreasTests {
    @Test func villagesResembleVillages() {
        let village = UUID(), otherVillage = UUID(), city = UUID(), bigCity = UUID(), unknown = UUID()
        let areas: [(id: UUID, figures: [String: Double])] = [
            (village, ["inhabitants": 3_000, "density": 400, "age65plus": 24]),
            (otherVillage, ["inhabitants": 3_500, "density": 450, "age65plus": 22]),
            (city, ["inhabitants": 12_000, "density": 4_000, "age65plus": 15]),
            (bigCity, ["inhabitants": 20_000, "density": 6_000, "age65plus": 12]),
            (unknown, ["inhabitants": 3_000]),
        ]
        let keys = ["inhabitants", "density", "age65plus"]
        #expect(SimilarAreas.nearest(to: village, among: areas, keys: keys, count: 2) == [otherVillage, city])
        #expect(!SimilarAreas.nearest(to: village, among: areas, keys: keys, count: 10).contains(unknown), "one shared figure is too little to compare")
        #expect(SimilarAreas.nearest(to: UUID(), among: areas, keys: keys, count: 2).isEmpty)
    }
}
