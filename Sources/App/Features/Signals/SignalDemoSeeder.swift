import Vapor
import Fluent
import Domain

/// The default signal configuration every municipality starts with (category tree, deadlines, routing to the
/// departments by name, the standard escalation ladder) and, for the demo, a few hundred invented signals in Oss.
struct SignalDemoSeeder {
    var seedDirectory: String

    struct Tree: Decodable {
        struct Main: Decodable { var code, nameNL, nameEN, department: String; var `public`: Bool; var sub: [Sub] }
        struct Sub: Decodable { var code, nameNL, nameEN: String; var termDays: Int; var termUnit: String; var questions: [CategoryQuestion] }
        var categories: [Main]
    }

    func tree() throws -> Tree {
        try JSONDecoder().decode(Tree.self, from: Data(contentsOf: URL(fileURLWithPath: seedDirectory + "signal_categories.json")))
    }

    /// Gives every municipality without signal settings the default configuration.
    func ensureConfiguration(on db: any Database) async throws {
        let configured = Set(try await SignalSettings.query(on: db).all().map(\.$municipality.id))
        let missing = try await Municipality.query(on: db).all().filter { !configured.contains($0.id!) }
        guard !missing.isEmpty else { return }
        let tree = try tree()
        for m in missing {
            try await db.writeTransaction { db in try await configure(m, tree: tree, on: db) }
        }
    }

    private func configure(_ m: Municipality, tree: Tree, on db: any Database) async throws {
        let mid = try m.requireID()
        let settings = SignalSettings.defaults(mid)
        settings.jurisdiction = m.slug + ".nl"
        try await settings.create(on: db)
        for step in EscalationStep.standardLadder {
            let record = EscalationStepRecord()
            record.$municipality.id = mid
            record.level = step.level
            record.workingDays = step.workingDaysAfterDeadline
            record.role = step.role
            try await record.create(on: db)
        }
        let departments = Dictionary(try await Department.query(on: db).filter(\.$municipality.$id == mid).all().map { ($0.name, $0) }) { a, _ in a }
        var position = 0
        for main in tree.categories {
            let parent = SignalCategory()
            parent.$municipality.id = mid
            parent.code = main.code
            parent.nameNL = main.nameNL
            parent.nameEN = main.nameEN
            parent.termDays = 10
            parent.termUnit = HandlingTerm.Unit.workingDays.rawValue
            parent.isPublic = main.public
            parent.questionsJSON = "[]"
            parent.position = position
            parent.active = true
            position += 1
            try await parent.create(on: db)
            for sub in main.sub {
                let c = SignalCategory()
                c.$municipality.id = mid
                c.parentID = parent.id
                c.code = sub.code
                c.nameNL = sub.nameNL
                c.nameEN = sub.nameEN
                c.termDays = sub.termDays
                c.termUnit = sub.termUnit
                c.isPublic = main.public
                c.questionsJSON = AuditLog.json(sub.questions)
                c.position = position
                c.active = true
                position += 1
                try await c.create(on: db)
            }
            if let department = departments[main.department] {
                let rule = RoutingRuleRecord()
                rule.$municipality.id = mid
                rule.position = (position) * 10
                rule.categoryID = parent.id
                rule.weekdays = ""
                rule.$department.id = try department.requireID()
                try await rule.create(on: db)
            }
        }
        if let fallback = departments["Publiekszaken"] ?? departments.values.first {
            let rule = RoutingRuleRecord()
            rule.$municipality.id = mid
            rule.position = 10_000
            rule.weekdays = ""
            rule.$department.id = try fallback.requireID()
            try await rule.create(on: db)
        }
    }

    static let descriptions: [String: [String]] = [
        "container-vol": ["De container voor restafval zit helemaal vol.", "Papiercontainer is vol, er staan dozen naast."],
        "bijplaatsing": ["Er staan zakken naast de container.", "Iemand heeft een matras naast de container gezet."],
        "zwerfafval": ["Veel zwerfafval langs het fietspad.", "Rond het bankje ligt veel afval."],
        "grofvuil": ["Er staat al een week een bank op de stoep.", "Oude kast op straat gezet."],
        "container-kapot": ["De klep van de container is kapot.", "Container gaat niet meer open."],
        "straatverlichting": ["De lantaarnpaal voor ons huis brandt niet.", "Drie lampen op rij doen het niet, het is erg donker."],
        "bestrating": ["Losse tegel op de stoep, ik ben bijna gevallen.", "Gat in de weg bij de bocht."],
        "speelplaats": ["De schommel is kapot.", "Er ligt glas in de zandbak."],
        "straatmeubilair": ["Het bankje is kapot.", "Paaltje omver gereden."],
        "graffiti": ["Graffiti op de muur van het wijkcentrum.", "Tekst gespoten op het bushokje."],
        "verkeerslicht": ["Het verkeerslicht blijft op rood staan.", "Voetgangerslicht werkt niet."],
        "verkeersbord": ["Het stopbord is weg.", "Verkeersbord hangt scheef."],
        "fietswrak": ["Fietswrak staat al maanden bij het station.", "Fiets zonder wielen aan het hek."],
        "verkeerssituatie": ["Auto's rijden te hard bij de school.", "Onoverzichtelijk kruispunt."],
        "boom": ["Grote tak hangt los na de storm.", "Boom lijkt ziek, er vallen takken af."],
        "onkruid": ["Veel onkruid tussen de tegels.", "Onkruid op het plein."],
        "gras": ["Het gras is al lang niet gemaaid.", "Struiken groeien over het fietspad."],
        "geluid": ["'s Nachts harde muziek bij de buren.", "Lawaai van de bouwplaats voor 7 uur."],
        "personen": ["Groep jongeren maakt 's avonds lawaai bij het speeltuintje.", "Overlast bij het winkelcentrum."],
        "dieren": ["Veel ratten bij de containers.", "Duiven op het balkon."],
        "parkeren": ["Auto's staan op de stoep.", "Busje staat al weken op dezelfde plek."],
        "woningkwaliteit": ["Schimmel in de huurwoning, verhuurder doet niets.", "Dak lekt al maanden."],
        "leegstand": ["Pand staat al lang leeg en raakt in verval.", "Leeg winkelpand met kapotte ramen."],
        "zorg-buurtgenoot": ["Ik maak mij zorgen om mijn oudere buurvrouw.", "Buurman lijkt de weg kwijt te zijn."],
        "eenzaamheid": ["Mijn buurman komt nooit meer buiten.", "Oudere dame in de straat is erg alleen."],
        "iets-anders": ["Vraag over de plannen voor het park.", "Idee voor een bankje bij de vijver."],
    ]

