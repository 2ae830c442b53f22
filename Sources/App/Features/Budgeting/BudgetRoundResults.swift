import Vapor
import Fluent
import SQLKit
import Domain

/// A round's ballots as an election, the outcome of both allocation rules, and the Pabulib file anyone can
/// recompute them from. Amounts are whole euros, the projects' ids their numbers in the round: the page, the
/// export and `wijkwerk pb outcome` on that export give the same winners.
enum BudgetRoundResults {
    struct Results: Sendable {
        var election: BudgetElection
        var greedy: Allocation
        var shares: Allocation
        var decisive: Allocation
        var online: Int
        var paper: Int
    }

    /// The election: the projects on the ballot (feasible, with a cost) and every ballot's choices, ballots in the
    /// order of their random ids (so the order says nothing about when anyone voted).
    static func election(_ round: BudgetRound, projects: [BudgetRoundProject], on db: any Database) async throws -> BudgetElection {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        struct Row: Decodable { var ballot_id: UUID; var project_number: Int }
        let rows = try await sql.raw("""
            SELECT ballot_id, project_number FROM budget_round_choices WHERE round_id = \(bind: round.requireID()) ORDER BY ballot_id, project_number
            """).all(decoding: Row.self)
        var ballots: [[String]] = []
        var current: UUID?
        for row in rows {
            if row.ballot_id != current { ballots.append([]); current = row.ballot_id }
            ballots[ballots.count - 1].append(String(row.project_number))
        }
        let list = projects.filter(\.onBallot).sorted { $0.number < $1.number }
            .map { BudgetElection.Project(id: String($0.number), cost: $0.costCents! / 100, name: $0.title) }
        return BudgetElection(budget: round.amountCents / 100, projects: list, ballots: ballots)
    }

    /// The results, computed now if need be (closing a round and the tests wait for them).
    static func compute(_ round: BudgetRound, on req: Request) async throws -> Results {
        try await computation(round, on: req).task.value
    }

    /// The results if they are ready within the application's patience (`resultsPatience`, 3 seconds); else nil,
    /// while the computation goes on in the background and the page says so. `-add1` on a large round can take
    /// minutes; no page waits that long.
    static func ifReady(_ round: BudgetRound, on req: Request) async throws -> Results? {
        let (task, cached, roundID, stamp) = try await computation(round, on: req)
        if cached { return await task.value }
        let patience = req.application.storage[PatienceKey.self] ?? .seconds(3)
        guard patience > .zero else { return nil }
        // The finished computation stores its results in the cache: that is where a waiting page looks.
        let deadline = ContinuousClock.now + patience
        while ContinuousClock.now < deadline {
            if let ready = cache(req.application).get(roundID, stamp: stamp) { return ready }
            try? await Task.sleep(for: .milliseconds(20))
        }
        return cache(req.application).get(roundID, stamp: stamp)
    }

    /// How long a page waits for results before it says they are being computed.
    struct PatienceKey: StorageKey { typealias Value = Duration }

    /// The computation of the round's results as they stand (ballot counts, costs, the round's version), whether
    /// it was already done before this call, and the cache key it stores its results under.
    private static func computation(_ round: BudgetRound, on req: Request) async throws -> (task: Task<Results, Never>, cached: Bool, roundID: UUID, stamp: String) {
        let roundID = try round.requireID()
        let projects = try await BudgetRoundProject.query(on: req.db).filter(\.$round.$id == roundID).all()
        let counts = try await channelCounts(roundID, on: req.db)
        let stamp = "\(counts.online)-\(counts.paper)-\(round.version)-" + projects.map { "\($0.number):\($0.costCents ?? -1):\($0.feasible.map(String.init) ?? "-")" }.joined(separator: ",")
        let cache = cache(req.application)
        if let cached = cache.get(roundID, stamp: stamp) { return (Task { cached }, true, roundID, stamp) }
        let election = try await election(round, projects: projects, on: req.db)
        let deciding = round.rule
        // The rules are pure and can take a while on a large round: off the event loop, and once, however many
        // requests ask at the same moment (they all wait for the same computation).
        let task = cache.computation(roundID, stamp: stamp) {
            let greedy = Allocator.allocate(election, rule: .greedy)
            let shares = Allocator.allocate(election, rule: .equalSharesAdd1Greedy)
            let decisive = deciding == .greedy ? greedy : (deciding == .equalSharesAdd1Greedy ? shares : Allocator.allocate(election, rule: deciding))
            return Results(election: election, greedy: greedy, shares: shares, decisive: decisive, online: counts.online, paper: counts.paper)
        }
        return (task, false, roundID, stamp)
    }

    static func channelCounts(_ roundID: UUID, on db: any Database) async throws -> (online: Int, paper: Int) {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        struct Row: Decodable { var channel: String; var n: Int }
        let rows = try await sql.raw("SELECT channel, COUNT(*) AS n FROM budget_round_ballots WHERE round_id = \(bind: roundID) GROUP BY channel").all(decoding: Row.self)
        return (rows.first { $0.channel == "online" }?.n ?? 0, rows.first { $0.channel == "paper" }?.n ?? 0)
    }

