import Vapor
import Fluent
import Domain

/// `wijkwerk seed-initiatives --municipality GM0171 --areas 12 --years 10 --per-area 200`: for benchmarks, one
/// municipality's initiatives and budgets over years, as a running system holds them: per area and year a council
/// budget with its allocation, initiatives in every state, and ledger entries that obey the ledger's rules (every
/// entry checked with `Ledger.apply`, so the balances on the budgets' rows are the sums of their entries).
struct InitiativeSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "municipality", help: "CBS code or slug (default: the first municipality by code)") var municipality: String?
        @Option(name: "areas", help: "areas with budgets (default 12; benchmark areas are added when the municipality has fewer)") var areas: Int?
        @Option(name: "years", help: "years up to now (default 10)") var years: Int?
        @Option(name: "per-area", help: "initiatives per area and year (default 200)") var perArea: Int?
    }
    var help: String { "Generate years of initiatives, budgets and ledger entries in one municipality (benchmarks only)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, db = app.db
        let areaCount = signature.areas ?? 12, years = signature.years ?? 10, perArea = signature.perArea ?? 200
        guard (1...50).contains(areaCount), (1...30).contains(years), (1...5000).contains(perArea) else {
            context.console.error("--areas 1…50, --years 1…30, --per-area 1…5000"); throw ExitCode(2)
        }
        let m: Municipality
        if let key = signature.municipality {
            guard let found = try await Municipality.query(on: db).group(.or, { $0.filter(\.$code == key.uppercased()).filter(\.$slug == key) }).first() else {
                context.console.error("Unknown municipality \(key)"); throw ExitCode(1)
            }
            m = found
        } else {
            guard let first = try await Municipality.query(on: db).sort(\.$code).first() else { context.console.error("No municipalities: run seed or seed-synthetic first"); throw ExitCode(1) }
            m = first
        }
        let mid = try m.requireID()
        var areas = try await Area.query(on: db).filter(\.$municipality.$id == mid).sort(\.$position).all()
        if areas.count < areaCount {
            var extra: [Area] = []
            while areas.count + extra.count < areaCount {
                let a = Area()
                a.id = UUID()
                a.$municipality.id = mid
                a.name = "Benchmarkgebied \(areas.count + extra.count + 1)"
                a.slug = AreaRules.slug(a.name)
                a.kind = .neighbourhood
                a.position = areas.count + extra.count + 1
                extra.append(a)
            }
            try await extra.create(on: db)
            try await Municipality.bumpDivisionVersion(m, on: db)
            areas += extra
        }
        let now = app.clock()
        let lastYear = DutchTime.calendar.component(.year, from: now)
        var random = SeededRandom(seed: 12)
        let started = Date()
        var made = 0, entriesMade = 0
        let themes = InitiativeTheme.allCases
        for year in (lastYear - years + 1)...lastYear {
            var budgets: [AreaBudget] = [], initiatives: [Initiative] = [], lines: [InitiativeBudgetLine] = [], entries: [LedgerEntry] = []
            var sequence = (try await Initiative.query(on: db).filter(\.$municipality.$id == mid).filter(\.$year == year).max(\.$sequence)) ?? 0
            guard let yearStart = DutchTime.calendar.date(from: DateComponents(year: year, month: 1, day: 15)) else { continue }
            for area in areas.prefix(areaCount) {
                let budget = AreaBudget()
                budget.id = UUID()
                budget.$municipality.id = mid
                budget.$area.id = try area.requireID()
                budget.year = year
                budget.kind = .initiatives
                budget.name = "Benchmarkbudget \(year)"
                budget.decider = .council
                budget.demo = true
                budget.createdAt = yearStart
                var balance = LedgerBalance()
                func entry(_ kind: LedgerKind, _ cents: Int, _ initiative: UUID?, _ at: Date) -> Bool {
                    guard case .success(let next) = Ledger.apply(balance, kind, cents) else { return false }
                    balance = next
                    let e = LedgerEntry()
                    e.$budget.id = budget.id!
                    e.kind = kind
                    e.amountCents = cents
                    e.initiativeID = initiative
                    e.reference = kind == .allocated ? "Begroting \(year)" : "Benchmark"
                    e.recordedAt = at
                    entries.append(e)
                    return true
                }
                _ = entry(.allocated, 2_500_000 + Int.random(in: 0...1_000_000, using: &random), nil, yearStart)
                for n in 0..<perArea {
                    sequence += 1
                    let i = Initiative()
                    i.id = UUID()
                    i.$municipality.id = mid
                    i.$area.id = try area.requireID()
                    i.year = year
                    i.sequence = sequence
                    i.code = InitiativeCode.make(year: year, sequence: sequence)
                    i.title = "Benchmarkinitiatief \(n + 1) in \(area.name)"
                    i.summary = "Een verzonnen initiatief voor de benchmark."
                    i.forWhom = "Bewoners"; i.place = area.name; i.period = "\(year)"
                    i.theme = themes.randomElement(using: &random)!.rawValue
                    i.askedCents = Int.random(in: 10...300, using: &random) * 1_000
                    i.kind = .initiative; i.task = ""
                    i.supportPeople = ""; i.supportKnowledge = ""; i.supportNetwork = ""; i.supportPlace = ""; i.ownContribution = "Zelf georganiseerd"
                    i.contactName = "Benchmark"; i.contactEmail = "benchmark@example.org"
                    i.keyHash = sha256Hex(UUID().uuidString)
                    i.goodExample = n % 97 == 0
                    i.demo = true
                    let at = yearStart.addingTimeInterval(Double(n) * 3600)
                    i.createdAt = at; i.submittedAt = at; i.updatedAt = at; i.version = 1
                    // Older years are finished; this year has everything still under way.
                    let roll = Int.random(in: 0..<100, using: &random)
                    let past = year < lastYear
                    var status: InitiativeStatus = past ? (roll < 15 ? .declined : (roll < 20 ? .withdrawn : .closed)) : [.submitted, .inReview, .toDecision, .granted, .inExecution, .declined].randomElement(using: &random)!
                    if [.granted, .inExecution, .closed].contains(status) {
                        let grant = i.askedCents * Int.random(in: 60...100, using: &random) / 100
                        if entry(.committed, grant, i.id, at) {
                            i.budgetID = budget.id; i.grantedCents = grant; i.decidedAt = at; i.decisionText = "Benchmark"
                            if status != .granted, entry(.paid, grant, i.id, at) {
                                if status == .closed { let back = grant * Int.random(in: 0...10, using: &random) / 100; if back > 0 { _ = entry(.returned, back, i.id, at) } }
                            } else { status = .granted }
                        } else { status = .declined }
                    }
                    if status == .declined { i.budgetID = budget.id; i.decidedAt = at; i.decisionText = "Geen geld meer in dit budget" }
                    i.status = status
                    initiatives.append(i)
                    let line = InitiativeBudgetLine()
                    line.$initiative.id = i.id!
                    line.position = 1; line.text = "Alles"; line.cents = i.askedCents
                    lines.append(line)
                }
                budget.allocatedCents = balance.allocated; budget.availableCents = balance.available; budget.committedCents = balance.committed
                budget.paidCents = balance.paid; budget.returnedCents = balance.returned
                budgets.append(budget)
            }
            let (budgetRows, initiativeRows, lineRows, entryRows) = (budgets, initiatives, lines, entries)
            try await db.writeTransaction { db in
                try await budgetRows.create(on: db)
                for chunk in stride(from: 0, to: initiativeRows.count, by: 500).map({ Array(initiativeRows[$0..<min($0 + 500, initiativeRows.count)]) }) { try await chunk.create(on: db) }
                for chunk in stride(from: 0, to: lineRows.count, by: 1000).map({ Array(lineRows[$0..<min($0 + 1000, lineRows.count)]) }) { try await chunk.create(on: db) }
                for chunk in stride(from: 0, to: entryRows.count, by: 1000).map({ Array(entryRows[$0..<min($0 + 1000, entryRows.count)]) }) { try await chunk.create(on: db) }
            }
            made += initiatives.count
            entriesMade += entries.count
            context.console.print("\(year): \(initiatives.count) initiatives, \(entries.count) ledger entries")
        }
        context.console.print("\(m.name) (\(m.slug)): \(made) initiatives, \(entriesMade) ledger entries in \(String(format: "%.1f", Date().timeIntervalSince(started))) s")
    }
}

