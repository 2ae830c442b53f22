import Vapor
import Fluent
import Domain

/// `wijkwerk bench-cycle --projects 5000 --years 10`: for benchmarks, a municipality's area-oriented projects over
/// ten years (departments and partners, buurten, spearheads, as a register looks after years of use), saved in the
/// database, then the linking-opportunity detection timed at growing numbers of projects (pure, in memory) and once
/// through the database as the coordinator's page does it.
struct CycleBenchCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "projects", help: "projects (default 5000)") var projects: Int?
        @Option(name: "years", help: "years up to now (default 10)") var years: Int?
    }
    var help: String { "Generate years of area projects in Oss and time the linking-opportunity detection (benchmarks only)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, db = app.db
        let total = signature.projects ?? 5000, years = signature.years ?? 10
        guard (10...100_000).contains(total), (1...30).contains(years) else { context.console.error("--projects 10…100000, --years 1…30"); throw ExitCode(2) }
        guard let m = try await Municipality.query(on: db).filter(\.$code == "GM0828").first() else { context.console.error("Run seed first (Oss)"); throw ExitCode(1) }
        let s = try await app.areaDirectory.snapshot(for: m, on: db)
        let departments = try await Department.query(on: db).filter(\.$municipality.$id == s.id).all().compactMap(\.id)
        var random = SystemRandomNumberGenerator()
        let now = app.clock()
        let span = Double(years) * 365 * 86_400
        var projects: [AreaProject] = []
        for i in 0..<total {
            let area = s.areas[Int.random(in: 0..<s.areas.count, using: &random)]
            let buurten = s.neighbourhoods(of: area.id)
            let start = now.addingTimeInterval(-span + Double.random(in: 0...span, using: &random))
            let p = AreaProject()
            p.$municipality.id = s.id
            if Bool.random(using: &random), let d = departments.randomElement(using: &random) { p.$department.id = d } else { p.partner = "Partner \(Int.random(in: 1...40, using: &random))" }
            p.title = "Project \(i + 1)"; p.text = ""
            p.areaIDs = area.id.uuidString
            p.neighbourhoodIDs = buurten.isEmpty || Bool.random(using: &random) ? "" : buurten[Int.random(in: 0..<buurten.count, using: &random)].id.uuidString
            p.startsOn = start; p.endsOn = start.addingTimeInterval(Double.random(in: 30...540, using: &random) * 86_400)
            p.budgetCents = Int.random(in: 0...50_000_000, using: &random); p.contact = "Projectleider"
            p.status = p.endsOn < now ? .done : (Int.random(in: 0..<10, using: &random) == 0 ? .cancelled : .planned)
            p.spearheads = Int.random(in: 0..<3, using: &random) == 0 ? "S\(Int.random(in: 1...5, using: &random))" : ""
            p.createdAt = now; p.demo = true
            projects.append(p)
        }
        for chunk in stride(from: 0, to: projects.count, by: 500) { try await projects[chunk..<min(chunk + 500, projects.count)].create(on: db) }
        context.console.print("| projects | pairs found | detection (pure) |")
        context.console.print("| ---: | ---: | ---: |")
        let names = Dictionary(try await Department.query(on: db).filter(\.$municipality.$id == s.id).all().compactMap { d in d.id.map { ($0, d.name) } }, uniquingKeysWith: { a, _ in a })
        // All projects, whatever their status, so the growth is measured over the whole register.
        let all = projects.map { p in
            LinkingOpportunities.Project(id: p.id!, owner: ProjectsService.owner(p, departments: names), areas: p.areas, neighbourhoods: p.neighbourhoods, start: p.startsOn, end: p.endsOn,
                                         spearheads: Set(p.spearheads.split(separator: ",").flatMap { code in p.areas.map { "\($0.uuidString):\(code)" } }))
        }
        for n in [total / 10, total / 4, total / 2, total] where n > 0 {
            let clock = ContinuousClock()
            var found = 0
            let elapsed = clock.measure { found = LinkingOpportunities.find(Array(all.prefix(n))).count }
            context.console.print("| \(n) | \(found) | \(elapsed.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1)))) |")
        }
        // As the coordinator's page does it: read the running and planned projects, then detect.
        let admin = Actor(userID: UUID(), role: .areaManager, municipalityID: s.id)
        let clock = ContinuousClock()
        var open = 0
        let elapsed = try await clock.measure { open = try await ProjectsController.opportunities(admin, s, area: nil, on: db).matches.count }
        context.console.print("")
        context.console.print("Linking opportunities among running and planned projects, read from the database: \(open) pairs in \(elapsed.formatted(.units(allowed: [.milliseconds], fractionalPart: .show(length: 1)))).")
    }
}
