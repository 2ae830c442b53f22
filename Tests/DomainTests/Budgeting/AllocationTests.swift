import Foundation
import Testing
@testable import Domain

/// The allocation rules of a budget round (issue 15): the five published elections in `Tests/Fixtures/pabulib`
/// reproduce their official outcomes, and every rule agrees with a plain reference implementation (below, slow
/// and written for reading, not speed) on generated elections.
@Suite("Participatory budgeting: Pabulib files and allocation rules")
struct AllocationTests {
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Fixtures/pabulib")

    static func file(_ name: String) throws -> PabulibFile {
        try PabulibFile.parse(String(contentsOf: fixtures.appendingPathComponent(name), encoding: .utf8))
    }

    @Test(arguments: ["Netherlands_Amsterdam_288.pb", "Netherlands_Amsterdam_522.pb", "Netherlands_Amsterdam_588.pb"])
    func amsterdamsBuurtbudgettenAreGreedyByVotes(name: String) throws {
        let election = try Self.file(name).election()
        let csv = try String(contentsOf: Self.fixtures.appendingPathComponent("amsterdam_official_outcomes.csv"), encoding: .utf8)
        let official = Set(csv.split(whereSeparator: \.isNewline).dropFirst().map { $0.split(separator: ",").map(String.init) }
            .filter { $0[0] == name && $0[5] == "1" }.map { $0[2] })
        #expect(!official.isEmpty)
        let allocation = Allocator.allocate(election, rule: .greedy)
        #expect(Set(allocation.selected) == official)
        #expect(allocation.cost <= election.budget)
        // The file's own vote counts are the ballots' counts.
        let file = try Self.file(name)
        for outcome in allocation.outcomes {
            #expect(file.projects.rows.first { $0["project_id"] == outcome.id }?["votes"] == String(outcome.votes))
        }
    }

    @Test func assenTopIdeeIsEqualSharesWithAdd1() throws {
        let file = try Self.file("Netherlands_Assen_2024.pb")
        #expect(file.metaValue("rule") == "equalshares/add1")
        let official = Set(file.projects.rows.filter { $0["selected"] == "1" }.map { $0["project_id"]! })
        let allocation = Allocator.allocate(try file.election(), rule: .equalSharesAdd1)
        #expect(Set(allocation.selected) == official)
        #expect(allocation.perVoterBudget.map { Fraction(100_000, over: 84) < $0 } == true)
        // Plain equal shares (without raising the voters' money) leaves money that add1 spends.
        let plain = Allocator.allocate(try file.election(), rule: .equalShares)
        #expect(plain.cost < allocation.cost)
    }

    @Test func warsawMarysinIsGreedy() throws {
        let file = try Self.file("Poland_Warszawa_2019_Marysin_Wawerski_Polnocny.pb")
        let official = file.projects.rows.filter { $0["selected"] == "1" }.map { $0["project_id"]! }
        let allocation = Allocator.allocate(try file.election(), rule: .greedy)
        #expect(Set(allocation.selected) == Set(official))
    }

    @Test func eachFileIsReadAndWrittenBackTheSame() throws {
        for name in ["Netherlands_Amsterdam_288.pb", "Netherlands_Assen_2024.pb", "Poland_Warszawa_2019_Marysin_Wawerski_Polnocny.pb"] {
            let file = try Self.file(name)
            #expect(try PabulibFile.parse(file.render()) == file)
        }
        // Quoting: a name with a separator or a quote survives.
        let file = PabulibFile(meta: [("budget", "10"), ("description", "Buurt; \"oost\"")],
                               projects: .init(columns: ["project_id", "cost", "name"], rows: [["project_id": "1", "cost": "5", "name": "Bankjes; groen"]]),
                               votes: .init(columns: ["voter_id", "vote"], rows: [["voter_id": "a", "vote": "1"]]))
        let back = try PabulibFile.parse(file.render())
        #expect(back == file)
        #expect(back.metaValue("description") == "Buurt; \"oost\"")
    }

