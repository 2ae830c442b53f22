import Foundation

/// A WGS84 position: longitude first, as in GeoJSON.
public struct Position: Hashable, Sendable, Codable {
    public var lon: Double
    public var lat: Double
    public init(lon: Double, lat: Double) {
        self.lon = lon
        self.lat = lat
    }
}

public struct BoundingBox: Hashable, Sendable, Codable {
    public var minLon: Double
    public var minLat: Double
    public var maxLon: Double
    public var maxLat: Double

    public init(minLon: Double, minLat: Double, maxLon: Double, maxLat: Double) {
        self.minLon = minLon
        self.minLat = minLat
        self.maxLon = maxLon
        self.maxLat = maxLat
    }

    public init?(_ positions: some Sequence<Position>) {
        var it = positions.makeIterator()
        guard let first = it.next() else { return nil }
        var box = BoundingBox(minLon: first.lon, minLat: first.lat, maxLon: first.lon, maxLat: first.lat)
        while let p = it.next() { box.include(p) }
        self = box
    }

    public mutating func include(_ p: Position) {
        minLon = Swift.min(minLon, p.lon)
        maxLon = Swift.max(maxLon, p.lon)
        minLat = Swift.min(minLat, p.lat)
        maxLat = Swift.max(maxLat, p.lat)
    }

    public func union(_ other: BoundingBox) -> BoundingBox {
        BoundingBox(minLon: Swift.min(minLon, other.minLon), minLat: Swift.min(minLat, other.minLat),
                    maxLon: Swift.max(maxLon, other.maxLon), maxLat: Swift.max(maxLat, other.maxLat))
    }

    public func contains(_ p: Position) -> Bool {
        p.lon >= minLon && p.lon <= maxLon && p.lat >= minLat && p.lat <= maxLat
    }

    public var center: Position { Position(lon: (minLon + maxLon) / 2, lat: (minLat + maxLat) / 2) }
}

/// A closed ring of positions (the first position is repeated at the end in GeoJSON; both forms are accepted).
public struct Ring: Hashable, Sendable {
    public var positions: [Position]
    public init(_ positions: [Position]) {
        if positions.count > 1, positions.first == positions.last {
            self.positions = Array(positions.dropLast())
        } else {
            self.positions = positions
        }
    }

    /// The ring as GeoJSON wants it: closed.
    public var closed: [Position] { positions.isEmpty ? [] : positions + [positions[0]] }

    /// Signed area in square degrees (positive when counter-clockwise).
    public var signedArea: Double {
        guard positions.count >= 3 else { return 0 }
        var sum = 0.0
        for i in positions.indices {
            let a = positions[i], b = positions[(i + 1) % positions.count]
            sum += a.lon * b.lat - b.lon * a.lat
        }
        return sum / 2
    }

    public enum PointRelation: Sendable { case inside, outside, onBoundary }

    /// Ray casting with an explicit on-edge check, so a point on a shared border is reported as such.
    public func relation(of p: Position) -> PointRelation {
        let n = positions.count
        guard n >= 3 else { return .outside }
        var inside = false
        var j = n - 1
        for i in 0..<n {
            let a = positions[i], b = positions[j]
            if Ring.isOnSegment(p, a, b) { return .onBoundary }
            if (a.lat > p.lat) != (b.lat > p.lat) {
                let x = (b.lon - a.lon) * (p.lat - a.lat) / (b.lat - a.lat) + a.lon
                if p.lon < x { inside.toggle() }
            }
            j = i
        }
        return inside ? .inside : .outside
    }

    static func isOnSegment(_ p: Position, _ a: Position, _ b: Position) -> Bool {
        let cross = (b.lon - a.lon) * (p.lat - a.lat) - (b.lat - a.lat) * (p.lon - a.lon)
        let scale = max(abs(b.lon - a.lon), abs(b.lat - a.lat), 1e-12)
        guard abs(cross) <= 1e-12 * scale else { return false }
        return p.lon >= min(a.lon, b.lon) - 1e-12 && p.lon <= max(a.lon, b.lon) + 1e-12
            && p.lat >= min(a.lat, b.lat) - 1e-12 && p.lat <= max(a.lat, b.lat) + 1e-12
    }
}

/// A polygon: one outer ring and zero or more holes.
public struct Polygon: Hashable, Sendable {
    public var outer: Ring
    public var holes: [Ring]
    public init(outer: Ring, holes: [Ring] = []) {
        self.outer = outer
        self.holes = holes
    }

    /// Points on the outer border count as inside; points on a hole's border too (they touch the polygon).
    public func contains(_ p: Position) -> Bool {
        switch outer.relation(of: p) {
        case .outside: return false
        case .onBoundary: return true
        case .inside:
            for hole in holes where hole.relation(of: p) == .inside { return false }
            return true
        }
    }
}

public struct MultiPolygon: Hashable, Sendable {
    public var polygons: [Polygon]
    public init(_ polygons: [Polygon]) { self.polygons = polygons }

    public func contains(_ p: Position) -> Bool { polygons.contains { $0.contains(p) } }

    public var boundingBox: BoundingBox? { BoundingBox(polygons.flatMap(\.outer.positions)) }

    /// Whether the point lies strictly inside (not on any border): used to break ties on shared borders.
    public func containsStrictly(_ p: Position) -> Bool {
        polygons.contains { polygon in
            polygon.outer.relation(of: p) == .inside && !polygon.holes.contains { $0.relation(of: p) != .outside }
        }
    }

    /// A point inside the largest polygon, for placing a label: the centre of the bounding box if it lies
    /// inside, otherwise the midpoint of the widest horizontal chord through the polygon's middle.
    public var labelPoint: Position? {
        guard let largest = polygons.max(by: { abs($0.outer.signedArea) < abs($1.outer.signedArea) }),
              let box = BoundingBox(largest.outer.positions) else { return nil }
        if largest.contains(box.center) { return box.center }
        for fraction in [0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8] {
            let lat = box.minLat + (box.maxLat - box.minLat) * fraction
            var xs: [Double] = []
            let ps = largest.outer.positions
            for i in ps.indices {
                let a = ps[i], b = ps[(i + 1) % ps.count]
                if (a.lat > lat) != (b.lat > lat) {
                    xs.append((b.lon - a.lon) * (lat - a.lat) / (b.lat - a.lat) + a.lon)
                }
            }
            xs.sort()
            var best: (Double, Double)? = nil
            var k = 0
            while k + 1 < xs.count {
                if best == nil || xs[k + 1] - xs[k] > best!.1 - best!.0 { best = (xs[k], xs[k + 1]) }
                k += 2
            }
            if let best { return Position(lon: (best.0 + best.1) / 2, lat: lat) }
        }
        return box.center
    }
}
