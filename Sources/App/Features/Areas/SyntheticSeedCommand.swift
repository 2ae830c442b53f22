import Vapor
import Fluent
import Domain

/// `wijkwerk seed-synthetic [--municipalities 342]`: adds a SYNTHETIC national-size division (codes GM9000…)
/// for scale measurements. Its names say "Synthetische"; it is never loaded by `serve`.
struct SyntheticSeedCommand: AsyncCommand {
    struct Signature: CommandSignature {
        @Option(name: "municipalities", help: "How many synthetic municipalities (default 342)") var municipalities: Int?
    }

    var help: String { "Add a synthetic national-size division for benchmarks (clearly labelled synthetic)" }

    func run(using context: CommandContext, signature: Signature) async throws {
        let db = context.application.db
        if try await Municipality.query(on: db).filter(\.$code == "GM9000").count() > 0 {
            context.console.print("The synthetic division is already there.")
            return
        }
        let division = SyntheticDivision.generate(municipalities: signature.municipalities ?? 342)
        for gemeente in division.municipalities {
            try await db.writeTransaction { db in
                let m = Municipality()
                m.code = gemeente.code
                m.name = gemeente.name
                m.slug = AreaRules.slug(gemeente.name)
                m.mappingVersion = 1
                m.inhabitants = gemeente.wijken.reduce(0) { $0 + $1.inhabitants }
                m.dwellings = gemeente.wijken.reduce(0) { $0 + $1.dwellings }
                m.figuresYear = 2024
                try await m.create(on: db)
                var districts: [District] = []
                var areas: [Area] = []
                for (index, wijk) in gemeente.wijken.enumerated() {
                    let d = District()
                    d.id = UUID()
                    d.$municipality.id = try m.requireID()
                    d.code = wijk.code
                    d.name = wijk.name
                    d.inhabitants = wijk.inhabitants
                    d.dwellings = wijk.dwellings
                    d.figuresYear = 2024
                    districts.append(d)
                    let a = Area()
                    a.id = UUID()
                    a.$municipality.id = try m.requireID()
                    a.name = wijk.name
                    a.slug = AreaRules.slug(wijk.name)
                    a.kind = .neighbourhood
                    a.position = index + 1
                    areas.append(a)
                }
                try await districts.create(on: db)
                try await areas.create(on: db)
                var buurten: [Neighbourhood] = []
                for (index, wijk) in gemeente.wijken.enumerated() {
                    for buurt in wijk.buurten {
                        let n = Neighbourhood()
                        n.$municipality.id = try m.requireID()
                        n.$district.id = districts[index].id!
                        n.$area.id = areas[index].id!
                        n.code = buurt.code
                        n.name = buurt.name
                        try n.setGeometry(buurt.geometry)
                        buurten.append(n)
                    }
                }
                try await buurten.create(on: db)
            }
        }
        context.application.areaDirectory.resetLocator()
        context.console.print("Added \(division.municipalities.count) synthetic municipalities with \(division.buurtCount) buurten.")
    }
}
