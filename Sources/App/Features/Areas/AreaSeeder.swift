import Vapor
import Fluent
import Domain

/// Loads the demo: Oss and Oosterhout with every CBS wijk and buurt of 2024 from Resources/Seed.
struct AreaSeeder {
    let seedDirectory: String

    struct SeedError: Error, CustomStringConvertible { var description: String }

    private func read(_ file: String) throws -> String {
        guard let data = FileManager.default.contents(atPath: seedDirectory + file) else {
            throw SeedError(description: "Seed file missing: \(seedDirectory + file)")
        }
        return String(decoding: data, as: UTF8.self)
    }

    /// Seeds only when there are no municipalities yet. Returns whether it seeded.
    @discardableResult
    func seedIfEmpty(on db: any Database) async throws -> Bool {
        guard try await Municipality.query(on: db).count() == 0 else { return false }
        let records = CSV.records(try read("cbs_wijken_buurten_GM0828_GM0826_2024.csv"))
        var geometries: [String: MultiPolygon] = [:]
        for code in ["GM0828", "GM0826"] {
            for feature in try GeoJSON.decodeFeatureCollection(Data(try read("boundaries_\(code).geojson").utf8)) {
                if let id = feature.id ?? feature.properties["statcode"] { geometries[id] = feature.geometry }
            }
        }
        let ossAreas = CSV.records(try read("oss_gebieden_wijk_en_dorpsraden.csv"))
        let ossMapping = CSV.records(try read("oss_demo_area_mapping.csv"))
        let boundaries = geometries
        try await db.writeTransaction { db in
            try await insert(records: records, geometries: boundaries, ossAreas: ossAreas, ossMapping: ossMapping, on: db)
        }
        return true
    }

    private func insert(records: [[String: String]], geometries: [String: MultiPolygon], ossAreas: [[String: String]],
                        ossMapping: [[String: String]], on db: any Database) async throws {
        func int(_ record: [String: String], _ key: String) -> Int? { record[key].flatMap { Int($0) } }
        var municipalities: [String: Municipality] = [:]
        var districts: [String: District] = [:]
        var districtArea: [String: Area] = [:]

        for record in records where record["niveau"] == "gemeente" {
            let m = Municipality()
            m.code = record["regiocode"]!
            m.name = record["regionaam"]!
            m.slug = AreaRules.slug(m.name)
            m.mappingVersion = 1
            m.inhabitants = int(record, "aantal_inwoners_2024")
            m.dwellings = int(record, "woningvoorraad_2024")
            m.figuresYear = 2024
            try await m.create(on: db)
            municipalities[m.code] = m
        }
        for record in records where record["niveau"] == "wijk" {
            let d = District()
            d.$municipality.id = try municipalities[record["gemeentecode"]!]!.requireID()
            d.code = record["regiocode"]!
            d.name = record["regionaam"]!
            d.inhabitants = int(record, "aantal_inwoners_2024")
            d.men = int(record, "mannen_2024")
            d.women = int(record, "vrouwen_2024")
            d.density = int(record, "bevolkingsdichtheid_inw_per_km2_2024")
            d.dwellings = int(record, "woningvoorraad_2024")
            d.areaTotalHa = int(record, "oppervlakte_totaal_ha_2024")
            d.areaLandHa = int(record, "oppervlakte_land_ha_2024")
            d.areaWaterHa = int(record, "oppervlakte_water_ha_2024")
            d.figuresYear = 2024
            d.geometry = geometries[d.code].map(GeoJSON.encodeGeometry)
            try await d.create(on: db)
            districts[d.code] = d
        }

        // Oss: the 11 areas, with the demo mapping of CBS wijken.
        if let oss = municipalities["GM0828"] {
            var byNumber: [String: Area] = [:]
            for record in ossAreas {
                let area = Area()
                area.$municipality.id = try oss.requireID()
                area.name = record["gebied_naam_document_004"]!
                area.slug = AreaRules.slug(area.name)
                area.kind = record["soort"] == "dorp" ? .village : .neighbourhood
                area.position = Int(record["volgnummer_oss_nl"] ?? "") ?? 0
                try await area.create(on: db)
                byNumber[record["volgnummer_oss_nl"]!] = area
            }
            for record in ossMapping {
                districtArea[record["cbs_wijkcode"]!] = byNumber[record["volgnummer_oss_nl"]!]
            }
        }
        // Every other municipality: each CBS wijk is an area until an admin groups them.
        let villages: Set<String> = ["WK082611", "WK082612", "WK082613"]
        for record in records where record["niveau"] == "wijk" && record["gemeentecode"] != "GM0828" {
            let code = record["regiocode"]!
            let area = Area()
            area.$municipality.id = try municipalities[record["gemeentecode"]!]!.requireID()
            area.name = Self.areaName(fromDistrictName: record["regionaam"]!)
            area.slug = AreaRules.slug(area.name)
            area.kind = villages.contains(code) ? .village : .neighbourhood
            area.position = (Int(code.suffix(2)) ?? 0) + 1
            try await area.create(on: db)
            districtArea[code] = area
        }

        for record in records where record["niveau"] == "buurt" {
            let code = record["regiocode"]!
            guard let geometry = geometries[code] else { throw SeedError(description: "No boundary for buurt \(code)") }
            let n = Neighbourhood()
            n.$municipality.id = try municipalities[record["gemeentecode"]!]!.requireID()
            n.$district.id = try districts[record["wijkcode"]!]!.requireID()
            n.$area.id = try districtArea[record["wijkcode"]!]?.requireID()
            n.code = code
            n.name = record["regionaam"]!
            try n.setGeometry(geometry)
            try await n.create(on: db)
        }
        try await seedExampleClassification(on: db)
        try await seedDepartments(municipalities: Array(municipalities.values), on: db)
    }