    @Test func badFilesSayWhatAndWhere() throws {
        #expect(throws: PabulibFile.Problem(line: 1, "expected a META, PROJECTS or VOTES section first")) { try PabulibFile.parse("hello\n") }
        #expect(throws: PabulibFile.Problem("the file has no VOTES section")) { try PabulibFile.parse("META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\n1;5\n") }
        let unknown = "META\nkey;value\nbudget;5\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;1,9\n"
        #expect(throws: PabulibFile.Problem("vote 1 (v1): unknown project 9")) { try PabulibFile.parse(unknown).election() }
        let fraction = "META\nkey;value\nbudget;5.5\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;1\n"
        #expect(throws: PabulibFile.Problem("the budget 5.5 is not a whole amount")) { try PabulibFile.parse(fraction).election() }
        let ordinal = "META\nkey;value\nbudget;5\nvote_type;ordinal\nPROJECTS\nproject_id;cost\n1;5\nVOTES\nvoter_id;vote\nv1;1\n"
        #expect(throws: PabulibFile.Problem("vote_type ordinal: only approval ballots can be computed")) { try PabulibFile.parse(ordinal).election() }
        #expect(throws: PabulibFile.Problem(line: 3, "a quoted field is not closed")) { try PabulibFile.parse("META\nkey;value\nbudget;\"5\n") }
        // CRLF line ends and "100000.00" budgets are read.
        let crlf = "META\r\nkey;value\r\nbudget;100.00\r\nPROJECTS\r\nproject_id;cost\r\n1;5\r\nVOTES\r\nvoter_id;vote\r\nv1;1\r\n"
        #expect(try PabulibFile.parse(crlf).election().budget == 100)
    }

    // MARK: hand-made instances

    @Test func greedySkipsWhatNoLongerFitsAndBreaksTiesById() {
        let election = BudgetElection(budget: 10, projects: [.init(id: "b", cost: 6), .init(id: "a", cost: 6), .init(id: "c", cost: 4), .init(id: "d", cost: 1)],
                                      ballots: [["a", "b", "c"], ["a", "b"], ["c", "d"]])
        let allocation = Allocator.allocate(election, rule: .greedy)
        // a and b both have 2 votes: a first (id order); b no longer fits; c does.
        #expect(allocation.selected == ["a", "c"])
        #expect(allocation.outcomes.first { $0.id == "b" }?.reason == .didNotFit(remainingBefore: 4))
        #expect(allocation.outcomes.first { $0.id == "c" }?.reason == .fitted(remainingBefore: 4))
        #expect(allocation.outcomes.first { $0.id == "d" }?.reason == .didNotFit(remainingBefore: 0))
    }

    @Test func equalSharesGivesAMinorityItsShare() {
        // 3 of 4 voters want the large project x (cost 12), one wants y and z. Greedy by votes spends everything on
        // x; with equal shares x's supporters have three quarters of the money (9), not enough, and the minority's
        // quarter buys y.
        let election = BudgetElection(budget: 12, projects: [.init(id: "x", cost: 12), .init(id: "y", cost: 3), .init(id: "z", cost: 3)],
                                      ballots: [["x"], ["x"], ["x"], ["y", "z"]])
        #expect(Allocator.allocate(election, rule: .greedy).selected == ["x"])
        let shares = Allocator.allocate(election, rule: .equalShares)
        #expect(shares.selected == ["y"])
        #expect(shares.outcomes.first { $0.id == "y" }?.reason == .boughtByShares(step: 1, payers: 1, maxShare: Fraction(3), paidAll: 0))
        #expect(shares.outcomes.first { $0.id == "x" }?.reason == .supportersCouldNotPay(supportersMoney: Fraction(9)))
        #expect(shares.outcomes.first { $0.id == "z" }?.reason == .supportersCouldNotPay(supportersMoney: .zero))
        // An exact tie in price: the lower project id first.
        let tie = BudgetElection(budget: 10, projects: [.init(id: "y", cost: 4), .init(id: "x", cost: 4)], ballots: [["x", "y"], ["y", "x"]])
        #expect(Allocator.allocate(tie, rule: .equalShares).selected == ["x", "y"])
        // Two supporters sharing a project pay half each.
        let pair = BudgetElection(budget: 10, projects: [.init(id: "a", cost: 4)], ballots: [["a"], ["a"]])
        #expect(Allocator.allocate(pair, rule: .equalShares).outcomes[0].reason == .boughtByShares(step: 1, payers: 2, maxShare: Fraction(2), paidAll: 0))
    }

