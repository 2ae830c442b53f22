import Vapor
import Fluent
import Domain

/// The demo's area cycle in Oss (invented, marked as demo data): one area with an adopted agenda, plan and monitor,
/// one with its agenda in consultation, one whose agenda is outdated, one "not yet" with its reason; and projects of
/// departments and partners that overlap, so the coordinator has linking opportunities to judge.
enum CycleDemoSeeder {
    static func seed(app: Application) async throws {
        guard try await CycleProduct.query(on: app.db).filter(\.$demo == true).count() == 0,
              let oss = try await Municipality.query(on: app.db).filter(\.$code == "GM0828").first() else { return }
        let m = try oss.requireID()
        let areas = try await Area.query(on: app.db).filter(\.$municipality.$id == m).sort(\.$position).limit(4).all()
        guard areas.count == 4 else { return }
        let now = app.clock()
        let cal = DutchTime.calendar
        let monthsAgo = { (n: Int) in cal.date(byAdding: .month, value: -n, to: now)! }
        func product(_ area: Area, _ kind: CycleKind, version: Int = 1, status: CycleStatus, title: String, summary: String, adopted: Date? = nil,
                     consultationEnds: Date? = nil, profileDate: Date? = nil) async throws -> CycleProduct {
            let p = CycleProduct()
            p.$municipality.id = m; p.$area.id = try area.requireID(); p.kind = kind; p.version = version; p.status = status
            p.title = title; p.summary = summary; p.adoptedOn = adopted; p.decision = adopted == nil ? nil : "Collegebesluit (demo)"
            p.consultationEnds = consultationEnds ?? adopted.map { $0.addingTimeInterval(-30 * 86_400) }
            p.submittedAt = adopted.map { $0.addingTimeInterval(-14 * 86_400) }; p.profileDate = profileDate
            p.createdAt = (adopted ?? now).addingTimeInterval(-60 * 86_400); p.updatedAt = adopted ?? now; p.demo = true
            try await p.create(on: app.db)
            return p
        }
        func spearhead(_ p: CycleProduct, _ code: String, _ position: Int, _ title: String, _ why: String, _ success: String, _ involved: String) async throws {
            let s = Spearhead()
            s.$product.id = try p.requireID(); s.code = code; s.position = position; s.title = title; s.why = why; s.success = success; s.involved = involved
            try await s.create(on: app.db)
        }
        // Area 1: the whole cycle in force.
        let a = areas[0]
        _ = try await product(a, .analysis, status: .adopted, title: "Gebiedsanalyse \(a.name)", summary: "Veel jonge gezinnen en een groeiend aantal ouderen. Meldingen gaan vooral over afval en verkeer. Bewoners missen een plek voor jongeren.",
                              adopted: monthsAgo(10), profileDate: monthsAgo(11))
        let agenda = try await product(a, .agenda, status: .adopted, title: "Agenda van \(a.name)", summary: "Opgesteld met de wijkraad, bewoners en partners.", adopted: monthsAgo(8))
        try await spearhead(agenda, "S1", 1, "Een plek voor jongeren", "Overlast en verveling; jongeren vroegen er zelf om in de analyse.", "Er is een plek die jongeren zelf beheren.", "Wijkraad, welzijn, jongerenwerk")
        try await spearhead(agenda, "S2", 2, "Schone straten", "Afval is het meest gemelde onderwerp.", "Minder meldingen over afval dan vorig jaar.", "Openbare ruimte, bewoners")
        let plan = try await product(a, .plan, status: .adopted, title: "Gebiedsplan \(a.name) \(cal.component(.year, from: now))", summary: "Alle projecten en acties in het gebied dit jaar.", adopted: monthsAgo(7))
        let budget = try await AreaBudget.query(on: app.db).filter(\.$area.$id == a.requireID()).first()
        for (i, item) in [("Jongerenplek bij het sportpark", "Welzijn Oss", 2_500_000, "S1", "Locatie gekozen met jongeren"),
                          ("Extra afvalbakken en veegroute", "Openbare ruimte", 1_200_000, "S2", "Bakken geplaatst"),
                          ("Opschoondag met de buurt", "Wijkraad", 150_000, "S2", "")].enumerated() {
            let pi = PlanItem()
            pi.$product.id = try plan.requireID(); pi.position = i + 1; pi.title = item.0; pi.owner = item.1; pi.budgetCents = item.2; pi.spearheads = item.3; pi.progress = item.4
            pi.startsOn = monthsAgo(6); pi.endsOn = cal.date(byAdding: .month, value: 6, to: now)!; pi.budgetID = i == 2 ? budget?.id : nil
            try await pi.create(on: app.db)
        }
        _ = try await product(a, .monitor, status: .adopted, title: "Monitor voorjaar", summary: "De veegroute werkt: minder meldingen over afval. De jongerenplek komt er na de zomer.",
                              adopted: monthsAgo(2), profileDate: monthsAgo(2))
        // Area 2: the agenda in consultation.
        let b = areas[1]
        let open = try await product(b, .agenda, status: .consultation, title: "Agenda van \(b.name)", summary: "Concept, opgesteld met de dorpsraad. Reageer vóór de einddatum.",
                                     consultationEnds: cal.date(byAdding: .day, value: 21, to: now)!)
        try await spearhead(open, "S1", 1, "Verkeersveiligheid rond de school", "Veel meldingen over hard rijden.", "Minder meldingen en een veilige schoolroute.", "Dorpsraad, school, verkeer")
        // Area 3: an agenda adopted long ago, now outdated.
        let c = areas[2]
        let old = try await product(c, .agenda, status: .adopted, title: "Agenda van \(c.name)", summary: "Vastgesteld en sindsdien niet bijgesteld.", adopted: monthsAgo(15))
        try await spearhead(old, "S1", 1, "Ontmoeting voor ouderen", "Eenzaamheid onder ouderen.", "Een wekelijkse ontmoeting.", "Welzijn, kerk, wijkraad")
        // Area 4: not yet.
        let row = CycleNotYet()
        row.$area.id = try areas[3].requireID(); row.reason = "De nieuwe wijkraad is net begonnen. Eerst kennismaken en samen de analyse maken."; row.setAt = now
        try await row.create(on: app.db)
        // Projects that overlap in area 1, for linking opportunities.
        let departments = try await Department.query(on: app.db).filter(\.$municipality.$id == m).all()
        let neighbourhoods = try await Neighbourhood.query(on: app.db).filter(\.$area.$id == a.requireID()).limit(2).all()
        let buurt = neighbourhoods.first?.id?.uuidString ?? ""
        for (title, department, partner, from, to, cents, spearheads) in [
            ("Riolering vervangen", departments.first?.id, nil as String?, 1, 9, 45_000_000, ""),
            ("Groen schoolplein", nil, "Basisschool (demo)", 3, 12, 6_000_000, "S1"),
            ("Jongerenwerk op straat", departments.dropFirst().first?.id, nil, 0, 12, 3_000_000, "S1"),
        ] {
            let p = AreaProject()
            p.$municipality.id = m; p.$department.id = department; p.partner = partner; p.title = title; p.text = ""
            p.areaIDs = try a.requireID().uuidString; p.neighbourhoodIDs = title == "Riolering vervangen" || title == "Groen schoolplein" ? buurt : ""
            p.startsOn = cal.date(byAdding: .month, value: from, to: now)!; p.endsOn = cal.date(byAdding: .month, value: to, to: now)!
            p.budgetCents = cents; p.contact = "Projectleider (demo)"; p.status = .planned; p.spearheads = spearheads; p.createdAt = now; p.demo = true
            try await p.create(on: app.db)
        }
    }
}
