import Foundation

/// Projects WGS84 positions onto an SVG canvas (equirectangular, corrected for latitude), north up.
public struct MapProjection: Sendable {
    public let width: Double
    public let height: Double
    private let box: BoundingBox
    private let scale: Double
    private let lonFactor: Double
    private let padding: Double

    public init(fitting box: BoundingBox, width: Double = 1000, padding: Double = 10) {
        self.box = box
        self.padding = padding
        lonFactor = cos(box.center.lat * .pi / 180)
        let spanX = max((box.maxLon - box.minLon) * lonFactor, 1e-9)
        let spanY = max(box.maxLat - box.minLat, 1e-9)
        scale = (width - 2 * padding) / spanX
        self.width = width
        height = (spanY * scale + 2 * padding).rounded()
    }

    public func point(_ p: Position) -> (x: Double, y: Double) {
        ((p.lon - box.minLon) * lonFactor * scale + padding, (box.maxLat - p.lat) * scale + padding)
    }

    /// The inverse: a click on the canvas back to a position.
    public func position(x: Double, y: Double) -> Position {
        Position(lon: (x - padding) / scale / lonFactor + box.minLon, lat: box.maxLat - (y - padding) / scale)
    }

    /// SVG path data for a geometry ("M x y L … Z" per ring), with one decimal.
    public func pathData(_ geometry: MultiPolygon) -> String {
        var out = ""
        for polygon in geometry.polygons {
            for ring in [polygon.outer] + polygon.holes {
                for (i, p) in ring.positions.enumerated() {
                    let (x, y) = point(p)
                    out += (i == 0 ? "M" : "L") + MapProjection.format(x) + " " + MapProjection.format(y)
                }
                out += "Z"
            }
        }
        return out
    }

    public var viewBox: String { "0 0 \(Int(width)) \(Int(height))" }

    static func format(_ v: Double) -> String {
        let r = (v * 10).rounded() / 10
        return r == r.rounded() ? String(Int(r)) : String(r)
    }
}
