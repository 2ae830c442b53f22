import Foundation

/// Reading and writing the two GeoJSON geometry types Wijkwerk uses (Polygon, MultiPolygon).
public enum GeoJSON {
    public enum Error: Swift.Error, Equatable {
        case unsupportedType(String)
        case malformed(String)
    }

    private struct RawGeometry: Codable {
        var type: String
        var coordinates: AnyCoordinates
    }

    /// Nested arrays of numbers of any depth.
    indirect enum AnyCoordinates: Codable {
        case number(Double)
        case list([AnyCoordinates])

        init(from decoder: Decoder) throws {
            let c = try decoder.singleValueContainer()
            if let d = try? c.decode(Double.self) { self = .number(d) } else { self = .list(try c.decode([AnyCoordinates].self)) }
        }

        func encode(to encoder: Encoder) throws {
            var c = encoder.singleValueContainer()
            switch self {
            case .number(let d): try c.encode(d)
            case .list(let l): try c.encode(l)
            }
        }

        var list: [AnyCoordinates]? { if case .list(let l) = self { return l } else { return nil } }
    }

    public static func decodeGeometry(_ data: Data) throws -> MultiPolygon {
        let raw: RawGeometry
        do { raw = try JSONDecoder().decode(RawGeometry.self, from: data) } catch {
            throw Error.malformed("not a GeoJSON geometry")
        }
        return try multiPolygon(type: raw.type, coordinates: raw.coordinates)
    }

    static func multiPolygon(type: String, coordinates: AnyCoordinates) throws -> MultiPolygon {
        switch type {
        case "Polygon": return MultiPolygon([try polygon(coordinates)])
        case "MultiPolygon":
            guard let list = coordinates.list else { throw Error.malformed("MultiPolygon coordinates") }
            return MultiPolygon(try list.map(polygon))
        default: throw Error.unsupportedType(type)
        }
    }

    private static func polygon(_ c: AnyCoordinates) throws -> Polygon {
        guard let rings = c.list, !rings.isEmpty else { throw Error.malformed("polygon without rings") }
        let parsed = try rings.map(ring)
        return Polygon(outer: parsed[0], holes: Array(parsed.dropFirst()))
    }

    private static func ring(_ c: AnyCoordinates) throws -> Ring {
        guard let points = c.list else { throw Error.malformed("ring") }
        let positions: [Position] = try points.map { point in
            guard let xy = point.list, xy.count >= 2, case .number(let lon) = xy[0], case .number(let lat) = xy[1] else {
                throw Error.malformed("position")
            }
            return Position(lon: lon, lat: lat)
        }
        guard positions.count >= 3 else { throw Error.malformed("ring with fewer than 3 positions") }
        return Ring(positions)
    }

    /// A geometry as a GeoJSON object (Polygon when there is one polygon, MultiPolygon otherwise).
    public static func geometryObject(_ geometry: MultiPolygon, forceMulti: Bool = false) -> [String: Any] {
        func ring(_ r: Ring) -> [[Double]] { r.closed.map { [$0.lon, $0.lat] } }
        func polygon(_ p: Polygon) -> [[[Double]]] { [ring(p.outer)] + p.holes.map(ring) }
        if geometry.polygons.count == 1 && !forceMulti {
            return ["type": "Polygon", "coordinates": polygon(geometry.polygons[0])]
        }
        return ["type": "MultiPolygon", "coordinates": geometry.polygons.map(polygon)]
    }

    public static func encodeGeometry(_ geometry: MultiPolygon) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: geometryObject(geometry), options: [.sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }

    /// A feature read from a FeatureCollection: its id, string properties and geometry.
    public struct Feature: Sendable {
        public var id: String?
        public var properties: [String: String]
        public var geometry: MultiPolygon
    }

    public static func decodeFeatureCollection(_ data: Data) throws -> [Feature] {
        guard let root = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
              let features = root["features"] as? [[String: Any]] else {
            throw Error.malformed("not a FeatureCollection")
        }
        return try features.map { f in
            guard let geometry = f["geometry"] as? [String: Any] else { throw Error.malformed("feature without geometry") }
            let geometryData = try JSONSerialization.data(withJSONObject: geometry)
            var props: [String: String] = [:]
            for (key, value) in (f["properties"] as? [String: Any]) ?? [:] {
                props[key] = "\(value)"
            }
            return Feature(id: f["id"] as? String, properties: props, geometry: try decodeGeometry(geometryData))
        }
    }
}
