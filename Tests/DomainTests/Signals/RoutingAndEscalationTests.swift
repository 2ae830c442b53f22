import Testing
import Foundation
@testable import Domain

private func at(_ y: Int, _ m: Int, _ d: Int, _ h: Int = 12, _ min: Int = 0) -> Date {
    DutchTime.calendar.date(from: DateComponents(year: y, month: m, day: d, hour: h, minute: min))!
}

@Suite("Routing rules")
struct RoutingTests {
    static let afval = UUID(), zwerfafval = UUID(), lantaarn = UUID()
    static let noord = UUID(), zuid = UUID()
    static let beheer = UUID(), handhaving = UUID(), storingsdienst = UUID(), wijkteam = UUID()

    static let rules = [
        RoutingRule(position: 30, departmentID: wijkteam),
        RoutingRule(position: 10, categoryID: lantaarn, weekdays: [1, 7], departmentID: storingsdienst),
        RoutingRule(position: 15, categoryID: lantaarn, fromMinute: 17 * 60, toMinute: 8 * 60, departmentID: storingsdienst),
        RoutingRule(position: 20, categoryID: afval, areaID: noord, departmentID: handhaving),
        RoutingRule(position: 25, categoryID: afval, departmentID: beheer),
    ]

    @Test(arguments: [
        // A sub category matches a rule on its main category; the area narrows it.
        (zwerfafval, afval as UUID?, noord as UUID?, at(2026, 11, 23), handhaving),
        (zwerfafval, afval, zuid, at(2026, 11, 23), beheer),
        // Weekend (Saturday 21 November) and evening windows over midnight.
        (lantaarn, nil, zuid, at(2026, 11, 21, 11), storingsdienst),
        (lantaarn, nil, zuid, at(2026, 11, 23, 22), storingsdienst),
        (lantaarn, nil, zuid, at(2026, 11, 24, 7, 59), storingsdienst),
        (lantaarn, nil, zuid, at(2026, 11, 24, 8, 0), wijkteam),
        // No area known: area rules do not match, the catch-all does.
        (zwerfafval, afval, nil, at(2026, 11, 23), beheer),
    ])
    func firstMatchWins(category: UUID, main: UUID?, area: UUID?, time: Date, expected: UUID) {
        let input = RoutingInput(categoryID: category, mainCategoryID: main, areaID: area, at: time)
        #expect(Routing.route(input, rules: Self.rules)?.departmentID == expected)
    }

    @Test func noRuleNoRoute() {
        let input = RoutingInput(categoryID: UUID(), mainCategoryID: nil, areaID: nil, at: at(2026, 11, 23))
        #expect(Routing.route(input, rules: Array(Self.rules.dropFirst())) == nil)
    }

    @Test func invalidRulesAreReported() {
        #expect(RoutingRule(position: 1, weekdays: [0, 8], departmentID: Self.beheer).problems() == [.weekdayOutOfRange])
        #expect(RoutingRule(position: 1, fromMinute: 60, departmentID: Self.beheer).problems() == [.windowIncomplete])
        #expect(RoutingRule(position: 1, fromMinute: 60, toMinute: 60, departmentID: Self.beheer).problems() == [.emptyWindow])
        #expect(RoutingRule(position: 1, fromMinute: 60, toMinute: 2000, departmentID: Self.beheer).problems() == [.minuteOutOfRange])
    }
}

@Suite("Escalation ladder")
struct EscalationTests {
    static let holidays = DutchHolidays()
    // Deadline: end of Friday 20 November 2026.
    static let deadline = Day(2026, 11, 20).end

    static func due(_ now: Date, done: Set<Int> = [], state: SignalState = .inBehandeling) -> [Int] {
        EscalationLadder.dueSteps(EscalationStep.standardLadder, deadline: deadline, state: state, now: now,
                                  alreadyEscalated: done, holidays: holidays).map(\.level)
    }

    @Test func whichLevelAtWhichMoment() {
        #expect(Self.due(at(2026, 11, 20, 23, 0)) == [])
        #expect(Self.due(at(2026, 11, 21, 0, 30)) == [1])
        // +5 working days: end of Friday 27 November.
        #expect(Self.due(at(2026, 11, 27, 23, 0), done: [1]) == [])
        #expect(Self.due(at(2026, 11, 28, 9, 0), done: [1]) == [2])
        // +10 working days: end of Friday 4 December.
        #expect(Self.due(at(2026, 12, 5, 9, 0), done: [1, 2]) == [3])
        // +20 working days, counted from the deadline: end of Friday 18 December.
        #expect(Self.due(at(2026, 12, 18, 23, 0), done: [1, 2, 3]) == [])
        #expect(Self.due(at(2026, 12, 19, 0, 1), done: [1, 2, 3]) == [4])
    }

    @Test func stepsAfterTheDeadlineSkipHolidays() {
        // Deadline Wednesday 23 December 2026; +5 working days: 24, 28, 29, 30, 31 → end of 31 December;
        // +10: 1 January is a holiday, so 4, 5, 6, 7, 8 → end of 8 January 2027.
        let deadline = Day(2026, 12, 23).end
        let ladder = EscalationStep.standardLadder
        #expect(Day(EscalationLadder.moment(of: ladder[1], deadline: deadline, holidays: Self.holidays)) == Day(2026, 12, 31))
        #expect(Day(EscalationLadder.moment(of: ladder[2], deadline: deadline, holidays: Self.holidays)) == Day(2027, 1, 8))
    }

