import BigInt

/// A participatory-budgeting election with approval ballots: the money, the projects with their costs, and per
/// voter the projects they approved. Amounts are whole currency units (euros in Wijkwerk's rounds).
public struct BudgetElection: Sendable {
    public struct Project: Hashable, Sendable {
        public var id: String
        public var cost: Int
        public var name: String
        public init(id: String, cost: Int, name: String = "") {
            self.id = id
            self.cost = cost
            self.name = name
        }
    }

    public var budget: Int
    public var projects: [Project]
    /// Per voter the ids of the projects they approved (an empty ballot still counts as a voter).
    public var ballots: [[String]]

    public init(budget: Int, projects: [Project], ballots: [[String]]) {
        self.budget = budget
        self.projects = projects
        self.ballots = ballots
    }
}

/// The rules that turn ballots into winners (issue 15), never a hand-made pick. Ties are broken by project id in
/// string order (as pabutools does by default); every amount is compared exactly.
public enum AllocationRule: String, CaseIterable, Codable, Sendable {
    /// Projects by decreasing number of approvals, each taken if it still fits the remaining money.
    case greedy
    /// The Method of Equal Shares for approval ballots with cost satisfaction: every voter starts with budget/n.
    case equalShares = "equal-shares"
    /// Equal shares, every voter's budget raised by one currency unit at a time until the outcome is exhaustive
    /// (the last outcome within the real budget).
    case equalSharesAdd1 = "equal-shares-add1"
    /// The same, then completed greedily by approvals with what is left (Assen's and Aarau's practice).
    case equalSharesAdd1Greedy = "equal-shares-add1-greedy"
}

/// What an allocation rule decided, and why, project by project.
public struct Allocation: Sendable {
    public enum Reason: Hashable, Sendable {
        /// Greedy: taken at its turn; the money left before it.
        case fitted(remainingBefore: Int)
        /// Greedy: did not fit the money left at its turn.
        case didNotFit(remainingBefore: Int)
        /// Equal shares: bought by its supporters at this step; each paid at most `maxShare`, `paidAll` of them
        /// gave everything they had left.
        case boughtByShares(step: Int, payers: Int, maxShare: Fraction, paidAll: Int)
        /// Equal shares: its supporters together had less left than its cost.
        case supportersCouldNotPay(supportersMoney: Fraction)
        /// The completion step after equal shares took it (it fitted the money left, by approvals).
        case completed(remainingBefore: Int)
        /// Left after the completion step: it did not fit the money left.
        case completionDidNotFit(remainingBefore: Int)
    }

    public struct Outcome: Hashable, Sendable {
        public var id: String
        public var votes: Int
        public var cost: Int
        public var selected: Bool
        public var reason: Reason
    }

    public var rule: AllocationRule
    public var budget: Int
    /// The selected projects in the order they were selected.
    public var selected: [String]
    public var cost: Int
    /// Per project (in the election's order), whether it won and why.
    public var outcomes: [Outcome]
    /// For the `-add1` rules: the money every voter had in the outcome that was kept (budget/n plus the steps).
    public var perVoterBudget: Fraction?
    public var voters: Int
}

public enum Allocator {
    public static func allocate(_ election: BudgetElection, rule: AllocationRule) -> Allocation {
        let tally = Tally(election)
        switch rule {
        case .greedy:
            let run = greedy(tally, budget: election.budget, already: [])
            return tally.allocation(rule: rule, budget: election.budget, order: run.order, reasons: run.reasons, perVoter: nil)
        case .equalShares:
            let run = equalShares(tally, perVoter: Fraction(BigInt(election.budget), BigInt(max(tally.voters, 1))))
            return tally.allocation(rule: rule, budget: election.budget, order: run.order, reasons: run.reasons, perVoter: nil)
        case .equalSharesAdd1, .equalSharesAdd1Greedy:
            let (run, perVoter) = add1(tally, budget: election.budget)
            guard rule == .equalSharesAdd1Greedy else {
                return tally.allocation(rule: rule, budget: election.budget, order: run.order, reasons: run.reasons, perVoter: perVoter)
            }
            let completion = greedy(tally, budget: election.budget, already: run.order, completing: true)
            var reasons = run.reasons
            for (p, reason) in completion.reasons { reasons[p] = reason }
            return tally.allocation(rule: rule, budget: election.budget, order: run.order + completion.order, reasons: reasons, perVoter: perVoter)
        }
    }

