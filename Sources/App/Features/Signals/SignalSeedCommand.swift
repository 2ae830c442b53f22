import Vapor
import Fluent
import Domain

/// `wijkwerk seed-signals --municipality GM0828 --count 1000000`: generated signals for benchmarks (marked
/// demo, no contact details), spread over a year, the areas, the categories and the states, inserted in
/// batches. Prints the insert rate, and the rate of single-row inserts of the same rows for comparison.
struct SignalSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "municipality", help: "CBS code (default GM0828)") var municipality: String?
        @Option(name: "count", help: "how many signals (default 10000)") var count: Int?
        @Option(name: "single", help: "also time this many single-row inserts (default 2000)") var single: Int?
    }
    var help: String { "Generate signals for benchmarks (demo data, no personal data)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application
        let code = signature.municipality ?? "GM0828"
        guard let m = try await Municipality.query(on: app.db).filter(\.$code == code).first() else {
            context.console.error("No municipality \(code)")
            return
        }
        let count = signature.count ?? 10_000
        let config = try await SignalConfiguration.load(try m.requireID(), on: app.db)
        let snapshot = try await app.areaDirectory.snapshot(for: m, on: app.db)
        let categories = try await SignalCategory.query(on: app.db).filter(\.$municipality.$id == m.requireID()).filter(\.$parentID != nil).all()
        let departments = try await Department.query(on: app.db).filter(\.$municipality.$id == m.requireID()).all()
        let places = snapshot.neighbourhoods.filter { $0.areaID != nil }
        guard !categories.isEmpty, !places.isEmpty, !departments.isEmpty else { context.console.error("No categories, areas or departments"); return }
        var random = SeededRandom(seed: UInt64(count))
        let now = app.clock()
        let states: [(SignalState, Int)] = [(.afgehandeld, 70), (.geannuleerd, 6), (.inBehandeling, 10), (.gemeld, 5), (.ingepland, 4), (.reactieGevraagd, 2), (.doorgezetNaarExtern, 3)]
        func make() -> Signal {
            let category = categories[Int.random(in: 0..<categories.count, using: &random)]
            let place = places[Int.random(in: 0..<places.count, using: &random)]
            let box = place.geometry.boundingBox!
            let reported = now.addingTimeInterval(-Double.random(in: 0...(365 * 86_400), using: &random))
            var roll = Int.random(in: 0..<100, using: &random)
            var state = SignalState.gemeld
            for (s, share) in states { if roll < share { state = s; break }; roll -= share }
            let s = Signal()
            s.id = UUID()
            s.$municipality.id = snapshot.id
            s.trackingCode = TrackingCode.make(using: &random)
            s.$category.id = category.id!
            s.areaID = place.areaID
            s.neighbourhoodID = place.id
            s.text = "Gegenereerde melding voor de benchmark."
            s.lat = Double.random(in: box.minLat...box.maxLat, using: &random)
            s.lon = Double.random(in: box.minLon...box.maxLon, using: &random)
            s.answersJSON = "{}"
            s.state = state
            s.departmentID = departments[Int.random(in: 0..<departments.count, using: &random)].id
            s.deadline = category.term.deadline(reportedAt: reported, holidays: config.settings.holidays)
            s.reportedAt = reported
            s.closedAt = state.isClosed ? min(now, reported.addingTimeInterval(Double.random(in: 3600...(30 * 86_400), using: &random))) : nil
            s.stateChangedAt = s.closedAt ?? reported
            // As in a running system, waiting states are younger than their time-out (the job moved older ones on).
            if let timeout = state.timeout {
                s.stateChangedAt = max(reported, now.addingTimeInterval(-Double.random(in: 0...(Double(timeout.days - 1) * 86_400), using: &random)))
            }
            s.source = "demo"
            // As in a running system where the job keeps up: levels already passed count as done, the job
            // looks at the signal again at its next step.
            let passed = EscalationLadder.dueSteps(config.ladder, deadline: s.deadline, state: state, now: now, alreadyEscalated: [], holidays: config.settings.holidays)
            s.escalationLevel = passed.map(\.level).max() ?? 0
            s.nextEscalationAt = state.isClosed ? nil : config.ladder.filter { step in !passed.contains { $0.level == step.level } }
                .map { EscalationLadder.moment(of: $0, deadline: s.deadline!, holidays: config.settings.holidays) }.min()
            s.version = 1
            s.demo = true
            s.hasPhoto = false
            s.language = "nl"
            return s
        }
        let start = Date()
        var done = 0
        while done < count {
            let batch = (0..<min(1000, count - done)).map { _ in make() }
            try await app.db.writeTransaction { db in try await batch.create(on: db) }
            done += batch.count
            if done % 100_000 == 0 { context.console.print("  \(done) signals") }
        }
        let seconds = Date().timeIntervalSince(start)
        context.console.print(String(format: "batched insert: %d signals in %.1f s = %.0f rows/s", count, seconds, Double(count) / seconds))
        let single = signature.single ?? 2000
        if single > 0 {
            let singleStart = Date()
            for _ in 0..<single { try await make().create(on: app.db) }
            let singleSeconds = Date().timeIntervalSince(singleStart)
            context.console.print(String(format: "single-row insert: %d signals in %.1f s = %.0f rows/s", single, singleSeconds, Double(single) / singleSeconds))
        }
    }
}