    @Test func add1RaisesTheVotersMoneyUntilNothingMoreFits() {
        // Every voter has 2; nobody can buy the 5-project alone or with one other voter of 2… until add1 raises
        // their money to 3 (two supporters × 3 ≥ 5).
        let election = BudgetElection(budget: 6, projects: [.init(id: "p", cost: 5), .init(id: "q", cost: 1)],
                                      ballots: [["p"], ["p"], ["q"]])
        #expect(Allocator.allocate(election, rule: .equalShares).selected == ["q"])
        let add1 = Allocator.allocate(election, rule: .equalSharesAdd1)
        // With 3 each, p costs its supporters 2.5 per 5 of satisfaction (0.5) and q 1 per 1: p first.
        #expect(add1.selected == ["p", "q"])
        #expect(add1.perVoterBudget == Fraction(3))
        #expect(add1.cost == 6)
    }

    @Test func completionTakesWhatEqualSharesLeft() {
        // One voter approves only an expensive project nobody else wants: equal shares never buys it, and raising
        // the money would overspend; the completion adds the cheaper one that fits.
        let election = BudgetElection(budget: 10, projects: [.init(id: "a", cost: 6), .init(id: "b", cost: 4), .init(id: "c", cost: 3)],
                                      ballots: [["a"], ["a"], ["b", "c"], ["c"]])
        let add1 = Allocator.allocate(election, rule: .equalSharesAdd1)
        let completed = Allocator.allocate(election, rule: .equalSharesAdd1Greedy)
        #expect(completed.selected.starts(with: add1.selected))
        #expect(completed.cost <= 10)
        let left = 10 - completed.cost
        #expect(!election.projects.contains { !completed.selected.contains($0.id) && $0.cost <= left })
        for outcome in completed.outcomes where !add1.selected.contains(outcome.id) && completed.selected.contains(outcome.id) {
            guard case .completed = outcome.reason else { Issue.record("\(outcome.id) should be marked as completed"); continue }
        }
    }

    // MARK: generated instances against the reference

    @Test func everyRuleAgreesWithTheReferenceOnGeneratedElections() {
        var random = SeededRandom(seed: 20261201)
        for round in 0..<300 {
            let election = SeededRandom.election(&random)
            for rule in AllocationRule.allCases {
                let fast = Allocator.allocate(election, rule: rule)
                let slow = Reference.allocate(election, rule: rule)
                #expect(fast.selected == slow, "round \(round), \(rule.rawValue): \(fast.selected) vs \(slow)")
                #expect(fast.cost <= election.budget, "never over budget")
                #expect(fast.cost == fast.selected.reduce(0) { sum, id in sum + election.projects.first { $0.id == id }!.cost })
            }
        }
    }

    @Test func largerElectionsAgreeWithTheReferenceToo() {
        // More voters and projects: many different amounts of money left, long fractions, near-ties.
        var random = SeededRandom(seed: 99)
        for round in 0..<40 {
            let election = SeededRandom.election(&random, projects: 12, voters: 70, cost: 90, budget: 400)
            for rule in AllocationRule.allCases {
                #expect(Allocator.allocate(election, rule: rule).selected == Reference.allocate(election, rule: rule), "round \(round), \(rule.rawValue)")
            }
        }
    }

    @Test func equalSharesKeepsEveryVoterWithinTheirShare() {
        var random = SeededRandom(seed: 7)
        for _ in 0..<200 {
            let election = SeededRandom.election(&random)
            let shares = Allocator.allocate(election, rule: .equalShares)
            // Replay the payments from the explanation: each supporter pays the step's share or all they have left.
            let start = Fraction(election.budget, over: max(election.ballots.count, 1))
            var money = [Fraction](repeating: start, count: election.ballots.count)
            for id in shares.selected {
                guard case .boughtByShares(_, _, let alpha, _) = shares.outcomes.first(where: { $0.id == id })!.reason else {
                    Issue.record("\(id) has no shares"); continue
                }
                var paid = Fraction.zero
                for (v, ballot) in election.ballots.enumerated() where Set(ballot).contains(id) {
                    let pay = money[v] < alpha ? money[v] : alpha
                    money[v] = money[v] - pay
                    paid = paid + pay
                }
                let cost = election.projects.first { $0.id == id }!.cost
                #expect(paid == Fraction(cost), "the supporters pay exactly the cost")
            }
            #expect(!money.contains { $0 < .zero }, "nobody pays more than their share of the budget")
        }
    }
}