    /// Counts the ballots once: the number of different ballots (what equal shares' work grows with).
    public static func distinctBallots(_ election: BudgetElection) -> Int { Tally(election).groups.count }

    // MARK: the ballots, counted once

    /// The ballots grouped: identical ballots are one group with a weight, so equal shares grows with the number
    /// of different ballots, not the number of voters.
    struct Tally {
        let election: BudgetElection
        let costs: [Int]
        let votes: [Int]
        /// Position of each project in project-id string order (the tie-break).
        let rank: [Int]
        let groups: [[Int]]
        let weights: [Int]
        /// Per project the groups that approve it.
        let supporters: [[Int]]
        let voters: Int

        init(_ election: BudgetElection) {
            self.election = election
            costs = election.projects.map(\.cost)
            var index: [String: Int] = [:]
            for (i, p) in election.projects.enumerated() { index[p.id] = i }
            var rank = [Int](repeating: 0, count: election.projects.count)
            for (r, i) in election.projects.indices.sorted(by: { election.projects[$0].id < election.projects[$1].id }).enumerated() { rank[i] = r }
            self.rank = rank
            var groupOf: [[Int]: Int] = [:]
            var groups: [[Int]] = []
            var weights: [Int] = []
            var votes = [Int](repeating: 0, count: election.projects.count)
            for ballot in election.ballots {
                let approved = Array(Set(ballot.compactMap { index[$0] })).sorted()
                for p in approved { votes[p] += 1 }
                if let g = groupOf[approved] { weights[g] += 1 } else {
                    groupOf[approved] = groups.count
                    groups.append(approved)
                    weights.append(1)
                }
            }
            var supporters = [[Int]](repeating: [], count: election.projects.count)
            for (g, approved) in groups.enumerated() { for p in approved { supporters[p].append(g) } }
            self.groups = groups
            self.weights = weights
            self.votes = votes
            self.supporters = supporters
            voters = election.ballots.count
        }

        /// Projects by decreasing approvals, ties by id.
        var byVotes: [Int] {
            costs.indices.sorted { votes[$0] != votes[$1] ? votes[$0] > votes[$1] : rank[$0] < rank[$1] }
        }

        func allocation(rule: AllocationRule, budget: Int, order: [Int], reasons: [Int: Allocation.Reason], perVoter: Fraction?) -> Allocation {
            let chosen = Set(order)
            let outcomes = costs.indices.map { p in
                Allocation.Outcome(id: election.projects[p].id, votes: votes[p], cost: costs[p], selected: chosen.contains(p),
                                   reason: reasons[p] ?? .didNotFit(remainingBefore: budget - order.reduce(0) { $0 + costs[$1] }))
            }
            return Allocation(rule: rule, budget: budget, selected: order.map { election.projects[$0].id },
                              cost: order.reduce(0) { $0 + costs[$1] }, outcomes: outcomes, perVoterBudget: perVoter, voters: voters)
        }
    }

    struct Run {
        var order: [Int] = []
        var reasons: [Int: Allocation.Reason] = [:]
    }

    // MARK: greedy

    static func greedy(_ t: Tally, budget: Int, already: [Int], completing: Bool = false) -> Run {
        var run = Run()
        var remaining = budget - already.reduce(0) { $0 + t.costs[$1] }
        let taken = Set(already)
        for p in t.byVotes where !taken.contains(p) {
            if t.costs[p] <= remaining {
                run.reasons[p] = completing ? .completed(remainingBefore: remaining) : .fitted(remainingBefore: remaining)
                run.order.append(p)
                remaining -= t.costs[p]
            } else {
                run.reasons[p] = completing ? .completionDidNotFit(remainingBefore: remaining) : .didNotFit(remainingBefore: remaining)
            }
        }
        return run
    }

    // MARK: the Method of Equal Shares

