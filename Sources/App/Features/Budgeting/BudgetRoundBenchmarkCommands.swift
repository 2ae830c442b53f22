import Vapor
import Fluent
import SQLKit
import Domain

/// Benchmarks of the buurtbegroting (`Benchmarks/budget-rounds`), never used by the product itself:
/// - `bench-pb rules --ballots N --projects P`: a generated election; the time of counting (grouping identical
///   ballots) and of every allocation rule, the number of different ballots, and the process's peak memory;
/// - `bench-pb setup --codes N --file F`: a round in its voting phase with N codes (written to F, one per line) for
///   the web-form load test; prints the round's ballot path;
/// - `bench-pb ranking --entries N`: the weighted ranking (Venray) of N generated main priorities on five criteria;
/// - `bench-pb raw --count N`: N ballots of the same shape inserted directly (code use, ballot, choice), one
///   transaction each, to set the web form's rate beside.
struct BudgetRoundBenchCommands: AsyncCommandGroup {
    var help: String { "Measure the buurtbegroting (benchmarks only)" }
    var commands: [String: any AnyAsyncCommand] { ["rules": BudgetRulesBench(), "setup": BudgetRoundBenchSetup(), "raw": BudgetRoundRawInsertBench(),
                                                         "ranking": WeightedRankingBench()] }
}

struct BudgetRulesBench: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "ballots", help: "number of ballots (default 10000)") var ballots: Int?
        @Option(name: "projects", help: "number of projects (default 50)") var projects: Int?
    }
    var help: String { "Time the count and every allocation rule on a generated election" }

    /// A generated election: project popularity falls off like in real rounds (a few favourites, a long tail),
    /// every voter approves 1 to 8 projects, costs from €1,000 to €50,000, and the money buys about a third.
    static func election(ballots: Int, projects: Int) -> BudgetElection {
        var random = BudgetRoundDemoSeeder.SplitMix(seed: UInt64(ballots * 1_000 + projects))
        let list = (1...projects).map { BudgetElection.Project(id: String($0), cost: 1_000 + Int(random.next() % 49) * 1_000) }
        let weights = (1...projects).map { 1.0 / Double($0) }
        let total = weights.reduce(0, +)
        var cumulative: [Double] = []
        var sum = 0.0
        for w in weights { sum += w / total; cumulative.append(sum) }
        var votes: [[String]] = []
        votes.reserveCapacity(ballots)
        for _ in 0..<ballots {
            let size = 1 + Int(random.next() % 8)
            var chosen = Set<Int>()
            while chosen.count < min(size, projects) {
                let u = Double(random.next() % 1_000_000) / 1_000_000
                chosen.insert(cumulative.firstIndex { $0 >= u } ?? projects - 1)
            }
            votes.append(chosen.sorted().map { list[$0].id })
        }
        return BudgetElection(budget: list.reduce(0) { $0 + $1.cost } / 3, projects: list, ballots: votes)
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let ballots = signature.ballots ?? 10_000, projects = signature.projects ?? 50
        guard (1...5_000_000).contains(ballots), (1...1_000).contains(projects) else { context.console.error("--ballots 1…5000000, --projects 1…1000"); throw ExitCode(2) }
        let election = Self.election(ballots: ballots, projects: projects)
        func time(_ work: () -> Void) -> Double { let t = DispatchTime.now(); work(); return Double(DispatchTime.now().uptimeNanoseconds - t.uptimeNanoseconds) / 1e9 }
        var groups = 0
        let count = time { groups = Allocator.distinctBallots(election) }
        var cells = [String(format: "%.3f s", count)]
        for rule in AllocationRule.allCases {
            var selected = 0
            let seconds = time { selected = Allocator.allocate(election, rule: rule).selected.count }
            cells.append(String(format: "%.3f s (%d)", seconds, selected))
        }
        // Peak resident memory of this process (Linux), as the kernel reports it.
        let status = (try? String(contentsOfFile: "/proc/self/status", encoding: .utf8)) ?? ""
        let peak = status.split(separator: "\n").first { $0.hasPrefix("VmHWM:") }.flatMap { Int($0.split(separator: " ").dropFirst().first ?? "") }.map { "\($0 / 1024) MB" } ?? "?"
        context.console.print("| \(ballots) | \(projects) | \(groups) | " + cells.joined(separator: " | ") + " | \(peak) |")
    }
}

