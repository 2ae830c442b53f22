import Foundation
import Domain

// Locate, map outline and colouring performance on the real demo boundaries (Oss + Oosterhout, 150 buurten)
// and on a synthetic national-size division (342 municipalities). Prints a table; no thresholds.

func seconds(_ body: () -> Void) -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

struct Points {
    var state: UInt64 = 7
    mutating func next(in box: BoundingBox) -> Position {
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let a = Double(state >> 11) / Double(1 << 53)
        state = state &* 6364136223846793005 &+ 1442695040888963407
        let b = Double(state >> 11) / Double(1 << 53)
        return Position(lon: box.minLon + a * (box.maxLon - box.minLon), lat: box.minLat + b * (box.maxLat - box.minLat))
    }
}

func measure(_ label: String, regions: [(id: String, geometry: MultiPolygon)], points count: Int, scanPoints: Int) {
    var locator: Locator<String>!
    let build = seconds { locator = Locator(regions) }
    let box = regions.compactMap { $0.geometry.boundingBox }.reduce(nil as BoundingBox?) { $0?.union($1) ?? $1 }!
    var generator = Points()
    let points = (0..<count).map { _ in generator.next(in: box) }
    var found = 0
    let grid = seconds { for p in points where locator.locate(p) != nil { found += 1 } }
    var scanFound = 0
    let scan = seconds { for p in points.prefix(scanPoints) where locator.locateByScanning(p) != nil { scanFound += 1 } }
    let gridRate = Double(count) / grid
    let scanRate = Double(scanPoints) / scan
    print(String(format: "| %@ | %d | %d | %.1f ms | %.0f | %.0f | %.0f× | %.1f%% |", label, regions.count, count, build * 1000, gridRate, scanRate,
                 gridRate / scanRate, 100 * Double(found) / Double(count)))
}

let seedDirectory = CommandLine.arguments.dropFirst().first ?? "Resources/Seed/"
var demo: [(id: String, geometry: MultiPolygon)] = []
for code in ["GM0828", "GM0826"] {
    let data = try Data(contentsOf: URL(fileURLWithPath: seedDirectory + "boundaries_\(code).geojson"))
    for feature in try GeoJSON.decodeFeatureCollection(data) where feature.properties["niveau"] == "buurt" {
        demo.append((id: feature.id ?? "", geometry: feature.geometry))
    }
}

print("## Locate (point → buurt), 100,000 random points in the bounding box\n")
print("| division | buurten | points | index build | lookups/s (grid prefilter) | lookups/s (checking every polygon) | ratio | points inside a buurt |")
print("| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
measure("demo: Oss + Oosterhout (real CBS boundaries)", regions: demo, points: 100_000, scanPoints: 100_000)

var national: SyntheticDivision!
let generate = seconds { national = SyntheticDivision.generate() }
let nationalRegions = national.municipalities.flatMap { $0.wijken.flatMap { $0.buurten.map { (id: $0.code, geometry: $0.geometry) } } }
measure("SYNTHETIC national: 342 municipalities", regions: nationalRegions, points: 100_000, scanPoints: 2_000)

print("\n## Map work per municipality (outline of every area, colouring)\n")
var outlineTime = 0.0
for m in national.municipalities {
    outlineTime += seconds {
        let outlines = m.wijken.map { Dissolve.outline($0.buurten.map(\.geometry)) }
        _ = MapColouring.colours(outlines)
    }
}
print(String(format: "SYNTHETIC national (generated in %.2f s): %d buurten; dissolving and colouring all %d municipalities took %.1f ms (%.2f ms per municipality).",
             generate, national.buurtCount, national.municipalities.count, outlineTime * 1000, outlineTime * 1000 / Double(national.municipalities.count)))

// Mixing panel: comparing a panel with the five profiles is a pure function.
print("\n## Mixing panel comparison\n")
if let data = FileManager.default.contents(atPath: seedDirectory + "mixing_panel.json"),
   let root = try JSONSerialization.jsonObject(with: data) as? [String: Any],
   let list = root["profiles"] as? [[String: Any]] {
    var profiles: [String: [String: Int]] = [:]
    for p in list { if let code = p["code"] as? String, let positions = p["positions"] as? [String: Int] { profiles[code] = positions } }
    var panels: [[String: Int]] = []
    var g = Points()
    for _ in 0..<100_000 {
        var panel: [String: Int] = [:]
        for slider in MixingPanel.mainSliders { panel[slider] = 1 + Int(g.next(in: BoundingBox(minLon: 0, minLat: 0, maxLon: 4.999, maxLat: 1)).lon) }
        panels.append(panel)
    }
    var nearestCount: [String: Int] = [:]
    let elapsed = seconds { for panel in panels { if let n = MixingPanel.nearest(panel, scale: .five, profiles: profiles) { nearestCount[n.profile, default: 0] += 1 } } }
    print(String(format: "%d random 5-step panels compared with %d profiles in %.1f ms: %.0f comparisons per second.", panels.count, profiles.count, elapsed * 1000, Double(panels.count) / elapsed))
    print("Nearest profile of the random panels: " + nearestCount.sorted { $0.key < $1.key }.map { "\($0.key) \($0.value)" }.joined(separator: ", ") + ".")
} else {
    print("Resources/Seed/mixing_panel.json not found; skipped.")
}