    /// Votes per project number so far (for rounds that show them during voting, and the staff page).
    static func votes(_ roundID: UUID, on db: any Database) async throws -> [Int: Int] {
        guard let sql = db as? any SQLDatabase else { throw Abort(.internalServerError) }
        struct Row: Decodable { var project_number: Int; var n: Int }
        let rows = try await sql.raw("""
            SELECT project_number, COUNT(*) AS n FROM budget_round_choices WHERE round_id = \(bind: roundID) GROUP BY project_number
            """).all(decoding: Row.self)
        return Dictionary(uniqueKeysWithValues: rows.map { ($0.project_number, $0.n) })
    }

    // MARK: Pabulib export

    static func pabulib(_ round: BudgetRound, results: Results, municipality: String, area: String) -> PabulibFile {
        let e = results.election
        let selected = Set(results.decisive.selected)
        var meta: [(key: String, value: String)] = [
            ("description", round.title), ("country", "Netherlands"), ("unit", municipality), ("subunit", area),
            ("instance", String(DutchTime.calendar.component(.year, from: round.votingFrom))),
            ("num_projects", String(e.projects.count)), ("num_votes", String(e.ballots.count)), ("budget", String(e.budget)),
            ("vote_type", "approval"), ("rule", pabulibRule(round.rule)),
            ("date_begin", DutchTime.string(from: round.votingFrom, pattern: "dd.MM.yyyy")), ("date_end", DutchTime.string(from: round.votingUntil, pattern: "dd.MM.yyyy")),
            ("language", "nl"), ("currency", "EUR"),
        ]
        switch round.ballotRule {
        case .budget(let limit, _):
            meta.append(("max_sum_cost", String(limit)))
            if round.ballotRule.minimumTotal > 0 { meta.append(("min_sum_cost", String(round.ballotRule.minimumTotal))) }
        case .count(let minimum, let maximum):
            meta.append(("min_length", String(minimum)))
            meta.append(("max_length", String(maximum)))
        }
        meta.append(("comment", "Exported by Wijkwerk. Recompute: wijkwerk pb outcome FILE.pb --rule \(round.rule.rawValue)"))
        let votes = Dictionary(uniqueKeysWithValues: results.greedy.outcomes.map { ($0.id, $0.votes) })
        let projects = PabulibFile.Table(columns: ["project_id", "cost", "votes", "name", "selected"], rows: e.projects.map { p in
            ["project_id": p.id, "cost": String(p.cost), "votes": String(votes[p.id] ?? 0), "name": p.name, "selected": selected.contains(p.id) ? "1" : "0"]
        })
        let ballots = PabulibFile.Table(columns: ["voter_id", "vote"], rows: e.ballots.enumerated().map { i, b in
            ["voter_id": String(i + 1), "vote": b.joined(separator: ",")]
        })
        return PabulibFile(meta: meta, projects: projects, votes: ballots)
    }

    static func pabulibRule(_ rule: AllocationRule) -> String {
        switch rule {
        case .greedy: return "greedy"
        case .equalShares: return "equalshares"
        case .equalSharesAdd1: return "equalshares/add1"
        case .equalSharesAdd1Greedy: return "equalshares/add1/greedy"
        }
    }

    // MARK: Cache

    /// The last results per round, valid while nothing that feeds them changed (ballot counts, costs, the round).
    /// A computation in progress is shared: a second request for the same round and stamp waits for the first one's.
    final class Cache: @unchecked Sendable {
        private let lock = NSLock()
        private var entries: [UUID: (stamp: String, results: Results)] = [:]
        private var running: [UUID: (stamp: String, task: Task<Results, Never>)] = [:]
        func get(_ id: UUID, stamp: String) -> Results? { lock.withLock { entries[id].flatMap { $0.stamp == stamp ? $0.results : nil } } }
        func set(_ id: UUID, stamp: String, _ r: Results) {
            lock.withLock {
                if entries.count > 64 { entries.removeAll() }
                entries[id] = (stamp, r)
            }
        }

        /// The cached results as a finished task, the computation already running for this stamp, or a new one
        /// (detached, so a page request's cancellation does not stop it) that stores its results when done.
        func computation(_ id: UUID, stamp: String, _ work: @escaping @Sendable () -> Results) -> Task<Results, Never> {
            lock.withLock {
                if let done = entries[id], done.stamp == stamp { let r = done.results; return Task { r } }
                if let current = running[id], current.stamp == stamp { return current.task }
                let task = Task.detached { [weak self] in
                    let results = work()
                    self?.finish(id, stamp: stamp, results)
                    return results
                }
                running[id] = (stamp, task)
                startedCount += 1
                return task
            }
        }

        private func finish(_ id: UUID, stamp: String, _ results: Results) {
            set(id, stamp: stamp, results)
            lock.withLock { if running[id]?.stamp == stamp { running[id] = nil } }
        }

        /// How many computations were started since the application started (for tests and metrics).
        var started: Int { lock.withLock { startedCount } }
        private var startedCount = 0

        func forget(_ id: UUID) { lock.withLock { _ = entries.removeValue(forKey: id) } }
    }

    private struct CacheKey: StorageKey { typealias Value = Cache }

    static func cache(_ app: Application) -> Cache {
        if let c = app.storage[CacheKey.self] { return c }
        let c = Cache()
        app.storage[CacheKey.self] = c
        return c
    }

    static func forget(_ id: UUID, on app: Application) async { cache(app).forget(id) }
}
