import Foundation
import Testing
@testable import Domain

@Suite("Own figures per period, reach by age, stories")
struct OwnFiguresTests {
    let a = UUID(), b = UUID()
    let jan2025 = DutchTime.calendar.date(from: DateComponents(year: 2025, month: 1, day: 1))!
    let jan2026 = DutchTime.calendar.date(from: DateComponents(year: 2026, month: 1, day: 1))!

    func day(_ n: Int) -> Date { jan2025.addingTimeInterval(Double(n) * 86_400) }

    @Test func signalFiguresCountOnlyThePeriodAndAreSuppressedBelowTheMinimum() {
        var inputs = OwnFigures.Inputs()
        // Area a: 12 signals in 2025 (10 handled: 6 in time after 2 days, 4 late after 9 days), 3 in 2026.
        for i in 0..<12 {
            let handled: Date? = i < 6 ? day(i + 2) : (i < 10 ? day(i + 9) : nil)
            inputs.signals.append(.init(area: a, reportedAt: day(i), handledAt: handled, deadline: day(i + 5)))
        }
        for i in 0..<3 { inputs.signals.append(.init(area: a, reportedAt: jan2026.addingTimeInterval(Double(i) * 86_400), handledAt: nil, deadline: nil)) }
        // Area b: 4 signals: too few to show.
        for i in 0..<4 { inputs.signals.append(.init(area: b, reportedAt: day(i), handledAt: day(i + 1), deadline: nil)) }
        let f = OwnFigures.compute(inputs, period: DateInterval(start: jan2025, end: jan2026), inhabitants: [a: 2000, b: 500], minimum: 10)
        #expect(f[a]?["signalsPer1000"] == 6, "12 per 2,000 inhabitants; the 2026 signals are outside")
        #expect(f[a]?["signalsInTime"] == 60)
        #expect(f[a]?["signalMedianDays"] == 2, "six of 2 days and four of 9 days: the middle of 2,2,2,2,2,2,9,9,9,9")
        #expect(f[b]?["signalsPer1000"] == nil && f[b]?["signalsInTime"] == nil, "fewer than ten: suppressed")
    }

    @Test func moneySupportsAndMeetingsPerInhabitantAndOnlyForAreasWithACouncil() {
        let inputs = OwnFigures.Inputs(initiatives: [.init(area: a, at: day(10), amount: 150_000), .init(area: a, at: day(400), amount: 99_999)],
                                       ideaSupports: [.init(area: a, at: day(3)), .init(area: a, at: day(4)), .init(area: b, at: day(5))],
                                       meetings: [.init(area: a, at: day(30)), .init(area: a, at: day(60))], areasWithCouncil: [a])
        let f = OwnFigures.compute(inputs, period: DateInterval(start: jan2025, end: jan2026), inhabitants: [a: 1000, b: 0], minimum: 10)
        #expect(f[a]?["initiativesPer1000"] == 1 && f[a]?["grantedPerInhabitant"] == 1.5)
        #expect(f[a]?["ideaSupportsPer1000"] == 2 && f[a]?["councilMeetings"] == 2)
        #expect(f[b]?["councilMeetings"] == nil, "no council: no figure rather than 0")
        #expect(f[b]?["ideaSupportsPer1000"] == nil, "no inhabitants: nothing per inhabitant")
    }

    @Test func aTrendCoversCompleteYearsOnlyAtMostTen() {
        let inputs = OwnFigures.Inputs(signals: [.init(area: a, reportedAt: DutchTime.calendar.date(from: DateComponents(year: 2012, month: 5, day: 1))!, handledAt: nil, deadline: nil)])
        let years = OwnFigures.trendYears(inputs, before: DutchTime.calendar.date(from: DateComponents(year: 2026, month: 11, day: 23))!, calendar: DutchTime.calendar)
        #expect(years == Array(2016...2025))
        #expect(OwnFigures.trendYears(OwnFigures.Inputs(), before: jan2026, calendar: DutchTime.calendar).isEmpty)
        #expect(OwnFigures.median([]) == nil && OwnFigures.median([3, 1, 2]) == 2)
    }

    @Test func reachByAgeSetsSharesAgainstThePopulation() {
        let lines = ReachByAge.compare(counts: ["65+": 16, "25-44": 8], population: ["age65plus": 20, "age25to44": 26, "age15to24": 12], minimum: 10)
        let old = lines.first { $0.group == "65+" }!
        #expect(abs(old.share! - 66.666) < 0.01 && abs(old.ratio! - 3.333) < 0.01)
        #expect(lines.first { $0.group == "15-24" }!.ratio == 0, "nobody of 15–24 took part")
        #expect(lines.first { $0.group == "0-14" }!.ratio == nil, "no CBS figure: no ratio")
        #expect(ReachByAge.compare(counts: ["65+": 9], population: [:], minimum: 10).allSatisfy { $0.share == nil }, "fewer answers than the minimum: no shares")
        #expect(ReachByAge.isGroup("45-64") && !ReachByAge.isGroup("45-65"))
    }

    @Test func aStoryMustSaySomething() {
        #expect(!AreaStoryRules.saysSomething(goesWell: " \n", couldBeBetter: nil))
        #expect(AreaStoryRules.saysSomething(goesWell: nil, couldBeBetter: "Meer bankjes"))
    }
}
