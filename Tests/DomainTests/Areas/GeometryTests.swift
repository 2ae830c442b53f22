import Testing
import Foundation
@testable import Domain

private func square(_ x0: Double, _ y0: Double, _ size: Double) -> Ring {
    Ring([Position(lon: x0, lat: y0), Position(lon: x0 + size, lat: y0), Position(lon: x0 + size, lat: y0 + size), Position(lon: x0, lat: y0 + size), Position(lon: x0, lat: y0)])
}

@Suite("Point in polygon")
struct PointInPolygonTests {
    static let withHole = Polygon(outer: square(0, 0, 10), holes: [square(4, 4, 2)])

    @Test(arguments: [
        (Position(lon: 1, lat: 1), true, "inside"),
        (Position(lon: 11, lat: 5), false, "outside to the east"),
        (Position(lon: -0.001, lat: 5), false, "just outside"),
        (Position(lon: 0, lat: 5), true, "on the western edge"),
        (Position(lon: 10, lat: 10), true, "on a corner"),
        (Position(lon: 5, lat: 5), false, "inside the hole"),
        (Position(lon: 4, lat: 5), true, "on the hole's border"),
        (Position(lon: 3.9, lat: 5), true, "between hole and outer ring"),
    ])
    func polygonWithHole(point: Position, expected: Bool, label: String) {
        #expect(Self.withHole.contains(point) == expected, "\(label)")
    }

    @Test func multipolygonChecksEveryPart() {
        let mp = MultiPolygon([Polygon(outer: square(0, 0, 1)), Polygon(outer: square(5, 5, 1))])
        #expect(mp.contains(Position(lon: 5.5, lat: 5.5)))
        #expect(mp.contains(Position(lon: 0.5, lat: 0.5)))
        #expect(!mp.contains(Position(lon: 3, lat: 3)))
    }

    @Test func concavePolygon() {
        // A U shape: the notch between the arms is outside.
        let u = Polygon(outer: Ring([Position(lon: 0, lat: 0), Position(lon: 3, lat: 0), Position(lon: 3, lat: 3), Position(lon: 2, lat: 3),
                                     Position(lon: 2, lat: 1), Position(lon: 1, lat: 1), Position(lon: 1, lat: 3), Position(lon: 0, lat: 3)]))
        #expect(!u.contains(Position(lon: 1.5, lat: 2)))
        #expect(u.contains(Position(lon: 0.5, lat: 2)))
        #expect(u.contains(Position(lon: 2.5, lat: 2)))
    }

    @Test func ringsAcceptOpenAndClosedForms() {
        let open = Ring([Position(lon: 0, lat: 0), Position(lon: 1, lat: 0), Position(lon: 1, lat: 1)])
        let closed = Ring([Position(lon: 0, lat: 0), Position(lon: 1, lat: 0), Position(lon: 1, lat: 1), Position(lon: 0, lat: 0)])
        #expect(open == closed)
        #expect(closed.closed.count == 4)
    }
}

@Suite("Locator")
struct LocatorTests {
    @Test func sharedBorderGoesToExactlyOneRegion() {
        let left = MultiPolygon([Polygon(outer: square(0, 0, 1))])
        let right = MultiPolygon([Polygon(outer: square(1, 0, 1))])
        let locator = Locator([(id: "A", geometry: left), (id: "B", geometry: right)])
        #expect(locator.locate(Position(lon: 1, lat: 0.5)) == "A", "on the border: the first region in order")
        #expect(locator.locate(Position(lon: 1.5, lat: 0.5)) == "B")
        #expect(locator.locate(Position(lon: 0.5, lat: 0.5)) == "A")
        #expect(locator.locate(Position(lon: 3, lat: 0.5)) == nil)
    }

    @Test func gridAgreesWithScanningEveryRegion() {
        // A 20×20 grid of unit squares, and 2,000 pseudo-random points over and around it.
        var regions: [(id: Int, geometry: MultiPolygon)] = []
        for i in 0..<20 { for j in 0..<20 { regions.append((id: i * 20 + j, geometry: MultiPolygon([Polygon(outer: square(Double(i), Double(j), 1))]))) } }
        let locator = Locator(regions)
        var seed: UInt64 = 42
        func next() -> Double { seed = seed &* 6364136223846793005 &+ 1442695040888963407; return Double(seed >> 11) / Double(1 << 53) }
        for _ in 0..<2000 {
            let p = Position(lon: next() * 22 - 1, lat: next() * 22 - 1)
            #expect(locator.locate(p) == locator.locateByScanning(p))
        }
        #expect(locator.locate(Position(lon: 3.5, lat: 7.5)) == 3 * 20 + 7)
    }
}

