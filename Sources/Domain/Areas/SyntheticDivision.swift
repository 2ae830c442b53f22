import Foundation

/// A synthetic, national-size division for measuring scale: municipalities laid out in a grid over a box the
/// size of the Netherlands, each with wijken made of buurten that tile the land exactly (shared, jittered
/// borders, 12 vertices per buurt). Nothing in it is real; codes start at GM9000 so they never clash with CBS codes.
public struct SyntheticDivision: Sendable {
    public struct Buurt: Sendable { public var code: String; public var name: String; public var geometry: MultiPolygon }
    public struct Wijk: Sendable { public var code: String; public var name: String; public var inhabitants: Int; public var dwellings: Int; public var buurten: [Buurt] }
    public struct Gemeente: Sendable { public var code: String; public var name: String; public var wijken: [Wijk] }

    public var municipalities: [Gemeente]

    public var buurtCount: Int { municipalities.reduce(0) { $0 + $1.wijken.reduce(0) { $0 + $1.buurten.count } } }

    /// - Parameters: municipalities in a grid of `columns` wide; each municipality is `cellColumns` × `cellRows` buurten,
    ///   one wijk per row.
    public static func generate(municipalities count: Int = 342, columns: Int = 19, cellColumns: Int = 7, cellRows: Int = 6, seed: UInt64 = 2024) -> SyntheticDivision {
        let rows = (count + columns - 1) / columns
        let box = BoundingBox(minLon: 3.36, minLat: 50.75, maxLon: 7.22, maxLat: 53.47)
        let nx = columns * cellColumns, ny = rows * cellRows
        let dx = (box.maxLon - box.minLon) / Double(nx), dy = (box.maxLat - box.minLat) / Double(ny)
        var state = seed
        func random() -> Double {
            state = state &* 6364136223846793005 &+ 1442695040888963407
            return Double(state >> 11) / Double(1 << 53) - 0.5
        }
        // Lattice vertices, jittered inside (the outer border stays straight).
        var lattice = [[Position]](repeating: [], count: nx + 1)
        for i in 0...nx {
            lattice[i] = (0...ny).map { j in
                let jx = (i == 0 || i == nx) ? 0 : random() * 0.35 * dx
                let jy = (j == 0 || j == ny) ? 0 : random() * 0.35 * dy
                return Position(lon: box.minLon + Double(i) * dx + jx, lat: box.minLat + Double(j) * dy + jy)
            }
        }
        // Two jittered points on every edge, computed from the edge's ends so both neighbours share them.
        func edgePoints(_ a: Position, _ b: Position) -> [Position] {
            let (lo, hi) = (a.lon, a.lat) < (b.lon, b.lat) ? (a, b) : (b, a)
            var h = UInt64(bitPattern: Int64((lo.lon * 1e7).rounded())) &* 31 &+ UInt64(bitPattern: Int64((lo.lat * 1e7).rounded()))
            h = h &* 31 &+ UInt64(bitPattern: Int64((hi.lon * 1e7).rounded())) &* 17 &+ UInt64(bitPattern: Int64((hi.lat * 1e7).rounded()))
            func r() -> Double { h = h &* 6364136223846793005 &+ 1442695040888963407; return Double(h >> 11) / Double(1 << 53) - 0.5 }
            let nxv = -(hi.lat - lo.lat), nyv = hi.lon - lo.lon
            let points = [1.0 / 3, 2.0 / 3].map { t in
                let off = r() * 0.15
                return Position(lon: lo.lon + (hi.lon - lo.lon) * t + nxv * off, lat: lo.lat + (hi.lat - lo.lat) * t + nyv * off)
            }
            return (lo == a) ? points : points.reversed()
        }
        var result: [Gemeente] = []
        for m in 0..<count {
            let mc = m % columns, mr = m / columns
            let code = String(format: "%04d", 9000 + m)
            var wijken: [Wijk] = []
            for row in 0..<cellRows {
                var buurten: [Buurt] = []
                for col in 0..<cellColumns {
                    let i = mc * cellColumns + col, j = mr * cellRows + row
                    let corners = [lattice[i][j], lattice[i + 1][j], lattice[i + 1][j + 1], lattice[i][j + 1]]
                    var ring: [Position] = []
                    for k in 0..<4 {
                        ring.append(corners[k])
                        ring += edgePoints(corners[k], corners[(k + 1) % 4])
                    }
                    buurten.append(Buurt(code: "BU\(code)\(String(format: "%02d%02d", row, col))", name: "Synthetische buurt \(row + 1)-\(col + 1)",
                                         geometry: MultiPolygon([Polygon(outer: Ring(ring))])))
                }
                let inhabitants = Int((random() + 0.5) * 6000) + 500
                wijken.append(Wijk(code: "WK\(code)\(String(format: "%02d", row))", name: "Synthetische wijk \(row + 1)", inhabitants: inhabitants,
                                   dwellings: inhabitants * 45 / 100, buurten: buurten))
            }
            result.append(Gemeente(code: "GM\(code)", name: "Synthetische gemeente \(m + 1)", wijken: wijken))
        }
        return SyntheticDivision(municipalities: result)
    }
}
