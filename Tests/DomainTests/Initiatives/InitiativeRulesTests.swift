import Foundation
import Testing
@testable import Domain

@Suite("Initiatives: money, ledger, lifecycle, grants")
struct InitiativeRulesTests {
    @Test(arguments: [
        ("1250", 125_000), ("1.250", 125_000), ("1.250,50", 125_050), ("1250,5", 125_050), ("€ 1.250,-", 125_000),
        ("1250.50", 125_050), ("1,250.50", 125_050), ("0,99", 99), ("12 EUR", 1_200), ("1.000.000", 100_000_000), ("€\u{00A0}75", 7_500),
    ])
    func amountsAsPeopleTypeThem(text: String, cents: Int) throws {
        #expect(try Money.parseCents(text).get() == cents)
    }

    @Test(arguments: [
        ("", Money.Problem.empty), ("-5", .negative), ("abc", .notANumber), ("1e5", .notANumber), ("1.25.0", .notANumber),
        ("12,3456", .notANumber), ("0x10", .notANumber), ("99999999999", .tooLarge), ("10.000.001", .tooLarge), ("1.2.3,4", .notANumber), ("+5", .notANumber),
    ])
    func amountsThatAreRefused(text: String, problem: Money.Problem) throws {
        #expect(throws: problem) { try Money.parseCents(text).get() }
    }