@Suite("Dissolve")
struct DissolveTests {
    @Test func twoAdjacentSquaresBecomeOneOutline() {
        let outline = Dissolve.outline([MultiPolygon([Polygon(outer: square(0, 0, 1))]), MultiPolygon([Polygon(outer: square(1, 0, 1))])])
        #expect(outline.polygons.count == 1)
        #expect(abs(abs(outline.polygons[0].outer.signedArea) - 2) < 1e-9)
        #expect(outline.contains(Position(lon: 1, lat: 0.5)))
        #expect(!outline.polygons[0].outer.positions.contains(Position(lon: 1, lat: 0.5)))
    }

    @Test func separatePartsStaySeparate() {
        let outline = Dissolve.outline([MultiPolygon([Polygon(outer: square(0, 0, 1))]), MultiPolygon([Polygon(outer: square(3, 0, 1))])])
        #expect(outline.polygons.count == 2)
    }

    @Test func ringAroundAGapKeepsTheHole() {
        // Eight squares around a missing middle one.
        var parts: [MultiPolygon] = []
        for i in 0..<3 { for j in 0..<3 where !(i == 1 && j == 1) { parts.append(MultiPolygon([Polygon(outer: square(Double(i), Double(j), 1))])) } }
        let outline = Dissolve.outline(parts)
        #expect(outline.polygons.count == 1)
        #expect(outline.polygons[0].holes.count == 1)
        #expect(!outline.contains(Position(lon: 1.5, lat: 1.5)))
        #expect(outline.contains(Position(lon: 0.5, lat: 1.5)))
    }
}

@Suite("GeoJSON")
struct GeoJSONTests {
    @Test func readsPolygonAndMultiPolygon() throws {
        let polygon = try GeoJSON.decodeGeometry(Data(#"{"type":"Polygon","coordinates":[[[5.5,51.7],[5.6,51.7],[5.6,51.8],[5.5,51.7]]]}"#.utf8))
        #expect(polygon.polygons.count == 1)
        let multi = try GeoJSON.decodeGeometry(Data(#"{"type":"MultiPolygon","coordinates":[[[[0,0],[1,0],[1,1],[0,0]]],[[[2,2],[3,2],[3,3],[2,2]]]]}"#.utf8))
        #expect(multi.polygons.count == 2)
        let back = try GeoJSON.decodeGeometry(Data(GeoJSON.encodeGeometry(multi).utf8))
        #expect(back == multi)
    }

    @Test(arguments: [#"{"type":"Point","coordinates":[1,2]}"#, #"{"type":"Polygon","coordinates":[[[0,0],[1,1]]]}"#, "not json"])
    func rejectsWhatItCannotUse(text: String) {
        #expect(throws: GeoJSON.Error.self) { try GeoJSON.decodeGeometry(Data(text.utf8)) }
    }
}

@Suite("Map drawing")
struct MapDrawingTests {
    @Test func projectionRoundTrips() {
        let projection = MapProjection(fitting: BoundingBox(minLon: 5.3, minLat: 51.6, maxLon: 5.8, maxLat: 51.9))
        let p = Position(lon: 5.52, lat: 51.77)
        let (x, y) = projection.point(p)
        let back = projection.position(x: x, y: y)
        #expect(abs(back.lon - p.lon) < 1e-9 && abs(back.lat - p.lat) < 1e-9)
        #expect(projection.point(Position(lon: 5.3, lat: 51.9)) == (10, 10), "north-west corner at the padding")
    }

    @Test func neighboursGetDifferentColours() {
        var shapes: [MultiPolygon] = []
        for i in 0..<4 { for j in 0..<4 { shapes.append(MultiPolygon([Polygon(outer: square(Double(i), Double(j), 1))])) } }
        let colours = MapColouring.colours(shapes)
        for a in shapes.indices { for b in shapes.indices where a < b {
            let touching = Set(shapes[a].polygons[0].outer.positions).intersection(shapes[b].polygons[0].outer.positions).count > 0
            if touching { #expect(colours[a] != colours[b]) }
        } }
        #expect(colours.allSatisfy { (0..<8).contains($0) })
    }

    @Test func labelPointLiesInsideConcaveShape() throws {
        let u = MultiPolygon([Polygon(outer: Ring([Position(lon: 0, lat: 0), Position(lon: 3, lat: 0), Position(lon: 3, lat: 3), Position(lon: 2, lat: 3),
                                                  Position(lon: 2, lat: 1), Position(lon: 1, lat: 1), Position(lon: 1, lat: 3), Position(lon: 0, lat: 3)]))])
        let point = try #require(u.labelPoint)
        #expect(u.contains(point))
    }
}
