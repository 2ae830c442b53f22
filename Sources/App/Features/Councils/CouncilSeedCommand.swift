import Vapor
import Fluent
import Domain

/// `wijkwerk seed-councils --councils 12 --years 10`: for benchmarks, councils in every municipality that has
/// none, with ten years of meetings (public and closed, held, cancelled and planned) and advice in every state.
/// Municipalities with fewer areas than councils get extra benchmark areas without buurten. Invented data only.
struct CouncilSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "councils", help: "councils per municipality (default 12)") var councils: Int?
        @Option(name: "years", help: "years of meetings and advice up to now (default 10)") var years: Int?
    }
    var help: String { "Generate councils with years of meetings and advice (benchmarks only)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let app = context.application, db = app.db
        let perMunicipality = signature.councils ?? 12, years = signature.years ?? 10
        let now = app.clock()
        let calendar = DutchTime.calendar
        let lastYear = calendar.component(.year, from: now)
        var random = SeededRandom(seed: 311)
        let start = Date()
        var meetingsMade = 0, adviceMade = 0
        for m in try await Municipality.query(on: db).sort(\.$code).all() {
            let mid = try m.requireID()
            guard try await Council.query(on: db).filter(\.$municipality.$id == mid).count() == 0 else { continue }
            var areas = try await Area.query(on: db).filter(\.$municipality.$id == mid).sort(\.$position).all()
            var extra: [Area] = []
            while areas.count + extra.count < perMunicipality {
                let a = Area()
                a.id = UUID()
                a.$municipality.id = mid
                a.name = "Benchmarkgebied \(areas.count + extra.count + 1)"
                a.slug = AreaRules.slug(a.name)
                a.kind = .neighbourhood
                a.position = areas.count + extra.count + 1
                extra.append(a)
            }
            if !extra.isEmpty { try await extra.create(on: db) }
            areas += extra
            var councils: [Council] = []
            for area in areas.prefix(perMunicipality) {
                let c = Council()
                c.id = UUID()
                c.$municipality.id = mid
                c.$area.id = try area.requireID()
                c.name = "Wijkraad \(area.name)"
                c.demo = true
                c.seats = 7
                councils.append(c)
            }
            try await councils.create(on: db)
            var meetings: [CouncilMeeting] = [], advice: [CouncilAdvice] = []
            for c in councils {
                for year in (lastYear - years + 1)...lastYear {
                    for month in [1, 3, 4, 6, 9, 10, 11] {
                        guard let when = calendar.date(from: DateComponents(year: year, month: month, day: Int.random(in: 2...26, using: &random), hour: 19, minute: 30)) else { continue }
                        let meeting = CouncilMeeting()
                        meeting.$council.id = c.id!
                        meeting.startsAt = when
                        meeting.endsAt = when.addingTimeInterval(7200)
                        meeting.place = "Wijkcentrum"
                        meeting.isPublic = month != 4
                        meeting.status = when > now ? .planned : (Int.random(in: 0..<20, using: &random) == 0 ? .cancelled : .held)
                        meetings.append(meeting)
                    }
                    for n in 0..<4 {
                        let a = CouncilAdvice()
                        a.$council.id = c.id!
                        a.kind = n % 2 == 0 ? .requested : .unsolicited
                        a.subject = "Advies \(year)-\(n + 1) over de openbare ruimte"
                        guard let asked = calendar.date(from: DateComponents(year: year, month: 2 + n * 3, day: 10)), asked < now else { continue }
                        if a.kind == .requested { a.question = "Wat vindt de raad?"; a.askedOn = asked; a.wantedBy = asked.addingTimeInterval(60 * 86_400) }
                        let given = asked.addingTimeInterval(40 * 86_400)
                        if given < now { a.advice = "De raad adviseert positief."; a.givenOn = given }
                        let answered = given.addingTimeInterval(Double(Int.random(in: 20...70, using: &random)) * 86_400)
                        if answered < now { a.answer = "Het college neemt het advies over."; a.answeredOn = answered }
                        advice.append(a)
                    }
                }
            }
            for chunk in stride(from: 0, to: meetings.count, by: 1000).map({ Array(meetings[$0..<min($0 + 1000, meetings.count)]) }) { try await chunk.create(on: db) }
            for chunk in stride(from: 0, to: advice.count, by: 1000).map({ Array(advice[$0..<min($0 + 1000, advice.count)]) }) { try await chunk.create(on: db) }
            meetingsMade += meetings.count
            adviceMade += advice.count
            try await Municipality.bumpDivisionVersion(m, on: db)
        }
        context.console.print(String(format: "%d meetings and %d advice in %.1f s", meetingsMade, adviceMade, Date().timeIntervalSince(start)))
    }
}
