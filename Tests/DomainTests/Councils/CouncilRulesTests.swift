import Testing
import Foundation
@testable import Domain

private func day(_ y: Int, _ m: Int, _ d: Int) -> Date {
    var c = Calendar(identifier: .gregorian)
    c.timeZone = TimeZone(identifier: "Europe/Amsterdam")!
    return c.date(from: DateComponents(year: y, month: m, day: d, hour: 12))!
}

@Suite("Council rules")
struct CouncilRulesTests {
    static let calendar = CouncilRules.TermCalendar(anchorYear: 2026, month: 5, day: 1)

    @Test(arguments: [
        (day(2026, 11, 23), 2026, 2030), (day(2026, 4, 30), 2022, 2026), (day(2026, 5, 1), 2026, 2030),
        (day(2019, 1, 1), 2018, 2022), (day(2031, 6, 1), 2030, 2034), (day(2014, 5, 1), 2014, 2018),
    ])
    func termsFollowTheElectionCycle(date: Date, startYear: Int, endYear: Int) {
        let term = Self.calendar.term(containing: date)
        let c = Calendar(identifier: .gregorian)
        #expect(c.component(.year, from: term.start) == startYear)
        #expect(c.component(.year, from: term.end) == endYear)
        #expect(term.start <= date && date < term.end)
        #expect(Self.calendar.nextStart(after: date) == term.end)
    }

    static let ruwaard = UUID()
    static let schadewijk = UUID()

    @Test(arguments: [
        (CouncilRules.CandidateFacts(livesInArea: ruwaard, politicallyActive: false, employedByMunicipality: false, hasStaffAccount: false, inSelectionGroup: false), [CouncilRules.Ineligibility]()),
        (.init(livesInArea: schadewijk, politicallyActive: false, employedByMunicipality: false, hasStaffAccount: false, inSelectionGroup: false), [.livesOutsideArea]),
        (.init(livesInArea: nil, politicallyActive: false, employedByMunicipality: false, hasStaffAccount: false, inSelectionGroup: false), [.addressUnknown]),
        (.init(livesInArea: ruwaard, politicallyActive: true, employedByMunicipality: false, hasStaffAccount: false, inSelectionGroup: false), [.politicallyActive]),
        (.init(livesInArea: ruwaard, politicallyActive: false, employedByMunicipality: true, hasStaffAccount: true, inSelectionGroup: false), [.employedByMunicipality, .staffAccount]),
        (.init(livesInArea: ruwaard, politicallyActive: false, employedByMunicipality: false, hasStaffAccount: false, inSelectionGroup: true), [.inSelectionGroup]),
        (.init(livesInArea: schadewijk, politicallyActive: true, employedByMunicipality: true, hasStaffAccount: true, inSelectionGroup: true), CouncilRules.Ineligibility.allCases.filter { $0 != .addressUnknown }),
    ])
    func eligibility(candidate: CouncilRules.CandidateFacts, expected: [CouncilRules.Ineligibility]) {
        #expect(CouncilRules.ineligibilities(candidate, councilArea: Self.ruwaard) == expected)
    }

    static func meetings(held: Int, planned: Int, privateHeld: Int = 0, year: Int = 2026) -> [CouncilRules.Meeting] {
        (0..<held).map { .init(date: day(year, 1 + $0, 10), isPublic: true, status: .held) }
            + (0..<planned).map { .init(date: day(year, 12, 1 + $0), isPublic: true, status: .planned) }
            + (0..<privateHeld).map { .init(date: day(year, 2, 1 + $0), isPublic: false, status: .held) }
    }

    @Test(arguments: [
        (6, 0, 0, day(2026, 11, 23), CouncilRules.Compliance.met),
        (4, 2, 0, day(2026, 11, 23), .onTrack),
        (4, 1, 3, day(2026, 11, 23), .atRisk),
        (5, 0, 0, day(2027, 1, 2), .missed),
        (0, 0, 0, day(2026, 1, 2), .atRisk),
    ])
    func sixPublicMeetingsAYear(held: Int, planned: Int, privateHeld: Int, now: Date, expected: CouncilRules.Compliance) {
        let result = CouncilRules.compliance(of: Self.meetings(held: held, planned: planned, privateHeld: privateHeld), year: 2026, now: now)
        #expect(result.status == expected)
        #expect(result.held == held, "closed meetings do not count")
    }

    @Test func aPlannedMeetingInThePastIsFlagged() {
        #expect(CouncilRules.plannedInThePast(.init(date: day(2026, 1, 1), isPublic: true, status: .planned), now: day(2026, 11, 23)))
        #expect(!CouncilRules.plannedInThePast(.init(date: day(2026, 12, 1), isPublic: true, status: .planned), now: day(2026, 11, 23)))
    }

    @Test(arguments: [
        (CouncilRules.Advice(askedOn: day(2026, 9, 1)), day(2026, 11, 23), CouncilRules.AdviceStatus.asked),
        (.init(askedOn: day(2026, 9, 1), preparationStarted: true), day(2026, 11, 23), .inPreparation),
        (.init(askedOn: day(2026, 9, 1), givenOn: day(2026, 10, 20)), day(2026, 11, 23), .given),
        (.init(askedOn: day(2026, 9, 1), givenOn: day(2026, 10, 1)), day(2026, 11, 23), .answerOverdue),
        (.init(askedOn: nil, givenOn: day(2026, 10, 1), answeredOn: day(2026, 11, 20)), day(2026, 11, 23), .answered),
    ])
    func adviceStatus(advice: CouncilRules.Advice, now: Date, expected: CouncilRules.AdviceStatus) {
        #expect(CouncilRules.status(of: advice, now: now) == expected)
    }

    @Test func answerIsDueSixWeeksAfterTheAdvice() {
        #expect(CouncilRules.answerDue(givenOn: day(2026, 10, 1)) == day(2026, 11, 12))
        #expect(CouncilRules.answerDue(givenOn: day(2026, 10, 1), termDays: 28) == day(2026, 10, 29))
    }

    @Test func adviceDatesMustBeInOrder() {
        #expect(CouncilRules.validate(.init(askedOn: day(2026, 9, 1), givenOn: day(2026, 10, 1), answeredOn: day(2026, 9, 15))) == [.answerBeforeAdvice])
        #expect(CouncilRules.validate(.init(askedOn: day(2026, 9, 1), answeredOn: day(2026, 9, 15))) == [.answerBeforeAdvice], "no answer before the advice exists")
        #expect(CouncilRules.validate(.init(askedOn: day(2026, 9, 1), givenOn: day(2026, 8, 1))) == [.adviceBeforeQuestion])
        #expect(CouncilRules.validate(.init(askedOn: day(2026, 9, 1), givenOn: day(2026, 10, 1), answeredOn: day(2026, 11, 1))).isEmpty)
    }

    @Test(arguments: [(day(2026, 1, 1), day(2027, 6, 1), true), (day(2026, 1, 1), day(2030, 1, 1), false), (day(2026, 1, 1), day(2025, 1, 1), false)])
    func themeGroupsRunShorterThanATerm(start: Date, end: Date, valid: Bool) {
        #expect(CouncilRules.themeGroupPeriodIsValid(start: start, end: end) == valid)
    }
}
