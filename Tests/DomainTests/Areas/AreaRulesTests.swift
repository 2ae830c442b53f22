import Testing
import Foundation
@testable import Domain

@Suite("Area rules")
struct AreaRulesTests {
    @Test(arguments: [
        ("Ruwaard", ["Schadewijk"], "Ruwaard", nil),
        ("  Oss   Zuid ", [], "Oss Zuid", nil),
        ("", [], nil, "area.name.empty"),
        ("   ", [], nil, "area.name.empty"),
        ("ruwaard", ["Ruwaard"], nil, "area.name.taken"),
        ("Géffen", ["Geffen"], nil, "area.name.taken"),
        (String(repeating: "a", count: 81), [], nil, "area.name.tooLong"),
        ("Oss\u{0}", [], nil, "area.name.invalidCharacters"),
    ] as [(String, [String], String?, String?)])
    func names(raw: String, existing: [String], expected: String?, error: String?) {
        switch AreaRules.validateName(raw, existing: existing) {
        case .success(let name): #expect(name == expected); #expect(error == nil)
        case .failure(let e): #expect(e.key == error); #expect(e.field == "name"); #expect(expected == nil)
        }
    }

    @Test(arguments: [("Centrum-Krinkelhoek-Mettegeupel", "centrum-krinkelhoek-mettegeupel"), ("Oss Noord West", "oss-noord-west"),
                      ("Megen, Haren, Macharen", "megen-haren-macharen"), ("Café Zuid!", "cafe-zuid"), ("???", "gebied")])
    func slugs(name: String, slug: String) {
        #expect(AreaRules.slug(name) == slug)
    }

    @Test func everyBuurtNeedsAKnownArea() {
        let assignment = ["BU1": "A", "BU2": "B", "BU3": "X"]
        #expect(AreaRules.unassigned(neighbourhoods: ["BU1", "BU2", "BU3", "BU4"], assignment: assignment, areas: ["A", "B"]) == ["BU3", "BU4"])
        #expect(AreaRules.unassigned(neighbourhoods: ["BU1", "BU2"], assignment: assignment, areas: ["A", "B"]).isEmpty)
        #expect(AreaRules.emptyAreas(assignment: ["BU1": "A"], areas: ["A", "B"]) == ["B"])
    }

    @Test func areaFiguresCountOnlyWholeDistricts() {
        let districts = [
            (code: "WK01", neighbourhoods: ["BU011", "BU012"], figures: KeyFigures(inhabitants: 100, men: 50, women: 50, dwellings: 40, areaTotalHa: 10, areaLandHa: 10, areaWaterHa: 0)),
            (code: "WK02", neighbourhoods: ["BU021", "BU022"], figures: KeyFigures(inhabitants: 200, men: 90, women: 110, dwellings: 80, areaTotalHa: 20, areaLandHa: 20, areaWaterHa: 0)),
            (code: "WK03", neighbourhoods: ["BU031"], figures: KeyFigures(inhabitants: 5, men: 5, women: 0, dwellings: 1, areaTotalHa: 1, areaLandHa: 1, areaWaterHa: 0)),
        ]
        let f = AreaFigures.compute(areaNeighbourhoods: ["BU011", "BU012", "BU021"], districts: districts)
        #expect(f.wholeDistricts == ["WK01"])
        #expect(f.splitDistricts == ["WK02"])
        #expect(f.figures.inhabitants == 100)
        #expect(f.figures.density == 1000, "100 inhabitants on 10 ha = 0.1 km²")
        let none = AreaFigures.compute(areaNeighbourhoods: ["BU021"], districts: districts)
        #expect(none.figures.inhabitants == nil)
    }

    @Test func missingFiguresStayMissing() {
        #expect((KeyFigures(inhabitants: 5) + KeyFigures(inhabitants: nil)).inhabitants == nil)
    }

    @Test func overlapsAreCountedAndSorted() {
        let groupOf = ["BU1": "Oost", "BU2": "Oost", "BU3": "West", "BU9": "Noord"]
        let overlaps = ClassificationOverlap.overlaps(areaNeighbourhoods: ["BU1", "BU2", "BU3", "BU4"], groupOf: groupOf)
        #expect(overlaps.map(\.group) == ["Oost", "West"])
        #expect(overlaps.map(\.shared) == [2, 1])
    }

    @Test(arguments: [("GM0828", CBSCode.Level.municipality), ("WK082806", .district), ("BU08280000", .neighbourhood), ("bu08280000", .neighbourhood)])
    func cbsCodes(code: String, level: CBSCode.Level) { #expect(CBSCode.level(of: code) == level) }

    @Test(arguments: ["GM082", "WK08280", "XX0828", "BU0828000A", "", "GM٠٨٢٨"])
    func badCBSCodes(code: String) { #expect(CBSCode.level(of: code) == nil) }
}