    /// A few hundred invented signals in Oss over the last four months, in every state, then the escalation job.
    func seed(app: Application, now: Date) async throws {
        let db = app.db
        guard app.config.demoSignals > 0, try await Signal.query(on: db).count() == 0,
              let oss = try await Municipality.query(on: db).filter(\.$code == "GM0828").first() else { return }
        let snapshot = try await app.areaDirectory.snapshot(for: oss, on: db)
        let categories = try await SignalCategory.query(on: db).filter(\.$municipality.$id == oss.requireID()).filter(\.$parentID != nil).sort(\.$position).all()
        let places = snapshot.neighbourhoods.filter { $0.areaID != nil }
        guard !categories.isEmpty, !places.isEmpty else { return }
        var random = SeededRandom(seed: 828)
        let mailer = SignalMailer(app)
        let day = 86_400.0
        for index in 0..<app.config.demoSignals {
            let category = categories[Int.random(in: 0..<categories.count, using: &random)]
            let place = places[Int.random(in: 0..<places.count, using: &random)]
            var point: Position? = nil
            if let box = place.geometry.boundingBox {
                for _ in 0..<40 {
                    let p = Position(lon: Double.random(in: box.minLon...box.maxLon, using: &random), lat: Double.random(in: box.minLat...box.maxLat, using: &random))
                    if place.geometry.contains(p) { point = p; break }
                }
            }
            let age = Double.random(in: 0.2...120, using: &random) * day
            var at = now.addingTimeInterval(-age)
            let texts = Self.descriptions[category.code] ?? ["Melding in de buurt."]
            let answers = Dictionary(uniqueKeysWithValues: category.questions.filter { $0.required }.map { ($0.key, $0.options?.first ?? "Onbekend") })
            let intake = SignalIntake(municipalityID: try oss.requireID(), category: category, description: texts[index % texts.count],
                                      place: index % 3 == 0 ? nil : "Bij \(place.name)", position: point, neighbourhoodID: place.id,
                                      answers: answers, email: nil, phone: nil, photo: nil, source: index % 7 == 0 ? "open311" : "web", demo: true)
            let signal = try await SignalService.report(intake, at: at, on: db, mailer: mailer)
            // A path through the states that depends on age: older signals are mostly done.
            let roll = Int.random(in: 0..<100, using: &random)
            let ageDays = age / day
            var path: [(SignalState, String?)] = []
            if ageDays > 3 || roll < 50 { path.append((.inBehandeling, "Wij gaan met uw melding aan de slag.")) }
            if ageDays > 10 {
                switch roll {
                case 0..<55: path.append((.afgehandeld, "Opgelost. Bedankt voor uw melding."))
                case 55..<62: path.append((.geannuleerd, "Dit is geen taak van de gemeente; wij hebben het doorgegeven aan de woningcorporatie."))
                case 62..<70: path += [(.ingepland, "Het werk is ingepland."), (.afgehandeld, "Het werk is klaar.")]
                case 70..<76: path.append((.reactieGevraagd, "Kunt u aangeven waar precies?"))
                case 76..<82: path.append((.doorgezetNaarExtern, "Doorgegeven aan de netbeheerder."))
                case 82..<88: path.append((.ingepland, "Het werk is ingepland."))
                default: break
                }
            }
            for (state, text) in path {
                at = at.addingTimeInterval(Double.random(in: 0.3...(max(0.4, ageDays / Double(path.count + 1))), using: &random) * day)
                guard at < now else { break }
                try await SignalService.change(signal, expectedVersion: signal.version, to: state, publicText: text, note: nil,
                                               user: nil, initiator: .staff, at: at, on: db, mailer: mailer)
            }
        }
        let config = try await SignalConfiguration.load(try oss.requireID(), on: db)
        _ = try await SignalJobs.escalate(municipality: try oss.requireID(), config: config, now: now, on: db, mailer: mailer)
    }
}
