import Foundation
import Domain

/// The map a resident clicks to pick a point (`<input type="image">`): a standalone SVG with its own colours
/// (an image cannot use the page's stylesheet), drawn at a fixed width so click coordinates map back exactly.
enum SignalMapImage {
    static let width = 600.0

    static func projection(_ bounds: BoundingBox) -> MapProjection { MapProjection(fitting: bounds, width: width) }

    static func svg(shapes: [(geometry: MultiPolygon, label: String)], bounds: BoundingBox, marker: Position?, dots: [Position] = []) -> String {
        let p = projection(bounds)
        var out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>"
        out += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(Int(p.width))\" height=\"\(Int(p.height))\" viewBox=\"\(p.viewBox)\">"
        out += "<rect width=\"100%\" height=\"100%\" fill=\"#ffffff\"/>"
        for shape in shapes where !shape.geometry.polygons.isEmpty {
            out += "<path d=\"\(p.pathData(shape.geometry))\" fill=\"#e5f0f9\" stroke=\"#01689b\" stroke-width=\"1.5\" fill-rule=\"evenodd\"/>"
        }
        for shape in shapes {
            guard let point = shape.geometry.labelPoint else { continue }
            let (x, y) = p.point(point)
            out += "<text x=\"\(Int(x))\" y=\"\(Int(y))\" font-family=\"sans-serif\" font-size=\"12\" fill=\"#154273\" text-anchor=\"middle\">\(HTML.escape(shape.label))</text>"
        }
        for dot in dots {
            let (x, y) = p.point(dot)
            out += "<circle cx=\"\(Int(x))\" cy=\"\(Int(y))\" r=\"4\" fill=\"#ca005d\" stroke=\"#ffffff\" stroke-width=\"1\"/>"
        }
        if let marker {
            let (x, y) = p.point(marker)
            out += "<circle cx=\"\(Int(x))\" cy=\"\(Int(y))\" r=\"9\" fill=\"#d52b1e\" stroke=\"#ffffff\" stroke-width=\"3\"/>"
            out += "<circle cx=\"\(Int(x))\" cy=\"\(Int(y))\" r=\"2\" fill=\"#ffffff\"/>"
        }
        return out + "</svg>"
    }
}