struct BudgetRoundBenchSetup: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "codes", help: "voting codes to make (default 20000)") var codes: Int?
        @Option(name: "file", help: "where to write the codes, one per line") var file: String?
    }
    var help: String { "Make a round in its voting phase with codes, for the web-form load test" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let count = signature.codes ?? 20_000
        guard let file = signature.file, (1...500_000).contains(count) else { context.console.error("--codes 1…500000 --file PATH"); throw ExitCode(2) }
        let round = try await BudgetRoundRawInsertBench.round(app, projects: 3)
        let req = Request(application: app, on: app.eventLoopGroup.any())
        var written = 0
        while written < count {
            _ = try await BudgetRoundService.issueCodes(round, count: min(BudgetRoundService.maximumBatch, count - written), user: nil, req: req)
            written += min(BudgetRoundService.maximumBatch, count - written)
        }
        let codes = try await BudgetRoundCode.query(on: app.db).filter(\.$round.$id == round.requireID()).all().compactMap(\.plain)
        try codes.joined(separator: "\n").appending("\n").write(toFile: file, atomically: true, encoding: .utf8)
        let m = try await Municipality.find(round.$municipality.id, on: app.db)!
        context.console.print(Site.budgetRoundVote.link(m.slug, String(round.number)))
    }
}

struct BudgetRoundRawInsertBench: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "ballots (default 5000)") var count: Int?
        @Option(name: "concurrency", help: "in flight at once (default 32)") var concurrency: Int?
    }
    var help: String { "Insert ballots directly (code use, ballot, choice) to compare with the web form" }

    /// A round in its voting phase in the first area that has (or gets) a budget.
    static func round(_ app: Application, projects: Int) async throws -> BudgetRound {
        guard let m = try await Municipality.query(on: app.db).sort(\.$code).first(), let area = try await Area.query(on: app.db).filter(\.$municipality.$id == m.requireID()).first() else {
            throw Abort(.internalServerError, reason: "No municipality with areas: run seed or seed-synthetic first")
        }
        let req = Request(application: app, on: app.eventLoopGroup.any())
        let budget = try await BudgetService.create(BudgetSetup(areaID: try area.requireID(), year: 2000 + Int.random(in: 0...99), kind: .initiatives,
                                                                name: "Benchmark \(UUID().uuidString.prefix(8))", decider: .council, mandateLimitCents: nil, departmentID: nil,
                                                                initialCents: 100_000_00), municipality: try m.requireID(), reference: "Benchmark", user: nil, req: req)
        let now = app.clock()
        let day = { (d: Int) in DutchTime.calendar.startOfDay(for: now.addingTimeInterval(Double(d) * 86_400)) }
        let settings = BudgetRoundService.Settings(title: "Benchmark", text: "Benchmark", budgetID: try budget.requireID(), amountCents: 50_000_00,
                                                   schedule: RoundSchedule(ideasFrom: day(-30), ideasUntil: day(-20), feasibilityUntil: day(-10), votingFrom: day(-1), votingUntil: day(10)),
                                                   ballotRule: .count(minimum: 1, maximum: projects), decidedBy: .greedy, showCounts: false, minimumAge: 16)
        let round = try await BudgetRoundService.create(settings, municipalityID: try m.requireID(), areaID: try area.requireID(), req: req)
        for n in 1...projects {
            try await BudgetRoundService.addProject(round: round.requireID(), title: "Plan \(n)", summary: "Benchmark", idea: nil, at: now, on: app.db)
        }
        try await BudgetRoundProject.query(on: app.db).filter(\.$round.$id == round.requireID()).set(\.$feasible, to: true).set(\.$costCents, to: 1_000_00)
            .set(\.$feasibilityReason, to: "Benchmark").update()
        return round
    }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let count = signature.count ?? 5_000, concurrency = signature.concurrency ?? 32
        guard (1...500_000).contains(count), (1...512).contains(concurrency) else { context.console.error("--count 1…500000, --concurrency 1…512"); throw ExitCode(2) }
        let round = try await Self.round(app, projects: 3)
        let roundID = try round.requireID()
        let req = Request(application: app, on: app.eventLoopGroup.any())
        _ = try await BudgetRoundService.issueCodes(round, count: min(count, BudgetRoundService.maximumBatch), user: nil, req: req)
        let hashes = try await BudgetRoundCode.query(on: app.db).filter(\.$round.$id == roundID).all().map(\.codeHash)
        let day = DutchTime.calendar.startOfDay(for: app.clock())
        let started = Date()
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                let hash = hashes[next % hashes.count]
                let n = next
                next += 1
                group.addTask {
                    try await app.db.writeTransaction { db in
                        let sql = db as! any SQLDatabase
                        _ = try await sql.raw("UPDATE budget_round_codes SET used_on = \(bind: day) WHERE code_hash = \(bind: hash) AND round_id = \(bind: roundID) RETURNING id").all()
                        let ballot = UUID()
                        try await sql.raw("INSERT INTO budget_round_ballots (id, round_id, receipt_hash, channel) VALUES (\(bind: ballot), \(bind: roundID), \(bind: sha256Hex("raw-\(roundID)-\(n)")), 'online')").run()
                        try await sql.raw("INSERT INTO budget_round_choices (id, ballot_id, round_id, project_number) VALUES (\(bind: UUID()), \(bind: ballot), \(bind: roundID), 1)").run()
                    }
                }
            }
            for _ in 0..<min(concurrency, count) { add() }
            while try await group.next() != nil { if next < count { add() } }
        }
        let seconds = Date().timeIntervalSince(started)
        context.console.print(String(format: "%d ballots inserted directly in %.2f s: %.0f ballots/s", count, seconds, Double(count) / seconds))
    }
}

