import Foundation
import Testing
import VaporTesting
import Fluent
@testable import App
@testable import Domain

@Suite("Areas API and locate")
struct AreasAPITests {
    struct Located: Decodable {
        struct Ref: Decodable { var code: String; var name: String }
        struct AreaRef: Decodable { var id: UUID; var name: String; var slug: String }
        var neighbourhood: Ref; var district: Ref; var municipality: Ref; var area: AreaRef?
    }
    struct APIError: Decodable { struct Body: Decodable { var status: Int; var message: String }; var error: Body }

    @Test func locateFindsTheAreaForAPointInsideEveryArea() async throws {
        try await withApp { app in
            for code in ["GM0828", "GM0826"] {
                let m = try await Municipality.query(on: app.db).filter(\.$code == code).first()!
                let snapshot = try await app.areaDirectory.snapshot(for: m, on: app.db)
                for area in snapshot.areas {
                    // A point well inside one of the area's buurten.
                    let buurt = snapshot.neighbourhoods(of: area.id).max { abs($0.geometry.polygons[0].outer.signedArea) < abs($1.geometry.polygons[0].outer.signedArea) }!
                    let p = try #require(buurt.geometry.labelPoint)
                    let response = try await TestBrowser(app).get("/api/v1/locate?lat=\(p.lat)&long=\(p.lon)")
                    #expect(response.status == .ok)
                    let located = try response.json(Located.self)
                    #expect(located.area?.id == area.id, "\(area.name)")
                    #expect(located.municipality.code == code)
                    #expect(located.neighbourhood.code == buurt.code)
                    #expect(located.district.code == buurt.districtCode)
                }
            }
        }
    }

    @Test func concurrentFirstLookupsShareOneLocatorBuild() async throws {
        try await withApp { app in
            let statuses = try await withThrowingTaskGroup(of: HTTPStatus.self) { group in
                for _ in 0..<50 { group.addTask { try await app.testing().sendRequest(.GET, "/api/v1/locate?lat=51.765&long=5.52").status } }
                return try await group.reduce(into: [HTTPStatus]()) { $0.append($1) }
            }
            #expect(statuses.count == 50)
            #expect(statuses.allSatisfy { $0 == .ok })
        }
    }

    @Test(arguments: [
        ("", HTTPStatus.badRequest), ("?lat=51.76", .badRequest), ("?lat=abc&long=5.5", .badRequest), ("?lat=91&long=5.5", .badRequest),
        ("?lat=51.7&long=-181", .badRequest), ("?lat=nan&long=5", .badRequest), ("?lat=52.37&long=4.90", .notFound), ("?lat=0&long=0", .notFound),
    ])
    func locateRejectsBadInput(query: String, status: HTTPStatus) async throws {
        try await withApp { app in
            let response = try await TestBrowser(app).get("/api/v1/locate" + query)
            #expect(response.status == status)
            let error = try response.json(APIError.self)
            #expect(error.error.status == Int(status.code))
            #expect(!error.error.message.isEmpty)
        }
    }

    @Test func errorsInEnglishOnRequest() async throws {
        try await withApp { app in
            let response = try await TestBrowser(app).get("/api/v1/locate?lat=52.37&long=4.90", headers: ["Accept-Language": "en"])
            #expect(try response.json(APIError.self).error.message == "This point is not in a municipality that Wijkwerk knows.")
        }
    }

    struct AreaDTO: Decodable { var id: UUID; var name: String; var municipality: String; var neighbourhoods: [String]; var kind: String }
    struct MunicipalityDTO: Decodable { var code: String; var name: String; var areaCount: Int; var inhabitants: Int? }
    struct DistrictDTO: Decodable { var code: String; var figures: Figures; struct Figures: Decodable { var inhabitants: Int? } }
    struct NeighbourhoodDTO: Decodable { var code: String; var district: String; var area: UUID? }

