import Foundation
import Testing
@testable import Domain

@Suite("Participatory budgeting: phases, ballot rules and voting codes")
struct BudgetRoundTests {
    static func day(_ d: Int) -> Date { Date(timeIntervalSince1970: TimeInterval(d) * 86_400) }
    static let schedule = RoundSchedule(ideasFrom: day(10), ideasUntil: day(20), feasibilityUntil: day(30), votingFrom: day(31), votingUntil: day(40))

    @Test(arguments: [(9, RoundPhase.announced), (10, .ideas), (20, .ideas), (21, .feasibility), (30, .feasibility), (31, .voting), (40, .voting), (41, .result)])
    func phaseByDay(day: Int, phase: RoundPhase) {
        #expect(Self.schedule.phase(on: Self.day(day), closed: false) == phase)
        #expect(Self.schedule.phase(on: Self.day(day), closed: true) == .execution)
    }

    @Test func datesOutOfOrderAreNamed() {
        #expect(Self.schedule.problems.isEmpty)
        let wrong = RoundSchedule(ideasFrom: Self.day(10), ideasUntil: Self.day(5), feasibilityUntil: Self.day(4), votingFrom: Self.day(4), votingUntil: Self.day(3))
        #expect(wrong.problems.map(\.problem) == [.ideasEndBeforeStart, .feasibilityBeforeIdeas, .votingBeforeFeasibility, .votingEndsBeforeStart])
        #expect(wrong.problems.map(\.field) == ["ideeen_tot", "haalbaarheid_tot", "stemmen_van", "stemmen_tot"])
    }

    @Test(arguments: [
        (BallotRule.budget(limit: 100, minimumPercent: 0), [Int](), [BallotRule.Problem.empty]),
        (.budget(limit: 100, minimumPercent: 0), [60, 40], []),
        (.budget(limit: 100, minimumPercent: 0), [60, 41], [.overBudget(by: 1)]),
        (.budget(limit: 100, minimumPercent: 70), [60], [.belowMinimum(short: 10)]),
        (.budget(limit: 100, minimumPercent: 70), [70], []),
        (.budget(limit: 99, minimumPercent: 50), [49], [.belowMinimum(short: 1)]),
        (.count(minimum: 2, maximum: 3), [5], [.tooFew(minimum: 2)]),
        (.count(minimum: 2, maximum: 3), [5, 5, 5], []),
        (.count(minimum: 2, maximum: 3), [5, 5, 5, 5], [.tooMany(maximum: 3)]),
        (.count(minimum: 1, maximum: 3), [1_000_000], []),
    ])
    func ballotsCheckedAgainstTheRule(rule: BallotRule, costs: [Int], problems: [BallotRule.Problem]) {
        #expect(rule.problems(costs: costs) == problems)
    }

    @Test func whatIsLeftWhileChoosing() {
        #expect(BallotRule.budget(limit: 100, minimumPercent: 0).remaining(costs: [30, 20]) == 50)
        #expect(BallotRule.count(minimum: 1, maximum: 3).remaining(costs: [30, 20]) == 1)
        #expect(BallotRule.budget(limit: 100, minimumPercent: 101).settingsProblems == [.percentOutOfRange])
        #expect(BallotRule.count(minimum: 0, maximum: -1).settingsProblems == [.minimumBelowOne, .minimumAboveMaximum])
    }

    @Test func votingCodesAreReadAsTyped() {
        var random = SeededRandom(seed: 3)
        let codes = (0..<1000).map { _ in VotingCode.generate(using: &random) }
        #expect(Set(codes).count == 1000)
        for code in codes.prefix(20) {
            #expect(code.count == 14 && code.split(separator: "-").count == 3)
            #expect(VotingCode.normalise(code.lowercased().replacingOccurrences(of: "-", with: " ")) == code.replacingOccurrences(of: "-", with: ""))
        }
        #expect(VotingCode.normalise("ABCD-EFGH-JKM") == nil)     // too short
        #expect(VotingCode.normalise("ABCD-EFGH-JK0O") == nil)    // 0 and O are never in a code
        #expect(VotingCode.key("ABCDEFGHJKMN", round: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!, purpose: "code")
                != VotingCode.key("ABCDEFGHJKMN", round: UUID(uuidString: "00000000-0000-0000-0000-00000000000A")!, purpose: "ballot"))
    }
}