    /// "Wijk 03 Strijen" → "Strijen".
    static func areaName(fromDistrictName name: String) -> String {
        let parts = name.split(separator: " ", maxSplits: 2)
        if parts.count == 3, parts[0] == "Wijk", parts[1].allSatisfy(\.isNumber) { return String(parts[2]) }
        return name
    }

    /// An invented example of an alternative division, to show how classifications work.
    private func seedExampleClassification(on db: any Database) async throws {
        guard let oss = try await Municipality.query(on: db).filter(\.$code == "GM0828").first() else { return }
        let classification = Classification()
        classification.$municipality.id = try oss.requireID()
        classification.name = "IBOR-districten (voorbeeld)"
        classification.owner = "Openbare ruimte"
        try await classification.create(on: db)
        let groups: [(String, Set<String>)] = [
            ("District Stad", ["WK082800", "WK082801", "WK082802", "WK082803", "WK082804", "WK082805", "WK082806", "WK082807", "WK082809"]),
            ("District Oost", ["WK082810", "WK082811", "WK082812", "WK082813", "WK082814", "WK082815", "WK082816", "WK082817"]),
            ("District West", ["WK082808", "WK082818", "WK082819", "WK082820", "WK082821", "WK082822"]),
        ]
        let neighbourhoods = try await Neighbourhood.query(on: db).filter(\.$municipality.$id == oss.requireID()).with(\.$district).all()
        for (name, districtCodes) in groups {
            let group = ClassificationGroup()
            group.$classification.id = try classification.requireID()
            group.name = name
            try await group.create(on: db)
            for n in neighbourhoods where districtCodes.contains(n.district.code) {
                let member = ClassificationMember()
                member.$classification.id = try classification.requireID()
                member.$group.id = try group.requireID()
                member.$neighbourhood.id = try n.requireID()
                try await member.create(on: db)
            }
        }
    }

    private func seedDepartments(municipalities: [Municipality], on db: any Database) async throws {
        let departments = [("Openbare ruimte", "fysiek"), ("Sociaal domein", "sociaal"),
                           ("Vergunningen, toezicht en handhaving", "veiligheid"), ("Publiekszaken", "dienstverlening")]
        for m in municipalities {
            for (name, domain) in departments {
                let d = Department()
                d.$municipality.id = try m.requireID()
                d.name = name
                d.domain = domain
                try await d.create(on: db)
            }
        }
    }
}