/// A reproducible source of generated elections.
struct SeededRandom: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        var z = state
        z = (z ^ (z >> 33)) &* 0xff51afd7ed558ccd
        return z ^ (z >> 29)
    }

    static func election(_ random: inout SeededRandom, projects most: Int = 8, voters: Int = 25, cost: Int = 40, budget money: Int = 100) -> BudgetElection {
        let projects = (0..<Int.random(in: 1...most, using: &random)).map { i in
            BudgetElection.Project(id: String(Int.random(in: 1...40, using: &random)) + "-\(i)", cost: Int.random(in: 1...cost, using: &random))
        }
        let budget = Int.random(in: 5...money, using: &random)
        let ballots = (0..<Int.random(in: 0...voters, using: &random)).map { _ in
            projects.filter { _ in Int.random(in: 0..<3, using: &random) == 0 }.map(\.id)
        }
        return BudgetElection(budget: budget, projects: projects, ballots: ballots)
    }
}

/// The rules as written in the literature, voter by voter, with no grouping and no shortcuts.
enum Reference {
    static func allocate(_ e: BudgetElection, rule: AllocationRule) -> [String] {
        switch rule {
        case .greedy: return greedy(e, start: [])
        case .equalShares: return mes(e, perVoter: Fraction(e.budget, over: max(e.ballots.count, 1)))
        case .equalSharesAdd1: return add1(e)
        case .equalSharesAdd1Greedy: return greedy(e, start: add1(e))
        }
    }

    static func cost(_ e: BudgetElection, _ ids: [String]) -> Int { ids.reduce(0) { s, id in s + e.projects.first { $0.id == id }!.cost } }

    static func votes(_ e: BudgetElection, _ id: String) -> Int { e.ballots.filter { Set($0).contains(id) }.count }

    static func greedy(_ e: BudgetElection, start: [String]) -> [String] {
        var chosen = start
        let order = e.projects.sorted { votes(e, $0.id) != votes(e, $1.id) ? votes(e, $0.id) > votes(e, $1.id) : $0.id < $1.id }
        for p in order where !chosen.contains(p.id) && cost(e, chosen) + p.cost <= e.budget { chosen.append(p.id) }
        return chosen
    }

    static func mes(_ e: BudgetElection, perVoter: Fraction) -> [String] {
        var money = [Fraction](repeating: perVoter, count: e.ballots.count)
        var chosen: [String] = []
        while true {
            var best: (id: String, rho: Fraction)?
            for p in e.projects.sorted(by: { $0.id < $1.id }) where !chosen.contains(p.id) {
                let supporters = e.ballots.indices.filter { Set(e.ballots[$0]).contains(p.id) }
                let total = supporters.reduce(Fraction.zero) { $0 + money[$1] }
                if total < Fraction(p.cost) { continue }
                // pabutools' way: the rich share what the poor cannot pay, until nobody else turns poor.
                var rich = Set(supporters), poorMoney = Fraction.zero
                var rho = Fraction.zero
                while true {
                    rho = (Fraction(p.cost) - poorMoney) / (rich.count * p.cost)
                    let poor = rich.filter { money[$0] < rho * p.cost }
                    if poor.isEmpty { break }
                    for v in poor { poorMoney = poorMoney + money[v] }
                    rich.subtract(poor)
                }
                if best == nil || rho < best!.rho { best = (p.id, rho) }
            }
            guard let b = best else { return chosen }
            let cost = e.projects.first { $0.id == b.id }!.cost
            for v in e.ballots.indices where Set(e.ballots[v]).contains(b.id) {
                let pay = b.rho * cost
                money[v] = money[v] < pay ? .zero : money[v] - pay
            }
            chosen.append(b.id)
        }
    }

    static func add1(_ e: BudgetElection) -> [String] {
        let n = max(e.ballots.count, 1)
        var previous: [String]?
        var extra = 0
        let total = e.projects.reduce(0) { $0 + $1.cost }
        while true {
            let perVoter = Fraction(e.budget, over: n) + Fraction(extra)
            let outcome = mes(e, perVoter: perVoter)
            if cost(e, outcome) > e.budget { return previous ?? outcome }
            let left = e.budget - cost(e, outcome)
            if !e.projects.contains(where: { !outcome.contains($0.id) && $0.cost <= left }) || Fraction(total) < perVoter { return outcome }
            previous = outcome
            extra += 1
        }
    }
}