struct WeightedRankingBench: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "entries", help: "number of main priorities (default 1000)") var entries: Int?
    }
    var help: String { "Time the weighted ranking of generated main priorities" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let count = signature.entries ?? 1_000
        guard (1...10_000_000).contains(count) else { context.console.error("--entries 1…10000000"); throw ExitCode(2) }
        var random = BudgetRoundDemoSeeder.SplitMix(seed: UInt64(count))
        let criteria = (1...4).map { WeightedRanking.Criterion(key: "c\($0)", weight: 10 + Int(random.next() % 30), maxScore: 5 + Int(random.next() % 6)) }
            + [WeightedRanking.Criterion(key: "own", weight: 20, maxScore: 5, fullAtPercent: 50)]
        let entries = (1...count).map { n in
            WeightedRanking.Entry(number: n, areaKind: random.next() % 3 == 0 ? .village : .neighbourhood, costCents: 1_000_00 + Int(random.next() % 200) * 1_000_00,
                                  ownContributionCents: Int(random.next() % 50) * 1_000_00, feasible: random.next() % 10 != 0,
                                  scores: Dictionary(uniqueKeysWithValues: criteria.dropLast().map { ($0.key, Int(random.next() % UInt64($0.maxScore + 1))) }))
        }
        let credit = entries.reduce(0) { $0 + $1.costCents } / 3
        let start = DispatchTime.now()
        let result = WeightedRanking.rank(criteria: criteria, entries: entries, budgetCents: credit, areasPerKind: [.village: count / 3, .neighbourhood: count - count / 3])
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
        let funded = result.lines.filter { $0.outcome == .funded }.count
        context.console.print("| \(count) | \(String(format: "%.3f s", seconds)) | \(result.lines.filter { $0.rank != nil }.count) | \(funded) |")
    }
}