    @Test func amountsAreWrittenTheDutchWay() throws {
        #expect(Money.format(125_050) == "€ 1.250,50")
        #expect(Money.format(125_000, compact: true) == "€ 1.250,-")
        #expect(Money.format(125_050, dutch: false) == "€1,250.50")
        #expect(Money.format(-500) == "-€ 5,00")
        #expect(Money.plain(125_050) == "1250,50" && Money.plain(7_500) == "75")
        // What is written back into a form is read as the same amount.
        for cents in [1, 99, 100, 125_050, 99_999_999] { #expect(try Money.parseCents(Money.plain(cents)).get() == cents) }
    }

    @Test func budgetLinesMustAddUpToWhatIsAsked() throws {
        let lines = [BudgetLine(description: "Plantenbakken", cents: 40_000), BudgetLine(description: "Aarde", cents: 10_000)]
        #expect(BudgetLines.check(lines, asked: 50_000) == nil)
        #expect(BudgetLines.check(lines, asked: 60_000) == .doNotAddUp)
        #expect(BudgetLines.check([], asked: 60_000) == nil)
        #expect(BudgetLines.check([BudgetLine(description: "", cents: 5)], asked: 5) == .emptyLine)
    }

    @Test func theLedgerMovesMoneyBetweenColumns() throws {
        let b = try Ledger.replay([(.allocated, 10_000), (.committed, 4_000), (.paid, 3_000), (.released, 1_000), (.returned, 500)]).get()
        #expect(b == LedgerBalance(allocated: 10_000, available: 7_500, committed: 0, paid: 2_500, returned: 500))
        #expect(throws: Ledger.Problem.insufficientAvailable) { try Ledger.replay([(.allocated, 1_000), (.committed, 1_001)]).get() }
        #expect(throws: Ledger.Problem.insufficientCommitted) { try Ledger.replay([(.allocated, 1_000), (.committed, 500), (.paid, 600)]).get() }
        #expect(throws: Ledger.Problem.insufficientPaid) { try Ledger.replay([(.allocated, 1_000), (.committed, 500), (.paid, 500), (.returned, 501)]).get() }
        #expect(throws: Ledger.Problem.notPositive) { try Ledger.replay([(.allocated, 0)]).get() }
        #expect(throws: Ledger.Problem.insufficientAvailable) { try Ledger.replay([(.allocated, 1_000), (.committed, 800), (.reduced, 300)]).get() }
    }

    /// The invariant as a property over random sequences: whatever is tried, an accepted entry never takes a
    /// column below zero, and the columns always add up to what was allocated.
    @Test func theLedgerInvariantHoldsForRandomSequences() throws {
        var random = SeededRandom(seed: 12)
        for _ in 0..<500 {
            var balance = LedgerBalance()
            var accepted: [(LedgerKind, Int)] = []
            for _ in 0..<60 {
                let kind = LedgerKind.allCases.randomElement(using: &random)!
                let cents = Int.random(in: -100...5_000, using: &random)
                switch Ledger.apply(balance, kind, cents) {
                case .success(let next):
                    #expect(cents > 0)
                    balance = next
                    accepted.append((kind, cents))
                case .failure:
                    continue
                }
                #expect(balance.available >= 0 && balance.committed >= 0 && balance.paid >= 0)
                #expect(balance.available + balance.committed + balance.paid == balance.allocated)
            }
            #expect(Ledger.sum(accepted) == balance, "the entries add up to the balance, in any order")
            #expect(Ledger.sum(accepted.reversed()) == balance)
        }
    }

    @Test func anInitiativeNeverGetsMoreThanWasGranted() throws {
        var b = try Ledger.applyToInitiative(LedgerBalance(), .committed, 2_000).get()
        b = try Ledger.applyToInitiative(b, .paid, 2_000).get()
        #expect(throws: Ledger.Problem.insufficientCommitted) { try Ledger.applyToInitiative(b, .paid, 1).get() }
        #expect(throws: Ledger.Problem.insufficientPaid) { try Ledger.applyToInitiative(b, .returned, 2_001).get() }
        #expect(GrantRules.unspent(paid: 2_000, actualCosts: [1_200, 300]) == 500)
        #expect(GrantRules.unspent(paid: 2_000, actualCosts: [2_500]) == 0)
    }

    @Test func theLifecycle() throws {
        var status = InitiativeStatus.draft
        for step in [InitiativeStep.submit, .ask, .answer, .sendToDecision, .grant, .startExecution, .account, .close] {
            guard let next = InitiativeLifecycle.next(status, step) else { Issue.record("\(step) from \(status)"); return }
            status = next
        }
        #expect(status == .closed && status.isFinal)
        #expect(InitiativeLifecycle.next(.submitted, .grant) == nil, "no decision before the review")
        #expect(InitiativeLifecycle.next(.inExecution, .withdraw) == nil, "paid money is accounted for, not withdrawn")
        #expect(InitiativeLifecycle.next(.granted, .withdraw) == .withdrawn)
        #expect(InitiativeLifecycle.next(.declined, .review) == nil)
        for status in InitiativeStatus.allCases where status.isFinal { #expect(InitiativeLifecycle.steps(from: status).isEmpty) }
        #expect(InitiativeLifecycle.steps(from: .toDecision) == [.withdraw, .grant, .decline])
    }

    @Test func grantsFollowTheBudgetsDecider() throws {
        let held = GrantRules.Meeting(councilOfTheArea: true, started: true)
        #expect(GrantRules.problems(grant: 50_000, requested: 50_000, decider: .council, mandateLimit: nil, meeting: held, motivation: "Past bij de agenda").isEmpty)
        #expect(GrantRules.problems(grant: 50_000, requested: 50_000, decider: .council, mandateLimit: nil, meeting: nil, motivation: "x") == [.meetingRequired])
        #expect(GrantRules.problems(grant: 50_000, requested: 50_000, decider: .council, mandateLimit: nil,
                                    meeting: .init(councilOfTheArea: true, started: false), motivation: "x") == [.meetingNotHeld])
        #expect(GrantRules.problems(grant: 50_000, requested: 50_000, decider: .council, mandateLimit: nil,
                                    meeting: .init(councilOfTheArea: false, started: true), motivation: "x") == [.meetingOfOtherCouncil])
        #expect(GrantRules.problems(grant: 50_000, requested: 50_000, decider: .council, mandateLimit: nil,
                                    meeting: .init(councilOfTheArea: true, started: true, isPublic: false), motivation: "x") == [.meetingNotPublic])
        #expect(GrantRules.problems(grant: 60_000, requested: 50_000, decider: .coordinator, mandateLimit: 50_000, meeting: nil, motivation: "x") == [.aboveRequested, .aboveMandate])
        #expect(GrantRules.problems(grant: 30_000, requested: 50_000, decider: .coordinator, mandateLimit: 50_000, meeting: nil, motivation: "x").isEmpty, "granted in part")
        #expect(GrantRules.problems(grant: 0, requested: 50_000, decider: .department, mandateLimit: nil, meeting: nil, motivation: " ") == [.amountNotPositive, .motivationMissing])
        #expect(GrantRules.declineProblems(decider: .council, meeting: nil, motivation: "") == [.meetingRequired, .motivationMissing])
    }

    @Test func aRightToChallengeIsPaidOnlyByTheDepartmentThatOwnsTheTask() throws {
        let groen = UUID(), wegen = UUID()
        #expect(InitiativeKind.rightToChallenge.fits(budgetDecider: .department, budgetDepartment: groen, taskDepartment: groen))
        #expect(!InitiativeKind.rightToChallenge.fits(budgetDecider: .department, budgetDepartment: wegen, taskDepartment: groen))
        #expect(!InitiativeKind.rightToChallenge.fits(budgetDecider: .council, budgetDepartment: nil, taskDepartment: groen))
        #expect(!InitiativeKind.rightToChallenge.fits(budgetDecider: .department, budgetDepartment: nil, taskDepartment: nil))
        #expect(InitiativeKind.initiative.fits(budgetDecider: .coordinator, budgetDepartment: nil, taskDepartment: nil))
    }

    @Test func codes() throws {
        #expect(InitiativeCode.make(year: 2026, sequence: 42) == "INI-2026-0042")
        #expect(InitiativeCode.isWellFormed("INI-2026-0042") && !InitiativeCode.isWellFormed("INI-2026-42") && !InitiativeCode.isWellFormed("ini-2026-0042\n"))
    }
}

