import Foundation

/// Merges adjacent polygons that share exact borders (as the CBS buurt layer does) into their outline.
public enum Dissolve {
    private struct Edge: Hashable { var from: Position; var to: Position }

    public static func outline(_ parts: [MultiPolygon]) -> MultiPolygon {
        var directed: [Edge: Int] = [:]
        func add(_ ring: Ring, counterClockwise: Bool) {
            var ps = ring.positions
            if (ring.signedArea > 0) != counterClockwise { ps.reverse() }
            for i in ps.indices {
                let e = Edge(from: ps[i], to: ps[(i + 1) % ps.count])
                guard e.from != e.to else { continue }
                let reverse = Edge(from: e.to, to: e.from)
                if let n = directed[reverse], n > 0 {
                    directed[reverse] = n - 1 == 0 ? nil : n - 1
                } else {
                    directed[e, default: 0] += 1
                }
            }
        }
        for part in parts {
            for polygon in part.polygons {
                add(polygon.outer, counterClockwise: true)
                for hole in polygon.holes { add(hole, counterClockwise: false) }
            }
        }
        // Chain the remaining edges into rings.
        var next: [Position: [Position]] = [:]
        var order: [Position] = []
        for (edge, count) in directed.sorted(by: { ($0.key.from.lon, $0.key.from.lat, $0.key.to.lon, $0.key.to.lat) < ($1.key.from.lon, $1.key.from.lat, $1.key.to.lon, $1.key.to.lat) }) {
            for _ in 0..<count {
                if next[edge.from] == nil { order.append(edge.from) }
                next[edge.from, default: []].append(edge.to)
            }
        }
        var rings: [Ring] = []
        for start in order {
            while let outgoing = next[start], !outgoing.isEmpty {
                var ring: [Position] = [start]
                var current = start
                while true {
                    guard var candidates = next[current], !candidates.isEmpty else { break }
                    let to = candidates.removeFirst()
                    next[current] = candidates
                    if to == start { break }
                    ring.append(to)
                    current = to
                    if ring.count > 1_000_000 { break }
                }
                if ring.count >= 3 { rings.append(Ring(ring)) }
            }
        }
        let outers = rings.filter { $0.signedArea > 0 }.sorted { $0.signedArea > $1.signedArea }
        let holes = rings.filter { $0.signedArea < 0 }
        var polygons = outers.map { Polygon(outer: $0) }
        for hole in holes {
            guard let probe = hole.positions.first else { continue }
            if let index = polygons.firstIndex(where: { $0.outer.relation(of: probe) != .outside }) {
                polygons[index].holes.append(hole)
            }
        }
        return MultiPolygon(polygons)
    }
}