    @Test func listsAndFilters() async throws {
        try await withApp { app in
            let browser = TestBrowser(app)
            let municipalities = try await browser.get("/api/v1/municipalities").json([MunicipalityDTO].self)
            #expect(municipalities.map(\.code) == ["GM0826", "GM0828"])
            #expect(municipalities.first { $0.code == "GM0828" }?.areaCount == 11)
            let one = try await browser.get("/api/v1/municipalities/GM0828").json(MunicipalityDTO.self)
            #expect(one.inhabitants == 94_634)
            let areas = try await browser.get("/api/v1/areas?municipality=GM0828").json([AreaDTO].self)
            #expect(areas.count == 11)
            #expect(areas.flatMap(\.neighbourhoods).count == 106)
            #expect(try await browser.get("/api/v1/areas").json([AreaDTO].self).count == 25)
            let districts = try await browser.get("/api/v1/districts?municipality=GM0828").json([DistrictDTO].self)
            #expect(districts.count == 23)
            #expect(districts.first { $0.code == "WK082806" }?.figures.inhabitants == 13_595)
            let buurten = try await browser.get("/api/v1/neighbourhoods?municipality=GM0826").json([NeighbourhoodDTO].self)
            #expect(buurten.count == 44)
            let ruwaard = areas.first { $0.name == "Ruwaard" }!
            let inRuwaard = try await browser.get("/api/v1/neighbourhoods?area=\(ruwaard.id)").json([NeighbourhoodDTO].self)
            #expect(Set(inRuwaard.map(\.code)) == Set(ruwaard.neighbourhoods))
            #expect(try await browser.get("/api/v1/areas/\(ruwaard.id)").json(AreaDTO.self).name == "Ruwaard")
        }
    }

    @Test(arguments: ["/api/v1/areas?municipality=oss", "/api/v1/areas/not-a-uuid", "/api/v1/neighbourhoods?area=xyz",
                      "/api/v1/municipalities/GM08%2F28", "/api/v1/areas/00000000-0000-0000-0000-000000000000/geometry?outline=soms"])
    func badParametersAre400(path: String) async throws {
        try await withApp { app in
            let status = try await TestBrowser(app).get(path).status
            #expect(status == .badRequest, "\(path)")
        }
    }

    @Test(arguments: ["/api/v1/municipalities/GM9999", "/api/v1/areas/00000000-0000-0000-0000-000000000000", "/api/v1/districts?municipality=GM9999"])
    func unknownThingsAre404(path: String) async throws {
        try await withApp { app in
            let status = try await TestBrowser(app).get(path).status
            #expect(status == .notFound, "\(path)")
        }
    }

    @Test func geoJSONOfAnAreaAndAMunicipality() async throws {
        try await withApp { app in
            let area = try await Fixture.area(app, "lith")
            let buurten = try await TestBrowser(app).get("/api/v1/areas/\(area.requireID())/geometry")
            #expect(buurten.headers.contentType?.subType == "geo+json")
            let feature = try JSONSerialization.jsonObject(with: Data(buurten.body.readableBytesView)) as! [String: Any]
            let geometry = feature["geometry"] as! [String: Any]
            #expect(geometry["type"] as? String == "MultiPolygon")
            let parts = try GeoJSON.decodeGeometry(JSONSerialization.data(withJSONObject: geometry))
            let count = try await Neighbourhood.query(on: app.db).filter(\.$area.$id == area.requireID()).count()
            #expect(parts.polygons.count == count)
            let outline = try await TestBrowser(app).get("/api/v1/areas/\(area.requireID())/geometry?outline=true")
            let outlineGeometry = try GeoJSON.decodeGeometry(JSONSerialization.data(withJSONObject: (JSONSerialization.jsonObject(with: Data(outline.body.readableBytesView)) as! [String: Any])["geometry"]!))
            #expect(outlineGeometry.polygons.count < parts.polygons.count, "the buurten merge into fewer outlines")
            let all = try await TestBrowser(app).get("/api/v1/municipalities/GM0828/geometry")
            let collection = try JSONSerialization.jsonObject(with: Data(all.body.readableBytesView)) as! [String: Any]
            #expect((collection["features"] as! [Any]).count == 11)
        }
    }

    @Test func openAPIDocumentsEveryAPIRouteAndNothingElse() async throws {
        try await withApp { app in
            let response = try await TestBrowser(app).get("/api/v1/openapi.json")
            #expect(response.status == .ok)
            let document = try #require(try JSONSerialization.jsonObject(with: Data(response.body.readableBytesView)) as? [String: Any])
            #expect(document["openapi"] as? String == "3.1.0")
            let paths = try #require(document["paths"] as? [String: [String: Any]])
            var documented: Set<String> = []
            for (path, operations) in paths {
                for method in operations.keys where ["get", "post", "put", "patch", "delete"].contains(method) {
                    documented.insert("\(method.uppercased()) /api/v1" + path)
                }
            }
            let routes = Set(app.routes.all.compactMap { route -> String? in
                let path = "/" + route.path.map { component -> String in
                    if case .parameter(let name) = component { return "{\(name)}" }
                    return component.description
                }.joined(separator: "/")
                return path.hasPrefix("/api/") ? "\(route.method.rawValue) \(path)" : nil
            })
            #expect(routes.subtracting(documented).isEmpty, "undocumented: \(routes.subtracting(documented).sorted())")
            #expect(documented.subtracting(routes).isEmpty, "documented but missing: \(documented.subtracting(routes).sorted())")
        }
    }
}