/// `wijkwerk bench-grants --count 1000 --concurrency 32`: grant decisions per second under contention on one budget.
/// Makes one coordinator's budget that holds half of the requests, `count` initiatives ready for a decision, and
/// decides them all at once through `InitiativeService.decide` (the same code as the staff form); then checks that
/// exactly the money there was was granted and that the ledger sums to the balance.
struct GrantBenchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "count", help: "grant decisions (default 1000)") var count: Int?
        @Option(name: "concurrency", help: "decisions in flight at once (default 32)") var concurrency: Int?
    }
    var help: String { "Measure grant decisions per second against one budget (benchmarks only)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let count = signature.count ?? 1000, concurrency = signature.concurrency ?? 32
        guard (1...100_000).contains(count), (1...512).contains(concurrency) else { context.console.error("--count 1…100000, --concurrency 1…512"); throw ExitCode(2) }
        guard let m = try await Municipality.query(on: app.db).sort(\.$code).first(), let area = try await Area.query(on: app.db).filter(\.$municipality.$id == m.requireID()).first() else {
            context.console.error("No municipality with areas: run seed or seed-synthetic first"); throw ExitCode(1)
        }
        let req = Request(application: app, on: app.eventLoopGroup.any())
        let grant = 10_000
        let budget = try await BudgetService.create(BudgetSetup(areaID: try area.requireID(), year: 2000 + Int.random(in: 0...99), kind: .discretionary,
                                                                name: "Benchmark \(UUID().uuidString.prefix(8))", decider: .coordinator, mandateLimitCents: grant, departmentID: nil,
                                                                initialCents: grant * (count / 2)), municipality: try m.requireID(), reference: "Benchmark", user: nil, req: req)
        var initiatives: [Initiative] = []
        for n in 0..<count {
            let p = InitiativeProposal(areaSlug: area.slug, title: "Benchmark \(n)", summary: "Benchmark", forWhom: "-", place: "-", period: "-", theme: .other,
                                       askedCents: grant, lines: [], supportPeople: "", supportKnowledge: "", supportNetwork: "", supportPlace: "", ownContribution: "-",
                                       contactName: "Benchmark", contactEmail: "benchmark@example.org", contactPhone: nil)
            let (i, _) = try await InitiativeService.propose(p, municipalityID: try m.requireID(), areaID: try area.requireID(), submit: true, demo: true, req: req)
            try await InitiativeService.step(i, .review, text: nil, expectedVersion: i.version, user: nil, req: req)
            try await InitiativeService.step(i, .sendToDecision, text: nil, expectedVersion: i.version, user: nil, req: req)
            initiatives.append(i)
        }
        let started = Date()
        let granted = try await withThrowingTaskGroup(of: Bool.self) { group in
            var next = 0, ok = 0
            func add() {
                let i = initiatives[next]; next += 1
                group.addTask {
                    let r = Request(application: app, on: app.eventLoopGroup.any())
                    do {
                        try await InitiativeService.decide(i, grantCents: grant, budget: budget, meeting: nil, motivation: "Benchmark", expectedVersion: i.version, user: nil, req: r)
                        return true
                    } catch is ValidationFailure { return false }
                }
            }
            for _ in 0..<min(concurrency, count) { add() }
            while let result = try await group.next() {
                if result { ok += 1 }
                if next < count { add() }
            }
            return ok
        }
        let seconds = Date().timeIntervalSince(started)
        let after = try await AreaBudget.find(budget.id, on: app.db)!
        let sum = try await BudgetLedger.sum(budget.requireID(), on: app.db)
        let consistent = sum == after.balance && after.availableCents >= 0 && granted == count / 2
        context.console.print(String(format: "%d decisions in %.2f s: %.0f decisions/s (%d granted, %d refused for lack of money); ledger %@",
                                     count, seconds, Double(count) / seconds, granted, count - granted, consistent ? "consistent" : "INCONSISTENT"))
        if !consistent { throw ExitCode(1) }
    }
}