    /// Equal shares with cost satisfaction: at each step, among the projects its supporters can still pay, the one
    /// whose price per unit of satisfaction (the largest share a supporter pays, divided by the cost) is lowest;
    /// its supporters pay equal shares, or all they have left when that is less. A project's price only goes up
    /// as voters spend, so the last computed price is a lower bound and most projects need no new computation.
    ///
    /// Voters' money is kept as a few "money classes": all groups of ballots that started equal and paid the same
    /// shares hold the same amount, so a group points to its class and the exact fractions are computed per class,
    /// not per voter. The work per step grows with the number of different ballots that support a project.
    static func equalShares(_ t: Tally, perVoter: Fraction, stopAbove limit: Int = .max) -> Run {
        var run = Run()
        var spent = 0
        var money = MoneyClasses(groups: t.groups.count, start: perVoter)
        // Each project's price is first computed with floating point, to find the few projects that can be the
        // cheapest; only those are computed exactly, and the exact values decide. `lowerBound` is a little below
        // the last approximate price, so it stays below the exact price as voters spend.
        let margin = 1e-9
        var lowerBound = [Double](repeating: 0, count: t.costs.count)
        var candidates = Array(t.costs.indices)
        var step = 0
        while !candidates.isEmpty {
            candidates.sort { lowerBound[$0] != lowerBound[$1] ? lowerBound[$0] < lowerBound[$1] : t.rank[$0] < t.rank[$1] }
            var bestApprox = Double.infinity
            var evaluated: [(project: Int, rho: Double)] = []
            var unaffordable = Set<Int>()
            for p in candidates {
                if lowerBound[p] > bestApprox * (1 + margin) { break }
                let held = money.held(by: t.supporters[p], weights: t.weights)
                let cost = Double(t.costs[p])
                let total = held.reduce(0.0) { $0 + money.approx[$1.k] * Double($1.weight) }
                if total < cost * (1 - margin) {
                    // Clearly more than its supporters have left: never again (their money only goes down).
                    unaffordable.insert(p)
                    run.reasons[p] = .supportersCouldNotPay(supportersMoney: held.reduce(Fraction.zero) { $0 + money.value[$1.k] * $1.weight })
                    continue
                }
                let rho = t.costs[p] == 0 ? 0 : approximateShare(cost: cost, held: held.map { (money.approx[$0.k], $0.weight) }) / cost
                lowerBound[p] = rho * (1 - margin)
                evaluated.append((p, rho))
                bestApprox = min(bestApprox, rho)
            }
            candidates.removeAll { unaffordable.contains($0) }
            // The exact prices of the projects that may be the cheapest; ties by project id.
            var best: (project: Int, rho: Fraction, alpha: Fraction)?
            for (p, rho) in evaluated where rho <= bestApprox * (1 + margin) {
                let held = money.held(by: t.supporters[p], weights: t.weights).map { (value: money.value[$0.k], weight: $0.weight) }
                guard let alpha = share(cost: t.costs[p], held: held) else {
                    candidates.removeAll { $0 == p }
                    run.reasons[p] = .supportersCouldNotPay(supportersMoney: held.reduce(Fraction.zero) { $0 + $1.value * $1.weight })
                    continue
                }
                let exact = t.costs[p] == 0 ? Fraction.zero : alpha / t.costs[p]
                if let b = best, !(exact < b.rho || (exact == b.rho && t.rank[p] < t.rank[b.project])) { continue }
                best = (p, exact, alpha)
            }
            guard let chosen = best else {
                if evaluated.isEmpty { break }
                continue // the near-cheapest turned out unaffordable: look again among the rest
            }
            step += 1
            let (payers, paidAll) = money.pay(chosen.alpha, by: t.supporters[chosen.project], weights: t.weights)
            run.order.append(chosen.project)
            run.reasons[chosen.project] = .boughtByShares(step: step, payers: payers, maxShare: chosen.alpha, paidAll: paidAll)
            candidates.removeAll { $0 == chosen.project }
            // Selections only grow: once over the limit, the outcome stays over it (add1 only needs to know that).
            spent += t.costs[chosen.project]
            if spent > limit { break }
        }
        return run
    }

    /// `share` in floating point, to rank projects quickly (never to decide).
    static func approximateShare(cost: Double, held: [(Double, Int)]) -> Double {
        var voters = Double(held.reduce(0) { $0 + $1.1 })
        var remaining = cost
        for (value, weight) in held {
            if value * voters >= remaining { return remaining / voters }
            remaining -= value * Double(weight)
            voters -= Double(weight)
        }
        return held.last.map { $0.0 } ?? .infinity // only reached at the margin of affordability
    }