    @Test func neverTwiceAndCatchUpInOrder() {
        #expect(Self.due(at(2027, 2, 1), done: [1, 2, 3, 4]) == [])
        #expect(Self.due(at(2027, 2, 1)) == [1, 2, 3, 4])
        #expect(Self.due(at(2027, 2, 1), done: [2]) == [1, 3, 4])
    }

    @Test func closedSignalsAndSignalsWithoutDeadlineDoNotEscalate() {
        #expect(Self.due(at(2027, 2, 1), state: .afgehandeld) == [])
        #expect(Self.due(at(2027, 2, 1), state: .geannuleerd) == [])
        #expect(EscalationLadder.dueSteps(EscalationStep.standardLadder, deadline: nil, state: .gemeld, now: at(2027, 2, 1),
                                          alreadyEscalated: [], holidays: Self.holidays).isEmpty)
    }

    @Test func overdue() {
        #expect(EscalationLadder.isOverdue(deadline: Self.deadline, state: .gemeld, now: at(2026, 11, 21)))
        #expect(!EscalationLadder.isOverdue(deadline: Self.deadline, state: .gemeld, now: at(2026, 11, 20, 18)))
        #expect(!EscalationLadder.isOverdue(deadline: Self.deadline, state: .afgehandeld, now: at(2026, 11, 21)))
    }

    @Test func ladderValidation() {
        #expect(EscalationLadder.validate(EscalationStep.standardLadder).isEmpty)
        #expect(EscalationLadder.validate([]) == [.empty])
        let bad = [EscalationStep(level: 1, workingDaysAfterDeadline: 5, role: .areaCoordinator),
                   EscalationStep(level: 1, workingDaysAfterDeadline: 3, role: .partner)]
        #expect(Set(EscalationLadder.validate(bad)) == [.levelsNotIncreasing, .daysNotIncreasing, .roleNotEscalatable])
    }
}

@Suite("Signal rules")
struct SignalRulesTests {
    @Test func trackingCodes() {
        var seen = Set<String>()
        for _ in 0..<2000 {
            let code = TrackingCode.make()
            #expect(code.count == 13)
            #expect(!code.dropFirst(4).contains { "01OI".contains($0) })
            #expect(TrackingCode.normalise(code) == code)
            seen.insert(code)
        }
        #expect(seen.count == 2000)
        #expect(TrackingCode.normalise(" sig 2345 abcd ") == "SIG-2345-ABCD")
        #expect(TrackingCode.normalise("2345abcd") == "SIG-2345-ABCD")
        #expect(TrackingCode.normalise("SIG-1234-ABCD") == nil)
        #expect(TrackingCode.normalise("SIG-2345") == nil)
    }

    @Test func distanceAndNearby() {
        let a = Position(lon: 5.5180, lat: 51.7650)
        let b = Position(lon: 5.5186, lat: 51.7650) // about 41 m east
        let c = Position(lon: 5.5190, lat: 51.7650) // about 69 m east
        #expect(abs(SignalRules.distance(a, b) - 41.3) < 1)
        let cat = UUID(), now = Date(timeIntervalSince1970: 1_800_000_000)
        #expect(SignalRules.isNearbySimilar(position: a, category: cat, at: now, other: (b, cat, now.addingTimeInterval(-86_400 * 80))))
        #expect(!SignalRules.isNearbySimilar(position: a, category: cat, at: now, other: (b, cat, now.addingTimeInterval(-86_400 * 85))))
        #expect(!SignalRules.isNearbySimilar(position: a, category: cat, at: now, other: (c, cat, now)))
        #expect(!SignalRules.isNearbySimilar(position: a, category: cat, at: now, other: (b, UUID(), now)))
        let box = SignalRules.box(around: a, metres: 50)
        #expect(box.contains(b) && !box.contains(c))
    }

    @Test func feedbackAndRetention() {
        let closed = Date(timeIntervalSince1970: 1_800_000_000), day = 86_400.0
        #expect(SignalRules.feedbackRequestsReopen(satisfied: false, closedAt: closed, answeredAt: closed.addingTimeInterval(13 * day)))
        #expect(!SignalRules.feedbackRequestsReopen(satisfied: false, closedAt: closed, answeredAt: closed.addingTimeInterval(15 * day)))
        #expect(!SignalRules.feedbackRequestsReopen(satisfied: true, closedAt: closed, answeredAt: closed.addingTimeInterval(day)))
        #expect(!SignalRules.contactExpired(closedAt: nil, now: closed.addingTimeInterval(1000 * day), retentionDays: 365))
        #expect(!SignalRules.contactExpired(closedAt: closed, now: closed.addingTimeInterval(364 * day), retentionDays: 365))
        #expect(SignalRules.contactExpired(closedAt: closed, now: closed.addingTimeInterval(366 * day), retentionDays: 365))
    }

    @Test func percentiles() {
        #expect(HandlingStatistics.percentile([], 50) == nil)
        #expect(HandlingStatistics.summary([5, 1, 3]) == .init(count: 3, median: 3, p90: 5))
        let hundred = (1...100).map(Double.init)
        #expect(HandlingStatistics.percentile(hundred, 50) == 50)
        #expect(HandlingStatistics.percentile(hundred, 90) == 90)
    }
}
