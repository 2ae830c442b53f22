import Testing
import Foundation
@testable import Domain

@Suite("Theme groups")
struct ThemeGroupsTests {
    static func d(_ y: Int, _ m: Int, _ day: Int) -> Date { DutchTime.calendar.date(from: DateComponents(year: y, month: m, day: day))! }

    @Test func periodAndAreas() {
        #expect(ThemeGroups.problems(start: Self.d(2026, 1, 1), end: Self.d(2027, 1, 1), areaCount: 2).isEmpty)
        #expect(ThemeGroups.problems(start: Self.d(2026, 1, 1), end: Self.d(2030, 1, 1), areaCount: 1) == [.periodTooLong])
        #expect(ThemeGroups.problems(start: Self.d(2026, 1, 1), end: Self.d(2025, 1, 1), areaCount: 0) == [.noAreas, .endBeforeStart])
    }

    @Test(arguments: [(2, 1, 67, 33), (1, 1, 50, 50), (0, 0, 50, 50), (3, 0, 100, 0), (1, 2, 33, 67)])
    func weights(council: Int, theme: Int, councilShare: Int, themeShare: Int) {
        let s = ThemeGroups.shares(councilWeight: council, themeGroupWeight: theme)
        #expect(s.council == councilShare && s.themeGroup == themeShare && s.council + s.themeGroup == 100)
    }

    @Test func differ() {
        #expect(!ThemeGroups.differ("Wij zijn vóór het plan.", "wij zijn vóór het plan"))
        #expect(ThemeGroups.differ("Wij zijn vóór het plan.", "Wij zijn tegen het plan."))
    }
}