    /// The voters' money during equal shares, by class (see `equalShares`). Class 0 is "nothing left". Collecting
    /// what a project's supporters hold sorts only their few classes, by the approximations and exactly where two
    /// are too close to tell apart (a global ranking of every class ever made cost more, re-done every step).
    struct MoneyClasses {
        var value: [Fraction]
        var approx: [Double]
        var classOf: [Int]
        private var weightAt: [Int]
        private var touched: [Int] = []

        init(groups: Int, start: Fraction) {
            value = [.zero, start]
            approx = [0, start.double]
            classOf = [Int](repeating: start.isZero ? 0 : 1, count: groups)
            weightAt = [0, 0]
        }

        /// The money the groups hold, as (class, number of voters) in increasing amount, without empties.
        mutating func held(by groups: [Int], weights: [Int]) -> [(k: Int, weight: Int)] {
            for g in groups {
                let k = classOf[g]
                if k == 0 { continue }
                if weightAt[k] == 0 { touched.append(k) }
                weightAt[k] += weights[g]
            }
            touched.sort { a, b in
                let x = approx[a], y = approx[b]
                if abs(x - y) > 1e-9 * max(abs(x), abs(y)) { return x < y }
                return value[a] < value[b]
            }
            let out = touched.map { (k: $0, weight: weightAt[$0]) }
            for k in touched { weightAt[k] = 0 }
            touched.removeAll(keepingCapacity: true)
            return out
        }

        /// Every group pays `alpha` per voter, or all it has left when that is less. Returns how many voters paid and
        /// how many of them gave everything they had.
        mutating func pay(_ alpha: Fraction, by groups: [Int], weights: [Int]) -> (payers: Int, paidAll: Int) {
            var next: [Int: Int] = [:]
            var payers = 0, paidAll = 0
            for g in groups {
                let k = classOf[g]
                if k == 0 { continue }
                payers += weights[g]
                if value[k] < alpha { paidAll += weights[g] }
                if let n = next[k] { classOf[g] = n; continue }
                let n: Int
                if alpha < value[k] {
                    n = value.count
                    value.append(value[k] - alpha)
                    approx.append(value[n].double)
                    weightAt.append(0)
                } else {
                    n = 0
                }
                next[k] = n
                classOf[g] = n
            }
            return (payers, paidAll)
        }
    }

    /// The smallest share α such that the supporters, each paying α or all they have left when that is less,
    /// pay the project's cost exactly; nil when they cannot. `held` is in increasing amount.
    static func share(cost: Int, held: [(value: Fraction, weight: Int)]) -> Fraction? {
        if cost == 0 { return .zero }
        var voters = held.reduce(0) { $0 + $1.weight }
        var remaining = Fraction(cost)
        for (value, weight) in held {
            // If everyone still paying can pay `value`, the cost is shared equally among them.
            if !(value * voters < remaining) { return remaining / voters }
            remaining = remaining - value * weight
            voters -= weight
        }
        return nil
    }

    /// Equal shares with every voter's money raised one currency unit at a time from budget/n, until the outcome
    /// is exhaustive (no project left that fits the real budget); an outcome over the real budget is never
    /// returned, the one before it is. Once every voter could pay all projects alone nothing changes any more.
    static func add1(_ t: Tally, budget: Int) -> (Run, Fraction) {
        let n = max(t.voters, 1)
        let start = Fraction(BigInt(budget), BigInt(n))
        let ceiling = Fraction(t.costs.reduce(0, +))
        var previous: (Run, Fraction)?
        var extra = 0
        while true {
            let perVoter = start + Fraction(extra)
            let run = equalShares(t, perVoter: perVoter, stopAbove: budget)
            let cost = run.order.reduce(0) { $0 + t.costs[$1] }
            if cost > budget { return previous ?? (run, perVoter) }
            let left = budget - cost
            let chosen = Set(run.order)
            let exhaustive = !t.costs.indices.contains { !chosen.contains($0) && t.costs[$0] <= left }
            if exhaustive || ceiling < perVoter { return (run, perVoter) }
            previous = (run, perVoter)
            extra += 1
        }
    }
}
