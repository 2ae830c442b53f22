import Testing
import Foundation
@testable import Domain

@Suite("Mixing panel")
struct MixingPanelTests {
    /// A table of profiles as the seed file holds them (the positions themselves are read from the document).
    static let profiles: [String: [String: Int]] = [
        "ontwikkelende": ["positioneringIntern": 1, "procesBinnenGemeente": 1, "procesMetBewoners": 1, "bestuurEnPolitiek": 2, "communicatie": 1],
        "participatieve": ["positioneringIntern": 1, "procesBinnenGemeente": 1, "procesMetBewoners": 3, "bestuurEnPolitiek": 2, "communicatie": 3],
        "organisatiegerichte": ["positioneringIntern": 3, "procesBinnenGemeente": 3, "procesMetBewoners": 1, "bestuurEnPolitiek": 2, "communicatie": 1],
        "toenaderingsgerichte": ["positioneringIntern": 1, "procesBinnenGemeente": 1, "procesMetBewoners": 3, "bestuurEnPolitiek": 3, "communicatie": 3],
        "gekantelde": ["positioneringIntern": 3, "procesBinnenGemeente": 3, "procesMetBewoners": 3, "bestuurEnPolitiek": 3, "communicatie": 3],
    ]

    @Test(arguments: MixingPanel.profileOrder)
    func everyProfileIsNearestToItself(profile: String) throws {
        let nearest = try #require(MixingPanel.nearest(Self.profiles[profile]!, scale: .three, profiles: Self.profiles))
        #expect(nearest.profile == profile)
        #expect(nearest.distance == 0)
        #expect(nearest.differingSliders.isEmpty)
    }

    @Test func distancesAreSumsOfAbsoluteDifferences() {
        let panel = ["positioneringIntern": 2, "procesBinnenGemeente": 2, "procesMetBewoners": 2, "bestuurEnPolitiek": 2, "communicatie": 2]
        let result = MixingPanel.compare(panel, scale: .three, profiles: Self.profiles)
        let byCode = Dictionary(uniqueKeysWithValues: result.map { ($0.profile, $0) })
        #expect(byCode["ontwikkelende"]?.distance == 4)
        #expect(byCode["gekantelde"]?.distance == 5)
        #expect(byCode["participatieve"]?.differingSliders.map(\.slider) == ["positioneringIntern", "procesBinnenGemeente", "procesMetBewoners", "communicatie"])
    }

    @Test func tiesGoToTheEarlierProfileInTheDocumentsOrder() {
        // Equally far (2) from ontwikkelende and participatieve: the order decides.
        let panel = ["positioneringIntern": 1, "procesBinnenGemeente": 1, "procesMetBewoners": 2, "bestuurEnPolitiek": 2, "communicatie": 2]
        let result = MixingPanel.compare(panel, scale: .three, profiles: Self.profiles)
        #expect(result[0].distance == result[1].distance)
        #expect(result.map(\.profile).prefix(2) == ["ontwikkelende", "participatieve"])
    }

    @Test func fiveStepPanelsCompareOnTheSameFooting() throws {
        let panel = ["positioneringIntern": 5, "procesBinnenGemeente": 5, "procesMetBewoners": 5, "bestuurEnPolitiek": 5, "communicatie": 4]
        let nearest = try #require(MixingPanel.nearest(panel, scale: .five, profiles: Self.profiles))
        #expect(nearest.profile == "gekantelde")
        #expect(nearest.distance == 0.5, "one step of five is half a step of three")
        #expect(MixingPanel.Scale.five.fromThreeStep(2) == 3)
        #expect(MixingPanel.Scale.five.middle == 3)
    }

    @Test func validation() {
        let full = Dictionary(uniqueKeysWithValues: MixingPanel.mainSliders.map { ($0, 2) })
        #expect(MixingPanel.validate(full, scale: .three, sixthSlider: false).isEmpty)
        var missing = full
        missing["communicatie"] = nil
        #expect(MixingPanel.validate(missing, scale: .three, sixthSlider: false) == [.missing(slider: "communicatie")])
        var outside = full
        outside["procesMetBewoners"] = 4
        #expect(MixingPanel.validate(outside, scale: .three, sixthSlider: false) == [.outOfScale(slider: "procesMetBewoners", position: 4, steps: 3)])
        #expect(MixingPanel.validate(outside, scale: .five, sixthSlider: false).isEmpty)
        #expect(MixingPanel.validate(full, scale: .three, sixthSlider: true) == [.missing(slider: "kenmerkenWijk")])
        var extra = full
        extra["onbekend"] = 1
        #expect(MixingPanel.validate(extra, scale: .three, sixthSlider: false) == [.unknownSlider("onbekend")])
        #expect(MixingPanel.validate(full, scale: MixingPanel.Scale(steps: 4), sixthSlider: false) == [.unsupportedScale(4)])
    }

    @Test func movementsBetweenTwoPanels() {
        let lastYear = ["positioneringIntern": 1, "procesBinnenGemeente": 2, "procesMetBewoners": 2, "bestuurEnPolitiek": 3, "communicatie": 1]
        let thisYear = ["positioneringIntern": 2, "procesBinnenGemeente": 2, "procesMetBewoners": 3, "bestuurEnPolitiek": 3, "communicatie": 1]
        let moves = MixingPanel.movements(from: lastYear, to: thisYear)
        #expect(moves.map(\.slider) == ["positioneringIntern", "procesMetBewoners"])
        #expect(moves.map(\.change) == [1, 1])
        #expect(MixingPanel.movements(from: thisYear, to: thisYear).isEmpty)
    }
}