@Suite("Dividing money over areas")
struct MoneyDivisionTests {
    let a = UUID(), b = UUID(), c = UUID()
    var areas: [MoneyDivision.Area] {
        [.init(id: a, figures: ["inhabitants": 1_000, "dwellings": 500]), .init(id: b, figures: ["inhabitants": 3_000, "dwellings": 1_000]),
         .init(id: c, figures: ["inhabitants": 6_000])]
    }

    @Test func equalSharesAddUpToThePotToTheCent() throws {
        let result = try MoneyDivision.divide(totalCents: 100_000, areas: areas, method: .equal).get()
        #expect(result.shares.map(\.cents).reduce(0, +) == 100_000)
        #expect(Set(result.shares.map(\.cents)) == [33_333, 33_334])
    }

    @Test func perInhabitant() throws {
        let result = try MoneyDivision.divide(totalCents: 1_000_000, areas: areas, method: .perInhabitant).get()
        #expect(result.shares.map(\.cents) == [100_000, 300_000, 600_000])
    }

    @Test func aFormulaShowsEachTermsContributionAndWhatIsMissing() throws {
        let method = MoneyDivision.Method.formula([.init(key: MoneyDivision.equalKey, weight: 1), .init(key: "inhabitants", weight: 3)])
        let result = try MoneyDivision.divide(totalCents: 1_200_000, areas: areas, method: method).get()
        // A quarter equally (100.000 each), three quarters per inhabitant (90.000 / 270.000 / 540.000).
        #expect(result.shares.map(\.cents) == [190_000, 370_000, 640_000])
        #expect(result.shares[0].contributions == [MoneyDivision.equalKey: 100_000, "inhabitants": 90_000])
        #expect(result.parts == [MoneyDivision.equalKey: 300_000, "inhabitants": 900_000])
        let dwellings = try MoneyDivision.divide(totalCents: 150_000, areas: areas, method: .formula([.init(key: "dwellings", weight: 1)])).get()
        #expect(dwellings.missing["dwellings"] == [c] && dwellings.shares.map(\.cents) == [50_000, 100_000, 0])
    }

    @Test func randomPotsAlwaysAddUp() throws {
        var random = SeededRandom(seed: 3)
        for _ in 0..<300 {
            let n = Int.random(in: 1...30, using: &random)
            let areas = (0..<n).map { _ in MoneyDivision.Area(id: UUID(), figures: ["inhabitants": Double(Int.random(in: 0...20_000, using: &random))]) }
            let total = Int.random(in: 1...10_000_000, using: &random)
            guard case .success(let result) = MoneyDivision.divide(totalCents: total, areas: areas, method: .formula([.init(key: "equal", weight: 0.4), .init(key: "inhabitants", weight: 0.6)])) else { continue }
            #expect(result.shares.map(\.cents).reduce(0, +) == total)
            #expect(result.shares.allSatisfy { $0.cents >= 0 })
        }
    }

    @Test func problems() {
        #expect(throws: MoneyDivision.Problem.noWeights) { try MoneyDivision.divide(totalCents: 100, areas: areas, method: .formula([])).get() }
        #expect(throws: MoneyDivision.Problem.negativeWeight("inhabitants")) { try MoneyDivision.divide(totalCents: 100, areas: areas, method: .formula([.init(key: "inhabitants", weight: -1)])).get() }
        #expect(throws: MoneyDivision.Problem.figureMissingEverywhere("young")) { try MoneyDivision.divide(totalCents: 100, areas: areas, method: .formula([.init(key: "young", weight: 1)])).get() }
        #expect(throws: MoneyDivision.Problem.notPositive) { try MoneyDivision.divide(totalCents: 0, areas: areas, method: .equal).get() }
    }
}
